"""Text in one of Moodle's formats as the Markdown of a quiz file.

Quiz files hold Markdown, which the loader renders and sanitizes through
:func:`lms.markup.render_markdown` like every other text. An imported text keeps what its
Moodle format means:

- ``markdown``: as written.
- ``plain``: shown exactly as written: Markdown and HTML characters are escaped, each line
  break kept.
- ``html``: the HTML itself (sanitized when the quiz is loaded). HTML that starts with a
  block (``<p>``, ``<pre>``, ``<table>``...) is wrapped in a ``<div>`` so Markdown leaves it
  alone; inline HTML has the Markdown characters of its text escaped.
- ``moodle`` (Moodle's "auto-format"): HTML is allowed and each line break is kept, so
  it is read as HTML with ``<br>`` at the line breaks.

Pure: no Flask.
"""

from __future__ import annotations

import html
import re

# Characters Markdown would read as markup inside a line, and at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])", re.MULTILINE)
_BLANK_RUN = re.compile(r"((?<!\w)_{3,}(?!\w))")
_TAG = re.compile(r"(<[^<>]*>)")
_BLOCK_START = re.compile(
    r"^\s*<(p|div|pre|table|ul|ol|dl|h[1-6]|blockquote|figure|section|hr)\b", re.IGNORECASE
)


def to_markdown(text: str, text_format: str) -> str:
    """``text`` written in Moodle's ``text_format`` as quiz-file Markdown."""
    if not text or text_format == "markdown":
        return text
    if text_format == "plain":
        return _breaks(_escape_markdown(html.escape(text, quote=False)))
    if text_format == "html" and _BLOCK_START.match(text):
        return f"<div>\n{text.strip()}\n</div>"
    escaped = _escape_outside_tags(text)
    return escaped if text_format == "html" else _breaks(escaped)


def _escape_markdown(text: str) -> str:
    # A missing-word blank (``_____``, three or more, apart from words) stays readable.
    text = "".join(part if _BLANK_RUN.fullmatch(part) else _INLINE.sub(r"\\\1", part)
                   for part in _BLANK_RUN.split(text))
    return _LINE_START.sub(lambda m: m.group(1) + "".join(f"\\{c}" if not c.isdigit() else c
                                                          for c in m.group(2)), text)


def _escape_outside_tags(text: str) -> str:
    return "".join(part if _TAG.fullmatch(part) else _escape_markdown(part)
                   for part in _TAG.split(text))


def _breaks(text: str) -> str:
    lines = text.split("\n")
    return "<br>\n".join(lines) if len(lines) > 1 else text
