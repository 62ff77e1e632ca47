"""render_markdown(): the only way Markdown becomes HTML in this project.

Markdown is rendered with a fixed set of extensions, then sanitized with bleach
against an allow-list, so whatever an author or a participant writes (script
tags, event handlers, javascript: links, inline styles) comes out inert.
Pure: no Flask, no database.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element  # noqa: S405 - building, not parsing

import bleach
import bleach.sanitizer
import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from lms import video

ALLOWED_TAGS = frozenset(
    """a abbr b blockquote br code dd del details div dl dt em figcaption figure h1 h2 h3 h4
    h5 h6 hr i img ins kbd li mark ol p pre s section span strong sub summary sup table tbody
    td tfoot th thead tr ul""".split()
)
ALLOWED_CLASSES = frozenset(
    """admonition admonition-title note tip warning important example danger caution toc
    footnote footnote-ref footnote-backref glossary-term""".split()
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


@dataclass
class _Call:
    """What one render_markdown call asks for; the shared Markdown instance reads it."""

    rewrite: Callable[[str], str] | None = None
    videos: tuple = ()
    glossary: list | None = None
    glossary_href: str = "../glossary"
    token: str = ""
    frames: dict[str, str] = field(default_factory=dict)


class _LinkRewriter(Treeprocessor):
    """Rewrites link targets through the call's callback (module files to module ids)."""

    def run(self, root: Element) -> None:
        rewrite = self.md.lms_call.rewrite
        if rewrite is None:
            return
        for element in root.iter("a"):
            href = element.get("href")
            if href:
                element.set("href", rewrite(href))


class _VideoDirective(Preprocessor):
    """`::video[Title](URL)` lines become placeholders, filled after sanitizing with the
    frame built by lms.video (never with anything the author wrote as HTML)."""

    def run(self, lines: list[str]) -> list[str]:
        call = self.md.lms_call
        out = []
        for line in lines:
            match = video.DIRECTIVE.match(line)
            if match and video.find_video(match["url"], call.videos) is None:
                # Not an allowed video: an ordinary link, sanitized like any other.
                out.append(f"[{match['title'] or match['url']}](<{match['url']}>)")
            elif match:
                key = f"{call.token}{len(call.frames)}"
                call.frames[key] = video.frame_html(match["title"], match["url"],
                                                    match["captions"], call.videos)
                out.extend(["", key, ""])
            else:
                out.append(line)
        return out


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    anchor: str
    definition: str  # plain text, shown as the link's title
    html: str = ""  # the definition rendered, for the glossary page


_NO_GLOSSARY = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "abbr"}


class _GlossaryLinker(Treeprocessor):
    """Links the first use of each glossary term in a module to the glossary page."""

    _compiled: tuple = ((), None, {})

    def run(self, root: Element) -> None:
        call = self.md.lms_call
        if not call.glossary:
            return
        terms = tuple(call.glossary)
        if self._compiled[0] != terms:
            ordered = sorted(terms, key=lambda t: -len(t.term))  # longest first
            pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t.term) for t in ordered)
                                 + r")(?!\w)", re.I)
            self._compiled = (terms, pattern, {t.term.casefold(): t for t in ordered})
        _terms, self.pattern, by_name = self._compiled
        self.href = call.glossary_href
        self.left = dict(by_name)
        self._walk(root)

    def _walk(self, element: Element) -> None:
        if element.tag in _NO_GLOSSARY or not self.left:
            return
        element.text = self._link(element.text, element, 0)
        for child in list(element):
            self._walk(child)
            child.tail = self._link(child.tail, element, list(element).index(child) + 1)

    def _link(self, text: str | None, parent: Element, index: int) -> str | None:
        if not text or not self.left:
            return text
        for match in self.pattern.finditer(text):
            term = self.left.pop(match.group(1).casefold(), None)
            if term is None:
                continue
            link = Element("a", {"href": f"{self.href}#{term.anchor}", "class": "glossary-term",
                                 "title": term.definition})
            link.text = match.group(1)
            link.tail = text[match.end():]
            parent.insert(index, link)
            link.tail = self._link(link.tail, parent, index + 1)
            return text[:match.start()]
        return text


class _LmsExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API name
        md.preprocessors.register(_VideoDirective(md), "lms_video", 25)
        md.treeprocessors.register(_GlossaryLinker(md), "lms_glossary", 4)
        md.treeprocessors.register(_LinkRewriter(md), "lms_links", 5)


# Building a Markdown instance with its extensions costs more than a short conversion:
# each thread keeps one (with its bleach Cleaner) and resets it between calls.
_local = threading.local()


def _instances() -> tuple[markdown.Markdown, bleach.sanitizer.Cleaner]:
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(
            extensions=["tables", "footnotes", "admonition", "fenced_code", "sane_lists",
                        "def_list", "abbr", "toc", _LmsExtension()],
            extension_configs={
                "toc": {"permalink": False, "toc_depth": "2-4", "title": ""},
                "tables": {"use_align_attribute": True},
                "footnotes": {"BACKLINK_TITLE": "%d"},
            },
            output_format="html",
        )
        _local.cleaner = bleach.sanitizer.Cleaner(
            tags=ALLOWED_TAGS, attributes=_allow_attribute, protocols=ALLOWED_PROTOCOLS,
            strip=True, strip_comments=True)
    return _local.md, _local.cleaner


def _flatten(tokens, out) -> None:
    for token in tokens:
        out.append((token["level"], token["id"], token["name"]))
        _flatten(token["children"], out)


def render_markdown(text: str, *, rewrite_link: Callable[[str], str] | None = None,
                    videos=(), glossary: list[GlossaryTerm] | None = None,
                    glossary_href: str = "../glossary") -> Rendered:
    """Render Markdown (tables, footnotes, admonitions, [TOC]) to sanitized HTML.

    `::video[Title](URL)` lines from the providers in videos become frames (course content
    passes the site's providers; elsewhere, as in forum posts, a directive is only a
    link); the first use of each glossary term becomes a link to the glossary page.
    """
    md, cleaner = _instances()
    call = _Call(rewrite=rewrite_link, videos=tuple(videos), glossary=glossary,
                 glossary_href=glossary_href, token=f"lmsvideo{secrets.token_hex(8)}x")
    md.reset()
    md.lms_call = call
    try:
        raw = md.convert(text)
        headings: list[tuple[int, str, str]] = []
        _flatten(getattr(md, "toc_tokens", []), headings)
    finally:
        md.lms_call = None
        md.reset()
    clean = cleaner.clean(raw)
    for key, frame in call.frames.items():  # only our own frames, after sanitizing
        clean = clean.replace(f"<p>{key}</p>", frame)
    return Rendered(html=clean, headings=headings)


_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def emphasis(text: str | None):
    """A plain-text field (a course's summary, an objective) with its `*italics*`: EYD V
    writes foreign terms in italics there too. Everything is escaped first; only `*x*`
    becomes `<em>x</em>`, nothing else of Markdown."""
    from markupsafe import Markup, escape

    return Markup(_EMPHASIS.sub(r"<em>\1</em>", str(escape(text or ""))))  # noqa: S704
