"""A course's glossary.yml: terms linked on their first use in each module, and listed on
the course's glossary page. Pure; a term defined twice refuses the file."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from lms.markup import GlossaryTerm, render_markdown
from lms.sources import Key, Problem, check_mapping, read_yaml

GLOSSARY_FILE = "glossary.yml"
SCHEMA = {"terms": Key(list, True, "a list of {term, definition}")}
TERM_SCHEMA = {"term": Key(str, True), "definition": Key(str, True)}


def anchor(term: str) -> str:
    return "istilah-" + (re.sub(r"[^a-z0-9]+", "-", term.casefold()).strip("-") or "x")


def load_glossary(file: Path, path: str, reader: Callable[[Path], bytes] | None = None
                  ) -> tuple[list[GlossaryTerm] | None, list[Problem]]:
    doc, problems = read_yaml(file, path, reader)
    if doc is None:
        return None, problems
    data, problems = check_mapping(doc, path, SCHEMA)
    terms: list[GlossaryTerm] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data.get("terms") or []):
        at = ("terms", index)
        if not isinstance(entry, dict):
            problems.append(Problem(path, doc.line(*at), "each term must be a mapping with "
                                                         "term and definition"))
            continue
        _entry, found = check_mapping(doc, path, TERM_SCHEMA, at=at)
        problems.extend(found)
        if found:
            continue
        term = entry["term"].strip()
        key = term.casefold()
        line = doc.line(*at, "term")
        if key in seen:
            problems.append(Problem(path, line, f"term '{term}' is already defined on line "
                                                f"{seen[key]}"))
            continue
        seen[key] = line
        definition = render_markdown(entry["definition"]).html
        plain = html.unescape(re.sub(r"<[^>]+>", "", definition)).strip()
        terms.append(GlossaryTerm(term=term, anchor=anchor(term), definition=plain,
                                  html=definition))
    return (None if problems else terms), problems
