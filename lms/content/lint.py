"""Warnings for what YAML allows but an author rarely means: a ` #` that cuts a value.

In a plain (unquoted) YAML value, ` #` starts a comment, so `text: Pakai tagar
#perpustakaan` stores only "Pakai tagar". Hashtags are everywhere in a course about
social media; the fix is to quote the value or use a block scalar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from lms.sources import Problem, front_matter_end

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_COMMENT = re.compile(r"^[ \t]+#")


def comment_warnings(root: Path, shown: Path) -> list[Problem]:
    """Every cut value in the .yml files and module front matter below root."""
    warnings: list[Problem] = []
    for file in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in file.relative_to(root).parts):
            continue
        if not file.is_file() or file.suffix not in (".yml", ".md"):
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # refused by its loader with its own problem
        path = str(shown / file.relative_to(root))
        offset = 0
        if file.suffix == ".md":
            lines = text.split("\n")
            end = front_matter_end(lines)
            if end is None:
                continue
            text, offset = "\n".join(lines[1:end]), 1
        warnings.extend(cut_values(text, path, offset))
    return warnings


def cut_values(text: str, path: str, offset: int = 0) -> list[Problem]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # a YAML error is the loader's problem
    lines = text.split("\n")
    found: list[Problem] = []
    for scalar in _values(node):
        if scalar.style is not None or scalar.tag not in (_STR, _NULL):
            continue
        end = scalar.end_mark
        rest = lines[end.line][end.column:] if end.line < len(lines) else ""
        if _COMMENT.match(rest):
            kept = scalar.value
            found.append(Problem(path, end.line + 1 + offset, (
                f"warning: ' #' starts a YAML comment, so this value stops at {kept!r} and "
                f"'{rest.strip()}' is lost; quote the value (\"...\") or use a block "
                "scalar (|)")))
    return found


def _values(node):
    if isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _values(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _values(item)
    elif isinstance(node, yaml.ScalarNode):
        yield node


# --- Near-duplicate questions -------------------------------------------------------------

_WORDS = re.compile(r"[^\W\d_]+|\d+")
_MARKUP = re.compile(r"[*_`>#|\[\]()!]")
NEAR = 0.6  # difflib ratio of two normalised questions (stem and choices) that warns


@dataclass(frozen=True)
class _Question:
    path: str
    line: int
    id: str
    text: str
    words: frozenset


def _questions(root: Path, shown: Path) -> list[_Question]:
    found: list[_Question] = []
    for file in sorted(root.glob("*/quizzes/*.yml")):
        if any(part.startswith(".") for part in file.relative_to(root).parts):
            continue
        try:
            node = yaml.compose(file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (UnicodeDecodeError, OSError, yaml.YAMLError):
            continue  # the quiz loader names the problem
        if not isinstance(node, yaml.MappingNode):
            continue
        questions = next((v for k, v in node.value if getattr(k, "value", None) == "questions"),
                         None)
        if not isinstance(questions, yaml.SequenceNode):
            continue
        for item in questions.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            keys = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            text, qtype = keys.get("text"), keys.get("type")
            if not isinstance(text, yaml.ScalarNode) \
                    or getattr(qtype, "value", "") == "description":
                continue
            # The stem with its choices (or pairs, items, answers): two questions that share a
            # stem pattern ("Manakah pernyataan yang paling tepat tentang ...") but ask about
            # different things differ in what they offer.
            parts = [text.value] + _answer_texts(keys)
            normal = " ".join(_WORDS.findall(_MARKUP.sub(" ", " ".join(parts).lower())))
            words = frozenset(w for w in normal.split() if len(w) > 2)
            if len(words) < 4:
                continue  # "Urutkan langkah berikut." is not a duplicate of anything
            qid = getattr(keys.get("id"), "value", "?")
            found.append(_Question(str(shown / file.relative_to(root)), item.start_mark.line + 1,
                                   str(qid), normal, words))
    return found


def _answer_texts(keys: dict) -> list[str]:
    texts: list[str] = []
    for name in ("choices", "pairs", "items", "answers"):
        node = keys.get(name)
        if not isinstance(node, yaml.SequenceNode):
            continue
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                texts.append(item.value)
            elif isinstance(item, yaml.MappingNode):
                texts.extend(v.value for k, v in item.value
                             if getattr(k, "value", None) in ("text", "left", "right")
                             and isinstance(v, yaml.ScalarNode))
    return texts


def duplicate_questions(root: Path, shown: Path) -> list[Problem]:
    """A warning for each question whose text is nearly the same as an earlier one, in the
    same quiz, between a pre-test and post-test, or across courses."""
    from difflib import SequenceMatcher

    questions = _questions(root, shown)
    warnings: list[Problem] = []
    for index, question in enumerate(questions):
        for earlier in questions[:index]:
            shared = len(question.words & earlier.words)
            if shared * 2 < min(len(question.words), len(earlier.words)):
                continue  # fewer than half the words in common: not worth comparing further
            ratio = SequenceMatcher(None, earlier.text, question.text, autojunk=False).ratio()
            if ratio >= NEAR:
                where = (f"line {earlier.line}" if earlier.path == question.path
                         else f"{earlier.path}:{earlier.line}")
                warnings.append(Problem(
                    question.path, question.line,
                    f"warning: question '{question.id}' is nearly the same as '{earlier.id}' "
                    f"({where}, {round(ratio * 100)}% alike); a test measures more with "
                    f"different questions"))
                break
    return warnings
