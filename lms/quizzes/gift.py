"""Parse Moodle's GIFT question format into normalized question dicts.

GIFT as https://docs.moodle.org/en/GIFT_format describes it: questions separated by blank
lines, ``//`` comment lines, ``::title::``, ``$CATEGORY: path``, a ``[markdown]``,
``[html]``, ``[plain]`` or ``[moodle]`` prefix (default ``moodle``), the escapes
``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``, answers in ``{...}`` (multiple choice ``~``/``=``,
weights ``%50%``, feedback ``#``, general feedback ``####``, short answer, true/false,
matching ``=left -> right``, numerical ``{#3:0.5}``/``{#1..5}``, essay ``{}``), missing-word
answers in mid-sentence (the text gets ``_____``) and descriptions without braces.

Where Moodle's importer guesses or silently drops something, this parser reports it
instead, because an author fixing a file is better served than a half-imported bank:
an unclosed ``::title`` or ``%weight``, a second answer block, a ``~`` in a numerical
question not followed by ``#``, an empty answer (other than the ``~`` of ``~=``), more than
200 answers in one question. It is also a little more
forgiving: a ``$CATEGORY:`` line needs no blank line around it, ``{true}``/``{false}``
count as true/false in any case, and ``=%50%`` carries a weight after ``=`` as after ``~``.

As Moodle does, it also takes: a ``[format]`` prefix on each answer, feedback, matching
left side and general feedback (each defaults to the question text's format; the ones
written out are in ``formats``, keyed ``choices.0.text``, ``choices.0.feedback``,
``pairs.0.left``, ``numerical.0.feedback``, ``feedback_true``, ``feedback_false``,
``feedback_wrong`` and ``general_feedback``); ``~=answer`` as ``=answer``; text before the
first ``~`` or ``=`` as one more wrong choice, accepted short answer or matching pair; and
``[tag:...]`` / ``[id:...]`` in the comment lines of a question (``tags``, ``idnumber``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from lms.quizzes.giftsource import GiftSource
from lms.quizzes.qformat import BLANK, DEFAULT_FORMAT, ErrorCollector, normalize_question

_FORMAT_PREFIX = re.compile(r"\[(markdown|html|plain|moodle)\]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY = "$CATEGORY:"
MAX_ANSWERS = 200  # far beyond any real question; keeps a runaway answer block cheap
# Moodle's qformat_default: [tag:...] and [id:...] in comments, "\\]" for a bracket inside.
_COMMENT_KEY = re.compile(r"\[(tag|id):((?:\\.|[^\]\\])*)\]")
# Several right answers weighted 33.333% each should still count as adding up to 100%.
_SUM_TOLERANCE = 0.005


def parse_gift(text: str, path: str = "<gift>") -> list[dict[str, Any]]:
    """Parse a GIFT file's text into normalized question dicts, in file order.

    Each dict is what :func:`lms.quizzes.qformat.normalize_question` returns, with
    ``line`` the 1-based line where the question starts and ``category`` the latest
    ``$CATEGORY:`` above it (None before any). Refuses the whole file, raising
    :class:`lms.quizzes.qformat.QuestionFormatErrors` with every ``path:line: message``
    found, when any question is malformed; never returns part of a file.
    """
    errors = ErrorCollector(path)
    questions: list[dict[str, Any]] = []
    category: str | None = None
    for block, comments in _blocks(text):
        number, first = block[0]
        if first.strip().startswith(_CATEGORY):
            category = first.strip()[len(_CATEGORY) :].strip() or None
            if category is None:
                errors.add(number, "$CATEGORY: needs a path, as in $CATEGORY: Katalog/Dasar")
            continue
        question = _parse_question(GiftSource.from_lines(block), errors)
        if question is not None:
            tags, idnumber = comment_keys(comments)
            questions.append(normalize_question(
                {**question, "category": category, "tags": tags, "idnumber": idnumber}))
    errors.raise_if_any()
    return questions


def comment_keys(comments: list[str]) -> tuple[list[str], str | None]:
    """Tags and the id number written as ``[tag:...]`` / ``[id:...]`` in comment lines.

    As Moodle reads them: each within one line, trimmed, ``\\]`` for a bracket inside; the
    last id wins; empty tags and repeated ones are dropped.
    """
    tags: list[str] = []
    idnumber: str | None = None
    for comment in comments:
        for key, raw in _COMMENT_KEY.findall(comment):
            value = re.sub(r"\\(.)", r"\1", raw).strip()
            if key == "id":
                idnumber = value or idnumber
            elif value and value not in tags:
                tags.append(value)
    return tags, idnumber


def _blocks(text: str) -> Iterator[tuple[list[tuple[int, str]], list[str]]]:
    """Numbered lines of each question (or a ``$CATEGORY:`` line on its own), and the
    comment lines among them.

    Blank lines separate questions; comment lines vanish without separating (their
    ``[tag:]`` and ``[id:]`` belong to the question). A category line stands alone even
    without blank lines around it, so that it is never read as question text.
    """
    block: list[tuple[int, str]] = []
    comments: list[str] = []
    for number, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not stripped and not block:
            comments = []
        if block and (not stripped or stripped.startswith(_CATEGORY)):
            yield block, comments
            block, comments = [], []
        if stripped.startswith(_CATEGORY):
            yield [(number, line)], []
            comments = []
        elif stripped:
            block.append((number, line))
    if block:
        yield block, comments


def _parse_question(source: GiftSource, errors: ErrorCollector) -> dict[str, Any] | None:
    before = len(errors)
    body = source.strip()
    question: dict[str, Any] = {"title": None, "line": body.line, "general_feedback": None,
                                "formats": {}}
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            errors.add(body.line, "the title opened with '::' is not closed with '::'")
            return None
        question["title"] = " ".join(str(body[2:end]).split()) or None
        body = body[end + 2 :].strip()
    question["format"], body = _take_format(body)

    opening, closing = body.find("{"), body.find("}")
    if closing >= 0 and (opening < 0 or closing < opening):
        errors.add(body.line_at(closing), "'}' without an opening '{' (write \\} for a brace)")
        return None
    if opening < 0:
        question.update(type="description", text=str(body))
        return _checked_text(question, errors, before)
    open_line = body.line_at(opening)
    closing = body.find("}", opening + 1)
    if closing < 0:
        errors.add(open_line, "'{' is not closed with '}' (a blank line always ends a question)")
        return None
    nested = body.find("{", opening + 1, closing)
    if nested >= 0:
        errors.add(body.line_at(nested), f"'{{' inside the answers opened on line {open_line}")
        return None
    after = body[closing + 1 :]
    extra = next((i for i in (after.find("{"), after.find("}")) if i >= 0), -1)
    if extra >= 0:
        errors.add(
            after.line_at(extra),
            "a question has one answer block: separate questions with a blank line, "
            "or write \\{ and \\} for braces in text",
        )
        return None

    lead = str(body[:opening])
    question["text"] = (lead + BLANK + str(after) if str(after).strip() else lead).strip()
    answers = body[opening + 1 : closing]
    separator = answers.find("####")
    if separator >= 0:
        question["general_feedback"] = _text(answers[separator + 4 :], question,
                                             "general_feedback") or None
        answers = answers[:separator]
    answers = answers.strip()
    marks = sum(1 for char, literal in zip(answers.chars, answers.literal, strict=True)
                if char in "~=" and not literal)
    if marks > MAX_ANSWERS:
        errors.add(open_line, f"{marks} answers in one question, more than {MAX_ANSWERS}: "
                              "is a '}' missing, or should this be several questions?")
        return None

    if not answers:
        question["type"] = "essay"
    elif answers.startswith("#"):
        _numerical(answers[1:], open_line, question, errors)
    elif answers.find("~") >= 0:
        _choices(answers, open_line, question, errors)
    elif answers.find("=") >= 0 and answers.find("->") >= 0:
        _matching(answers, open_line, question, errors)
    elif str(answers.items("#")[0].strip()).upper() in _TRUE_FALSE:
        _truefalse(answers, question, errors)
    else:
        _short(answers, open_line, question, errors)
    return _checked_text(question, errors, before)


def _checked_text(
    question: dict[str, Any], errors: ErrorCollector, before: int
) -> dict[str, Any] | None:
    if not question["text"]:
        errors.add(question["line"], "the question has no text")
    return question if len(errors) == before else None


def _take_format(body: GiftSource) -> tuple[str, GiftSource]:
    match = _FORMAT_PREFIX.match(body.chars)
    if match is None or any(body.literal[: match.end()]):
        return DEFAULT_FORMAT, body
    return match.group(1), body[match.end() :].strip()


def _text(piece: GiftSource, question: dict, key: str) -> str:
    """A piece's text without its ``[format]`` prefix; a prefix given is kept in
    ``question["formats"][key]`` (otherwise the piece has the question text's format)."""
    piece = piece.strip()
    match = _FORMAT_PREFIX.match(piece.chars)
    if match is None or any(piece.literal[: match.end()]):
        return str(piece)
    question["formats"][key] = match.group(1)
    return str(piece[match.end() :].strip())


def _quote(text: object) -> str:
    shown = " ".join(str(text).split())
    return f"'{shown[:40]}...'" if len(shown) > 40 else f"'{shown}'"


def _number(text: str) -> float | None:
    if _NUMBER.fullmatch(text) is None:
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def _weight(item: GiftSource, default: float, errors: ErrorCollector) -> tuple[float, GiftSource]:
    """Read a leading ``%50%`` weight as a fraction; the rest of the answer follows."""
    if not item.startswith("%"):
        return default, item
    end = item.find("%", 1)
    if end < 0:
        errors.add(item.line, "the weight opened with '%' is not closed with '%', as in ~%50%")
        return default, item[1:]
    raw = str(item[1:end]).strip()
    percent = _number(raw)
    if percent is None:
        errors.add(item.line, f"weight '%{raw}%' is not a number, as in %50% or %-33.33333%")
    elif not -100 <= percent <= 100:
        errors.add(item.line, f"weight {raw}% is out of range: fractions go from -100% to 100%")
    else:
        return percent / 100, item[end + 1 :].strip()
    return default, item[end + 1 :].strip()


def _split_feedback(item: GiftSource, question: dict, key: str) -> tuple[str, str | None]:
    """An answer and its ``#feedback``, each without its ``[format]`` prefix."""
    mark = item.find("#")
    if mark < 0:
        return _text(item, question, f"{key}.text"), None
    return (_text(item[:mark], question, f"{key}.text"),
            _text(item[mark + 1 :], question, f"{key}.feedback") or None)


def _answer_list(
    items: list[tuple[str, GiftSource]], default: dict[str, float], question: dict,
    errors: ErrorCollector,
) -> list[dict[str, Any]]:
    choices = []
    for marker, piece in items:
        item = piece.strip()
        fraction, rest = _weight(item, default[marker], errors)
        text, feedback = _split_feedback(rest, question, f"choices.{len(choices)}")
        if not text:
            errors.add(item.line, f"an answer after '{marker}' is empty: delete the "
                                  f"'{marker}', or write \\{marker} for the character itself")
        choices.append({"text": text, "fraction": fraction, "feedback": feedback})
    return choices


def _with_lead(lead: GiftSource, items: list[tuple[str, GiftSource]], marker: str
               ) -> list[tuple[str, GiftSource]]:
    """Text before the first marker counts as one more item, as Moodle reads it."""
    return [(marker, lead), *items] if lead.strip() else items


def _full_marks(fractions: list[float]) -> bool:
    return any(math.isclose(fraction, 1.0, abs_tol=1e-9) for fraction in fractions)


def _choices(answers: GiftSource, line: int, question: dict, errors: ErrorCollector) -> None:
    lead, items = answers.items("~=")
    # "~=answer" is "=answer" to Moodle (its empty wrong answer is never saved).
    items = [(marker, piece) for index, (marker, piece) in enumerate(items)
             if not (marker == "~" and not piece.strip() and index + 1 < len(items)
                     and items[index + 1][0] == "=")]
    choices = _answer_list(_with_lead(lead, items, "~"), {"=": 1.0, "~": 0.0}, question, errors)
    single = any(marker == "=" for marker, _ in items)
    question.update(type="single" if single else "multiple", choices=choices)
    fractions = [choice["fraction"] for choice in choices]
    total = sum(fraction for fraction in fractions if fraction > 0)
    if len(choices) < 2:
        errors.add(line, "a multiple-choice question needs at least 2 answers")
    elif single and not _full_marks(fractions):
        errors.add(line, "no answer is fully right: mark it with '=' (or a weight of %100%)")
    elif not single and total == 0:
        errors.add(line, "no answer is right: mark one with '=', or weight several as ~%50%")
    elif not single and abs(total - 1) > _SUM_TOLERANCE:
        errors.add(line, f"the right answers' weights add up to {total * 100:g}%, not 100%")


def _short(answers: GiftSource, line: int, question: dict, errors: ErrorCollector) -> None:
    lead, items = answers.items("=")
    choices = _answer_list(_with_lead(lead, items, "="), {"=": 1.0}, question, errors)
    for index in range(len(choices)):  # an accepted answer is compared as plain text
        question["formats"].pop(f"choices.{index}.text", None)
    question.update(type="short", choices=choices)
    if choices and not _full_marks([choice["fraction"] for choice in choices]):
        errors.add(line, "no accepted answer is worth 100%")


def _truefalse(answers: GiftSource, question: dict, errors: ErrorCollector) -> None:
    lead, feedbacks = answers.items("#")
    if len(feedbacks) > 2:
        errors.add(
            feedbacks[2][1].line,
            "true/false takes at most two feedbacks, as in {T#shown if wrong#shown if right}",
        )
    answer = _TRUE_FALSE[str(lead.strip()).upper()]
    # The first feedback is shown for a wrong answer, the second for a right one.
    keys = ("feedback_false", "feedback_true") if answer else ("feedback_true", "feedback_false")
    wrong, right = ([_text(piece, question, key) or None
                     for key, (_, piece) in zip(keys, feedbacks, strict=False)]
                    + [None, None])[:2]
    question.update(
        type="truefalse",
        answer=answer,
        feedback_true=right if answer else wrong,
        feedback_false=wrong if answer else right,
    )


def _matching(answers: GiftSource, line: int, question: dict, errors: ErrorCollector) -> None:
    lead, items = answers.items("=")
    items = _with_lead(lead, items, "=")
    pairs = []
    for _, piece in items:
        item = piece.strip()
        arrow, mark = item.find("->"), item.find("#")
        if arrow < 0:
            errors.add(item.line, f"matching pair {_quote(item)} has no '->', as in =left -> right")
            continue
        if mark >= 0:
            errors.add(item.line_at(mark), "matching pairs take no feedback: write \\# for '#'")
        left = _text(item[:arrow], question, f"pairs.{len(pairs)}.left")
        right = str(item[arrow + 2 :].strip())
        if not right:
            errors.add(item.line, f"matching pair {_quote(item)} has nothing after '->'")
        pairs.append({"left": left, "right": right})
    question.update(type="matching", pairs=pairs)
    # A pair with nothing on the left is an extra wrong answer, not something to match.
    if len(items) - sum(1 for pair in pairs if not pair["left"]) < 2:
        errors.add(line, "a matching question needs at least 2 pairs, as in =a -> 1 =b -> 2")


def _numerical(body: GiftSource, line: int, question: dict, errors: ErrorCollector) -> None:
    lead, items = body.items("=~")
    entries = [("=", lead), *items] if lead.strip() else items
    answers: list[dict[str, Any]] = []
    wrong_feedback: list[str | None] = []
    for marker, piece in entries:
        item = piece.strip()
        if marker == "~":
            if not item.startswith("#"):
                errors.add(item.line, "in a numerical question '~' must be followed by '#feedback'")
            elif wrong_feedback:
                errors.add(item.line, "a numerical question takes one '~#' feedback")
            else:
                wrong_feedback.append(_text(item[1:], question, "feedback_wrong") or None)
            continue
        fraction, rest = _weight(item, 1.0, errors)
        value_text, feedback = _split_feedback(rest, question, f"numerical.{len(answers)}")
        question["formats"].pop(f"numerical.{len(answers)}.text", None)
        parsed = _numeric_answer(value_text)
        if isinstance(parsed, str):
            errors.add(item.line, parsed)
            continue
        value, tolerance = parsed
        answers.append(
            {"value": value, "tolerance": tolerance, "fraction": fraction, "feedback": feedback}
        )
    question.update(
        type="numerical", numerical=answers, feedback_wrong=(wrong_feedback or [None])[0]
    )
    if not entries or (not answers and all(marker == "~" for marker, _ in entries)):
        errors.add(line, "a numerical question needs an answer, as in {#3.14:0.01} or {#1..5}")
    elif answers and not _full_marks([answer["fraction"] for answer in answers]):
        errors.add(line, "no numerical answer is worth 100%")


def _numeric_answer(text: str) -> tuple[float, float] | str:
    """``3``, ``3:0.5`` or ``1..5`` as (value, tolerance), or what is wrong with it."""
    hint = " (write decimals with a dot: 3.14)" if "," in text else ""
    if not text:
        return "a numerical answer is empty"
    if ".." in text:
        low, high = (_number(part.strip()) for part in text.split("..", 1))
        if low is None or high is None:
            return f"range {_quote(text)} is not two numbers, as in {{#1..5}}{hint}"
        if low > high:
            return f"range {_quote(text)} starts above where it ends"
        # In decimal, so that {#3.141..3.142} gives 3.1415 and 0.0005, not float noise.
        low_exact, high_exact = (Decimal(part.strip()) for part in text.split("..", 1))
        value = float((low_exact + high_exact) / 2)
        tolerance = float((high_exact - low_exact) / 2)
    elif ":" in text:
        value_text, tolerance_text = text.split(":", 1)
        value, tolerance = _number(value_text.strip()), _number(tolerance_text.strip())
        if value is None or tolerance is None:
            return f"{_quote(text)} is not a number and a margin, as in {{#3:0.5}}{hint}"
        if tolerance < 0:
            return f"the margin in {_quote(text)} is negative"
    else:
        value, tolerance = _number(text), 0.0
        if value is None:
            return f"{_quote(text)} is not a number{hint}"
    if not (math.isfinite(value) and math.isfinite(tolerance)):
        return f"{_quote(text)} is too large a number"
    return value, tolerance
