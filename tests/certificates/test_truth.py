"""Certificates keep their own truth: revocations hold, reissues reuse what was decided,
revoked documents say so, the printed date is the recorded one."""

import json
import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.certificates import documents, revisions, services
from lms.certificates.models import Certificate, CertificateCounter
from lms.cohorts.models import Cohort
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.certificates import test_issuing
from tests.certificates.test_issuing import participant
from tests.conftest import AuthActions, csrf_from

cohort_id = test_issuing.cohort_id  # the fixture: one course with a post-test, one cohort


def pdf_text(pdf: bytes, tmp_path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not found: install poppler-utils")
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"],  # noqa: S603 - our file
                         capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def signed_in(app, email):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def audit_count(app, action):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == action))


def test_bulk_issue_skips_a_revoked_person_and_says_so(app, cohort_id, make_user):
    revoked_id, _ = participant(app, cohort_id, make_user, full_name="Ani Dicabut")
    participant(app, cohort_id, make_user, full_name="Budi Lulus")
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        first = services.issue(cohort, db.session.get(User, revoked_id), None)
        revisions.revoke(first, "Plagiarisme tugas akhir", None)
        db.session.commit()
    _, coordinator_email = make_user(role="coordinator")
    staff = signed_in(app, coordinator_email)
    page = staff.get("/manage/cohorts/angkatan-1/certificates")
    done = staff.post("/manage/cohorts/angkatan-1/certificates/issue",
                      data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert "1 diterbitkan" in done.text
    assert "1 dilewati: sertifikat dicabut" in done.text
    with app.app_context():
        mine = list(db.session.scalars(select(Certificate.status).where(
            Certificate.user_id == revoked_id)))
        assert mine == ["revoked"]  # no new valid certificate for the revoked person
        # Issuing that person one by one is refused too, naming the way out.
        with pytest.raises(services.CertificateError, match="Sertifikasi ulang"):
            services.issue(db.session.get(Cohort, cohort_id), db.session.get(User, revoked_id),
                           None)
    one = staff.post("/manage/cohorts/angkatan-1/certificates/issue", data={
        "csrf_token": csrf_from(page.text), "user_id": str(revoked_id)}, follow_redirects=True)
    assert "telah dicabut" in one.text
    assert "Sertifikasi ulang Ani Dicabut" in one.text  # the explicit way is offered


def test_recertifying_is_explicit_and_audited(app, cohort_id, make_user):
    user_id, email = participant(app, cohort_id, make_user, full_name="Ani Dicabut")
    with app.app_context():
        first = services.issue(db.session.get(Cohort, cohort_id), db.session.get(User, user_id),
                               None)
        revisions.revoke(first, "Data keliru", None)
        db.session.commit()
    _, coordinator_email = make_user(role="coordinator")
    staff = signed_in(app, coordinator_email)
    token = csrf_from(staff.get("/manage/cohorts/angkatan-1/certificates").text)
    empty = staff.post("/manage/cohorts/angkatan-1/certificates/recertify", data={
        "csrf_token": token, "user_id": str(user_id), "reason": "  "}, follow_redirects=True)
    assert "Tuliskan alasan menyertifikasi ulang Ani Dicabut" in empty.text
    assert audit_count(app, "certificate.recertify") == 0
    done = staff.post("/manage/cohorts/angkatan-1/certificates/recertify", data={
        "csrf_token": token, "user_id": str(user_id),
        "reason": "Banding diterima oleh panitia"}, follow_redirects=True)
    assert "002/DIKLAT-CONTOH/I/" in done.text
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "certificate.recertify"))
        assert entry.changes["reason"] == "Banding diterima oleh panitia"
        assert entry.changes["revoked"] == [first.number]
        statuses = sorted(db.session.scalars(select(Certificate.status)))
        assert statuses == ["revoked", "valid"]
    outsider = signed_in(app, email)
    refused = outsider.post("/manage/cohorts/angkatan-1/certificates/recertify", data={
        "csrf_token": token, "user_id": str(user_id), "reason": "saya sendiri"})
    assert refused.status_code in (400, 403)


def test_issue_records_the_completion_it_was_decided_on(app, cohort_id, make_user):
    user_id, _ = participant(app, cohort_id, make_user)
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        db.session.commit()
        completion = certificate.completion
    assert completion["total_jp"] == 4
    [course] = completion["courses"]
    assert course["id"] == "satu"
    assert course["hours_jp"] == 4
    assert [(i["kind"], i["id"], i["result"]) for i in course["items"]] == [
        ("module", "satu-m1", "done"), ("module", "satu-m2", "done"), ("quiz", "post", 100.0)]
    assert all(r["done"] for r in completion["requirements"])
    assert completion["rules"]["pass_mark"] == 60


def test_reissue_after_a_later_content_change_reuses_the_snapshot(app, cohort_id, make_user,
                                                                   content_dir):
    from tests.conftest import write_course

    user_id, email = participant(app, cohort_id, make_user, full_name="Sri Rahayu")
    with app.app_context():
        old = services.issue(db.session.get(Cohort, cohort_id), db.session.get(User, user_id),
                             None)
        db.session.commit()
        old_id, old_data, old_completion = old.id, dict(old.data), old.completion
    # After the cohort ended, the author adds a module the graduate never studied.
    write_course(content_dir, "satu", 3, title="Kursus Satu")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        requirements = services.requirements_of(db.session.get(Cohort, cohort_id), user_id)
        assert not services.is_complete(requirements)  # today's content says incomplete
        new = revisions.reissue_for_name_correction(
            db.session.get(Certificate, old_id), "Dra. Sri Rahayu, M.Hum.", None)
        db.session.commit()
        assert new.holder_name == "Dra. Sri Rahayu, M.Hum."
        assert new.data["holder_name"] == "Dra. Sri Rahayu, M.Hum."
        assert new.data["courses"] == old_data["courses"]
        assert new.data["total_jp"] == old_data["total_jp"]
        assert new.completion == old_completion
        assert new.number != old_data["number"]
        assert db.session.get(Certificate, old_id).status == "superseded"
        assert db.session.get(Certificate, old_id).superseded_by_id == new.id
        # The account is the caller's business: the correction only prints the new name.
        assert db.session.get(User, user_id).full_name == "Sri Rahayu"
        with pytest.raises(services.CertificateError, match="kosong"):
            revisions.reissue_for_name_correction(new, "   ", None)
        with pytest.raises(services.CertificateError, match="200"):
            revisions.reissue_for_name_correction(new, "A" * 201, None)
        assert new.status == "valid"


def test_reissue_from_the_coordinator_page_after_a_content_change(app, cohort_id, make_user,
                                                                   content_dir):
    from tests.conftest import write_course

    user_id, _ = participant(app, cohort_id, make_user, full_name="Sri Rahayu")
    with app.app_context():
        old = services.issue(db.session.get(Cohort, cohort_id), db.session.get(User, user_id),
                             None)
        db.session.get(User, user_id).full_name = "Sri Rahayu, S.Hum."
        db.session.commit()
        old_id = old.id
    write_course(content_dir, "satu", 3, title="Kursus Satu")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
    _, coordinator_email = make_user(role="coordinator")
    staff = signed_in(app, coordinator_email)
    page = staff.get("/manage/cohorts/angkatan-1/certificates")
    done = staff.post(f"/manage/certificates/{old_id}/reissue",
                      data={"csrf_token": csrf_from(page.text)}, follow_redirects=True)
    assert "belum menyelesaikan" not in done.text
    assert "diganti dengan 002/DIKLAT-CONTOH/I/" in done.text
    with app.app_context():
        valid = db.session.scalar(select(Certificate).where(Certificate.status == "valid"))
        assert valid.holder_name == "Sri Rahayu, S.Hum."


def test_revoking_twice_and_reissuing_a_revoked_one_change_nothing(app, cohort_id, make_user):
    user_id, _ = participant(app, cohort_id, make_user)
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        revisions.revoke(certificate, "Alasan pertama", None)
        db.session.commit()
        certificate_id = certificate.id
        revoked_at = certificate.revoked_at
        counter = db.session.scalar(select(CertificateCounter.next_value))
    _, coordinator_email = make_user(role="coordinator")
    staff = signed_in(app, coordinator_email)
    token = csrf_from(staff.get("/manage/cohorts/angkatan-1/certificates").text)
    twice = staff.post(f"/manage/certificates/{certificate_id}/revoke",
                       data={"csrf_token": token, "reason": "Alasan kedua"},
                       follow_redirects=True)
    assert "sudah dicabut pada" in twice.text
    assert "tidak ada yang diubah" in twice.text
    again = staff.post(f"/manage/certificates/{certificate_id}/reissue",
                       data={"csrf_token": token}, follow_redirects=True)
    assert "tidak dapat diterbitkan ulang" in again.text
    assert "Sertifikasi ulang" in again.text
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.status == "revoked"
        assert certificate.revoked_reason == "Alasan pertama"
        assert certificate.revoked_at == revoked_at
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
        assert db.session.scalar(select(CertificateCounter.next_value)) == counter
    assert audit_count(app, "certificate.revoke") == 1
    assert audit_count(app, "certificate.reissue") == 0


def test_a_replaced_certificate_is_not_revoked_or_reissued_again(app, cohort_id, make_user):
    user_id, _ = participant(app, cohort_id, make_user)
    with app.app_context():
        old = services.issue(db.session.get(Cohort, cohort_id), db.session.get(User, user_id),
                             None)
        new = revisions.reissue(old, None)
        db.session.commit()
        with pytest.raises(services.CertificateError, match=re.escape(new.number)):
            revisions.revoke(old, "salah sasaran", None)
        with pytest.raises(services.CertificateError, match=re.escape(new.number)):
            revisions.reissue(old, None)
        assert old.status == "superseded"
        assert new.status == "valid"


def test_a_revoked_certificate_downloads_marked_and_gets_no_badge(app, cohort_id, make_user,
                                                                   tmp_path):
    user_id, email = participant(app, cohort_id, make_user)
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        db.session.commit()
        certificate_id, code = certificate.id, certificate.verification_code
    holder = signed_in(app, email)
    clean = holder.get(f"/certificates/{certificate_id}.pdf").data
    assert "DICABUT" not in pdf_text(clean, tmp_path)
    assert holder.get(f"/certificates/{certificate_id}/badge.json").status_code == 200
    with app.app_context():
        issued_hash = db.session.get(Certificate, certificate_id).pdf_sha256
        revisions.revoke(db.session.get(Certificate, certificate_id), "Plagiarisme", None)
        db.session.commit()
    marked = holder.get(f"/certificates/{certificate_id}.pdf")
    assert marked.status_code == 200
    text = pdf_text(marked.data, tmp_path)
    assert text.count("DICABUT") >= 2  # across the certificate and the transcript
    assert "dicabut pada" in text.lower()
    assert "plagiarisme" in text.lower()
    assert marked.data != clean
    badge = holder.get(f"/certificates/{certificate_id}/badge.json")
    assert badge.status_code == 410
    assert badge.mimetype == "text/html"
    assert "dicabut" in badge.text
    assert "Plagiarisme" in badge.text
    # The verification page still shows the fingerprint of the PDF as issued.
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).pdf_sha256 == issued_hash
    assert issued_hash in app.test_client().get(f"/verify/{code}").text
    mine = holder.get("/certificates").text
    assert "Sertifikat Anda 001/DIKLAT-CONTOH/I/" in mine
    assert "Plagiarisme" in mine
    assert "Yang masih diperlukan untuk sertifikat" not in mine


def test_a_certificate_revoked_before_its_first_download_keeps_a_clean_fingerprint(
        app, cohort_id, make_user, tmp_path):
    user_id, email = participant(app, cohort_id, make_user)
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        revisions.revoke(certificate, "Salah orang", None)
        db.session.commit()
        certificate_id, code = certificate.id, certificate.verification_code
    page = app.test_client().get(f"/verify/{code}")
    assert "Dicabut pada" in page.text
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        issued = documents.issued_pdf(certificate)
        assert "DICABUT" not in pdf_text(issued, tmp_path)
        assert certificate.pdf_sha256 in page.text


def test_the_printed_date_is_the_recorded_issue_date(app, cohort_id, make_user, tmp_path):
    user_id, email = participant(app, cohort_id, make_user)
    with app.app_context():
        [certificate] = services.issue_all(db.session.get(Cohort, cohort_id), None,
                                           today=date(2026, 10, 2)).issued
        db.session.commit()
        certificate_id = certificate.id
        assert certificate.data["issued_on"] == "2026-10-02"
    holder = signed_in(app, email)
    assert "diterbitkan 2 Oktober 2026" in holder.get("/certificates").text
    text = pdf_text(holder.get(f"/certificates/{certificate_id}.pdf").data, tmp_path)
    assert "Jakarta, 2 Oktober 2026" in text
    verify = app.test_client().get(f"/verify/{certificate.verification_code}").text
    assert "2 Oktober 2026" in verify


def test_the_issue_date_is_the_date_in_jakarta(app, cohort_id, make_user, monkeypatch):
    user_id, email = participant(app, cohort_id, make_user)
    # 1 March, 18.30 UTC is already 2 March, 01.30 WIB (and neither is the server's today).
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2026, 3, 1, 18, 30))
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        db.session.commit()
        assert certificate.issued_at == datetime(2026, 3, 1, 18, 30)
        assert certificate.data["issued_on"] == "2026-03-02"
    assert "diterbitkan 2 Maret 2026" in signed_in(app, email).get("/certificates").text


def test_the_checklist_lists_the_pre_test_first_and_the_post_test_last(app, cohort_id,
                                                                       make_user, content_dir):
    pretest = (content_dir / "satu" / "quizzes" / "post.yml").read_text() \
        .replace("id: post", "id: pre").replace("title: Post-test", "title: Pre-test") \
        .replace("kind: posttest", "kind: pretest")
    (content_dir / "satu" / "quizzes" / "pre.yml").write_text(pretest)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
    _, email = participant(app, cohort_id, make_user, study=False, post=None)
    page = signed_in(app, email).get("/certificates").text
    pre = page.index("Kursus Satu: pre-test sudah dikerjakan")
    modules = page.index("Kursus Satu: semua modul selesai")
    post = page.index("Kursus Satu: post-test lulus")
    assert pre < modules < post


def test_the_cli_counts_revoked_people_and_recertifies(app, runner, cohort_id, make_user):
    user_id, email = participant(app, cohort_id, make_user)
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, user_id), None)
        revisions.revoke(certificate, "Data keliru", None)
        db.session.commit()
    result = runner.invoke(args=["certificates", "issue", "--cohort", "angkatan-1"])
    assert "0 issued, 0 already held one, 0 not complete, 1 skipped" in result.output
    result = runner.invoke(args=["certificates", "recertify", "--cohort", "angkatan-1",
                                 "--user", email, "--reason", "Data sudah benar"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(args=["certificates", "list", "--json"]).output)
    assert sorted(c["status"] for c in listed) == ["revoked", "valid"]
