"""Warnings for what YAML allows but an author rarely means: a ` #` that cuts a value.

In a plain (unquoted) YAML value, ` #` starts a comment, so `text: Pakai tagar
#perpustakaan` stores only "Pakai tagar". Hashtags are everywhere in a course about
social media; the fix is to quote the value or use a block scalar.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from lms.sources import Problem

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
            if not lines or lines[0].strip() != "---":
                continue
            end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
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
