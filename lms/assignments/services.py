"""Submitting and grading assignments. Plain values in; rows flushed; the view commits."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.assignments.files import FileRefused, StoredFile, store_upload
from lms.assignments.models import Assignment, Submission, SubmissionFile
from lms.audit import services as audit
from lms.auth.models import User
from lms.clock import utcnow
from lms.cohorts.access import CohortAccess
from lms.cohorts.models import Cohort, CohortMember, MemberStatus
from lms.courses.models import Course, ProgramCourse
from lms.extensions import db
from lms.notifications.services import notify
from lms.storage import StorageUnavailable, storage

MAX_FILES = 5
MAX_TEXT = 20_000


class AssignmentError(ValueError):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


UPLOADS = "uploads"  # the storage prefix of submitted files


def upload_key(stored_name: str) -> str:
    return f"{UPLOADS}/{stored_name}"


def assignments_of(course: Course) -> list[Assignment]:
    return list(db.session.scalars(select(Assignment).where(
        Assignment.course_id == course.id, Assignment.is_active.is_(True))
        .order_by(Assignment.position)))


def get_assignment(course: Course, slug: str) -> Assignment | None:
    return db.session.scalar(select(Assignment).where(
        Assignment.course_id == course.id, Assignment.slug == slug,
        Assignment.is_active.is_(True)))


def cohort_for(user_id: int, course_id: int) -> Cohort | None:
    """The user's latest accepted cohort whose program includes the course."""
    return db.session.scalar(
        select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .join(ProgramCourse, ProgramCourse.program_id == Cohort.program_id)
        .where(CohortMember.user_id == user_id, CohortMember.status == MemberStatus.ACCEPTED,
               ProgramCourse.course_id == course_id)
        .order_by(Cohort.starts_on.desc()).limit(1))


def due_at(assignment: Assignment, cohort: Cohort) -> datetime:
    """End of the due day in the configured zone (WIB), as naive UTC."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    day = cohort.starts_on + timedelta(days=assignment.due_days)
    local = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def history(assignment: Assignment, cohort: Cohort, user_id: int) -> list[Submission]:
    """The person's submissions, newest first, with their files (one more statement,
    however many submissions)."""
    return list(db.session.scalars(select(Submission).options(selectinload(Submission.files)).where(
        Submission.assignment_id == assignment.id, Submission.cohort_id == cohort.id,
        Submission.user_id == user_id).order_by(Submission.number.desc())))


@dataclass
class Upload:
    filename: str
    stream: object


def submit(assignment: Assignment, cohort: Cohort, user: User, text: str,
           uploads: list[Upload], now: datetime | None = None) -> Submission:
    """A new submission (the earlier ones stay in the history). Refuses an empty one,
    too many or wrong or oversized files, and a resubmission of graded work."""
    now = now or utcnow()
    text = (text or "").strip()
    uploads = [u for u in uploads if u.filename]
    if not text and not uploads:
        raise AssignmentError("empty", _("Write a text or attach at least one file."))
    if text and not assignment.allow_text:
        raise AssignmentError("text", _("This assignment takes files only."))
    if len(text) > MAX_TEXT:
        raise AssignmentError("text", _("The text is longer than %(n)d characters.", n=MAX_TEXT))
    if len(uploads) > MAX_FILES:
        raise AssignmentError("files", _("At most %(n)d files.", n=MAX_FILES))
    earlier = history(assignment, cohort, user.id)
    if earlier and earlier[0].status == "graded":
        raise AssignmentError("graded", _("This assignment has been graded; ask the instructor "
                                          "to return it if you need to revise it."))
    stored: list[StoredFile] = []
    store = storage()
    try:
        for upload in uploads:
            stored.append(store_upload(upload.stream, upload.filename, store, prefix=UPLOADS,
                                       max_bytes=assignment.max_size_mb * 1024 * 1024,
                                       accepted=list(assignment.accepted_types)))
    except (FileRefused, StorageUnavailable) as exc:
        forget_files([item.stored_name for item in stored])
        if isinstance(exc, StorageUnavailable):
            current_app.logger.error("storage unavailable during an upload: %s", exc)
            raise AssignmentError("storage", _(
                "The files could not be stored (the file storage is not reachable). "
                "Please try again in a few minutes.")) from None
        raise AssignmentError("file", _file_message(exc)) from None
    submission = Submission(
        assignment_id=assignment.id, cohort_id=cohort.id, user_id=user.id,
        number=(earlier[0].number + 1) if earlier else 1, text=text, submitted_at=now,
        is_late=now > due_at(assignment, cohort))
    submission.files = [SubmissionFile(original_name=f.original_name, stored_name=f.stored_name,
                                       kind=f.kind, size=f.size, sha256=f.sha256)
                        for f in stored]
    db.session.add(submission)
    db.session.flush()
    return submission


def forget_files(stored_names: list[str]) -> None:
    """Remove stored files that no row will name (a refused or failed submission). Best
    effort: the storage may be the thing that failed."""
    for name in stored_names:
        try:
            storage().delete(upload_key(name))
        except StorageUnavailable:
            current_app.logger.warning("could not remove %s from storage", upload_key(name))


def _file_message(exc: FileRefused) -> str:
    p = exc.params
    if exc.code == "type":
        return _("%(name)s: only these types are accepted: %(types)s", name=p["name"],
                 types=p["types"])
    if exc.code == "size":
        return _("%(name)s is larger than %(mb)d MB.", name=p["name"], mb=p["mb"])
    if exc.code == "empty":
        return _("%(name)s is empty.", name=p["name"])
    if exc.code == "content":
        return _("%(name)s: the content is not a %(kind)s file (renamed or damaged?).",
                 name=p["name"], kind=p["kind"])
    return _("A file has no name.")


def may_see(access: CohortAccess, submission: Submission) -> bool:
    """The owner, coordinators, and the instructors of that course in that cohort (access
    is the reader's standing in the submission's cohort)."""
    own = access.user_id is not None and submission.user_id == access.user_id
    return own or access.may_grade(submission.assignment.course_id)


def grade(submission: Submission, levels: dict[str, str], comment: str, grader_id: int,
          action: str, score: float | None = None) -> None:
    """Grade with the rubric (one level per criterion) or a plain score, or return the work
    for revision. Refuses a level or score that does not exist or passes the maximum."""
    assignment = submission.assignment
    if action not in ("grade", "return"):
        raise AssignmentError("action", action)
    chosen: dict[str, str] = {}
    if assignment.rubric:
        total = 0.0
        for criterion in assignment.rubric:
            key = levels.get(criterion["id"])
            level = next((lv for lv in criterion["levels"] if lv["key"] == key), None)
            if level is None:
                if action == "return" and not key:
                    continue
                raise AssignmentError("level", _("Choose a level of the rubric for "
                                                 "\"%(criterion)s\".",
                                                 criterion=criterion["criterion"]))
            chosen[criterion["id"]] = key
            total += level["points"]
        if action == "grade" and len(chosen) != len(assignment.rubric):
            raise AssignmentError("level", _("Every criterion needs a level."))
        score = total if chosen else None
    elif action == "grade":
        if score is None or not 0 <= score <= assignment.max_score:
            raise AssignmentError("score", _("The score must be from 0 to %(max)d.",
                                             max=assignment.max_score))
    before = submission.status
    submission.status = "graded" if action == "grade" else "returned"
    submission.score = score if action == "grade" else submission.score
    submission.rubric_levels = chosen
    submission.comment = (comment or "").strip()[:5000] or None
    submission.graded_by_id = grader_id
    submission.graded_at = utcnow()
    audit.record(grader_id, f"submission.{action}", "submission", submission.id,
                 f"{assignment.slug}: {submission.user.email}",
                 {"status": [before, submission.status], "score": [None, submission.score]})
    db.session.flush()
    _tell_grade(submission, action)


def _tell_grade(submission: Submission, action: str) -> None:
    """The participant hears that the work was graded or returned (once per decision)."""
    assignment = submission.assignment
    course = db.session.get(Course, assignment.course_id)
    stamp = submission.graded_at.isoformat(timespec="seconds")
    notify(submission.user, "assignment_graded", f"submission:{submission.id}:{action}:{stamp}",
           lambda: ((_("Graded: %(title)s", title=assignment.title) if action == "grade" else
                     _("Returned for revision: %(title)s", title=assignment.title)),
                    (submission.comment or "")[:1000]),
           endpoint="assignments.assignment_page",
           params={"slug": course.slug, "assignment_slug": assignment.slug},
           target=("assignment", assignment.id), cohort_id=submission.cohort_id)


@dataclass
class QueueEntry:
    submission: Submission
    user: User
    attempts: int


def queue(assignment: Assignment, cohort: Cohort, visible: set[int] | None = None
          ) -> list[QueueEntry]:
    """The latest submission of each participant, waiting ones first (two queries)."""
    counts = dict(db.session.execute(
        select(Submission.user_id, func.count()).where(
            Submission.assignment_id == assignment.id, Submission.cohort_id == cohort.id)
        .group_by(Submission.user_id)).all())
    latest = select(Submission.user_id, func.max(Submission.number).label("n")).where(
        Submission.assignment_id == assignment.id, Submission.cohort_id == cohort.id
    ).group_by(Submission.user_id).subquery()
    rows = db.session.execute(
        select(Submission, User).join(User, User.id == Submission.user_id)
        .join(latest, (latest.c.user_id == Submission.user_id)
              & (latest.c.n == Submission.number))
        .where(Submission.assignment_id == assignment.id,
               Submission.cohort_id == cohort.id)).all()
    entries = [QueueEntry(s, u, counts.get(u.id, 1)) for s, u in rows
               if visible is None or u.id in visible]
    order = {"submitted": 0, "returned": 1, "graded": 2}
    return sorted(entries, key=lambda e: (order[e.submission.status],
                                          e.submission.submitted_at))


def write_zip(entries: list[QueueEntry], out, progress=None) -> None:
    """Every latest submission's files and text, one folder per participant, written to
    the open binary file out; each file streamed from storage, never whole in memory.
    progress(done, total) is told after each participant."""
    store = storage()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, entry in enumerate(entries, start=1):
            who = f"{entry.user.full_name} ({entry.user.email})".replace("/", "-")[:120]
            if entry.submission.text:
                archive.writestr(f"{who}/teks.txt", entry.submission.text)
            for item in entry.submission.files:
                try:
                    source = store.open(upload_key(item.stored_name))
                except FileNotFoundError:
                    continue
                with source, archive.open(f"{who}/{Path(item.original_name).name}",
                                          "w") as target:
                    shutil.copyfileobj(source, target, 64 * 1024)
            if progress:
                progress(done, len(entries))


def zip_of(entries: list[QueueEntry]) -> bytes:
    """write_zip into memory: for tests and small queues."""
    with tempfile.SpooledTemporaryFile() as out:
        write_zip(entries, out)
        out.seek(0)
        return out.read()
