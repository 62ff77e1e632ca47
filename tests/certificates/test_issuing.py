"""Completion rules, numbering, issuing, revoking, reissuing, verification, CLI."""

import json
import re
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import documents, revisions, services
from lms.certificates.models import Certificate
from lms.certificates.settings import format_problem
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.courses.models import Module, ModuleProgress
from lms.extensions import db
from lms.quizzes import services as quizzes
from lms.quizzes.models import Quiz
from lms.quizzes.spec import Question
from tests.conftest import AuthActions, csrf_from

PROGRAM = """\
id: program-contoh
title: Diklat Contoh
courses:
  - satu
certificate:
  number_format: "{seq:03}/DIKLAT-CONTOH/{cohort_roman}/{year}"
  pass_mark: 60
  show_scores: true
  signatories:
    - name: Kepala Pusat Pendidikan dan Pelatihan
      title: Penanggung Jawab
"""
POSTTEST = """\
id: post
title: Post-test
kind: posttest
pass_mark: 90
questions:
  - id: a
    type: truefalse
    text: Benar?
    answer: true
  - id: b
    type: truefalse
    text: Salah?
    answer: false
"""


@pytest.fixture(autouse=True)
def _day_after_the_cohort(freeze_clock):
    """Numbers carry the issue year: the tests issue on 21 December 2026 (WIB), whatever
    the date the suite runs on."""
    freeze_clock(datetime(2026, 12, 21, 3, 0, tzinfo=UTC))


@pytest.fixture
def cohort_id(app, content_dir):
    from lms.content import load_tree, sync_tree
    from tests.conftest import write_course

    write_course(content_dir, "satu", 2, title="Kursus Satu")
    (content_dir / "satu" / "quizzes").mkdir()
    (content_dir / "satu" / "quizzes" / "post.yml").write_text(POSTTEST)
    (content_dir / "_programs").mkdir()
    (content_dir / "_programs" / "p.yml").write_text(PROGRAM)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        program = cohorts.programs()[0]
        cohort = cohorts.create_cohort(program, "angkatan-1", {
            "name": "Angkatan I Tahun 2026", "number": 1, "year": 2026,
            "starts_on": date(2026, 12, 1), "ends_on": date(2026, 12, 20), "capacity": 40,
            "enrollment_mode": "invitation"}, None)
        db.session.commit()
        return cohort.id


def participant(app, cohort_id, make_user, *, study=True, post=("true", "false"), **fields):
    user_id, email = make_user(**fields)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        user = db.session.get(User, user_id)
        cohorts.enroll_user(cohort, user, None)
        if study:
            for module in db.session.scalars(select(Module)):
                db.session.add(ModuleProgress(user_id=user_id, module_id=module.id,
                                              completed_at=db.func.now()))
        if post:
            quiz = db.session.scalar(select(Quiz))
            attempt = quizzes.start_attempt(quiz, user_id)
            answers = {}
            for item in attempt.items:
                question = Question.from_dict(item.version.data)
                answers[item.position] = post[0] if question.id == "a" else post[1]
            quizzes.submit_attempt(attempt, answers)
        db.session.commit()
    return user_id, email


def test_number_formats_are_checked():
    assert format_problem("{seq:03}/X/{year}") is None
    assert "unknown fields" in format_problem("{seq}/{nama}")
    assert "must contain {seq}" in format_problem("X/{year}")
    assert "unknown fields" in format_problem("{seq.__class__}")


def test_requirements_name_what_is_missing(app, cohort_id, make_user):
    lazy_id, _ = participant(app, cohort_id, make_user, study=False, post=("false", "false"))
    with app.app_context():
        requirements = services.requirements_of(db.session.get(Cohort, cohort_id), lazy_id)
    missing = {r.label: r.detail for r in requirements if not r.done}
    assert "Kursus Satu: every module done" in missing or any(
        "Kursus Satu" in label for label in missing)
    assert any("post-test" in label and "60" in label for label in missing)
    assert not services.is_complete(requirements)


def test_issue_numbers_in_sequence_and_refuses_the_incomplete(app, cohort_id, make_user):
    first, _ = participant(app, cohort_id, make_user)
    second, _ = participant(app, cohort_id, make_user)
    lazy, _ = participant(app, cohort_id, make_user, study=False)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        issued, held, incomplete, _revoked = services.issue_all(cohort, None,
                                                               today=date(2026, 12, 21))
        db.session.commit()
        assert [c.number for c in issued] == ["001/DIKLAT-CONTOH/I/2026",
                                              "002/DIKLAT-CONTOH/I/2026"]
        assert (held, incomplete) == (0, 1)
        with pytest.raises(services.CertificateError, match="belum menyelesaikan"):
            services.issue(cohort, db.session.get(User, lazy), None)
        with pytest.raises(services.CertificateError, match="sudah memiliki"):
            services.issue(cohort, db.session.get(User, first), None)
        certificate = issued[0]
        assert len(certificate.verification_code) >= 32  # 192 random bits, base64
        assert certificate.data["total_jp"] == 4
        assert certificate.data["courses"] == [{"title": "Kursus Satu", "hours_jp": 4,
                                                "score": 100.0}]
    assert second


def test_post_test_below_the_program_mark_is_not_complete(app, cohort_id, make_user):
    half, _ = participant(app, cohort_id, make_user, post=("true", "true"))  # 50 < 60
    with app.app_context():
        requirements = services.requirements_of(db.session.get(Cohort, cohort_id), half)
    assert not services.is_complete(requirements)


def test_revoked_numbers_are_never_reused(app, cohort_id, make_user):
    participant(app, cohort_id, make_user)
    later, _ = participant(app, cohort_id, make_user)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        first = services.issue_all(cohort, None)[0][0]
        with pytest.raises(services.CertificateError, match="alasan"):
            revisions.revoke(first, "  ", None)
        revisions.revoke(first, "Data peserta keliru", None)
        db.session.commit()
        assert first.status == "revoked"
        again = services.recertify(cohort, db.session.get(User, first.user_id),
                                   "Data sudah diperbaiki", None)
        assert again.sequence == 3
    assert later


def test_concurrent_issuing_gives_no_gap_and_no_duplicate(app, cohort_id, make_user):
    ids = [participant(app, cohort_id, make_user)[0] for _ in range(6)]
    barrier = threading.Barrier(3)
    errors = []

    def issue_some(user_ids):
        barrier.wait()
        for user_id in user_ids:
            with app.app_context():
                try:
                    cohort = db.session.get(Cohort, cohort_id)
                    services.issue(cohort, db.session.get(User, user_id), None)
                    db.session.commit()
                except Exception as exc:  # noqa: BLE001 - reported below
                    errors.append(exc)
                finally:
                    db.session.remove()

    threads = [threading.Thread(target=issue_some, args=(ids[i::3],)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        sequences = sorted(db.session.scalars(select(Certificate.sequence)))
    assert sequences == [1, 2, 3, 4, 5, 6]


def test_two_coordinators_issuing_one_person_at_once_give_one_certificate(
        app, cohort_id, make_user):
    """Both requests pass the "already holds one?" check before either commits; the
    database's partial unique index lets one row in, the other is told, and the number the
    loser took is given back (no gap)."""
    user_id, _ = participant(app, cohort_id, make_user)
    for again in (False, True, True):  # then twice after a revocation (re-certify)
        barrier = threading.Barrier(2)
        outcomes = []

        def issue_once(barrier=barrier, outcomes=outcomes, again=again):
            # Both start together; on SQLite the second waits for the first's write lock
            # (and then sees its certificate), on PostgreSQL the unique index decides.
            barrier.wait(timeout=60)
            with app.app_context():
                try:
                    cohort = db.session.get(Cohort, cohort_id)
                    user = db.session.get(User, user_id)
                    services.issue(cohort, user, None, after_revocation=again)
                    db.session.commit()
                    outcomes.append("issued")
                except services.CertificateError as exc:
                    db.session.rollback()
                    outcomes.append(exc.code)
                except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                    outcomes.append(repr(exc))
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=issue_once) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["exists", "issued"]
        with app.app_context():
            valid = list(db.session.scalars(select(Certificate).where(
                Certificate.user_id == user_id, Certificate.status == "valid")))
            assert len(valid) == 1
            revisions.revoke(valid[0], "Uji ulang penerbitan", None)
            db.session.commit()
    with app.app_context():
        sequences = sorted(db.session.scalars(select(Certificate.sequence)))
    assert sequences == [1, 2, 3]


def test_the_database_refuses_a_second_valid_certificate(app, cohort_id, make_user):
    from sqlalchemy.exc import IntegrityError

    participant(app, cohort_id, make_user)
    with app.app_context():
        first = services.issue_all(db.session.get(Cohort, cohort_id), None)[0][0]
        db.session.commit()
        twin = Certificate(
            number="999/X", scope="x", sequence=999, verification_code="x" * 40,
            program_id=first.program_id, cohort_id=first.cohort_id, user_id=first.user_id,
            holder_name=first.holder_name, data={})
        db.session.add(twin)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        twin = Certificate(
            number="999/X", scope="x", sequence=999, verification_code="x" * 40,
            program_id=first.program_id, cohort_id=first.cohort_id, user_id=first.user_id,
            holder_name=first.holder_name, data={}, status="revoked")
        db.session.add(twin)
        db.session.flush()  # a revoked one beside the valid one is allowed


def test_reissue_after_a_name_correction(app, cohort_id, make_user):
    user_id, _ = participant(app, cohort_id, make_user, full_name="Sri Rahayu")
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        old = services.issue_all(cohort, None)[0][0]
        db.session.get(User, user_id).full_name = "Dra. Sri Rahayu, M.Hum."
        new = revisions.reissue(old, None)
        db.session.commit()
        assert old.status == "superseded"
        assert old.superseded_by_id == new.id
        assert new.holder_name == "Dra. Sri Rahayu, M.Hum."
        assert new.number != old.number


def test_cli_issue_list_verify(app, runner, cohort_id, make_user):
    participant(app, cohort_id, make_user)
    result = runner.invoke(args=["certificates", "issue", "--cohort", "angkatan-1"])
    assert result.exit_code == 0, result.output
    assert "1 issued, 0 already held one, 0 not complete" in result.output
    listed = json.loads(runner.invoke(args=["certificates", "list", "--cohort", "angkatan-1",
                                            "--json"]).output)
    assert listed[0]["number"] == "001/DIKLAT-CONTOH/I/2026"
    assert listed[0]["status"] == "valid"
    code = listed[0]["verification_code"]
    verified = runner.invoke(args=["certificates", "verify", code])
    assert verified.exit_code == 0
    assert "status:   valid" in verified.output
    unknown = runner.invoke(args=["certificates", "verify", "x" * 32])
    assert unknown.exit_code == 1
    assert "unknown" in unknown.output


def test_coordinator_pages_and_participant_view(app, cohort_id, make_user):
    done_id, done_email = participant(app, cohort_id, make_user)
    lazy_id, lazy_email = participant(app, cohort_id, make_user, study=False)
    coordinator_id, coordinator_email = make_user(role="coordinator")
    staff = app.test_client()
    AuthActions(staff).login(coordinator_email)
    page = staff.get("/manage/cohorts/angkatan-1/certificates")
    assert page.status_code == 200
    assert "1 syarat belum terpenuhi" in page.text
    staff.post("/manage/cohorts/angkatan-1/certificates/issue",
               data={"csrf_token": csrf_from(page.text)})
    page = staff.get("/manage/cohorts/angkatan-1/certificates")
    assert "001/DIKLAT-CONTOH/I/2026" in page.text
    forced = staff.post("/manage/cohorts/angkatan-1/certificates/issue", data={
        "csrf_token": csrf_from(page.text), "user_id": str(lazy_id)}, follow_redirects=True)
    assert "belum menyelesaikan" in forced.text
    learner = app.test_client()
    AuthActions(learner).login(lazy_email)
    mine = learner.get("/certificates").text
    assert "Yang masih diperlukan untuk sertifikat" in mine
    assert "Kursus Satu" in mine
    outsider = app.test_client()
    AuthActions(outsider).login(lazy_email)
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
    assert outsider.get(f"/certificates/{certificate.id}.pdf").status_code == 404
    assert outsider.get("/manage/cohorts/angkatan-1/certificates").status_code == 403
    assert done_id
    assert coordinator_id
    assert re.match(r"^[A-Za-z0-9_-]{32}$", certificate.verification_code)


def test_pdf_download_verify_page_and_badge(app, cohort_id, make_user):
    import hashlib

    user_id, email = participant(app, cohort_id, make_user,
                                 full_name='<img src="http://169.254.169.254/">')
    with app.app_context():
        certificate = services.issue_all(db.session.get(Cohort, cohort_id), None)[0][0]
        db.session.commit()
        certificate_id, code = certificate.id, certificate.verification_code
    holder = app.test_client()
    AuthActions(holder).login(email)
    mine = holder.get("/certificates").text
    assert "001/DIKLAT-CONTOH/I/2026" in mine
    assert f"/verify/{code}" in mine
    response = holder.get(f"/certificates/{certificate_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    digest = hashlib.sha256(response.data).hexdigest()
    # Kept by content hash: the second download is the same file.
    stored = holder.get(f"/certificates/{certificate_id}.pdf")
    assert stored.data == response.data
    # From local storage: a repeat with the ETag is 304, a resumed download gets its range.
    assert stored.headers["ETag"]
    assert stored.headers["Accept-Ranges"] == "bytes"
    assert stored.headers["Content-Disposition"] == (
        'attachment; filename="sertifikat-001-DIKLAT-CONTOH-I-2026.pdf"')
    again = holder.get(f"/certificates/{certificate_id}.pdf",
                       headers={"If-None-Match": stored.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    again.close()
    part = holder.get(f"/certificates/{certificate_id}.pdf", headers={"Range": "bytes=0-3"})
    assert part.status_code == 206
    assert part.data == b"%PDF"

    public = app.test_client()
    page = public.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "Berlaku" in page.text
    assert digest in page.text
    assert "&lt;img src=" in page.text
    assert public.get("/verify/" + "A" * 32).status_code == 404

    badge = holder.get(f"/certificates/{certificate_id}/badge.json")
    credential = json.loads(badge.data)
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["name"] == "Diklat Contoh"

    with app.app_context():
        revisions.revoke(db.session.get(Certificate, certificate_id), "Salah data", None)
        db.session.commit()
    revoked = public.get(f"/verify/{code}").text
    assert "Dicabut pada" in revoked
    assert "Salah data" in revoked


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True, "VERIFY_RATE_LIMIT": "3 per minute"}],
                         indirect=True)
def test_verification_is_rate_limited(app, client):
    codes = [client.get("/verify/" + "B" * 32).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]


def test_program_template_override_from_instance(app, cohort_id, make_user, content_dir):
    import subprocess
    from pathlib import Path
    from shutil import which

    from lms.content import load_tree, sync_tree

    participant(app, cohort_id, make_user)
    folder = Path(app.instance_path) / "certificates" / "templates"
    folder.mkdir(parents=True)
    (folder / "khusus.html").write_text(
        '{% extends "certificates/pdf.html" %}{% block transcript %}'
        "<p>TRANSKRIP KHUSUS {{ number }}</p>{% endblock %}")
    program = content_dir / "_programs" / "p.yml"
    program.write_text(program.read_text() + "  template: khusus.html\n")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        certificate = services.issue_all(db.session.get(Cohort, cohort_id), None)[0][0]
        pdf = documents.pdf_of(certificate)
        db.session.commit()
    assert pdf.startswith(b"%PDF")
    tool = which("pdftotext")
    if tool:
        path = Path(app.instance_path) / "c.pdf"
        path.write_bytes(pdf)
        text = subprocess.run([tool, str(path), "-"],  # noqa: S603 - our own file
                              capture_output=True, text=True, check=True).stdout
        assert "TRANSKRIP KHUSUS 001/DIKLAT-CONTOH/I/" in text


def test_codes_never_start_with_a_dash_and_the_cli_reads_old_ones_that_do(app, runner, cohort_id,
                                                                           make_user):
    """A code from token_urlsafe starts with "-" once in 64: click took it for an option."""
    assert all(services.new_verification_code()[0].isalnum() for _ in range(2000))
    participant(app, cohort_id, make_user)
    assert runner.invoke(args=["certificates", "issue", "--cohort", "angkatan-1"]).exit_code == 0
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        certificate.verification_code = "-" + certificate.verification_code[1:]
        db.session.commit()
        code = certificate.verification_code
    verified = runner.invoke(args=["certificates", "verify", code])
    assert verified.exit_code == 0, verified.output
    assert "valid" in verified.output
