"""Issue #20 pages in a real browser on the demo, axe-core on each: an applicant's
application with what is missing and an upload, the coordinator's selection with the
documents, the graduate's training record, "my data" and the privacy notice."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import demo_app, serving
from tests.browser.test_journey import sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECTIONS = """\
final_grade:
  components:
    - {source: posttests, weight: 60}
    - {source: participation, weight: 40}
  predikat:
    - {from: 90, to: 100, label: Sangat Memuaskan}
    - {from: 0, to: 90, label: Baik}
application:
  fields:
    - {id: nip, label: NIP}
    - {id: pangkat-golongan, label: Pangkat/golongan}
    - {id: jabatan, label: Jabatan}
    - {id: jenis-perpustakaan, label: Jenis perpustakaan, kind: choice,
       choices: [Perpustakaan Umum, Perpustakaan Sekolah]}
    - {id: provinsi, label: Provinsi, kind: choice, choices: [Bali, Nusa Tenggara Timur]}
  documents:
    - {id: surat-tugas, label: Surat tugas, types: [pdf], max_size_mb: 2}
    - {id: ijazah, label: Ijazah terakhir, types: [pdf, png], max_size_mb: 2}
"""


def _sections(content):
    with (content / "_programs" / "demo.yml").open("a") as program:
        program.write(SECTIONS)


@pytest.fixture
def records_app(tmp_path):
    with demo_app(tmp_path, _sections) as app, serving(app) as base:
        yield base


def test_application_selection_record_and_my_data(records_app, page, tmp_path):
    base = records_app
    sign_in(page, base, "pendaftar@example.org", "demo-lulusan-2026")
    page.goto(f"{base}/cohorts/diklat-ppbd-demo-terbuka/application")
    expect(page.page.get_by_role("listitem").filter(has_text="Ijazah terakhir")).to_be_visible()
    diploma = tmp_path / "ijazah.pdf"
    diploma.write_bytes(PDF)
    page.page.get_by_label("Pilih berkas").last.set_input_files(str(diploma))
    page.page.get_by_role("button", name="Unggah").last.click()
    expect(page.page.get_by_text("Pendaftaran Anda sudah lengkap.")).to_be_visible()
    page.axe()
    page.goto(f"{base}/profile/data")
    page.goto(f"{base}/privacy")

    page.page.context.clear_cookies()
    sign_in(page, base, "koordinator@example.org", "demo-koordinator-2026")
    page.goto(f"{base}/manage/cohorts/diklat-ppbd-demo-terbuka/applications")
    page.page.get_by_label("Provinsi").select_option("Nusa Tenggara Timur")
    page.page.get_by_role("button", name="Tampilkan").click()
    expect(page.page.get_by_role("heading", name="Maria Goreti Lena, S.Hum.")).to_be_visible()
    page.axe()
    page.goto(f"{base}/manage/records/jp")
    page.goto(f"{base}/people/deletions")

    page.page.context.clear_cookies()
    sign_in(page, base, "lulusan1@example.org", "demo-lulusan-2026")
    page.goto(f"{base}/profile/record")
    expect(page.page.get_by_role("columnheader", name="Nilai akhir").first).to_be_visible()
    expect(page.page.get_by_role("cell", name="Baik").first).to_be_visible()
