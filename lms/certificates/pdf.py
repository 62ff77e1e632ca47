"""The certificate PDF: page 1 the certificate, page 2 the transcript of courses.

Rendered from a plain dict the caller builds (see render_certificate_pdf), so this module
needs no Flask app and no database. HTML comes from a Jinja2 template with autoescape on,
and WeasyPrint may read nothing but files under lms/static/: whatever a participant typed
as their name is printed as text and can never make the server fetch a URL.
"""

from __future__ import annotations

import functools
import gc
import io
import itertools
import mimetypes
import re
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import cssselect2
import pydyf
import weasyprint
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from weasyprint.css import ColorProfile
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lms.certificates import qr_mask, weasyprint_speed

PACKAGE_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
DEFAULT_TEMPLATE = "certificates/pdf.html"
# The certificate's stylesheet, parsed once per process and given to every render (the
# template has no <link>: WeasyPrint would fetch, parse and compile its selectors again
# for each certificate, about a tenth of a render).
CERTIFICATE_CSS = "certificates/certificate.css"

# PDF/A-3b: an archival PDF (fonts embedded, sRGB output intent, XMP metadata) that
# WeasyPrint 70 produces from its own bundled ICC profile; "b" promises faithful
# appearance, which is what a certificate kept for years needs.
PDF_VARIANT = "pdf/a-3b"
QR_ALT = "Kode QR menuju halaman pemeriksaan keaslian sertifikat ini"
_OUTPUT_INTENT = "certificate-srgb"

# Extensions we ship in lms/static/ whose type must be exact: WeasyPrint refuses a
# stylesheet unless it is served as text/css, and font sniffing is not worth relying on.
_CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class ResourceRefused(ValueError):
    """The renderer asked for something outside lms/static/; WeasyPrint skips it."""


class StaticFileFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only regular files under one directory.

    Every other request (http, https, ftp, data:, a file elsewhere, a `..` escape, a
    symlink pointing out) is refused with ResourceRefused, which WeasyPrint logs and
    skips, so the PDF still renders. Every call is logged in `requested`, and each refusal
    in `refused`, so tests can prove that nothing was attempted.
    """

    def __init__(self, root: Path = STATIC_DIR, *, log: bool = True) -> None:
        # No network handler is ever used: fetch() below never calls the parent's.
        super().__init__(allowed_protocols=("file",))
        self.root = root.resolve(strict=True)
        # The process-wide fetcher (log=False) keeps no list, which would only grow.
        self.log = log
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if self.log:
            self.requested.append(url)
        try:
            path = self._local_path(url)
        except ResourceRefused:
            if self.log:
                self.refused.append(url)
            raise
        content_type = _CONTENT_TYPES.get(path.suffix.lower())
        if content_type is None:
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def _local_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ResourceRefused(f"only files under {self.root} may be read, not {url!r}")
        try:
            # resolve() follows symlinks and collapses "..", so the containment check
            # below sees where the bytes really are, not what the URL claims.
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, ValueError) as error:
            raise ResourceRefused(f"cannot read {url!r}: {error}") from None
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ResourceRefused(f"{url!r} is outside {self.root}")
        return path


def date_id(value: date) -> str:
    """An Indonesian long date: 17 Agustus 2026."""
    return format_date(value, "d MMMM y", locale="id")


def date_range_id(starts_on: date, ends_on: date) -> str:
    """A period in Indonesian: "1 s.d. 20 Desember 2026" within one month, else full dates."""
    if starts_on == ends_on:
        return date_id(starts_on)
    if (starts_on.year, starts_on.month) == (ends_on.year, ends_on.month):
        return f"{starts_on.day} s.d. {date_id(ends_on)}"
    return f"{date_id(starts_on)} s.d. {date_id(ends_on)}"


def score_id(value: float | None) -> str:
    """A score with an Indonesian decimal comma (85,50); a dash when there is none."""
    if value is None:
        return "\u2013"
    return format_decimal(value, format="0.00", locale="id")


def nbsp(text: str) -> str:
    """Text whose spaces never break a line (a no-break space is cheaper to lay out than
    a nowrap span, which is one more inline box)."""
    return str(text).replace(" ", "\u00a0")


def qr_svg(url: str) -> Markup:
    """The verification address as an inline SVG QR code, sized by CSS.

    One stroked path that runs along every row of modules (left to right, then right to
    left), inked by a dash pattern where the modules are dark: two path commands a row.
    WeasyPrint draws a path command by command in Python, and segno's own path (a move and
    a line for each run of dark modules, about 570 commands for a verification address)
    was most of the QR code's cost; the drawing is the same to the pixel.
    """
    matrix = qr_mask.segno_make(url, error="m").matrix
    size = len(matrix)
    path, dashes = _qr_stroke(matrix)
    # Markup is safe here: only numbers and path commands, never the URL, and a fixed
    # title (the QR code's alternative text in the tagged PDF; the address itself is
    # printed under the code).
    return Markup(  # noqa: S704 - see the comment above
        f'<svg viewBox="0 0 {size} {size}" class="qr-code"><title>{QR_ALT}</title>'
        f'<path fill="none" stroke="#111" stroke-dasharray="{dashes}" d="{path}"/></svg>'
    )


def _qr_stroke(matrix) -> tuple[str, str]:
    """The serpentine path over a QR matrix and the dash pattern that inks its dark modules.

    The path runs along the middle of each row, half a module beyond the symbol on either
    side, then one module down outside it: no dash ever ends on a corner of the path
    (a line join there would ink the quiet zone), and the turns fall in gaps.
    """
    size = len(matrix)
    commands = ["M-.5 .5"]
    pattern = [0]  # the path starts in a gap: a first dash of length 0
    gap = 0.5
    for y, row in enumerate(matrix):
        forward = y % 2 == 0
        commands.append(f"H{size}.5" if forward else "H-.5")
        if y < size - 1:
            commands.append("v1")
        for dark, run in itertools.groupby(row if forward else reversed(row)):
            length = sum(1 for _ in run)
            if dark:
                pattern += [gap, length]
                gap = 0
            else:
                gap += length
        gap += 2  # half a module past the row, the turn, half a module before the next
    pattern.append(gap)
    return "".join(commands), " ".join(f"{value:g}" for value in pattern)


@functools.cache
def _environment() -> Environment:
    # One environment per process so templates compile once; FileSystemLoader still
    # notices edited files.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        # A key the caller forgot fails loudly instead of printing an empty line on a
        # document people will frame.
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date_id"] = date_id
    env.filters["score_id"] = score_id
    env.filters["nbsp"] = nbsp
    env.globals["date_range_id"] = date_range_id
    return env


def certificate_html(data: dict, *, template_path: Path | None = None) -> str:
    """The certificate as HTML, from the default template or a program's override file.

    The override is read from disk and compiled in the same autoescaping environment,
    so it may `{% extends "certificates/pdf.html" %}` and replace only some blocks.
    """
    env = _environment()
    if template_path is None:
        template = env.get_template(DEFAULT_TEMPLATE)
    else:
        template = env.from_string(Path(template_path).read_text(encoding="utf-8"))
    return template.render(
        **data,
        period=date_range_id(data["starts_on"], data["ends_on"]),
        qr_svg=qr_svg(data["verify_url"]),
    )


@functools.cache
def _srgb_icc() -> bytes:
    return resources.files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()


def _srgb_profile() -> ColorProfile:
    # WeasyPrint 70 opens its bundled sRGB profile for the PDF/A output intent and never
    # closes the file, a ResourceWarning on every render (an error under our pytest
    # settings). The same profile, read here (once per process) and closed, under a name
    # of our own, makes WeasyPrint skip that code path. Revisit when upgrading WeasyPrint.
    return ColorProfile(
        io.BytesIO(_srgb_icc()), "sRGB2014.icc", "relative-colorimetric",
        (["r"], ["g"], ["b"]),
    )


@functools.cache
def _font_config() -> FontConfiguration:
    # One font configuration per process, not one per render: a new one loads the whole
    # system Fontconfig set again and registers our @font-face files again, and Pango and
    # Fontconfig do not give all of it back, so the resident memory of a worker grew by
    # about 240 KiB a certificate (docs/benchmarks.md). Reused, each bundled font face is
    # registered once (WeasyPrint keys them by their descriptors).
    return FontConfiguration()


@functools.cache
def _shared_fetcher() -> StaticFileFetcher:
    return StaticFileFetcher(log=False)


def _stylesheet(name: str, fetcher: StaticFileFetcher) -> weasyprint.CSS:
    # Parsing registers the @font-face rules in the process's font configuration (once:
    # WeasyPrint keys the faces by their descriptors).
    return weasyprint.CSS(
        url=(fetcher.root / name).as_uri(), url_fetcher=fetcher, font_config=_font_config()
    )


@functools.cache
def _shared_stylesheet(name: str) -> weasyprint.CSS:
    return _stylesheet(name, _shared_fetcher())


# WeasyPrint's user-agent stylesheet gives every element five pseudo-elements for
# footnotes and notes (::footnote-call, ::footnote-marker, ::note-call, ::note-marker,
# ::note-callback), and the cascade computes a style for each of them: about half of the
# style step of a certificate, which has no footnote or note. Without those five rules
# the PDF is byte for byte the same (tests/certificates/test_pdf.py checks it).
_NOTE_RULES = re.compile(
    r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n",
    re.MULTILINE,
)


@functools.cache
def _user_agent_stylesheet() -> weasyprint.CSS | None:
    from weasyprint import html as weasyprint_html

    lean, removed = _NOTE_RULES.subn("", weasyprint_html.UA)
    if removed != 5:
        return None  # WeasyPrint's stylesheet changed: keep it whole
    return weasyprint.CSS(string=lean, counter_style=weasyprint_html.UA_COUNTER_STYLE)


class _DocumentHTML(weasyprint.HTML):
    """weasyprint.HTML with the user-agent stylesheet less its footnote and note rules,
    and made from a tree already parsed (`from_tree`) as well as from a string.

    `_ua_stylesheets` is the hook WeasyPrint's own tests override; revisit when
    upgrading WeasyPrint (if the rules change, the whole stylesheet is used).
    """

    # from_tree repeats what weasyprint.HTML.__init__ of WeasyPrint 70 sets.
    FROM_TREE_OK = weasyprint.__version__.startswith("70.")

    @classmethod
    def from_tree(cls, root, *, base_url: str, url_fetcher) -> _DocumentHTML:
        # What weasyprint.HTML.__init__ does after parsing (WeasyPrint 70); the
        # certificate template has no <base>, so the base URL is the one given.
        html = cls.__new__(cls)
        html.base_url = base_url
        html.url_fetcher = url_fetcher
        html.media_type = "print"
        html.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            root, content_language=None
        )
        html.etree_element = html.wrapper_element.etree_element
        return html

    def _ua_stylesheets(self, forms: bool = False) -> list:
        sheet = _user_agent_stylesheet()
        if sheet is None or forms:
            return super()._ua_stylesheets(forms)
        return [sheet]


# Images fetched from lms/static/ (the logo), parsed once per process: keyed by URL, and
# only files under lms/static/ can get in, so it stays as small as that folder.
_IMAGE_CACHE: dict = {}

# Pango font maps are not safe to share between threads rendering at once.
_RENDER_LOCK = threading.Lock()


def html_to_pdf(
    html: str, *, fetcher: StaticFileFetcher | None = None, stylesheets: tuple[str, ...] = (),
    tree=None,
) -> bytes:
    """PDF/A-3b bytes from certificate HTML; relative URLs resolve inside lms/static/.

    `stylesheets` are files under lms/static/ applied to the document (as user
    stylesheets: rules of the HTML's own <style> and <link> win over them). With the
    default fetcher they and the images are parsed once per process; a fetcher of the
    caller's (the tests') sees every request, so nothing is shared with it. `tree`, the
    same HTML already parsed (default_template_tree), is used instead of parsing it again.
    """
    with _RENDER_LOCK, _collected_once(), _accelerated(), _compressed_at(COMPRESSION_LEVEL):
        if fetcher is None:
            sheets = [_shared_stylesheet(name) for name in stylesheets]
            return _html_to_pdf(html, _shared_fetcher(), sheets, _IMAGE_CACHE, tree)
        sheets = [_stylesheet(name, fetcher) for name in stylesheets]
        return _html_to_pdf(html, fetcher, sheets, {}, tree)


def _accelerated():
    """WeasyPrint's style and page steps made cheaper, the same bytes (weasyprint_speed)."""
    if not ACCELERATED:
        return nullcontext()
    return weasyprint_speed.accelerated(_font_config())


# Off only in the tests that compare the bytes with and without.
ACCELERATED = True

# zlib's level for the PDF's streams (fonts, pages, profile, metadata). pydyf uses 9;
# 6, zlib's default, made the certificate's streams 1% larger (about 330 bytes) and
# took 0.8 ms less of a 55 ms render (bench/certificates.py, docs/benchmarks.md).
COMPRESSION_LEVEL = 6


class _ZlibAt:
    """The zlib module as pydyf sees it, its compressobj at another level."""

    def __init__(self, level: int) -> None:
        self.level = level

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    def compressobj(self, level: int = -1, *args, **kwargs):
        return zlib.compressobj(self.level, *args, **kwargs)


@contextmanager
def _compressed_at(level: int) -> Iterator[None]:
    # pydyf calls zlib.compressobj(level=9) through its module's name for zlib; renders
    # are serialized by _RENDER_LOCK, and the module is put back after each.
    original = pydyf.zlib
    pydyf.zlib = _ZlibAt(level)
    try:
        yield
    finally:
        pydyf.zlib = original


@contextmanager
def _collected_once() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a render, then collect its garbage once.

    A render builds some 6,000 objects in reference cycles (elements and their parents,
    styles, boxes, PDF objects) and allocates enough to trigger about nine young, one
    middle and, every few renders, a full collection walking the worker's whole heap:
    about a tenth of a render. Paused, the young generation is collected once at the end
    (the render's own objects, about 1.5 ms), so its cycles are freed right away and
    memory stays flat. Re-enabled unless something else had it disabled; another thread's
    collections are postponed meanwhile (renders are serialized anyway).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _html_to_pdf(
    html: str, fetcher: StaticFileFetcher, sheets: list[weasyprint.CSS], cache: dict, tree=None
) -> bytes:
    # The file identifier is a hash of the content (WeasyPrint's default for PDF/A) and
    # the creation date comes from the template, so the same data gives the same bytes.
    # Tagged (structure tree in reading order, tables as tables, the QR code a Figure with
    # its SVG title as /Alt, /Lang from <html lang="id">) for search and screen readers.
    options = {"pdf_variant": PDF_VARIANT, "output_intent": _OUTPUT_INTENT, "pdf_tags": True}
    base_url = fetcher.root.as_uri() + "/"
    if tree is not None and _DocumentHTML.FROM_TREE_OK:
        source = _DocumentHTML.from_tree(tree, base_url=base_url, url_fetcher=fetcher)
    else:
        source = _DocumentHTML(string=html, base_url=base_url, url_fetcher=fetcher)
    document = source.render(font_config=_font_config(), stylesheets=sheets, cache=cache, **options)
    document.color_profiles[_OUTPUT_INTENT] = _srgb_profile()
    return document.write_pdf(finisher=_serialize_once, **options)


# pydyf writes the file identifier PDF/A needs as a hash of every object's bytes, then
# writes the objects: each object, and so each stream (compressed at level 9: the subset
# fonts, the ICC profile, the pages' content), was serialized twice. Once finished, the
# objects no longer change, so each one's bytes are kept the first time (the same PDF,
# byte for byte; tests/certificates/test_pdf.py compares). Revisit when upgrading pydyf.
_ONCE_CLASSES: dict[type, type] = {}


def _once_class(cls: type) -> type:
    once = _ONCE_CLASSES.get(cls)
    if once is None:
        serialize = cls.data.fget

        def data(self):
            return serialize(self)

        once = type(cls.__name__, (cls,), {"data": functools.cached_property(data),
                                           "__module__": cls.__module__})
        once.data.__set_name__(once, "data")
        _ONCE_CLASSES[cls] = once
    return once


def _serialize_once(document, pdf: pydyf.PDF) -> None:
    for item in pdf.objects:
        if isinstance(item, pydyf.Object) and isinstance(
            getattr(type(item), "data", None), property
        ):
            item.__class__ = _once_class(type(item))


def render_certificate_pdf(data: dict, *, template_path: Path | None = None) -> bytes:
    """Render the two-page certificate PDF from plain values.

    `data` holds: number, holder_name, holder_nip (or None), holder_institution,
    program_title, cohort_name, starts_on, ends_on, issued_on (dates), place, issuer_name,
    total_jp, courses [{title, hours_jp, score}], show_scores, signatories
    [{name, title, id_number}], verify_url, verification_code, status_note (or None).
    A missing key raises jinja2.UndefinedError. Resources outside lms/static/ are refused
    and left out; the PDF is still produced.
    """
    html = certificate_html(data, template_path=template_path)
    tree = None
    if template_path is None:
        html = _BETWEEN_BLOCKS.sub(">", html)
        tree = default_template_tree(html)
    return html_to_pdf(html, stylesheets=(CERTIFICATE_CSS,), tree=tree)


# The default template's indentation between block-level tags: whitespace that the HTML
# parser reads character by character and WeasyPrint then drops (about 2% of a render);
# the same PDF without it, byte for byte (tests/certificates/test_pdf.py). Only after the
# default template's own tags (a participant's text is escaped, so it has no ">"), and not
# for a program's override template, whose markup may rely on its spaces.
_BETWEEN_BLOCKS = re.compile(
    r">\s+(?=</?(?:html|head|body|meta|title|section|header|footer|div|p|h[1-6]|table"
    r"|thead|tbody|tfoot|tr|th|td)[\s>/])"
)


# The default template's HTML parsed by expat (C) instead of WeasyPrint's HTML5 parser
# (tinyhtml5, pure Python: about a tenth of a render), into the same tree:
# tests/certificates/test_pdf_speed.py compares both trees and both PDFs over varied
# certificates. The template is HTML written as well-formed markup but for its void
# elements and &nbsp;, which are closed and numbered here; then what the HTML5 parser
# adds is added: a <tbody> around rows written directly in a <table>, and the SVG
# namespace on an inline <svg> and its children. Whatever the XML reading could take
# otherwise than an HTML5 parser (a control character, a line break or tab inside an
# attribute value, which XML turns into a space, any other entity) is left to tinyhtml5,
# as is every program's override template.
_VOID_ELEMENTS = re.compile(r"<(meta|img|wbr|br|hr|link|input|col|source)\b([^>]*?)/?>")
_NOT_FOR_XML = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]"
    r"|=\"[^\"<>]*[\t\r\n][^\"<>]*\"|\r"
)
_SVG = "{http://www.w3.org/2000/svg}"


def default_template_tree(html: str):
    """The element tree WeasyPrint's parser makes of `html`, or None to let it parse."""
    start = html.find("<html")
    if start < 0 or _NOT_FOR_XML.search(html):
        return None
    markup = _VOID_ELEMENTS.sub(r"<\1\2/>", html[start:].replace("&nbsp;", "&#160;"))
    if "<!" in markup or "<?" in markup:
        return None  # no declarations, comments or instructions: nothing for XML to expand
    try:
        # The template's own markup, every value in it escaped by Jinja (no "<" of a
        # participant's reaches here), and no DTD: nothing for an XML attack to use.
        root = ElementTree.fromstring(markup)  # noqa: S314
    except ElementTree.ParseError:
        return None
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return None
    for table in root.iter("table"):
        rows = [child for child in table if child.tag == "tr"]
        if rows:
            if len(rows) != len(table) or table.text:
                return None  # rows beside other parts: left to the HTML5 parser
            body = ElementTree.Element("tbody")
            body.extend(rows)
            table[:] = [body]
    for svg in root.iter("svg"):
        for element in svg.iter():
            element.tag = _SVG + element.tag
    return root
