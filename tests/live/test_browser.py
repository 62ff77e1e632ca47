"""Live sessions in a real browser: axe-core on every page, and a phone's 360 px.

Uses the browser harness of tests/browser (a live server with the demo data). Fields are
found by id, not by label, so the test does not depend on the Indonesian catalog.
"""

import shutil
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import AXE, CHROMIUM, Checked, browser, live_app, page  # noqa: F401
from tests.browser.test_journey import sign_in

RUNNING = "diklat-ppbd-demo-berjalan"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which(CHROMIUM) and AXE.exists()),
                       reason="needs Debian's chromium and axe-core (npm ci)"),
]


def a_running_hour() -> tuple[str, str, str, str]:
    """(zone, date, start, end) for a session that started 5 minutes ago, in a zone where
    it does not cross midnight."""
    now = datetime.now(UTC)
    for zone in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
        start = (now - timedelta(minutes=5)).astimezone(ZoneInfo(zone))
        end = start + timedelta(minutes=60)
        if start.date() == end.date():
            return zone, start.date().isoformat(), start.strftime("%H:%M"), \
                end.strftime("%H:%M")
    raise AssertionError("no zone without midnight")  # pragma: no cover


def test_schedule_check_in_register_and_next(live_app, browser, tmp_path):  # noqa: F811
    staff_context = browser.new_context(locale="id-ID", bypass_csp=True)
    staff = Checked(staff_context.new_page(), tmp_path)
    sign_in(staff, live_app, "koordinator@example.org", "demo-koordinator-2026")
    staff.goto(f"{live_app}/cohorts/{RUNNING}/sessions")
    staff.goto(f"{live_app}/cohorts/{RUNNING}/sessions/new")
    zone, day, start, end = a_running_hour()
    form = staff.page
    form.locator("#topic").fill("Tanya jawab katalogisasi")
    form.locator("#course").select_option(index=1)
    form.locator("#day").fill(day)
    form.locator("#start").fill(start)
    form.locator("#end").fill(end)
    form.locator("#time_zone").select_option(zone)
    form.locator("#meeting_url").fill("https://meet.example.org/abc-defg-hij")
    form.locator("form.live-form button[type=submit]").click()
    form.wait_for_url(f"{live_app}/cohorts/{RUNNING}/sessions")
    staff.axe()
    # A refused form: the error is announced next to its field.
    staff.goto(f"{live_app}/cohorts/{RUNNING}/sessions/new")
    form.locator("#topic").fill("Salah")
    form.locator("#day").fill(day)
    form.locator("#start").fill("11:00")
    form.locator("#end").fill("10:00")
    form.locator("form.live-form button[type=submit]").click()
    form.locator("#end-error").wait_for()
    staff.axe()

    phone_context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740},
                                        bypass_csp=True, is_mobile=True)
    phone = Checked(phone_context.new_page(), tmp_path)
    sign_in(phone, live_app)
    for path in (f"/cohorts/{RUNNING}/sessions", "/next"):
        phone.goto(live_app + path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px"
    phone.goto(f"{live_app}/cohorts/{RUNNING}/sessions")
    # The demo's own sessions may be open for check-in too at this hour: pick ours.
    phone.page.locator("form[action$='/check-in'] button").filter(
        has_text="Tanya jawab katalogisasi").click()
    phone.page.locator(".done-note").wait_for()
    phone.axe()
    phone.page.locator("#live-zone").select_option("Asia/Jayapura")
    phone.page.locator("form.live-zone-form button").click()
    phone.page.get_by_text("WIT", exact=False).first.wait_for()
    phone.axe()
    phone_context.close()

    staff.goto(f"{live_app}/cohorts/{RUNNING}/attendance")
    staff.page.locator("table.live-register td.live-present").first.wait_for()
    staff.page.locator("table.live-register thead a").first.click()
    staff.axe()
    staff.page.locator("input[type=radio][value=excused]").first.check()
    staff.page.locator("form.live-attendance button[type=submit]").click()
    staff.page.locator(".flash-success").wait_for()
    staff.axe()
    staff_context.close()
