"""The demo on the real course_content/ shows this issue's features: an applicant with
something missing, graduates with a final grade and predikat in their training record,
coordinators' selection and JP report."""

import shutil
from pathlib import Path

from lms.content import load_tree, sync_tree
from lms.demo import create_demo
from lms.evaluations.sync import sync_surveys
from lms.extensions import db
from tests.conftest import AuthActions

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def signed_in(app, email, password):
    client = app.test_client()
    AuthActions(client).login(email, password)
    return client


def test_the_demo_shows_applications_final_grades_and_records(app, content_dir):
    shutil.copytree(CONTENT, content_dir, dirs_exist_ok=True)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        assert sync_surveys(content_dir) == []
        lines = create_demo()
        db.session.commit()
    assert any("pendaftar@example.org" in line for line in lines)
    applicant = signed_in(app, "pendaftar@example.org", "demo-lulusan-2026")
    page = applicant.get("/cohorts/diklat-ppbd-demo-terbuka/application").text
    assert "<li>Ijazah terakhir</li>" in page
    assert "surat-tugas.pdf" in page
    graduate = signed_in(app, "lulusan1@example.org", "demo-lulusan-2026")
    record = graduate.get("/profile/record").text
    assert "Diklat Promosi Perpustakaan Berbasis Digital" in record
    assert "Sangat Memuaskan" in record
    coordinator = signed_in(app, "koordinator@example.org", "demo-koordinator-2026")
    selection = coordinator.get("/manage/cohorts/diklat-ppbd-demo-terbuka/applications?"
                                "provinsi=Nusa+Tenggara+Timur").text
    assert "Maria Goreti Lena" in selection
    assert "Perpustakaan SMA Negeri Contoh" in coordinator.get("/manage/records/jp").text
