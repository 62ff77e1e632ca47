"""What the types share to build a question from a quiz file: Markdown, list entries,
fractions. Pure: no Flask, no database; problems are ``path:line: message``."""

from __future__ import annotations

from typing import Any

from lms.markup import render_markdown
from lms.sources import Key, Problem, check_mapping

NUMBER = (int, float)
FULL = 0.999999  # a fraction this high is full credit (a third written as 0.33333 x 3)

__all__ = ["FULL", "NUMBER", "Key", "Problem", "entries", "fraction", "markdown"]


def markdown(text: Any) -> str:
    """Markdown as sanitized HTML; "" for nothing."""
    return render_markdown(str(text)).html if text not in (None, "") else ""


def entries(doc, path: str, at: tuple, item: dict, key: str, schema: dict
            ) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Check each entry of the list ``item[key]`` against schema: the good (index, entry)
    pairs, and every problem."""
    found: list[Problem] = []
    good = []
    for index, entry in enumerate(item.get(key) or []):
        entry_at = (*at, key, index)
        if not isinstance(entry, dict):
            found.append(Problem(path, doc.line(*entry_at), f"each item of '{key}' must be a "
                                                            "mapping of keys"))
            continue
        _data, problems = check_mapping(doc, path, schema, at=entry_at)
        found.extend(problems)
        if not problems:
            good.append((index, entry))
    return good, found


def fraction(doc, path: str, at: tuple, entry: dict, low: float = -1.0
             ) -> tuple[float, list[Problem]]:
    """An entry's ``fraction`` (or 1 for ``correct: true``, else 0), checked to be low..1."""
    value = entry.get("fraction")
    if value is None:
        return (1.0 if entry.get("correct") else 0.0), []
    if not low <= value <= 1:
        return 0.0, [Problem(path, doc.line(*at, "fraction"),
                             f"'fraction' must be from {low:g} to 1")]
    return float(value), []
