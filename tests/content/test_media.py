"""Video embeds, downloads and the glossary, through the pages a participant sees."""

import textwrap

from lms.courses.loader import load_course
from lms.markup import render_markdown
from lms.video import DEFAULT_PROVIDERS
from tests.conftest import write_course

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\0" * 40


def sync_all(app, content_dir):
    from lms.content import load_tree, sync_tree

    with app.app_context():
        report = sync_tree(load_tree(content_dir))
    assert report.ok, report
    return report


def add_media(base):
    (base / "assets" / "kalender-konten.pdf").write_bytes(PDF)
    (base / "assets" / "kertas-kerja.docx").write_bytes(DOCX)
    (base / "glossary.yml").write_text(textwrap.dedent("""\
        terms:
          - term: Kalender konten
            definition: Jadwal unggahan untuk satu periode.
          - term: Tagar
            definition: "Kata berawalan # yang mengelompokkan unggahan."
        """))
    module = base / "modules" / "01-modul.md"
    module.write_text(module.read_text() + textwrap.dedent("""
        Susun kalender konten dulu; kalender konten yang baik memakai tagar.

        ::video[Membuat kalender konten](https://youtu.be/dQw4w9WgXcQ){captions=id}

        Unduh [templat kalender](../assets/kalender-konten.pdf).

        <iframe src="https://evil.example/"></iframe><script>alert(1)</script>
        """))


def test_video_renders_as_a_titled_lazy_frame_from_the_privacy_enhanced_host():
    html = render_markdown("::video[Judul](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n",
                           videos=DEFAULT_PROVIDERS).html
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"' in html
    assert 'title="Judul"' in html
    assert 'loading="lazy"' in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Judul</a>' in html
    vimeo = render_markdown("::video[V](https://vimeo.com/76979871){captions=id}\n",
                            videos=DEFAULT_PROVIDERS).html
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1&amp;texttrack=id"' in vimeo


def test_outside_course_content_a_directive_is_only_a_link():
    html = render_markdown("::video[Klip](https://youtu.be/dQw4w9WgXcQ)\n").html
    assert html == '<p><a href="https://youtu.be/dQw4w9WgXcQ">Klip</a></p>'


def test_a_directive_cannot_smuggle_a_script_link():
    html = render_markdown("::video[x](javascript:alert%281%29)\n", videos=DEFAULT_PROVIDERS).html
    assert "javascript" not in html


def test_written_iframes_stay_stripped_and_directives_cannot_be_forged():
    html = render_markdown('<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n\n'
                           "<p>lmsvideo0000000000000000x0</p>\n").html
    assert "<iframe" not in html
    assert "dailymotion" not in render_markdown("::video[X](https://dailymotion.com/x)\n").html \
        .split('href="')[0]


def test_module_page_frame_and_csp(app, client, course_factory, make_user, enroll, auth,
                                   content_dir):
    base = write_course(content_dir, "contoh", 2)
    add_media(base)
    sync_all(app, content_dir)
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    page = client.get("/courses/contoh/modules/contoh-m1")
    assert page.status_code == 200
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&amp;' \
           'cc_load_policy=1&amp;cc_lang_pref=id&amp;hl=id"' in page.text
    assert "evil.example" not in page.text
    assert "<script>alert" not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in policy
    assert "default-src 'self'" in policy


def test_csp_allows_only_the_configured_providers(tmp_path, content_dir):
    from tests.conftest import _build_app

    other = _build_app(tmp_path, content_dir, VIDEO_PROVIDERS=("vimeo",))
    with other.test_client() as client:
        response = client.get("/static/css/app.css")
        policy = response.headers["Content-Security-Policy"]
        response.close()
    assert "frame-src https://player.vimeo.com" in policy
    assert "youtube" not in policy


def test_downloads_are_listed_and_served_as_attachments(app, client, course_factory,
                                                        content_dir):
    base = write_course(content_dir, "contoh", 2)
    add_media(base)
    sync_all(app, content_dir)
    page = client.get("/courses/contoh").text
    assert "Unduhan" in page
    assert 'href="/courses/contoh/assets/kalender-konten.pdf" download' in page
    assert 'href="/courses/contoh/assets/kertas-kerja.docx" download' in page
    pdf = client.get("/courses/contoh/assets/kalender-konten.pdf")
    assert pdf.data == PDF
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == "attachment; filename=kalender-konten.pdf"
    docx = client.get("/courses/contoh/assets/kertas-kerja.docx")
    assert docx.mimetype == ("application/vnd.openxmlformats-officedocument"
                             ".wordprocessingml.document")
    image = client.get("/courses/contoh/assets/diagram.svg")
    assert "Content-Disposition" not in image.headers


def test_glossary_links_first_use_and_lists_terms(app, client, course_factory, content_dir,
                                                  make_user, enroll, auth):
    base = write_course(content_dir, "contoh", 2)
    add_media(base)
    sync_all(app, content_dir)
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    page = client.get("/courses/contoh/modules/contoh-m1").text
    assert page.count('class="glossary-term"') == 2  # kalender konten, tagar: first use only
    assert ('<a class="glossary-term" href="../glossary#istilah-kalender-konten" '
            'title="Jadwal unggahan untuk satu periode.">kalender konten</a>') in page
    glossary = client.get("/courses/contoh/glossary")
    assert glossary.status_code == 200
    assert '<dt id="istilah-kalender-konten">Kalender konten</dt>' in glossary.text
    assert '<dt id="istilah-tagar">Tagar</dt>' in glossary.text
    assert 'href="/courses/contoh/glossary"' in client.get("/courses/contoh").text


def test_preview_reads_only_what_changed(app, client, course_factory, content_dir,
                                         make_user, auth):
    from lms.courses import views

    base = write_course(content_dir, "contoh", 3)
    course_factory("contoh", 3)
    _, email = make_user(role="instructor")
    auth.login(email)
    assert client.get("/courses/contoh/preview").status_code == 200
    cache = views._PREVIEW_CACHES[str((content_dir / "contoh").resolve())]
    reads, rendered = cache.reads, cache.rendered
    assert rendered == 3
    for url in ("/courses/contoh/preview", "/courses/contoh/preview/modules/contoh-m2",
                "/courses/contoh/preview/assets/diagram.svg"):
        assert client.get(url).status_code == 200
    assert (cache.reads, cache.rendered) == (reads, rendered)  # nothing read, nothing rendered
    module = base / "modules" / "02-modul.md"
    module.write_text(module.read_text().replace("Isi modul 2", "Isi modul 2 diubah"))
    page = client.get("/courses/contoh/preview/modules/contoh-m2")
    assert "Isi modul 2 diubah" in page.text
    assert (cache.reads, cache.rendered) == (reads + 1, rendered + 1)


def test_load_course_without_cache_still_pure(tmp_path):
    base = write_course(tmp_path, "contoh", 1)
    add_media(base)
    course = load_course(base)
    assert set(course.assets) == {"diagram.svg", "kalender-konten.pdf", "kertas-kerja.docx"}
    assert [t.term for t in course.glossary] == ["Kalender konten", "Tagar"]
