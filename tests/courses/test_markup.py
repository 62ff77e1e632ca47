"""Sanitizing: whatever Markdown holds, the HTML that comes out is inert."""

import pytest

from lms.markup import render_markdown


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<p style="position:fixed">x</p>',
    '<iframe src="https://example.org"></iframe>',
    '<div class="flash-success">palsu</div>',
])
def test_dangerous_markup_is_removed(source):
    html = render_markdown(source).html.lower()
    for bad in ("<script", "onerror", "javascript:", "onload", "style=", "<iframe", "<svg",
                "flash-success"):
        assert bad not in html


def test_headings_get_anchors_and_toc():
    rendered = render_markdown("[TOC]\n\n## Kanal Digital\n\n### Media Sosial\n")
    assert rendered.headings == [(2, "kanal-digital", "Kanal Digital"),
                                 (3, "media-sosial", "Media Sosial")]
    assert '<a href="#kanal-digital">' in rendered.html
