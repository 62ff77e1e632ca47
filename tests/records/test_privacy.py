"""Personal-data rights: consent at registration, "download my data", deletion on request
(anonymised, detached, certificates kept), each step audited; bad requests change nothing."""

import io
import json
import tracemalloc
import zipfile
from datetime import date, datetime

import pytest
from sqlalchemy import func, insert, select

from lms.audit.models import AuditEntry
from lms.auth.models import Role, User
from lms.certificates import services as certificates
from lms.certificates.models import Certificate
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort, CohortMember
from lms.extensions import db
from lms.forums.models import Forum, Post, Thread
from lms.privacy import deletion
from lms.privacy.archive import write_archive
from lms.privacy.models import DeletionRequest, PrivacyConsent
from lms.quizzes.models import Attempt
from tests.auth.conftest import mailed_path
from tests.auth.test_accounts import register_data
from tests.certificates.test_issuing import participant
from tests.certificates.test_truth import signed_in
from tests.conftest import PASSWORD, csrf_from


def actions(app, *names) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(names)).order_by(AuditEntry.id)))


def test_registration_needs_consent_to_the_notice_and_records_it(app, client):
    data = register_data(client)
    del data["privacy_consent"]
    refused = client.post("/auth/register", data=data)
    assert refused.status_code == 200  # the form again, with the reason
    assert "persetujuan Anda atas pemberitahuan privasi" in refused.text
    assert "/privacy" in refused.text
    client.post("/auth/register", data=register_data(client))
    link = mailed_path(app, "sri@perpus.example.org", "/auth/register/")
    assert client.get(link).status_code == 302
    with app.app_context():
        consent = db.session.scalar(select(PrivacyConsent))
        assert consent.notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert actions(app, "privacy.consent") == ["privacy.consent"]
    page = client.get("/profile/data").text
    assert f"versi {app.config['PRIVACY_NOTICE_VERSION']}" in page


def test_the_notice_says_how_long_from_the_configuration(app, client):
    app.config["RETENTION_CERTIFICATE_YEARS"] = 12
    page = client.get("/privacy").text
    assert "12 tahun setelah diterbitkan" in page
    assert "tanpa nama" in page  # evaluation answers


def _forum_post(app, cohort_id, user_id, text="Pertanyaan saya"):
    with app.app_context():
        forum = Forum(cohort_id=cohort_id, course_id=None)
        db.session.add(forum)
        db.session.flush()
        thread = Thread(forum_id=forum.id, author_id=user_id, title="Tanya")
        db.session.add(thread)
        db.session.flush()
        db.session.add(Post(thread_id=thread.id, author_id=user_id, body_markdown=text,
                            body_html=f"<p>{text}</p>"))
        db.session.commit()
        return thread.id


def test_download_my_data_holds_everything_with_the_answers(app, cohort_id, make_user):
    user_id, email = participant(app, cohort_id, make_user, full_name="Ayu Lestari")
    _forum_post(app, cohort_id, user_id)
    with app.app_context():
        certificates.issue_all(db.session.get(Cohort, cohort_id), None)
        db.session.commit()
    response = signed_in(app, email).get("/profile/data.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"README.txt", "profile.json", "attempts.json", "forum-posts.json",
            "certificates.json", "audit.json", "applications.json"} <= names
    assert json.loads(archive.read("profile.json"))["full_name"] == "Ayu Lestari"
    [attempt] = json.loads(archive.read("attempts.json"))
    assert [(a["question"], a["response"]) for a in attempt["answers"]] == [
        ("Benar?", {"value": True}), ("Salah?", {"value": False})]
    assert json.loads(archive.read("forum-posts.json"))[0]["text"] == "Pertanyaan saya"
    [certificate] = json.loads(archive.read("certificates.json"))
    assert certificate["printed"]["holder_name"] == "Ayu Lestari"
    assert "privacy.export" in actions(app, "privacy.export")


def test_ten_thousand_posts_are_written_without_holding_them_all(app, cohort_id, make_user):
    user_id, _ = participant(app, cohort_id, make_user)
    thread_id = _forum_post(app, cohort_id, user_id)
    text = "Pengalaman kami mengelola media sosial perpustakaan. " * 20  # about 1 kB
    with app.app_context():
        db.session.execute(insert(Post), [
            {"thread_id": thread_id, "author_id": user_id, "body_markdown": f"{n}. {text}",
             "body_html": "<p>.</p>", "created_at": datetime(2026, 12, 1)}
            for n in range(10_000)])
        db.session.commit()
        user = db.session.get(User, user_id)
        out = io.BytesIO()
        tracemalloc.start()
        try:
            counts = write_archive(user, out, site="x", made=datetime(2026, 12, 21))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert counts["forum_posts"] == 10_001
    posts = json.loads(zipfile.ZipFile(out).read("forum-posts.json"))
    assert len(posts) == 10_001
    # The posts' text alone is over 10 MB; building the archive never held a tenth of it.
    assert sum(len(p["text"]) for p in posts) > 10_000_000
    assert peak < 1_000_000 * 4


def _ask(app, email):
    client = signed_in(app, email)
    token = csrf_from(client.get("/profile/data").text)
    wrong = client.post("/profile/deletion", data={"csrf_token": token, "password": "salah"})
    assert wrong.status_code == 400
    assert "Kata sandi salah" in wrong.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DeletionRequest)) == 0
    done = client.post("/profile/deletion", data={"csrf_token": token, "password": PASSWORD,
                                                  "reason": "Pindah tugas"})
    assert done.status_code == 302
    with app.app_context():
        return db.session.scalar(select(DeletionRequest.id))


def _coordinator(app, make_user):
    _, email = make_user(Role.COORDINATOR)
    client = signed_in(app, email)
    return client, csrf_from(client.get("/people/deletions").text)


def test_a_processed_request_anonymises_and_detaches_but_keeps_the_certificate(
        app, cohort_id, make_user):
    user_id, email = participant(app, cohort_id, make_user, full_name="Ayu Lestari",
                                 nip="198001012005012001")
    _forum_post(app, cohort_id, user_id)
    with app.app_context():
        [certificate] = certificates.issue_all(db.session.get(Cohort, cohort_id), None).issued
        db.session.commit()
        code = certificate.verification_code
    request_id = _ask(app, email)
    client, token = _coordinator(app, make_user)
    assert "Ayu Lestari" in client.get("/people/deletions").text
    response = client.post(f"/people/deletions/{request_id}/process",
                           data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.full_name == f"Pengguna terhapus {user_id}"
        assert (user.email, user.nip, user.is_active) == (
            f"deleted-{user_id}@deleted.invalid", None, False)
        attempt = db.session.scalar(select(Attempt))
        assert attempt.user_id != user_id  # the answers stay, detached from the person
        detached = db.session.get(User, attempt.user_id)
        assert detached.full_name == "Peserta terhapus"
        assert not detached.is_active
        assert db.session.scalar(select(CohortMember.user_id)) == detached.id
        assert db.session.scalar(select(Post.author_id)) is None
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.user_id == user_id, Certificate.status == "valid")) == 1
        assert db.session.get(DeletionRequest, request_id).status == "done"
    assert "Ayu Lestari" in app.test_client().get(f"/verify/{code}").text
    # The person can no longer sign in, with the old address or any other.
    again = app.test_client()
    token = csrf_from(again.get("/auth/login").text)
    again.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert again.get("/learning").status_code == 302
    assert actions(app, "privacy.deletion_requested", "privacy.deletion_processed") == [
        "privacy.deletion_requested", "privacy.deletion_processed"]


def test_an_instructor_still_teaching_is_refused_and_nothing_changes(app, cohort_id,
                                                                    make_user):
    user_id, email = make_user(Role.INSTRUCTOR, full_name="Bambang Pengajar")
    _forum_post(app, cohort_id, user_id)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        cohort.ends_on = date(2027, 1, 31)  # still running on 21 December 2026
        cohorts.assign_instructor(cohort, cohort.program.courses[0].course,
                                  db.session.get(User, user_id), None)
        db.session.commit()
    request_id = _ask(app, email)
    client, token = _coordinator(app, make_user)
    response = client.post(f"/people/deletions/{request_id}/process",
                           data={"csrf_token": token}, follow_redirects=True)
    assert "Bambang Pengajar masih mengajar di Angkatan I Tahun 2026" in response.text
    assert "Tidak ada yang diubah" in response.text
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.full_name, user.is_active) == ("Bambang Pengajar", True)
        assert db.session.scalar(select(Post.author_id)) == user_id
        assert db.session.get(DeletionRequest, request_id).status == "pending"
    assert actions(app, "privacy.deletion_processed") == []


def test_a_failure_half_way_leaves_nothing_half_deleted(app, cohort_id, make_user,
                                                        monkeypatch):
    user_id, email = participant(app, cohort_id, make_user, full_name="Citra Dewi")
    _forum_post(app, cohort_id, user_id)
    request_id = _ask(app, email)
    coordinator_id, _ = make_user(Role.COORDINATOR)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(deletion.audit, "record", broken)  # the very last step fails
    with app.app_context():
        found = db.session.get(DeletionRequest, request_id)
        with pytest.raises(RuntimeError):
            deletion.process(found, db.session.get(User, coordinator_id), date(2026, 12, 21))
        db.session.rollback()
        user = db.session.get(User, user_id)
        assert user.full_name == "Citra Dewi"
        assert db.session.scalar(select(Attempt.user_id)) == user_id
        assert db.session.scalar(select(Post.author_id)) == user_id
        assert db.session.scalar(select(CohortMember.user_id)) == user_id
        assert db.session.scalar(select(func.count()).select_from(User)) == 2
        assert db.session.get(DeletionRequest, request_id).status == "pending"


def test_refusing_needs_a_reason_and_is_shown_to_the_person(app, cohort_id, make_user):
    _, email = participant(app, cohort_id, make_user)
    request_id = _ask(app, email)
    client, token = _coordinator(app, make_user)
    empty = client.post(f"/people/deletions/{request_id}/refuse",
                        data={"csrf_token": token}, follow_redirects=True)
    assert "Tuliskan alasan" in empty.text
    client.post(f"/people/deletions/{request_id}/refuse",
                data={"csrf_token": token, "note": "Masih ada sertifikat yang diproses"})
    page = signed_in(app, email).get("/profile/data").text
    assert "Masih ada sertifikat yang diproses" in page


def test_purge_strips_old_certificates_of_deleted_accounts_and_old_audit(
        app, cohort_id, make_user, runner, freeze_clock):
    user_id, email = participant(app, cohort_id, make_user, full_name="Ayu Lestari")
    keeper_id, _ = participant(app, cohort_id, make_user, full_name="Budi Santoso")
    with app.app_context():
        issued = certificates.issue_all(db.session.get(Cohort, cohort_id), None).issued
        db.session.commit()
        codes = {c.user_id: c.verification_code for c in issued}
    request_id = _ask(app, email)
    client, token = _coordinator(app, make_user)
    client.post(f"/people/deletions/{request_id}/process", data={"csrf_token": token})
    nothing = runner.invoke(args=["privacy", "purge"])
    assert "0 audit entries, 0 application documents, 0 certificates" in nothing.output
    freeze_clock(datetime(2057, 1, 1, 3, 0))  # thirty years on
    app.config["RETENTION_AUDIT_DAYS"] = 365
    done = runner.invoke(args=["privacy", "purge"])
    assert done.exit_code == 0, done.output
    assert "1 certificates of deleted accounts purged" in done.output
    deleted = app.test_client().get(f"/verify/{codes[user_id]}").text
    assert "Ayu Lestari" not in deleted
    assert "data pemegang telah dihapus" in deleted
    assert "Budi Santoso" in app.test_client().get(f"/verify/{codes[keeper_id]}").text
    assert actions(app, "privacy.deletion_processed", "privacy.purge") == ["privacy.purge"]
