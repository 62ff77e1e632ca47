"""The public credential pages in a real browser (axe-checked): the issuer, a program as
an achievement, and checking a pasted credential."""

from playwright.sync_api import expect


def test_issuer_program_and_credential_check_pages(live_app, page):
    page.goto(f"{live_app}/issuer")
    expect(page.page.locator("code.hash")).to_contain_text("z6Mk")
    page.goto(f"{live_app}/programs/program-demo")
    expect(page.page.get_by_role("heading", name="Diklat Demo")).to_be_visible()
    page.goto(f"{live_app}/credentials/verify")
    page.page.get_by_label("Kredensial (JSON)").fill('{"nama": "bukan kredensial"}')
    page.page.get_by_role("button", name="Periksa").click()
    expect(page.page.locator("#check-result")).to_contain_text("Tidak sah")
    page.axe()
