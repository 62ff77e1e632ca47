"""docs/example-course/: the complete example of docs/content-format.md passes the check,
syncs, and shows each feature it documents on the participant's pages."""

from pathlib import Path

from sqlalchemy import select

from lms.content import load_tree, sync_tree
from lms.courses.models import Course
from lms.extensions import db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-course"


def test_example_passes_content_check(app, runner):
    result = runner.invoke(args=["content", "check", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "2 modules, 1 programs: 0 problems" in result.output
    assert "warning" not in result.output


def test_example_syncs_and_shows_video_downloads_and_glossary(app, client, make_user, enroll,
                                                              auth):
    with app.app_context():
        report = sync_tree(load_tree(EXAMPLE))
        assert report.ok, report
        assert report.added == ["contoh-kalender-konten"]
        course = db.session.scalar(select(Course))
        assert [d["name"] for d in course.downloads] == [
            "kertas-kerja-kalender.docx", "templat-kalender-konten.pdf"]
    user_id, email = make_user()
    enroll(user_id, "contoh-kalender-konten")
    auth.login(email)
    page = client.get("/courses/contoh-kalender-konten").text
    assert "Unduhan" in page
    assert "Glosarium" in page
    first = client.get("/courses/contoh-kalender-konten/modules/kk-mengapa-kalender").text
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in first
    assert 'class="glossary-term" href="../glossary#istilah-kalender-konten"' in first
    second = client.get("/courses/contoh-kalender-konten/modules/kk-menyusun-kalender").text
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in second
    assert 'href="../assets/templat-kalender-konten.pdf"' in second
    pdf = client.get("/courses/contoh-kalender-konten/assets/templat-kalender-konten.pdf")
    assert pdf.data.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["Content-Disposition"]
    glossary = client.get("/courses/contoh-kalender-konten/glossary").text
    assert "#PerpustakaanKeliling" in glossary
