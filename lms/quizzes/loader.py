"""Read quiz files (`<course>/quizzes/<slug>.yml`) into QuizSource values and problems.

Pure: no Flask, no database. Every problem is `path:line: message`; a quiz
with any problem is not built, so nothing half-valid reaches the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lms.quizzes import types
from lms.quizzes.spec import Question
from lms.quizzes.types import QUESTION_TYPES
from lms.quizzes.types.building import NUMBER, markdown
from lms.sources import (
    Key,
    Loaded,
    Located,
    Problem,
    check_id,
    check_mapping,
    load_folder,
    parse_content,
    read_text,
)

KINDS = ("pretest", "posttest", "practice", "exam")
GRADING_METHODS = ("highest", "last", "average", "first")
# immediately; after the participant's last allowed attempt (or when the quiz closes);
# only when the quiz closes (its closes_at, else the end of the participant's angkatan);
# never.
REVIEW_WHEN = ("immediately", "after_last_attempt", "after_close", "never")
WIB = ZoneInfo("Asia/Jakarta")

QUIZ_SCHEMA = {
    "id": Key(str, True),
    "title": Key(str, True),
    "kind": Key(str, True, "one of " + ", ".join(KINDS)),
    "description": Key(str),
    "time_limit_minutes": Key(int, False, "a whole number of minutes"),
    "attempts": Key(int, False, "a whole number (0 = unlimited)"),
    "grading": Key(str, False, "one of " + ", ".join(GRADING_METHODS)),
    "pass_mark": Key(NUMBER, False, "a percentage from 0 to 100"),
    "shuffle_questions": Key(bool, False, "true or false"),
    "shuffle_choices": Key(bool, False, "true or false"),
    "draw": Key((dict, list), False, "a mapping with count and tag, or a list of them"),
    "review": Key(dict, False, "a mapping with score, answers and feedback"),
    "opens_at": Key((str, datetime), False, "an ISO date-time such as 2026-01-31T08:00"),
    "closes_at": Key((str, datetime), False, "an ISO date-time such as 2026-01-31T17:00"),
    "opens_day": Key(int, False, "a whole number of days after the angkatan's start"),
    "questions": Key(list, True, "a list of questions"),
}
DRAW_SCHEMA = {"count": Key(int, True, "a whole number"), "tag": Key(str)}
REVIEW_SCHEMA = {name: Key(str, False, "one of " + ", ".join(REVIEW_WHEN))
                 for name in ("score", "answers", "feedback")}
COMMON = {
    "id": Key(str, True),
    "type": Key(str, True, "one of " + ", ".join(QUESTION_TYPES)),
    "points": Key(NUMBER, False, "a number above 0"),
    "tags": Key(list, False, "a list of words"),
    "text": Key(str, True),
    "general_feedback": Key(str),
}
@dataclass
class QuizSource:
    path: str
    id: str = ""
    title: str = ""
    kind: str = "practice"
    description_html: str = ""
    time_limit_minutes: int = 0
    attempts: int = 0
    grading: str = "highest"
    pass_mark: float = 0.0
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    draw_count: int = 0  # all pools together
    draw_tag: str | None = None  # the tag of a single pool
    draw_pools: list[dict] = field(default_factory=list)  # [{"count": n, "tag": t or None}]
    review_score: str = "immediately"
    review_answers: str = ""  # "" until the defaults for the kind are applied
    review_feedback: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    opens_day: int | None = None
    questions: list[Question] = field(default_factory=list)
    digest: str = ""
    # Allowed but probably not meant: printed by `lms content check`, never refused.
    warnings: list[Problem] = field(default_factory=list)


_md = markdown


def load_quizzes(folder: Path, shown: str) -> Loaded:
    """Every quizzes/*.yml of one course folder; a broken file refuses itself only."""
    return load_folder(folder, shown, suffix=".yml", what="quiz", load_one=load_quiz)


def load_quiz(file: Path, path: str) -> tuple[QuizSource | None, list[Problem]]:
    text, problems = read_text(file, path)
    if text is None:
        return None, problems
    doc, problems = parse_content(text, path)
    if doc is None:
        return None, problems
    data, problems = check_mapping(doc, path, QUIZ_SCHEMA)
    if not data:
        return None, problems
    quiz = QuizSource(path=path, digest=hashlib.sha256(text.encode()).hexdigest())
    _settings(quiz, data, doc, path, problems)
    seen: dict[str, int] = {}
    for index, item in enumerate(data.get("questions") or []):
        question = _question(doc, path, index, item, problems)
        if question is None:
            continue
        if question.id in seen:
            problems.append(Problem(path, doc.line("questions", index, "id"),
                                    f"question id '{question.id}' is already used on line "
                                    f"{seen[question.id]}"))
            continue
        seen[question.id] = doc.line("questions", index, "id")
        quiz.questions.append(question)
    if isinstance(data.get("questions"), list) and not data["questions"]:
        problems.append(Problem(path, doc.line("questions"), "a quiz needs at least one question"))
    _check_pools(quiz, doc, path, problems)
    _warn(quiz, doc, path)
    return (None if problems else quiz), problems


def _settings(quiz: QuizSource, data: dict, doc: Located, path: str, problems: list) -> None:
    if isinstance(data.get("id"), str):
        problems.extend(check_id(data["id"], path, doc.line("id"), "quiz id"))
        quiz.id = data["id"]
    quiz.title = str(data.get("title") or "").strip()
    for key, allowed in (("kind", KINDS), ("grading", GRADING_METHODS)):
        value = data.get(key)
        if value is not None and value not in allowed:
            problems.append(Problem(path, doc.line(key),
                                    f"'{key}' must be one of {', '.join(allowed)}"))
        elif value is not None:
            setattr(quiz, key, value)
    quiz.description_html = _md(data.get("description"))
    for key in ("time_limit_minutes", "attempts"):
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                problems.append(Problem(path, doc.line(key), f"'{key}' cannot be negative"))
            setattr(quiz, key, value)
    mark = data.get("pass_mark")
    if isinstance(mark, NUMBER) and not isinstance(mark, bool):
        if not 0 <= mark <= 100:
            problems.append(Problem(path, doc.line("pass_mark"),
                                    "'pass_mark' must be a percentage from 0 to 100"))
        quiz.pass_mark = float(mark)
    quiz.shuffle_questions = bool(data.get("shuffle_questions", False))
    quiz.shuffle_choices = bool(data.get("shuffle_choices", False))
    pools = data.get("draw")
    for index, pool in enumerate([pools] if isinstance(pools, dict) else pools or []):
        at = ("draw",) if isinstance(pools, dict) else ("draw", index)
        if not isinstance(pool, dict):
            problems.append(Problem(path, doc.line(*at), "each pool of 'draw' must be a mapping "
                                                         "with count and tag"))
            continue
        draw, found = check_mapping(doc, path, DRAW_SCHEMA, at=at)
        problems.extend(found)
        if isinstance(draw.get("count"), int):
            if draw["count"] < 1:
                problems.append(Problem(path, doc.line(*at, "count"),
                                        "'count' must be at least 1"))
            quiz.draw_pools.append({"count": draw["count"], "tag": draw.get("tag"),
                                    "line": doc.line(*at, "count")})
    quiz.draw_count = sum(pool["count"] for pool in quiz.draw_pools)
    quiz.draw_tag = quiz.draw_pools[0]["tag"] if len(quiz.draw_pools) == 1 else None
    if isinstance(data.get("review"), dict):
        review, found = check_mapping(doc, path, REVIEW_SCHEMA, at=("review",))
        problems.extend(found)
        for name, value in review.items():
            if name in REVIEW_SCHEMA and value not in REVIEW_WHEN:
                problems.append(Problem(path, doc.line("review", name),
                                        f"'{name}' must be one of {', '.join(REVIEW_WHEN)}"))
            elif name in REVIEW_SCHEMA:
                setattr(quiz, f"review_{name}", value)
    # Where a participant may try again, or a later test asks the same, the key stays
    # hidden until the quiz closes; elsewhere it comes after the last attempt.
    hidden = quiz.kind == "pretest" or (quiz.kind == "posttest" and quiz.attempts != 1)
    quiz.review_answers = quiz.review_answers or ("after_close" if hidden
                                                  else "after_last_attempt")
    quiz.review_feedback = quiz.review_feedback or ("after_close" if hidden else "immediately")
    for key in ("opens_at", "closes_at"):
        value = data.get(key)
        if value is None:
            continue
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        except ValueError:
            problems.append(Problem(path, doc.line(key),
                                    f"'{key}' must be an ISO date-time such as 2026-01-31T08:00"))
            continue
        # Times without a zone are Western Indonesian Time; stored as naive UTC.
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=WIB)
        setattr(quiz, key, moment.astimezone(UTC).replace(tzinfo=None))
    if isinstance(data.get("opens_day"), int):
        if data["opens_day"] < 0:
            problems.append(Problem(path, doc.line("opens_day"), "'opens_day' cannot be negative"))
        else:
            quiz.opens_day = data["opens_day"]
    if quiz.opens_at and quiz.closes_at and quiz.closes_at <= quiz.opens_at:
        problems.append(Problem(path, doc.line("closes_at"), "'closes_at' must be after opens_at"))


def _question(doc, path, index, item, problems) -> Question | None:
    at = ("questions", index)
    line = doc.line(*at)
    if not isinstance(item, dict):
        problems.append(Problem(path, line, "each question must be a mapping of keys"))
        return None
    qtype = item.get("type")
    if qtype not in types.REGISTRY:
        problems.append(Problem(path, doc.line(*at, "type"),
                                f"question type must be one of {', '.join(QUESTION_TYPES)}"))
        return None
    kind = types.get(qtype)
    _data, found = check_mapping(doc, path, {**COMMON, **kind.schema}, at=at)
    if isinstance(item.get("id"), str):
        found.extend(check_id(item["id"], path, doc.line(*at, "id"), "question id"))
    points = item.get("points", 1)
    if isinstance(points, NUMBER) and points <= 0:
        found.append(Problem(path, doc.line(*at, "points"), "'points' must be above 0"))
    if found:
        problems.extend(found)
        return None
    fields, found = kind.build(doc, path, at, item)
    problems.extend(found)
    if found:
        return None
    return Question(
        id=item["id"], type=qtype, text_html=_md(item["text"]), points=float(points),
        tags=tuple(str(t) for t in item.get("tags") or ()),
        general_feedback_html=_md(item.get("general_feedback")), **fields)


def _check_pools(quiz: QuizSource, doc: Located, path: str, problems: list) -> None:
    """Each pool must hold enough questions, taking the earlier pools' draws first."""
    taken = 0
    answerable = [q for q in quiz.questions if q.type in types.ANSWERABLE]
    for pool in quiz.draw_pools:
        size = sum(1 for q in answerable if not pool["tag"] or pool["tag"] in q.tags)
        if pool["count"] > size:
            problems.append(Problem(path, pool["line"], f"draw asks for {pool['count']} "
                                                        f"questions but only {size} match"))
        taken += pool["count"]
    if len(quiz.draw_pools) > 1 and taken > len(answerable):
        problems.append(Problem(path, doc.line("draw"), f"the pools draw {taken} questions but "
                                                        f"the quiz has {len(answerable)}"))
    for pool in quiz.draw_pools:
        del pool["line"]


def _warn(quiz: QuizSource, doc: Located, path: str) -> None:
    several = quiz.attempts != 1
    if quiz.kind == "posttest" and several:
        for name in ("answers", "feedback"):
            if getattr(quiz, f"review_{name}") == "immediately":
                line = doc.line("review", name) if "review" in doc.value else doc.line("kind")
                what = "the correct answers" if name == "answers" else "the feedback"
                quiz.warnings.append(Problem(
                    path, line, f"warning: a post-test with several attempts shows {what} "
                                f"immediately, so a participant can copy them into the next "
                                f"attempt; use 'review: {name}: after_close'"))
