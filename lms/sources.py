"""The base of the content layer: problems, YAML with line numbers, one folder loader.

Pure: text in, values and `path:line: message` problems out. No Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader keeps marks (lines) on its nodes too, at several times the speed.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Located:
    """A parsed YAML document and the 1-based line of every key and item in it."""

    value: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    offset: int = 0  # added to every line (front matter starts below line 1)

    def line(self, *path) -> int:
        """Line of the deepest known prefix of path (the document start at worst)."""
        while path:
            if path in self.lines:
                return self.lines[path] + self.offset
            path = path[:-1]
        return self.lines.get((), 0) + self.offset


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, *, offset: int = 0) -> Located:
    """Parse one YAML document, recording lines and refusing duplicate keys.

    The text is parsed once: the node tree gives the lines, the same tree is then
    constructed into values (with libyaml's C loader where installed).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # At the end of the file the problem is where the unclosed thing began.
        if exc.context_mark and exc.problem_mark and exc.problem_mark.index >= len(text.rstrip()):
            mark = exc.context_mark
        line = (mark.line + 1) if mark else 1
        problem = exc.problem or str(exc)
        if exc.context and mark is exc.context_mark:
            problem = f"{problem} ({exc.context})"
        raise YamlError(line + offset, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1 + offset, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    located = Located(value=value, offset=offset)
    if node is not None:
        located.lines[()] = node.start_mark.line + 1
        duplicate = _walk(node, (), located.lines)
        if duplicate:
            line, key = duplicate
            raise YamlError(line + offset, f"duplicate key '{key}'")
    return located


def _walk(node, path: tuple, lines: dict) -> tuple[int, str] | None:
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                return key_node.start_mark.line + 1, key
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            found = _walk(value_node, path + (key,), lines)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            found = _walk(item, path + (index,), lines)
            if found:
                return found
    return None


@dataclass(frozen=True)
class Key:
    """One allowed key of a YAML mapping."""

    kind: type | tuple[type, ...]
    required: bool = False
    describe: str = ""


def check_mapping(
    doc: Located, path: str, schema: dict[str, Key], *, at: tuple = ()
) -> tuple[dict, list[Problem]]:
    """Check the mapping at `at` against schema: unknown, missing and mistyped keys."""
    problems: list[Problem] = []
    data = doc.value
    for part in at:
        data = data[part]
    if not isinstance(data, dict):
        return {}, [Problem(path, doc.line(*at), "expected a mapping of keys and values")]
    for key in data:
        if key not in schema:
            allowed = ", ".join(schema)
            problems.append(
                Problem(path, doc.line(*at, key), f"unknown key '{key}' (allowed: {allowed})")
            )
    for key, spec in schema.items():
        if key not in data or data[key] is None:
            if spec.required:
                problems.append(Problem(path, doc.line(*at), f"missing required key '{key}'"))
            continue
        value = data[key]
        kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
        if bool in kinds or not isinstance(value, bool):
            ok = isinstance(value, kinds)
        else:
            ok = False
        if not ok:
            what = spec.describe or " or ".join(k.__name__ for k in kinds)
            problems.append(Problem(path, doc.line(*at, key), f"'{key}' must be {what}"))
    return data, problems


def check_id(value: Any, path: str, line: int, what: str = "id") -> list[Problem]:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        return [
            Problem(
                path,
                line,
                f"{what} {value!r} must be lowercase letters, digits and hyphens "
                "(at most 80 characters)",
            )
        ]
    return []


def check_str_list(data: dict, key: str, doc: Located, path: str, at: tuple = ()) -> list[Problem]:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        return [Problem(path, doc.line(*at, key), f"'{key}' must be a list")]
    return [
        Problem(path, doc.line(*at, key, i), f"every item of '{key}' must be text")
        for i, item in enumerate(items)
        if not isinstance(item, str) or not item.strip()
    ]


@dataclass
class FrontMatter:
    """A Markdown file split at its `---` front matter: the YAML and the body below it."""

    doc: Located | None  # None when the front matter is not valid YAML
    body: str
    body_line: int  # 1-based line of the body's first line


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the `---` line closing the front matter of a Markdown file's lines, or
    None when the file does not start with one or never closes it."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)


def split_front_matter(raw: bytes | str, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Decode and split a module or assignment file; the problem names the line.

    When the front matter is not valid YAML the body is still returned (with doc None),
    so the body's own problems are reported in the same pass.
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None, [Problem(path, 1, "file is not UTF-8 text")]
    else:
        text = raw
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [Problem(path, 1, "missing front matter: the file must start with '---'")]
    end = front_matter_end(lines)
    if end is None:
        return None, [Problem(path, 1, "front matter is not closed by a '---' line")]
    body = "\n".join(lines[end + 1:])
    try:
        doc = parse_yaml("\n".join(lines[1:end]), offset=1)
    except YamlError as exc:
        return FrontMatter(doc=None, body=body, body_line=end + 2), [
            Problem(path, exc.line, exc.message)]
    if doc.value is None:
        return FrontMatter(doc=None, body=body, body_line=end + 2), [
            Problem(path, 1, "front matter is empty")]
    return FrontMatter(doc=doc, body=body, body_line=end + 2), []


# ---- reading files and walking folders: shared by every content kind ----

# A text file (module, quiz, assignment) above this is refused: nobody writes 1 MB by hand,
# and a huge file is usually a pasted binary or a generated dump.
MAX_TEXT_BYTES = 1024 * 1024
_LOOSE_ID = re.compile(r"^id:\s*[\"']?([a-z0-9][a-z0-9-]{0,79})[\"']?\s*$", re.M)
# The content folder being read; a symlink may not point outside it.
content_root: ContextVar[Path | None] = ContextVar("content_root", default=None)


def read_yaml(file: Path, path: str, reader: Callable[[Path], bytes] | None = None
              ) -> tuple[Located | None, list[Problem]]:
    """One YAML content file parsed with its lines, or the problems that refuse it:
    those of read_text, a YAML error at its line, an empty file."""
    text, problems = read_text(file, path, reader)
    if text is None:
        return None, problems
    return parse_content(text, path)


def parse_content(text: str, path: str) -> tuple[Located | None, list[Problem]]:
    """The text of a YAML content file parsed with its lines, or the problem that refuses
    it: a YAML error at its line, an empty file. (read_yaml for a file; a loader that also
    needs the text, as the quiz loader hashes it, calls read_text and then this.)"""
    try:
        doc = parse_yaml(text)
    except YamlError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    if doc.value is None:
        return None, [Problem(path, 1, "file is empty")]
    return doc, []


def read_text(file: Path, path: str, reader: Callable[[Path], bytes] | None = None
              ) -> tuple[str | None, list[Problem]]:
    """The text of one content file, or the problem that refuses it.

    Refuses a symlink that leaves the content folder, a file above MAX_TEXT_BYTES, a
    byte-order mark, Windows line endings and text that is not UTF-8.
    """
    problem = check_place(file, path)
    if problem:
        return None, [problem]
    size = file.stat().st_size
    if size > MAX_TEXT_BYTES:
        return None, [Problem(path, 1, f"file is {size / 1024 / 1024:.1f} MB; a text file may "
                                       f"be at most {MAX_TEXT_BYTES // 1024 // 1024} MB")]
    raw = (reader or Path.read_bytes)(file)
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(path, 1, "file starts with a byte-order mark (BOM); save it as "
                                       "UTF-8 without BOM")]
    if b"\r" in raw:
        line = raw[:raw.index(b"\r")].count(b"\n") + 1
        return None, [Problem(path, line, "Windows line endings (CR LF); save the file with "
                                          "Unix line endings (LF)")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "file is not UTF-8 text")]


def check_place(file: Path, path: str) -> Problem | None:
    """A symlink that leaves the content folder (or its own folder, outside a tree)."""
    root = content_root.get()
    if file.is_symlink() or root is not None:
        base = (root or file.parent).resolve()
        if not file.resolve().is_relative_to(base):
            return Problem(path, 1, "symlink points outside the content folder; copy the "
                                    "file into the course instead")
    if not file.exists():
        return Problem(path, 1, "broken symlink: the file it points to does not exist")
    return None


def loose_id(text: str | None) -> str | None:
    """The `id:` written at the top level of a file that failed its checks, if readable."""
    match = _LOOSE_ID.search(text or "")
    return match.group(1) if match else None


@dataclass
class Refused:
    """Items a folder could not load: kept at their last good version by the sync."""

    ids: set[str] = field(default_factory=set)
    unknown: bool = False  # a refused file whose id could not be read: keep every old item

    def keeps(self, item_id: str) -> bool:
        return self.unknown or item_id in self.ids


@dataclass
class Loaded:
    """What one folder of a kind gave: the valid items, every problem, what was refused."""

    items: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    refused: Refused = field(default_factory=Refused)


def load_folder(folder: Path, shown: str, *, suffix: str, what: str,
                load_one: Callable[[Path, str], tuple[Any, list[Problem]]]) -> Loaded:
    """Load every `*suffix` file of folder with load_one; refuse duplicates per file.

    A file with problems is refused alone: the others load. Hidden files are skipped.
    """
    loaded = Loaded()
    if not folder.is_dir():
        return loaded
    seen: dict[str, str] = {}
    for file in sorted(folder.iterdir()):
        if file.name.startswith(".") or not (file.is_file() or file.is_symlink()):
            continue
        path = f"{shown}/{file.name}"
        if file.suffix != suffix:
            loaded.problems.append(Problem(path, 0, f"only {what} files (NAME{suffix}) belong "
                                                    f"in {folder.name}/"))
            continue
        item, found = load_one(file, path)
        loaded.problems.extend(p for p in found if not p.message.startswith("warning:"))
        loaded.warnings.extend(p for p in found if p.message.startswith("warning:"))
        loaded.warnings.extend(getattr(item, "warnings", ()) or ())
        if item is not None and item.id in seen:
            loaded.problems.append(Problem(path, 1, f"{what} id '{item.id}' is already used "
                                                    f"by {seen[item.id]}"))
            continue
        if item is None:
            head = b""
            if check_place(file, path) is None:
                with file.open("rb") as handle:
                    head = handle.read(4096)
            refused_id = loose_id(head.decode("utf-8", "replace").lstrip("\ufeff")
                                  .replace("\r", ""))
            if refused_id:
                loaded.refused.ids.add(refused_id)
            else:
                loaded.refused.unknown = True
            continue
        seen[item.id] = path
        loaded.items.append(item)
    return loaded
