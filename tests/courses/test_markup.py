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


def test_plain_text_fields_keep_their_italics_and_nothing_else():
    """A course summary or objective is plain text with EYD V italics for foreign terms:
    `*brief*` is emphasised, everything else stays escaped."""
    from lms.markup import emphasis

    assert str(emphasis("Menyusun *brief* konten")) == "Menyusun <em>brief</em> konten"
    assert str(emphasis("<script>*x*</script> & **tebal**")) == (
        "&lt;script&gt;<em>x</em>&lt;/script&gt; &amp; **tebal**")
    assert str(emphasis("3 * 4 * 5 dan 2*3")) == "3 * 4 * 5 dan 2*3"  # not emphasis
    assert str(emphasis(None)) == ""


def test_the_course_page_shows_a_summary_and_objectives_in_italics(
        app, client, auth, make_user, content_dir):
    from lms.content import load_tree, sync_tree
    from tests.conftest import write_course

    base = write_course(content_dir, "contoh", 1)
    course_yml = base / "course.yml"
    course_yml.write_text(course_yml.read_text()
                          .replace("summary: Ringkasan kursus contoh.",
                                   "summary: Ringkasan tentang *branding* <b>x</b>.")
                          .replace("- Memahami contoh.", "- Menyusun *brief* konten."))
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
    _, email = make_user(role="coordinator")
    auth.login(email)
    page = client.get("/courses/contoh").get_data(as_text=True)
    assert "Ringkasan tentang <em>branding</em> &lt;b&gt;x&lt;/b&gt;." in page
    assert "<li>Menyusun <em>brief</em> konten.</li>" in page
    assert "*brief*" not in page
