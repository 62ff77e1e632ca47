"""Taking quizzes: start, save as you go, submit once, time limits, grades, review.

Plain values in (never the request); rows flushed; the view commits once.
Correct answers and feedback leave this module only through `review_of`,
which honours the quiz's review options.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, event, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from lms import db_setup
from lms.clock import utcnow
from lms.courses.models import Course, Enrollment
from lms.extensions import db
from lms.quizzes import design, grading, types
from lms.quizzes.models import (
    Attempt,
    AttemptItem,
    ItemRow,
    QuestionVersion,
    Quiz,
    VersionRow,
    known_question,
    remember_question,
)
from lms.quizzes.spec import Question
from lms.statements import prepared, rows


class QuizError(Exception):
    """A refused action; `code` picks the message the page shows."""

    def __init__(self, code: str, detail: str = "", position: int | None = None,
                 reason: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail  # English, for logs and tests; pages say it from code and reason
        self.position = position  # the attempt item an "invalid" answer belongs to
        self.reason = reason  # a ResponseError's code: "not_a_number", "too_long", ...


@dataclass
class QuizStatus:
    quiz: Quiz
    attempts: list[Attempt]
    open_attempt: Attempt | None
    can_start: bool
    reason: str | None  # why not: "not_open_yet", "closed", "no_attempts_left"
    grade: float | None  # percent by the quiz's grading method
    passed: bool | None
    attempts_left: int | None  # None = unlimited
    finished: list[Attempt] = field(default_factory=list)
    opens_at: datetime | None = None  # for this person (see design.opens_for)


def course_and_quiz(slug: str, quiz_slug: str, user_id: int
                    ) -> tuple[Course | None, Quiz | None, bool, int]:
    """The course `slug`, its active quiz `quiz_slug` (None if there is none), whether
    the person is enrolled in the course and how many current questions the quiz has, in
    one statement (was four)."""
    found = db.session.execute(_course_and_quiz(), {
        "slug": slug, "quiz_slug": quiz_slug, "user_id": user_id}).first()
    if found is None:
        return None, None, False, 0
    return found[0], found[1], bool(found[2]), found[3] or 0


@prepared
def _course_and_quiz():
    enrolled = exists().where(Enrollment.user_id == bindparam("user_id"),
                              Enrollment.course_id == Course.id)
    questions = (select(func.count()).select_from(QuestionVersion)
                 .where(QuestionVersion.quiz_id == Quiz.id,
                        QuestionVersion.is_current.is_(True))
                 .scalar_subquery())
    return (select(Course, Quiz, enrolled, questions)
            .outerjoin(Quiz, and_(Quiz.course_id == Course.id,
                                  Quiz.slug == bindparam("quiz_slug"),
                                  Quiz.is_active.is_(True)))
            .where(Course.slug == bindparam("slug")))


def questions_of(quiz: Quiz) -> list[VersionRow]:
    """The quiz's current questions in order, their data read only where this process has
    not built the question yet (see _questions)."""
    found = rows(_current_questions(), {"quiz_id": quiz.id})
    questions = _questions({row.id: row.content_hash for row in found})
    return [VersionRow(row.id, row.question_slug, row.position, questions[row.id])
            for row in found]


@prepared
def _current_questions():
    return (select(QuestionVersion.id, QuestionVersion.question_slug, QuestionVersion.position,
                   QuestionVersion.content_hash)
            .where(QuestionVersion.quiz_id == bindparam("quiz_id"),
                   QuestionVersion.is_current.is_(True))
            .order_by(QuestionVersion.position))


def attempts_of(quiz: Quiz, user_id: int) -> list[Attempt]:
    return list(db.session.scalars(_attempts_of(), {"quiz_id": quiz.id, "user_id": user_id}))


@prepared
def _attempts_of():
    return (select(Attempt).where(Attempt.quiz_id == bindparam("quiz_id"),
                                  Attempt.user_id == bindparam("user_id"))
            .order_by(Attempt.number))


def grade_by_method(attempts: list[Attempt], method: str) -> float | None:
    """The quiz grade in percent from finished, fully graded attempts."""
    scored = [a.percent for a in attempts if a.finished_at and a.percent is not None]
    if not scored:
        return None
    if method == "last":
        return scored[-1]
    if method == "first":
        return scored[0]
    if method == "average":
        return round(sum(scored) / len(scored), 2)
    return max(scored)


def status(quiz: Quiz, user_id: int, now: datetime | None = None) -> QuizStatus:
    """Where the user stands with a quiz; closes an attempt whose time has run out."""
    now = now or utcnow()
    attempts = attempts_of(quiz, user_id)
    open_attempt = next((a for a in attempts if a.is_open), None)
    if open_attempt and expire_if_due(open_attempt, now):
        open_attempt = None
    finished = [a for a in attempts if not a.is_open]
    left = None if not quiz.attempts_allowed else max(0, quiz.attempts_allowed - len(attempts))
    reason = None
    opens_at = design.opens_for(quiz, user_id)
    if opens_at and now < opens_at:
        reason = "not_open_yet"
    elif quiz.closes_at and now >= quiz.closes_at:
        reason = "closed"
    elif left == 0 and open_attempt is None:
        reason = "no_attempts_left"
    grade = grade_by_method(attempts, quiz.grading)
    return QuizStatus(
        quiz=quiz, attempts=attempts, open_attempt=open_attempt,
        can_start=reason is None or open_attempt is not None, reason=reason, grade=grade,
        passed=None if grade is None else grade >= quiz.pass_mark, attempts_left=left,
        finished=finished, opens_at=opens_at)


def start_attempt(quiz: Quiz, user_id: int, now: datetime | None = None,
                  rng: random.Random | None = None, number: int | None = None) -> Attempt:
    """The user's open attempt, or a new one with its questions drawn and ordered.

    `number` is the attempt the start form offered (the quiz page writes the next
    number into it). When that attempt exists already, it is the answer, open or
    finished: a start sent again after its answer was lost, and handled only after the
    retry had gone on to submit, must not begin one more attempt (seen under a 400-person
    burst), and neither must an old start form sent again."""
    now = now or utcnow()
    state = status(quiz, user_id, now)
    if number is not None:
        offered = next((a for a in state.attempts if a.number == number), None)
        if offered is not None:
            return offered
    if state.open_attempt:
        return state.open_attempt
    if state.reason:
        raise QuizError(state.reason)
    rng = rng or random.SystemRandom()
    versions = questions_of(quiz)
    if not versions:
        raise QuizError("no_questions")
    chosen = design.draw(quiz, versions, user_id, rng)
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at:
        deadline = min(deadline, quiz.closes_at) if deadline else quiz.closes_at
    values = {"quiz_id": quiz.id, "user_id": user_id, "number": len(state.attempts) + 1,
              "started_at": now, "deadline_at": deadline,
              "max_points": sum(v.question.points for v in chosen
                                if v.question.type in types.ANSWERABLE)}
    try:
        with db.session.begin_nested():
            attempt_id = db.session.execute(_new_attempt(), values).inserted_primary_key[0]
    except IntegrityError:
        # Another tab started the same attempt number a moment ago: use that one.
        existing = status(quiz, user_id, now).open_attempt
        if existing is None:
            raise
        return existing
    # The items in one statement (as ORM objects they were one INSERT each and most of
    # the time of a start); the attempt loads them when asked.
    db.session.execute(insert(AttemptItem), [
        {"attempt_id": attempt_id, "position": position, "question_version_id": version.id,
         "order": _order(quiz, version.question, rng)}
        for position, version in enumerate(chosen, start=1)])
    return _as_loaded(Attempt(id=attempt_id, finished_at=None, finished_by=None, points=None,
                              percent=None, needs_grading=False, **values))


@prepared
def _new_attempt():
    return insert(Attempt.__table__)


def _as_loaded(attempt: Attempt) -> Attempt:
    """An attempt just inserted by a plain INSERT, every column given, made part of the
    session as if read from it (its relationships load when asked): added and flushed by
    the ORM it cost twice the INSERT, about a tenth of a start."""
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt


def _order(quiz: Quiz, question: Question, rng) -> list | dict:
    return types.get(question.type).layout(question, quiz.shuffle_choices, rng)


def from_page(attempt: Attempt, shown: dict[int, object], originals: dict[int, object]
              ) -> tuple[dict[int, object], dict[int, object]]:
    """Map what an attempt page sent (its identifiers) back to answers in authored keys.

    Refuses (QuizError "invalid", nothing saved) an identifier this attempt never showed
    for that question: one from another attempt, another question, or an authored key.
    """
    items = {item.position: item for item in items_of(attempt)}
    raw: dict[int, object] = {}
    before: dict[int, object] = {}
    for target, source in ((raw, shown), (before, originals)):
        for position, value in source.items():
            item = items.get(position)
            if item is None:
                raise QuizError("invalid", f"question {position} is not part of this attempt")
            question = item.question
            try:
                target[position] = types.get(question.type).to_response(question, item.order,
                                                                         value)
            except types.FormValueError as exc:
                raise QuizError("invalid", f"question {position}: {exc}", position) from None
    return raw, before


def expire_if_due(attempt: Attempt, now: datetime | None = None) -> bool:
    """Grade an open attempt whose deadline has passed; True when it was closed now."""
    now = now or utcnow()
    if attempt.is_open and attempt.deadline_at and now >= attempt.deadline_at:
        db_setup.writing()  # a GET request (quiz page, attempt page, review) grades it
        return finish_attempt(attempt, "timeout", attempt.deadline_at)
    return False


def save_answers(attempt: Attempt, raw: dict[int, object], originals: dict[int, object] | None
                 = None, now: datetime | None = None) -> int:
    """Save the answers this page changed; returns how many were stored.

    `raw` maps item positions to what the form sent; `originals` to what the page
    showed when it was drawn, so an untouched question in one tab never overwrites
    an answer given in another. Everything is checked before anything is saved.
    Refused: a finished attempt (QuizError "finished"), a save after the deadline
    (the attempt is graded without it: "deadline"), a forged answer ("invalid").
    """
    now = now or utcnow()
    lock(attempt)
    if not attempt.is_open:
        raise QuizError("finished")
    if expire_if_due(attempt, now):
        raise QuizError("deadline")
    items = {item.position: item for item in items_of(attempt)}
    parsed: dict[int, object] = {}
    for position, value in raw.items():
        item = items.get(position)
        if item is None:
            raise QuizError("invalid", f"question {position} is not part of this attempt")
        question = item.question
        try:
            parsed[position] = grading.parse_response(question, value)
            if originals and position in originals:
                if grading.parse_response(question, originals[position]) == parsed[position]:
                    del parsed[position]
        except grading.ResponseError as exc:
            raise QuizError("invalid", f"question {position}: {exc}", position,
                            exc.code) from None
    stored = [(items[position], None if value is None else {"value": value})
              for position, value in parsed.items()]
    if stored:
        # One executemany, not 20 ORM updates; the items are told what was written.
        db.session.execute(_SAVE_ANSWER, [{"item_id": item.id, "response": response,
                                           "saved_at": now} for item, response in stored])
        for item, response in stored:
            item.response = response
            item.saved_at = now
        _passed_by(attempt)
    return len(parsed)


_ITEMS = AttemptItem.__table__
_SAVE_ANSWER = (update(_ITEMS).where(_ITEMS.c.id == bindparam("item_id"))
                .values(response=bindparam("response"), saved_at=bindparam("saved_at")))
_GRADE_ITEM = (update(_ITEMS).where(_ITEMS.c.id == bindparam("item_id"))
               .values(fraction=bindparam("fraction"), points=bindparam("points")))


def submit_attempt(attempt: Attempt, raw: dict[int, object] | None = None,
                   originals: dict[int, object] | None = None,
                   now: datetime | None = None) -> bool:
    """Save the last answers and grade the attempt; True only for the call that graded it."""
    now = now or utcnow()
    lock(attempt)
    if not attempt.is_open:
        return False
    if expire_if_due(attempt, now):
        raise QuizError("deadline")
    if raw:
        save_answers(attempt, raw, originals, now)
    return finish_attempt(attempt, "participant", now)


def lock(attempt: Attempt) -> None:
    """Hold the attempt's row until this transaction ends, and reread it and its items.

    Saving, submitting and grading all take this lock first and only then look at whether
    the attempt is open, so what is graded is exactly what is stored, and a save that
    comes after the grading is refused, however many tabs race. PostgreSQL: SELECT ... FOR
    UPDATE. SQLite ignores FOR UPDATE but begins a POST's transactions IMMEDIATE, and a GET
    that grades calls db_setup.writing() before this (lms/db_setup.py), so a request that
    writes runs alone from its first read.
    The reread matters: the view loaded the attempt before waiting for the lock. Once
    locked in a transaction, nobody else can change the attempt until it ends, so a second
    lock in the same transaction (submit saves, then grades) reads nothing again.
    """
    if _holds_lock(attempt.id):
        return
    # Rows must be fetched for populate_existing to refresh the object.
    db.session.scalars(_lock_attempt(), {"attempt_id": attempt.id}).one()
    _hold(attempt)


def locked_attempt(attempt_id: int) -> Attempt | None:
    """The attempt read under its row lock (see lock), with its items: for a request that
    saves, submits or grades it. None if it does not exist. Two statements, and the
    services' own lock then reads nothing again."""
    attempt = db.session.scalars(_lock_attempt(), {"attempt_id": attempt_id}).one_or_none()
    if attempt is not None:
        _hold(attempt)
    return attempt


def _hold(attempt: Attempt) -> None:
    """The lock on the attempt is held until this transaction ends: read its items again
    inside it, and let ORM items loaded before (tests, the demo) be read again too."""
    _held_locks()[attempt.id] = db.session().get_transaction()
    attempt.__dict__[_ROWS] = _read_items(attempt.id)
    _passed_by(attempt)


@prepared
def _lock_attempt():
    return (select(Attempt).where(Attempt.id == bindparam("attempt_id")).with_for_update()
            .execution_options(populate_existing=True))


def items_of(attempt: Attempt) -> list[ItemRow]:
    """The attempt's items in order, as plain values with their questions: read at the
    first call and then kept with the attempt, as a loaded relationship would be. lock()
    reads them again inside the lock, the services write through them, and an attempt the
    session expires (a rollback, a refresh) forgets them."""
    held = attempt.__dict__.get(_ROWS)
    if held is None:
        held = attempt.__dict__[_ROWS] = _read_items(attempt.id)
    return held


_ROWS = "_lms_item_rows"  # where an Attempt keeps items_of's list (not a mapped attribute)


@event.listens_for(Attempt, "expire", raw=True)  # raw: the state, whose object may be gone
def _forget_items(state, _attributes) -> None:
    state.dict.pop(_ROWS, None)


def _passed_by(attempt: Attempt) -> None:
    """The ORM items of the attempt, if someone loaded them, are read again at their next
    use: the services' plain statements passed them by."""
    for item in attempt.__dict__.get("items", ()):
        db.session.expire(item)


def _read_items(attempt_id: int) -> list[ItemRow]:
    """The items and their questions in one statement (see _questions)."""
    found = rows(_item_rows(), {"attempt_id": attempt_id})
    questions = _questions({row.question_version_id: row.content_hash for row in found})
    return [ItemRow(*row[:-1], questions[row.question_version_id]) for row in found]


def _questions(hashes: dict[int, str]) -> dict[int, Question]:
    """Version id -> its Question, for versions given with their content hashes; a second
    statement reads the data of those this process has not built yet. A version never
    changes, so its Question is kept by id and hash (quizzes/models.py): reading and
    decoding 20 of them was a good part of each start, attempt page, save and submit."""
    questions: dict[int, Question] = {}
    missing: dict[int, str] = {}
    for version_id, content_hash in hashes.items():
        question = known_question(version_id, content_hash)
        if question is None:
            missing[version_id] = content_hash
        else:
            questions[version_id] = question
    if missing:
        for version_id, data in rows(_versions_data(), {"ids": list(missing)}):
            questions[version_id] = remember_question(version_id, missing[version_id], data)
    return questions


@prepared
def _item_rows():
    # In the order of ItemRow's fields, then the version's hash.
    return (select(_ITEMS.c.id, _ITEMS.c.position, _ITEMS.c.question_version_id,
                   _ITEMS.c.order, _ITEMS.c.response, _ITEMS.c.saved_at, _ITEMS.c.fraction,
                   _ITEMS.c.points, _ITEMS.c.grader_comment, QuestionVersion.content_hash)
            .join(QuestionVersion, QuestionVersion.id == _ITEMS.c.question_version_id)
            .where(_ITEMS.c.attempt_id == bindparam("attempt_id"))
            .order_by(_ITEMS.c.position))


@prepared
def _versions_data():
    return select(QuestionVersion.id, QuestionVersion.data).where(
        QuestionVersion.id.in_(bindparam("ids", expanding=True)))


def attempt_to_show(attempt_id: int) -> tuple[Attempt, Course] | tuple[None, None]:
    """The attempt with its quiz and course, in one statement, for pages, which change
    nothing; items_of reads its items when the page needs them."""
    found = db.session.execute(_attempt_to_show(), {"attempt_id": attempt_id}).one_or_none()
    return (found[0], found[1]) if found is not None else (None, None)


@prepared
def _attempt_to_show():
    return (select(Attempt, Course).join(Attempt.quiz)
            .join(Course, Course.id == Quiz.course_id)
            .options(contains_eager(Attempt.quiz))
            .where(Attempt.id == bindparam("attempt_id")))


def _held_locks() -> dict:
    """Attempt id -> the transaction that locked it (a new transaction locks again)."""
    return db.session().info.setdefault("lms_attempt_locks", {})


def _holds_lock(attempt_id: int) -> bool:
    transaction = db.session().get_transaction()
    return transaction is not None and _held_locks().get(attempt_id) is transaction


def finish_attempt(attempt: Attempt, finished_by: str, when: datetime) -> bool:
    """Close and grade, exactly once even when two requests race (row lock, then a
    conditional UPDATE as a second guard)."""
    lock(attempt)
    if not attempt.is_open:
        return False
    items = items_of(attempt)
    for item in items:
        item.fraction, item.points = _grade(item)
    closed = {"finished_at": when, "finished_by": finished_by,
              **_totals(attempt.max_points, items)}
    # Closed and totalled in one statement: the guard is the same UPDATE.
    if not db.session.execute(_close(), {"attempt_id": attempt.id, **closed}).rowcount:
        db.session.refresh(attempt)  # which forgets the items graded above
        return False
    if items:  # one executemany, not one ORM update per item
        db.session.execute(_GRADE_ITEM, [{"item_id": item.id, "fraction": item.fraction,
                                          "points": item.points} for item in items])
    for name, value in closed.items():
        set_committed_value(attempt, name, value)
    _passed_by(attempt)
    return True


@prepared
def _close():
    attempts = Attempt.__table__
    return (update(attempts)
            .where(attempts.c.id == bindparam("attempt_id"), attempts.c.finished_at.is_(None))
            .values(finished_at=bindparam("finished_at"), finished_by=bindparam("finished_by"),
                    points=bindparam("points"), percent=bindparam("percent"),
                    needs_grading=bindparam("needs_grading")))


def _grade(item: ItemRow) -> tuple[float | None, float | None]:
    """The fraction and points of an item's stored answer."""
    question = item.question
    value = item.response["value"] if item.response else None
    result = grading.grade(question, value)
    if question.type not in types.AUTO_GRADED and question.type in types.ANSWERABLE \
            and value is None:  # an essay left empty waits for nobody: 0
        result = grading.Grade(fraction=0.0, feedback_html=(), correct=False)
    return result.fraction, grading.score(question, result)


def _totals(max_points: float, items: list) -> dict:
    """An attempt's points, percent and needs_grading from its graded items (ItemRow or
    AttemptItem)."""
    pending = any(item.fraction is None
                  and item.question.type in types.ANSWERABLE - types.AUTO_GRADED
                  for item in items)
    points = round(sum(item.points or 0 for item in items), 4)
    if pending or not max_points:
        percent = None if pending else 0.0
    else:
        percent = round(100 * points / max_points, 2)
    return {"points": points, "percent": percent, "needs_grading": pending}


def grade_essay(item: AttemptItem, points: float, comment: str, grader_id: int,
                now: datetime | None = None) -> None:
    """An instructor's grade for an essay; refuses points outside 0..the question's points."""
    question = item.question
    if question.type in types.AUTO_GRADED or question.type not in types.ANSWERABLE:
        raise QuizError("invalid", "only essays are graded by hand")
    if item.attempt.is_open:
        raise QuizError("invalid", "the attempt is not finished yet")
    try:
        result = grading.manual_grade(question, points)
    except grading.ResponseError as exc:
        raise QuizError("invalid", str(exc)) from None
    item.fraction = result.fraction
    item.points = grading.score(question, result)
    item.grader_comment = comment.strip() or None
    item.graded_by_id = grader_id
    item.graded_at = now or utcnow()
    attempt = item.attempt
    for name, value in _totals(attempt.max_points, attempt.items).items():
        setattr(attempt, name, value)
    attempt.__dict__.pop(_ROWS, None)  # its items_of, if read, has the essay ungraded
    db.session.flush()
    _tell_essay_grade(item)


def _tell_essay_grade(item: AttemptItem) -> None:
    """The participant hears that an essay was graded, with a link to the review."""
    from flask_babel import gettext as _

    from lms.auth.models import User
    from lms.notifications.services import notify

    attempt = item.attempt
    user = db.session.get(User, attempt.user_id)
    notify(user, "essay_graded", f"essay:{item.id}:{item.graded_at.isoformat(timespec='seconds')}",
           lambda: (_("Essay graded: %(quiz)s", quiz=attempt.quiz.title),
                    (item.grader_comment or "")[:1000]),
           endpoint="quizzes.review", params={"attempt_id": attempt.id},
           target=("attempt", attempt.id))


@dataclass
class Visibility:
    score: bool
    answers: bool
    feedback: bool


def visibility(quiz: Quiz, attempt: Attempt, state: QuizStatus,
               now: datetime | None = None) -> Visibility:
    """What the review may show, by the quiz's review options; nothing while open.

    immediately; after_last_attempt (no attempt left, or the quiz closed); after_close
    (only once the quiz closed for this person: see design.is_closed); never.
    """
    now = now or utcnow()
    if attempt.is_open:
        return Visibility(False, False, False)
    options = (quiz.review_score, quiz.review_answers, quiz.review_feedback)
    closed = False
    if {"after_close", "after_last_attempt"} & set(options):
        closed = design.is_closed(quiz, attempt.user_id, now)

    def allowed(option: str) -> bool:
        if option == "immediately":
            return True
        if option == "after_last_attempt":
            return closed or state.attempts_left == 0
        return option == "after_close" and closed

    return Visibility(*(allowed(option) for option in options))


def pending_essays(quiz: Quiz, user_ids: set[int] | None = None) -> list[AttemptItem]:
    """Answered essays of finished attempts that still wait for a grade, oldest first."""
    query = (select(AttemptItem).join(Attempt, Attempt.id == AttemptItem.attempt_id)
             .where(Attempt.quiz_id == quiz.id, Attempt.finished_at.is_not(None),
                    AttemptItem.fraction.is_(None), AttemptItem.response.is_not(None)))
    if user_ids is not None:
        query = query.where(Attempt.user_id.in_(user_ids or {-1}))
    return list(db.session.scalars(query.order_by(Attempt.finished_at)))


def attempt_count(quiz: Quiz) -> int:
    return db.session.scalar(select(func.count()).select_from(Attempt)
                             .where(Attempt.quiz_id == quiz.id)) or 0


