"""Applications with requirements: fields and documents from the program file, filled and
uploaded by the applicant until the deadline, reviewed side by side by coordinators,
selected within the capacity; bad files and late changes refused with nothing lost."""

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from lms.applications import storage
from lms.applications.models import ApplicationDocument
from lms.audit.models import AuditEntry
from lms.auth.models import Role, User
from lms.cohorts import services as cohorts
from lms.cohorts.models import CohortMember
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.certificates.test_truth import signed_in
from tests.conftest import csrf_from
from tests.mail.conftest import mails_to
from tests.records.conftest import write_program

APPLICATION = """\
application:
  fields:
    - {id: nip, label: NIP, pattern: '[0-9]{18}'}
    - {id: jenis-perpustakaan, label: Jenis perpustakaan, kind: choice,
       choices: [Umum, Sekolah, Perguruan Tinggi, Khusus]}
    - {id: provinsi, label: Provinsi, kind: choice, choices: [Jawa Barat, Bali, Papua]}
  documents:
    - {id: surat-tugas, label: Surat tugas dari pimpinan instansi, types: [pdf],
       max_size_mb: 1}
    - {id: ijazah, label: Ijazah terakhir, types: [pdf, jpg, png], max_size_mb: 1}
"""
# Small valid files made here (no third-party data): the content checks read these bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"IEND\xaeB`\x82"


@pytest.fixture
def code(app, content_dir, cohort_id):
    """An application cohort of the program: registration open until 10 January 2027,
    starting on the 20th, one place."""
    write_program(content_dir, APPLICATION)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        cohort = cohorts.create_cohort(cohorts.programs()[0], "angkatan-2", {
            "name": "Angkatan II Tahun 2027", "number": 2, "year": 2027,
            "registration_opens_on": date(2026, 12, 1),
            "registration_closes_on": date(2027, 1, 10), "starts_on": date(2027, 1, 20),
            "ends_on": date(2027, 2, 10), "capacity": 1, "enrollment_mode": "application"},
            None)
        db.session.commit()
        return cohort.code


def apply(app, make_user, code, **fields):
    _, email = make_user(**fields)
    client = signed_in(app, email)
    token = csrf_from(client.get(f"/cohorts/{code}/apply").text)
    response = client.post(f"/cohorts/{code}/apply", data={
        "csrf_token": token, "motivation": "Ingin memperkuat promosi perpustakaan kami.",
        "institution": "Perpustakaan Kota Denpasar", "position": "Pustakawan"})
    assert response.headers["Location"].endswith(f"/cohorts/{code}/application")
    return client, email, token


def fill(client, code, token, **values):
    data = {"csrf_token": token, "field-nip": "198001012005012001",
            "field-jenis-perpustakaan": "Umum", "field-provinsi": "Bali"}
    data.update({f"field-{k.replace('_', '-')}": v for k, v in values.items()})
    return client.post(f"/cohorts/{code}/application/fields", data=data)


def upload(client, code, token, doc_id, name, data):
    return client.post(f"/cohorts/{code}/application/documents/{doc_id}", data={
        "csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def test_the_applicant_sees_what_is_missing_and_completes_it(app, code, make_user):
    client, _, token = apply(app, make_user, code)
    assert "Pendaftaran saya ke Angkatan II Tahun 2027" in client.get("/cohorts").text
    page = client.get(f"/cohorts/{code}/application").text
    assert "Yang masih kurang:" in page
    for label in ("NIP", "Provinsi", "Surat tugas dari pimpinan instansi", "Ijazah terakhir"):
        assert f"<li>{label}</li>" in page
    assert fill(client, code, token).status_code == 302
    assert upload(client, code, token, "surat-tugas", "surat.pdf", PDF).status_code == 302
    assert upload(client, code, token, "ijazah", "ijazah.png", PNG).status_code == 302
    page = client.get(f"/cohorts/{code}/application").text
    assert "Pendaftaran Anda sudah lengkap." in page
    assert "ijazah.png" in page
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("application.%") | (AuditEntry.action == "member.apply"))))
    assert sorted(actions) == ["application.document", "application.document",
                               "application.fields", "member.apply"]


def test_a_wrong_value_names_the_field_and_saves_nothing(app, code, make_user):
    client, _, token = apply(app, make_user, code)
    fill(client, code, token)
    refused = fill(client, code, token, nip="12345", provinsi="Atlantis")
    assert refused.status_code == 400
    assert "NIP tidak sesuai format yang diminta." in refused.text
    assert "Pilih salah satu Provinsi yang tersedia." in refused.text
    page = client.get(f"/cohorts/{code}/application").text
    assert 'value="198001012005012001"' in page  # the saved value is still there


@pytest.mark.parametrize(("name", "data", "message"), [
    ("surat.docx", PDF, "surat.docx bukan jenis berkas yang diterima (diterima: pdf)"),
    ("surat.pdf", PNG, "surat.pdf sebenarnya bukan berkas PDF"),
])
def test_a_wrong_document_is_refused_and_the_previous_one_kept(app, code, make_user, name,
                                                                data, message):
    client, _, token = apply(app, make_user, code)
    upload(client, code, token, "surat-tugas", "surat-lama.pdf", PDF)
    refused = upload(client, code, token, "surat-tugas", name, data)
    assert refused.status_code == 400
    assert f"Surat tugas dari pimpinan instansi: {message}" in refused.text
    assert "Tidak ada yang disimpan." in refused.text
    with app.app_context():
        [document] = db.session.scalars(select(ApplicationDocument))
        assert document.original_name == "surat-lama.pdf"
        with storage.open_document(document.stored_name) as stored:
            assert stored.read() == PDF
        assert storage.stored_documents() == [document.stored_name]


def test_a_document_over_the_size_is_refused_and_the_previous_one_kept(app, code, make_user):
    # Through the service: the test client spools a large request body to a file it
    # never closes, so the page's words are checked on the refusal itself.
    from lms.applications import services
    from lms.cohorts.models import Cohort

    client, email, token = apply(app, make_user, code)
    upload(client, code, token, "surat-tugas", "surat-lama.pdf", PDF)
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == code))
        member = db.session.scalar(select(CohortMember).join(
            User, User.id == CohortMember.user_id).where(User.email == email))
        with pytest.raises(services.ApplicationError) as refused:
            services.upload_document(cohort, member, "surat-tugas",
                                     io.BytesIO(PDF + b"0" * (1024 * 1024)), "besar.pdf",
                                     date(2026, 12, 21))
        assert refused.value.detail == (
            "Surat tugas dari pimpinan instansi: besar.pdf lebih besar dari 1 MB. "
            "Tidak ada yang disimpan.")
        db.session.rollback()
        [document] = db.session.scalars(select(ApplicationDocument))
        assert document.original_name == "surat-lama.pdf"
        assert storage.stored_documents() == [document.stored_name]


def test_after_the_deadline_nothing_changes_and_no_one_can_apply(app, code, make_user,
                                                                 freeze_clock):
    client, email, token = apply(app, make_user, code)
    fill(client, code, token)
    freeze_clock(datetime(2027, 1, 11, 3, 0, tzinfo=UTC))
    client = signed_in(app, email)  # three weeks later: a new session
    token = csrf_from(client.get(f"/cohorts/{code}/application").text)
    late = fill(client, code, token, provinsi="Papua")
    assert late.status_code == 400
    assert "Pendaftaran Angkatan II Tahun 2027 ditutup pada 2027-01-10" in late.text
    assert upload(client, code, token, "ijazah", "ijazah.pdf", PDF).status_code == 400
    page = client.get(f"/cohorts/{code}/application").text
    assert "<option selected>Bali</option>" in page
    _, email = make_user()
    newcomer = signed_in(app, email)
    refused = newcomer.get(f"/cohorts/{code}/apply", follow_redirects=True)
    assert "Pendaftaran angkatan ini tidak sedang dibuka." in refused.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(CohortMember).where(
            CohortMember.user_id == db.session.scalar(
                select(User.id).where(User.email == email)))) == 0


def test_coordinators_filter_review_and_select_within_capacity(app, code, make_user,
                                                              freeze_clock):
    bali, bali_email, token_bali = apply(app, make_user, code, full_name="Made Wirawan")
    fill(bali, code, token_bali)
    upload(bali, code, token_bali, "surat-tugas", "surat.pdf", PDF)
    papua, _, token_papua = apply(app, make_user, code, full_name="Yohana Wenda")
    fill(papua, code, token_papua, provinsi="Papua", jenis_perpustakaan="Sekolah")
    _, coordinator = make_user(Role.COORDINATOR)
    client = signed_in(app, coordinator)
    page = client.get(f"/manage/cohorts/{code}/applications").text
    assert "Made Wirawan" in page
    assert "Yohana Wenda" in page
    assert "kurang: Ijazah terakhir" in page  # what is missing, per applicant
    only_bali = client.get(f"/manage/cohorts/{code}/applications?provinsi=Bali").text
    assert "Made Wirawan" in only_bali
    assert "Yohana Wenda" not in only_bali
    schools = client.get(f"/manage/cohorts/{code}/applications?jenis-perpustakaan=Sekolah")
    assert "Made Wirawan" not in schools.text
    # A document to correct: the note is required, then mailed with a link back.
    with app.app_context():
        document_id = db.session.scalar(select(ApplicationDocument.id))
    token = csrf_from(page)
    no_note = client.post(f"/manage/applications/documents/{document_id}/review",
                          data={"csrf_token": token, "status": "correction"},
                          follow_redirects=True)
    assert "Tuliskan apa yang harus diperbaiki" in no_note.text
    client.post(f"/manage/applications/documents/{document_id}/review", data={
        "csrf_token": token, "status": "correction", "note": "Belum ditandatangani."})
    [mail] = [m for m in mails_to(app, bali_email) if "perbaiki" in m["Subject"]]
    assert "Belum ditandatangani." in mail.get_content()
    assert f"/cohorts/{code}/application" in mail.get_content()
    # After the deadline, before the cohort starts, the document to correct can be replaced.
    freeze_clock(datetime(2027, 1, 12, 3, 0, tzinfo=UTC))
    bali = signed_in(app, bali_email)
    token_bali = csrf_from(bali.get(f"/cohorts/{code}/application").text)
    assert upload(bali, code, token_bali, "surat-tugas", "surat-ttd.pdf", PDF).status_code \
        == 302
    assert upload(bali, code, token_bali, "ijazah", "ijazah.pdf", PDF).status_code == 400
    # Selection keeps the capacity: one place, two accepted asked, one waits.
    with app.app_context():
        ids = [str(i) for i in db.session.scalars(select(CohortMember.id).where(
            CohortMember.status == "applied"))]
    client = signed_in(app, coordinator)
    token = csrf_from(client.get(f"/manage/cohorts/{code}/applications").text)
    response = client.post(f"/manage/cohorts/{code}/applications/decide", data={
        "csrf_token": token, "decision": "accept", "member": ids}, follow_redirects=True)
    assert "Angkatan sudah penuh: 1 orang" in response.text
    with app.app_context():
        statuses = sorted(db.session.scalars(select(CohortMember.status).where(
            CohortMember.id.in_([int(i) for i in ids]))))
    assert statuses == ["accepted", "waitlisted"]
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action == "application.review")))
    assert actions == ["application.review"]


def test_only_the_applicant_and_coordinators_open_a_document(app, code, make_user):
    client, _, token = apply(app, make_user, code)
    upload(client, code, token, "surat-tugas", "surat.pdf", PDF)
    with app.app_context():
        document_id = db.session.scalar(select(ApplicationDocument.id))
    with client.get(f"/applications/documents/{document_id}") as response:
        assert response.data == PDF
    _, other = make_user()
    assert signed_in(app, other).get(f"/applications/documents/{document_id}").status_code \
        == 404


def test_the_application_and_its_documents_are_in_the_persons_data(app, code, make_user):
    import json
    import zipfile

    client, _, token = apply(app, make_user, code)
    fill(client, code, token)
    upload(client, code, token, "surat-tugas", "surat.pdf", PDF)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/profile/data.zip").data))
    [application] = json.loads(archive.read("applications.json"))
    assert application["fields"]["provinsi"] == "Bali"
    [document] = application["documents"]
    assert document["requirement"] == "surat-tugas"
    assert archive.read(document["file"]) == PDF
