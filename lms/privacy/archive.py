""""Download my data": a ZIP of everything the site holds about one person.

JSON files (one per kind of record) and the original files they uploaded. Written
straight into the archive row by row: every list is read from the database in batches
and each row is written as soon as it is read, so a person with 10,000 forum posts never
becomes one 10,000-item structure in memory. The archive itself goes to a temporary
file, not to memory, and is streamed from there.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, or_, select

from lms.assignments.models import Assignment, Submission, SubmissionFile
from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, CohortMember
from lms.courses.models import Course, Module, ModuleProgress
from lms.evaluations.models import EvaluationSubmission
from lms.extensions import db
from lms.forums.models import Post, Thread
from lms.live.models import Attendance, LiveSession
from lms.people.models import NameCorrection
from lms.privacy.models import DeletionRequest, PrivacyConsent
from lms.quizzes.models import Attempt, AttemptItem, QuestionVersion, Quiz

BATCH = 500
CHUNK = 64 * 1024
README = """\
Data pribadi Anda di {site} (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)
Dibuat pada {made} UTC.

profile.json            akun dan profil, persetujuan pemberitahuan privasi, permintaan penghapusan
applications.json       pendaftaran ke angkatan (isian dan dokumen)
attempts.json           percobaan kuis, dengan setiap jawaban dan nilainya
submissions.json        pengumpulan tugas; berkasnya di files/submissions/
module-progress.json    modul yang dibuka dan diselesaikan
forum-threads.json      topik forum yang Anda buat
forum-posts.json        tulisan Anda di forum
attendance.json         kehadiran pada sesi daring
evaluations.json        angkatan yang evaluasinya telah Anda isi. Jawaban evaluasi sendiri
                        disimpan tanpa nama sejak awal, sehingga tidak dapat dikaitkan
                        kembali kepada Anda dan tidak ada di sini.
certificates.json       sertifikat, dengan data yang dicetak dan dasar keputusannya
name-corrections.json   permintaan koreksi nama
notifications.json      notifikasi yang Anda terima
messages.json           pesan dan balasan yang Anda kirim kepada angkatan
audit.json              catatan audit tentang akun Anda dan yang Anda lakukan
"""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(query: Select) -> Iterator:
    """The query's rows in batches (a server-side cursor on PostgreSQL)."""
    yield from db.session.execute(query.execution_options(yield_per=BATCH))


def _write_list(archive: zipfile.ZipFile, name: str, items: Iterable[dict]) -> int:
    """A JSON array written item by item; returns how many were written."""
    count = 0
    with archive.open(name, "w", force_zip64=True) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write("[")
        for item in items:
            out.write(",\n" if count else "\n")
            out.write(json.dumps({k: _plain(v) for k, v in item.items()}, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return count


def _profile(user: User) -> dict:
    consents = [{"notice_version": c.notice_version, "consented_at": _plain(c.consented_at)}
                for c in db.session.scalars(select(PrivacyConsent).where(
                    PrivacyConsent.user_id == user.id).order_by(PrivacyConsent.id))]
    requests = [{"status": r.status, "reason": r.reason, "created_at": _plain(r.created_at),
                 "decided_at": _plain(r.decided_at), "decision_note": r.decision_note}
                for r in db.session.scalars(select(DeletionRequest).where(
                    DeletionRequest.user_id == user.id).order_by(DeletionRequest.id))]
    return {"email": user.email, "full_name": user.full_name,
            "academic_title": user.academic_title, "nip": user.nip,
            "institution": user.institution, "position": user.position, "role": user.role,
            "locale": user.locale, "announcement_mails": user.announcement_mails,
            "created_at": _plain(user.created_at), "last_login_at": _plain(user.last_login_at),
            "privacy_consents": consents, "deletion_requests": requests}


def _applications(user_id: int) -> Iterator[dict]:
    from lms.applications.services import application_items

    for member, cohort in _rows(select(CohortMember, Cohort).join(
            Cohort, Cohort.id == CohortMember.cohort_id).where(CohortMember.user_id == user_id)
            .order_by(CohortMember.id)):
        yield {"cohort": cohort.code, "cohort_name": cohort.name, "status": member.status,
               "source": member.source, "motivation": member.motivation,
               "statement": member.statement, "institution": member.institution,
               "position": member.position, "applied_at": member.applied_at,
               "decided_at": member.decided_at, **application_items(member)}


def _text(html: str) -> str:
    """A question's words without their markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _attempts(user_id: int) -> Iterator[dict]:
    for attempt, quiz, course in _rows(
            select(Attempt, Quiz, Course).join(Quiz, Quiz.id == Attempt.quiz_id)
            .join(Course, Course.id == Quiz.course_id).where(Attempt.user_id == user_id)
            .order_by(Attempt.id)):
        answers = [{"position": item.position, "question_id": version.question_slug,
                    "question": _text((version.data or {}).get("text_html") or ""),
                    "response": item.response, "points": item.points,
                    "grader_comment": item.grader_comment}
                   for item, version in db.session.execute(
                       select(AttemptItem, QuestionVersion)
                       .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
                       .where(AttemptItem.attempt_id == attempt.id).order_by(AttemptItem.position))]
        yield {"course": course.slug, "quiz": quiz.slug, "quiz_title": quiz.title,
               "number": attempt.number, "started_at": attempt.started_at,
               "finished_at": attempt.finished_at, "percent": attempt.percent,
               "answers": answers}
        db.session.expunge(attempt)


def _submissions(user_id: int, files: list[tuple[str, str]]) -> Iterator[dict]:
    for submission, assignment in _rows(
            select(Submission, Assignment)
            .join(Assignment, Assignment.id == Submission.assignment_id)
            .where(Submission.user_id == user_id).order_by(Submission.id)):
        names = []
        for item in db.session.scalars(select(SubmissionFile).where(
                SubmissionFile.submission_id == submission.id).order_by(SubmissionFile.id)):
            name = f"files/submissions/{submission.id}-{item.id}-{Path(item.original_name).name}"
            files.append((name, item.stored_name))
            names.append(name)
        yield {"assignment": assignment.slug, "title": assignment.title,
               "number": submission.number, "submitted_at": submission.submitted_at,
               "text": submission.text, "status": submission.status, "score": submission.score,
               "comment": submission.comment, "files": names}


def _simple(query: Select, fields: Iterable[str]) -> Iterator[dict]:
    names = list(fields)
    for row in _rows(query):
        yield dict(zip(names, row, strict=True))


def _copy(archive: zipfile.ZipFile, name: str, stream: IO[bytes] | None) -> None:
    """An original file into the archive, in chunks; nothing for a file that is gone."""
    if stream is None:
        return
    with stream, archive.open(name, "w", force_zip64=True) as out:
        shutil.copyfileobj(stream, out, CHUNK)


def write_archive(user: User, out: IO[bytes], *, site: str, made: datetime
                  ) -> dict[str, int]:
    """Write the person's archive to `out`; returns how many records of each kind."""
    from lms.applications import storage
    from lms.applications.services import application_files

    uid = user.id
    counts: dict[str, int] = {}
    files: list[tuple[str, str]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(site=site, made=made.isoformat()))
        archive.writestr("profile.json", json.dumps(_profile(user), ensure_ascii=False,
                                                    indent=1))
        counts["applications"] = _write_list(archive, "applications.json",
                                             _applications(uid))
        counts["attempts"] = _write_list(archive, "attempts.json", _attempts(uid))
        counts["submissions"] = _write_list(archive, "submissions.json",
                                            _submissions(uid, files))
        counts["module_progress"] = _write_list(archive, "module-progress.json", _simple(
            select(Module.slug, ModuleProgress.last_viewed_at, ModuleProgress.completed_at)
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(ModuleProgress.user_id == uid).order_by(ModuleProgress.id),
            ("module", "last_viewed_at", "completed_at")))
        counts["forum_threads"] = _write_list(archive, "forum-threads.json", _simple(
            select(Thread.id, Thread.title, Thread.created_at).where(Thread.author_id == uid)
            .order_by(Thread.id), ("id", "title", "created_at")))
        counts["forum_posts"] = _write_list(archive, "forum-posts.json", _simple(
            select(Post.id, Post.thread_id, Post.created_at, Post.edited_at, Post.hidden,
                   Post.body_markdown).where(Post.author_id == uid).order_by(Post.id),
            ("id", "thread_id", "created_at", "edited_at", "hidden", "text")))
        counts["attendance"] = _write_list(archive, "attendance.json", _simple(
            select(LiveSession.topic, LiveSession.starts_at, Attendance.status,
                   Attendance.checked_in_at).join(LiveSession,
                                                  LiveSession.id == Attendance.session_id)
            .where(Attendance.user_id == uid).order_by(Attendance.id),
            ("session", "starts_at", "status", "checked_in_at")))
        counts["evaluations"] = _write_list(archive, "evaluations.json", _simple(
            select(Cohort.code, EvaluationSubmission.submitted_at)
            .join(Cohort, Cohort.id == EvaluationSubmission.cohort_id)
            .where(EvaluationSubmission.user_id == uid).order_by(EvaluationSubmission.id),
            ("cohort", "submitted_at")))
        counts["certificates"] = _write_list(archive, "certificates.json", (
            {"number": c.number, "status": c.status, "issued_at": c.issued_at,
             "printed": c.data, "completion": c.completion}
            for (c,) in _rows(select(Certificate).where(Certificate.user_id == uid)
                              .order_by(Certificate.id))))
        counts["name_corrections"] = _write_list(archive, "name-corrections.json", _simple(
            select(NameCorrection.current_name, NameCorrection.requested_name,
                   NameCorrection.reason, NameCorrection.status, NameCorrection.created_at,
                   NameCorrection.decision_note).where(NameCorrection.user_id == uid)
            .order_by(NameCorrection.id),
            ("current_name", "requested_name", "reason", "status", "created_at",
             "decision_note")))
        from lms.notifications.models import CohortMessage, Notification

        counts["notifications"] = _write_list(archive, "notifications.json", _simple(
            select(Notification.created_at, Notification.kind, Notification.title,
                   Notification.body, Notification.read_at)
            .where(Notification.user_id == uid).order_by(Notification.id),
            ("created_at", "kind", "title", "text", "read_at")))
        counts["messages"] = _write_list(archive, "messages.json", _simple(
            select(CohortMessage.created_at, Cohort.code, CohortMessage.subject,
                   CohortMessage.body).join(Cohort, Cohort.id == CohortMessage.cohort_id)
            .where(CohortMessage.sender_id == uid).order_by(CohortMessage.id),
            ("sent_at", "cohort", "subject", "text")))
        counts["audit"] = _write_list(archive, "audit.json", _simple(
            select(AuditEntry.created_at, AuditEntry.action, AuditEntry.target_type,
                   AuditEntry.target_id, AuditEntry.summary, AuditEntry.changes,
                   AuditEntry.actor_id == uid)
            .where(or_((AuditEntry.target_type == "user") & (AuditEntry.target_id == uid),
                       AuditEntry.actor_id == uid)).order_by(AuditEntry.id),
            ("at", "action", "target_type", "target_id", "summary", "changes", "by_you")))
        for name, stored_name in files:
            _copy(archive, name, storage.open_submission_file(stored_name))
        for name, stored_name in application_files(uid):
            _copy(archive, name, storage.open_document(stored_name))
    return counts
