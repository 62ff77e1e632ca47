"""YAML with line numbers and small schema checks, for every content loader.

Pure: text in, values and `path:line: message` problems out. No Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

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
    """Parse one YAML document, recording lines and refusing duplicate keys."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        value = yaml.safe_load(text)
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

    doc: Located
    body: str
    body_line: int  # 1-based line of the body's first line


def split_front_matter(raw: bytes, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Decode and split a module or assignment file; the problem names the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(path, 1, "file is not UTF-8 text")]
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [Problem(path, 1, "missing front matter: the file must start with '---'")]
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return None, [Problem(path, 1, "front matter is not closed by a '---' line")]
    try:
        doc = parse_yaml("\n".join(lines[1:end]), offset=1)
    except YamlError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    if doc.value is None:
        return None, [Problem(path, 1, "front matter is empty")]
    return FrontMatter(doc=doc, body="\n".join(lines[end + 1:]), body_line=end + 2), []
