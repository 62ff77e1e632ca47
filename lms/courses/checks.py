"""Checks of a module's Markdown body that rendering would hide: video directives and
tables with an empty header cell. Pure; problems carry the body's own line numbers."""

from __future__ import annotations

import re

from lms.sources import Problem
from lms.video import DIRECTIVE, check_video

_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", text)]


def check_body(body: str, body_line: int, path: str, videos) -> list[Problem]:
    problems: list[Problem] = []
    lines = body.split("\n")
    in_fence = False
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        number = body_line + offset
        if line.startswith("::video"):
            match = DIRECTIVE.match(line)
            if match is None:
                problems.append(Problem(path, number, "a video is written ::video[Title](URL), "
                                                      "optionally followed by {captions=id}"))
            else:
                message = check_video(match["title"], match["url"], videos)
                if message:
                    problems.append(Problem(path, number, message))
        if offset and _TABLE_RULE.match(line) and "|" in lines[offset - 1] + line:
            header = _cells(lines[offset - 1])
            empty = [i + 1 for i, cell in enumerate(header) if not cell]
            if empty:
                problems.append(Problem(
                    path, number - 1, f"table header cell {empty[0]} is empty; every column "
                                      "needs a heading so screen readers can name it"))
    return problems
