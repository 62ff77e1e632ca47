"""The page checker itself: it checks the page a click led to, even one still arriving."""

import time

from werkzeug.wrappers import Response

from tests.browser.conftest import serving

FIRST = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Awal</title></head>
<body><main><h1>Awal</h1><a href="/lambat">Halaman lambat</a></main></body></html>"""
SLOW_HEAD = '<!doctype html>\n<html lang="id">'
SLOW_REST = """<head><meta charset="utf-8"><title>Lambat</title></head>
<body><main><h1>Lambat</h1><p>Isi halaman yang tiba belakangan.</p></main></body></html>"""


def streamed(environ, start_response):
    """A start page, and a page whose head arrives a second after its first bytes."""
    if environ["PATH_INFO"] != "/lambat":
        return Response(FIRST, content_type="text/html; charset=utf-8")(
            environ, start_response)

    def body():
        yield SLOW_HEAD.encode() + b" " * 2048  # enough for the browser to commit
        time.sleep(1)
        yield SLOW_REST.encode()

    return Response(body(), content_type="text/html; charset=utf-8",
                    direct_passthrough=True)(environ, start_response)


def test_a_click_then_a_check_checks_the_new_page_once_it_has_loaded(page):
    with serving(streamed) as base:
        page.goto(base + "/")
        page.page.get_by_role("link", name="Halaman lambat").click()
        page.axe()
        assert page.checked[-1] == base + "/lambat"
        assert page.page.title() == "Lambat"
