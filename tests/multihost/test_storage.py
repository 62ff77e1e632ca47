"""Files in S3-compatible object storage (moto's S3 server over HTTP), and what happens
when the bucket cannot be reached."""

import hashlib
import io
from pathlib import Path

from sqlalchemy import func, select

from lms.assignments.models import Submission
from lms.extensions import db
from lms.storage import LocalStorage, S3Storage, StorageUnavailable, init_storage
from tests.assignments.test_assignments import PAGE, PDF, PNG, client_for, submissions, submit
from tests.multihost.conftest import free_port, s3_config

BIG = PDF[:-6] + b"%" + b"x" * 300_000 + b"\n%%EOF\n"  # a PDF larger than one chunk


def test_an_upload_goes_to_the_bucket_and_streams_back_with_its_headers(app, setup, bucket):
    ani = client_for(app, "ani@example.org")
    response = submit(ani, "", [("laporan akhir.pdf", BIG)])
    assert response.status_code == 302
    (submission,) = submissions(app)
    (item,) = submission.files
    assert bucket.keys() == [f"lms/uploads/{item.stored_name}"]
    assert bucket.get(f"lms/uploads/{item.stored_name}") == BIG
    assert not (Path(app.instance_path) / "uploads").exists()  # nothing on this host

    download = ani.get(f"/submission-files/{item.id}")
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="laporan akhir.pdf"'
    assert int(download.headers["Content-Length"]) == len(BIG)
    assert not download.is_sequence  # streamed in chunks, not one bytes object
    assert hashlib.sha256(download.data).hexdigest() == item.sha256
    # Today's access checks: another participant cannot fetch it.
    assert client_for(app, "budi@example.org").get(f"/submission-files/{item.id}").status_code \
        == 404


def test_a_bucket_that_cannot_be_reached_refuses_the_upload_and_records_nothing(app, setup):
    app.config.update(s3_config(f"http://127.0.0.1:{free_port()}", "nowhere"))
    init_storage(app)
    ani = client_for(app, "ani@example.org")
    response = submit(ani, "Laporan saya", [("laporan.pdf", PDF)])
    assert response.status_code == 400
    assert "Tidak ada yang dikirim: Berkas tidak dapat disimpan (penyimpanan berkas tidak " \
        "dapat dihubungi)" in response.text
    assert "Laporan saya" in response.text  # what was typed is still in the form
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    assert "Belum ada kiriman" in ani.get(PAGE).text or submissions(app) == []


class FailsOnSecondFile:
    """The real bucket, which stops answering after the first file of a submission."""

    def __init__(self, store: S3Storage):
        self.store, self.saved = store, 0

    def save(self, key, stream, content_type=None):
        self.saved += 1
        if self.saved == 2:
            raise StorageUnavailable("connection reset by peer")
        self.store.save(key, stream, content_type)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_a_bucket_failing_half_way_keeps_no_half_submission(app, setup, bucket):
    app.extensions["lms_storage"] = FailsOnSecondFile(app.extensions["lms_storage"])
    ani = client_for(app, "ani@example.org")
    response = submit(ani, "", [("satu.pdf", PDF), ("dua.png", PNG)])
    assert response.status_code == 400
    assert "penyimpanan berkas tidak dapat dihubungi" in response.text
    assert bucket.keys() == []  # the first file, stored, was removed again
    assert submissions(app) == []


def test_certificate_pdfs_are_kept_in_the_bucket(app, bucket, make_user, cohort_id,
                                                 certificates_day):
    from tests.certificates.test_issuing import participant
    from tests.certificates.test_truth import signed_in

    _, holder_email = participant(app, cohort_id, make_user)
    _, coordinator_email = make_user(role="coordinator")
    staff = signed_in(app, coordinator_email)
    page = staff.get("/manage/cohorts/angkatan-1/certificates")
    from tests.conftest import csrf_from
    staff.post("/manage/cohorts/angkatan-1/certificates/issue",
               data={"csrf_token": csrf_from(page.text)})
    holder = signed_in(app, holder_email)
    from lms.certificates.models import Certificate
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
    assert bucket.keys() == [f"lms/certificates/{certificate.pdf_sha256}.pdf"]
    download = holder.get(f"/certificates/{certificate.id}.pdf")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == certificate.pdf_sha256
    assert download.headers["Content-Disposition"].startswith('attachment; filename="sertifikat-')


def test_migrate_copies_local_files_to_the_bucket_and_checks_them(app, bucket, runner):
    local = LocalStorage(app.instance_path)
    files = {"uploads/aa11": b"%PDF-1.4 satu", "uploads/bb22": b"\x89PNG dua",
             "certificates/" + "c" * 64 + ".pdf": b"%PDF sertifikat"}
    for key, data in files.items():
        local.save(key, io.BytesIO(data))
    local.save("certificates/templates/tema.html", io.BytesIO(b"<p>template</p>"))
    result = runner.invoke(args=["storage", "migrate"])
    assert result.exit_code == 0, result.output
    assert "3 files: 3 copied and verified, 0 already there" in result.output
    assert bucket.keys() == sorted(f"lms/{key}" for key in files)  # not the templates
    for key, data in files.items():
        assert bucket.get(f"lms/{key}") == data
    again = runner.invoke(args=["storage", "migrate"])
    assert "3 files: 0 copied and verified, 3 already there (same SHA-256), 0 differ" \
        in again.output


def test_keys_cannot_leave_the_storage(tmp_path):
    import pytest

    store = LocalStorage(tmp_path)
    for key in ("../etc/passwd", "/etc/passwd", "uploads/../../x"):
        with pytest.raises(ValueError, match="bad storage key"):
            store.save(key, io.BytesIO(b"x"))
