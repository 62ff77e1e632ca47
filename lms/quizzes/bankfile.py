"""A question-bank file's bytes as text, or a clear ``path:line: message`` why not.

Whatever arrives (a CLI path or a browser upload), it is checked before any parser sees
it: its size, that it is text at all, its encoding, a byte-order mark in the middle (two
files joined) and that it holds anything. Nothing is guessed silently: a file in another
encoding is refused with the encoding it looks like and how to save it as UTF-8. Pure:
stdlib only.
"""

from __future__ import annotations

import codecs
import re

from lms.quizzes.qformat import ErrorCollector

MAX_BYTES = 2 * 1024 * 1024  # a bank of several thousand questions; split anything larger
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the parsers count lines
_SAVE_AS = "save it as UTF-8 (in Notepad: Save as, Encoding UTF-8) and upload it again"


def read_bank(data: bytes, path: str, max_bytes: int = MAX_BYTES) -> str:
    """The text of a GIFT or Aiken file (UTF-8 with or without BOM, or UTF-16 with BOM).

    Refuses, raising :class:`lms.quizzes.qformat.QuestionFormatErrors`: a file over
    ``max_bytes``, an empty file, a binary file (NUL bytes or control characters), text
    in another encoding (naming what it looks like) and a byte-order mark after the start.
    """
    errors = ErrorCollector(path)
    if len(data) > max_bytes:
        errors.add(1, f"the file is larger than {_size(max_bytes)}, the most a question "
                      "bank may be: split it into several files")
        errors.raise_if_any()
    text = _decode(data, errors)
    errors.raise_if_any()
    assert text is not None  # noqa: S101 - _decode reports whenever it returns None
    text = text.removeprefix("\ufeff")
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if "\ufeff" in line:
            errors.add(number, "a byte-order mark (U+FEFF) in the middle of the file, "
                               "probably where two files were joined: delete that character")
        elif any(ord(char) < 32 and char not in "\t\f\v" for char in line):
            errors.add(number, "a control character that no text file contains: is this "
                               "really a GIFT or Aiken text file?")
            break
    if not errors and not text.strip():
        errors.add(1, "the file is empty")
    errors.raise_if_any()
    return text


def _decode(data: bytes, errors: ErrorCollector) -> str | None:
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            errors.add(1, "the file starts as UTF-16 but is not valid UTF-16; " + _SAVE_AS)
            return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        errors.add(1, f"this is not a text file (a NUL byte on line {line}): export the "
                      "questions from Moodle as GIFT or Aiken, a plain text file")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        errors.add(1, f"the file is not UTF-8 (first at line {line}, byte "
                      f"0x{data[error.start]:02X}); it looks like {_guess(data)}: {_SAVE_AS}")
        return None


def _guess(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "ISO-8859-1 (Latin-1)"
    return "Windows-1252 (ANSI)"


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count} bytes"
