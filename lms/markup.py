"""render_markdown(): the only way Markdown becomes HTML in this project.

Markdown is rendered with a fixed set of extensions, then sanitized with bleach
against an allow-list, so whatever an author or a participant writes (script
tags, event handlers, javascript: links, inline styles) comes out inert.
Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element  # noqa: S405 - building, not parsing

import bleach
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br code dd del details div dl dt em figcaption figure h1 h2 h3 h4
    h5 h6 hr i img ins kbd li mark ol p pre s section span strong sub summary sup table tbody
    td tfoot th thead tr ul""".split()
)
ALLOWED_CLASSES = frozenset(
    """admonition admonition-title note tip warning important example danger caution toc
    footnote footnote-ref footnote-backref""".split()
)
_LANGUAGE_CLASS = re.compile(r"^language-[a-z0-9+#-]{1,30}$")
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_PER_TAG = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name in _PER_TAG.get(tag, ()):
        return True
    if name == "id":
        return bool(re.fullmatch(r"[A-Za-z0-9_:.-]{1,100}", value))
    if name == "class":
        return all(c in ALLOWED_CLASSES or _LANGUAGE_CLASS.match(c) for c in value.split())
    return False


@dataclass
class Rendered:
    html: str
    # (level, anchor id, heading text) of every heading, in order.
    headings: list[tuple[int, str, str]] = field(default_factory=list)


class _LinkRewriter(Treeprocessor):
    """Rewrites link targets through a callback (module files to module ids)."""

    def __init__(self, md, rewrite: Callable[[str], str]):
        super().__init__(md)
        self.rewrite = rewrite

    def run(self, root: Element) -> None:
        for element in root.iter("a"):
            href = element.get("href")
            if href:
                element.set("href", self.rewrite(href))


class _LinkExtension(Extension):
    def __init__(self, rewrite: Callable[[str], str]):
        super().__init__()
        self.rewrite = rewrite

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_LinkRewriter(md, self.rewrite), "lms_links", 5)


def _flatten(tokens, out) -> None:
    for token in tokens:
        out.append((token["level"], token["id"], token["name"]))
        _flatten(token["children"], out)


def render_markdown(text: str, *, rewrite_link: Callable[[str], str] | None = None) -> Rendered:
    """Render Markdown (tables, footnotes, admonitions, [TOC]) to sanitized HTML."""
    extensions: list = [
        "tables",
        "footnotes",
        "admonition",
        "fenced_code",
        "sane_lists",
        "def_list",
        "abbr",
    ]
    md = markdown.Markdown(
        extensions=[*extensions, "toc"] + ([_LinkExtension(rewrite_link)] if rewrite_link else []),
        extension_configs={
            "toc": {"permalink": False, "toc_depth": "2-4", "title": ""},
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "%d"},
        },
        output_format="html",
    )
    raw = md.convert(text)
    clean = bleach.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=_allow_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    headings: list[tuple[int, str, str]] = []
    _flatten(getattr(md, "toc_tokens", []), headings)
    return Rendered(html=clean, headings=headings)
