"""Spelling of course content with Hunspell's dictionaries (Debian's hunspell-id, hunspell-en-us).

What participants read is checked: module and assignment bodies, and the text values of
course, quiz, assignment-front-matter and glossary files (titles, questions, choices, feedback,
rubric descriptions, definitions). Plain words are checked against Indonesian (id_ID); words in
*italics* (EYD V writes unabsorbed foreign terms in italics) against English or Indonesian. Code,
link targets, URLs, words with digits and acronyms (all capitals) are not checked. Words the
dictionaries do not know but the project accepts (names, terms) are listed one per line in
`tests/data/spelling/common.txt` and `tests/data/spelling/<course-id>.txt`.

Used by `scripts/spellcheck` and `tests/content/test_spelling.py`; needs the `hunspell` command.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from lms.sources import front_matter_end

TEXT_KEYS = {
    "title", "summary", "objectives", "instructors", "description", "text", "feedback",
    "general_feedback", "feedback_true", "feedback_false", "left", "right", "items",
    "distractors", "criterion", "label", "definition", "term", "grader_info",
}

SETTINGS_KEYS = {"review", "draw"}
_ADMONITION = re.compile(r"^\s*!!!\s+[a-z]+")  # !!! example "Judul": the kind is markup
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_URL = re.compile(r"(https?://|mailto:|www\.)\S+")
_REF = re.compile(r"\[\^[^\]]*\]:?")
_HTML = re.compile(r"<[^>]+>")
_ATTRS = re.compile(r"\{[a-z]+=[^}]*\}")
_TAGS = re.compile(r"(?<![\w&])[#@][\w.]+")  # #TagarPerpustakaan, @akun
# *kata asing* or _kata asing_, but not **tebal**; the span may not start or end with a space.
_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)(?=\S)([^*\n]+?)(?<=\S)\*(?!\*)"
                     r"|(?<![_\w])_(?!_)(?=\S)([^_\n]+?)(?<=\S)_(?![_\w])")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_CLITICS = ("nya", "lah", "kah", "pun")


@dataclass(frozen=True)
class Unknown:
    path: str
    line: int
    word: str
    write: str = ""  # the standard form, for a word in forbidden.txt

    def __str__(self) -> str:
        if self.write:
            return (f"{self.path}:{self.line}: '{self.word}' is not standard (EYD V, KBBI): "
                    f"write '{self.write}'")
        return f"{self.path}:{self.line}: unknown word '{self.word}'"


def hunspell_available() -> bool:
    return shutil.which("hunspell") is not None


def _unknown(words: set[str], dictionary: str) -> set[str]:
    if not words:
        return set()
    out = subprocess.run(  # noqa: S603 - words on stdin, never in the command line
        [shutil.which("hunspell") or "hunspell", "-d", dictionary, "-l", "-i", "utf-8"],
        input="\n".join(sorted(words)) + "\n", capture_output=True, text=True, check=True,
    ).stdout
    return {line for line in out.split("\n") if line}


def _words(line: str) -> tuple[list[str], list[str]]:
    """(plain words, italic words) of one line of Markdown."""
    line = _ADMONITION.sub(" ", line)
    line = _CODE.sub(" ", line)
    line = _LINK_TARGET.sub("] ", line)
    line = _URL.sub(" ", line)
    line = _REF.sub(" ", line)
    line = _HTML.sub(" ", line)
    line = _ATTRS.sub(" ", line)
    line = _TAGS.sub(" ", line)
    italic: list[str] = []

    def take(match: re.Match) -> str:
        italic.extend(_WORD.findall(match.group(1) or match.group(2)))
        return " "

    line = _ITALIC.sub(take, line)
    return _WORD.findall(line), italic


def _checked(word: str) -> bool:
    if len(word) < 2 or word.isupper() or any(c.isdigit() for c in word):
        return False
    # MixedCase brand names (YouTube, TikTok) are checked like any word: list them.
    return True


_REFERENCES = re.compile(r"^#{2,6}\s+(Daftar Pustaka|Referensi|Rujukan|Sumber)\b", re.I)
_FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:")


def _markdown_lines(text: str, start: int = 1):
    """Lines of prose: not code, nor references (authors, publishers and cities are names:
    a `## Daftar Pustaka` section and footnote definitions are left to the reviewer)."""
    fenced = references = footnote = False
    for number, line in enumerate(text.split("\n"), start):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if line.startswith("#"):
            references = bool(_REFERENCES.match(line))
        if _FOOTNOTE.match(line):
            footnote = True
        elif footnote and line.strip() and not line.startswith((" ", "\t")):
            footnote = False
        if fenced or references or footnote or line.strip() == "[TOC]":
            continue
        yield number, line


def _yaml_lines(text: str, start: int = 1):
    """(line number, text) of every text value, in a YAML document starting at line `start`."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return
    lines = text.split("\n")

    def values(node, key=None):
        if isinstance(node, yaml.MappingNode):
            if key in SETTINGS_KEYS:
                return  # review: {feedback: after_close} is a setting, not text
            for k, v in node.value:
                yield from values(v, k.value if isinstance(k, yaml.ScalarNode) else None)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                yield from values(item, key)
        elif isinstance(node, yaml.ScalarNode) and key in TEXT_KEYS \
                and node.tag == "tag:yaml.org,2002:str":
            yield node

    if node is None:
        return
    for scalar in values(node):
        first, last = scalar.start_mark.line, scalar.end_mark.line
        end_column = scalar.end_mark.column
        if end_column == 0 and last > first:
            last, end_column = last - 1, None  # a block scalar ends where the next key starts
        for index in range(first, min(last, len(lines) - 1) + 1):
            if index == first and scalar.style in ("|", ">"):
                continue  # the indicator line
            line = lines[index]
            if index == last and end_column is not None:
                line = line[:end_column]  # a value in a flow mapping: {label: x, points: 3}
            if index == first:
                line = line[scalar.start_mark.column:]
            yield start + index, line


def _front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, line number where the body starts) of a Markdown file."""
    lines = text.split("\n")
    end = front_matter_end(lines)
    if end is None:
        return "", text, 1
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1:]), end + 2


def file_lines(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        front, body, body_start = _front_matter(text)
        yield from _yaml_lines(front, 2)
        yield from _markdown_lines(body, body_start)
    elif path.suffix == ".yml":
        yield from _yaml_lines(text)


def course_files(folder: Path) -> list[Path]:
    files = [folder / "course.yml", folder / "glossary.yml"]
    for sub in ("modules", "assignments"):
        files += sorted((folder / sub).glob("*.md"))
    files += sorted((folder / "quizzes").glob("*.yml"))
    return [f for f in files if f.is_file()]


def word_list(lists: Path, course_id: str) -> set[str]:
    accepted: set[str] = set()
    for name in ("common.txt", f"{course_id}.txt"):
        file = lists / name
        if file.is_file():
            accepted |= {w.strip().lower() for w in file.read_text(encoding="utf-8").split("\n")
                         if w.strip() and not w.startswith("#")}
    return accepted


def forbidden(lists: Path) -> dict[str, str]:
    """`tests/data/spelling/forbidden.txt`: `word -> standard form`, flagged even where a
    dictionary knows the word (Hunspell's Indonesian list has some nonstandard forms)."""
    file = lists / "forbidden.txt"
    pairs: dict[str, str] = {}
    if file.is_file():
        for line in file.read_text(encoding="utf-8").split("\n"):
            if "->" in line and not line.startswith("#"):
                word, _, write = line.partition("->")
                pairs[word.strip().lower()] = write.strip()
    return pairs


def check_course(folder: Path, lists: Path, base: Path | None = None) -> list[Unknown]:
    """Every unknown word in one course folder, by file and line (paths shown relative to
    `base`, by default the content folder's parent)."""
    course_id = folder.name
    course_yml = folder / "course.yml"
    if course_yml.is_file():
        try:
            course_id = (yaml.safe_load(course_yml.read_text(encoding="utf-8")) or {}).get(
                "id", course_id)
        except yaml.YAMLError:
            pass
    accepted = word_list(lists, course_id)
    nonstandard = forbidden(lists)
    flagged: list[Unknown] = []
    found: list[tuple[str, int, str, bool]] = []
    for file in course_files(folder):
        shown_path = str(file.relative_to(base or folder.parent.parent))
        for number, line in file_lines(file):
            plain, italic = _words(line)
            for word, is_italic in [(w, False) for w in plain] + [(w, True) for w in italic]:
                for part in word.replace("’", "'").split("-"):
                    part = part.strip("'")
                    if part.lower() in nonstandard and not is_italic:
                        flagged.append(Unknown(shown_path, number, part, nonstandard[part.lower()]))
                    elif _checked(part) and part.lower() not in accepted:
                        found.append((shown_path, number, part, is_italic))
    plain_words = {w for _, _, w, it in found if not it}
    italic_words = {w for _, _, w, it in found if it}
    bad_id = _unknown(plain_words | italic_words, "id_ID")
    bad_id -= _known_with_clitic(bad_id)
    bad_en = _unknown(italic_words & bad_id, "en_US")
    unknown = flagged
    for path, number, word, is_italic in found:
        if word in bad_id and (not is_italic or word in bad_en):
            unknown.append(Unknown(path, number, word))
    return sorted(set(unknown), key=lambda u: (u.path, u.line, u.word))


def _known_with_clitic(words: set[str]) -> set[str]:
    """`bukunya`, `bacalah`, `apakah`: the words that are a known word plus a clitic."""
    roots = {w: [w[: -len(c)] for c in _CLITICS if w.lower().endswith(c) and len(w) > len(c) + 2]
             for w in words}
    candidates = {r for rs in roots.values() for r in rs}
    bad = _unknown(candidates, "id_ID")
    return {w for w, rs in roots.items() if any(r not in bad for r in rs)}


def check_tree(root: Path, lists: Path, courses: list[str] | None = None) -> list[Unknown]:
    unknown: list[Unknown] = []
    for folder in sorted(p for p in root.iterdir() if (p / "course.yml").is_file()):
        if courses and folder.name not in courses:
            continue
        unknown += check_course(folder, lists, root.parent)
    return unknown
