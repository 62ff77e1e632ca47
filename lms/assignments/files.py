"""What a file really is, by its content; and copying an upload to disk within a limit.

Pure except for the disk: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

EXTENSIONS = {"pdf": ("pdf",), "docx": ("docx",), "pptx": ("pptx",), "xlsx": ("xlsx",),
              "jpg": ("jpg", "jpeg"), "png": ("png",)}
CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document",
                 "pptx": "application/vnd.openxmlformats-officedocument."
                         "presentationml.presentation",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "jpg": "image/jpeg", "png": "image/png"}
OFFICE_PARTS = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml",
                "xlsx": "xl/workbook.xml"}
CHUNK = 64 * 1024


class FileRefused(ValueError):
    """What is wrong with a file: a code ("type", "size", "empty", "content", "name") and the
    values a message needs; the caller words it in the reader's language."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params


def _is_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.namelist()
        return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def detect(data: bytes) -> str | None:
    """The type the bytes really are, or None. A file that is two things at once
    (an image or a PDF with a ZIP inside, the classic polyglot) is None."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        kinds = [kind for kind, part in OFFICE_PARTS.items() if part in names]
        return kinds[0] if len(kinds) == 1 else None
    if data.startswith(b"%PDF-"):
        kind = "pdf" if b"%%EOF" in data[-2048:] else None
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png" if b"IEND" in data[-4096:] else None
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "jpg" if b"\xff\xd9" in data[-4096:] else None
    else:
        return None
    # A ZIP archive appended to an image or PDF (the classic polyglot) is refused.
    if kind and _is_zip(data):
        return None
    return kind


def extension_kind(filename: str) -> str | None:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return next((kind for kind, suffixes in EXTENSIONS.items() if suffix in suffixes), None)


@dataclass
class StoredFile:
    original_name: str
    stored_name: str
    kind: str
    size: int
    sha256: str


def store_upload(stream: BinaryIO, filename: str, folder: Path, *, max_bytes: int,
                 accepted: list[str]) -> StoredFile:
    """Copy an upload in chunks, stopping as soon as it passes max_bytes (nothing kept),
    then check that its content is an accepted type matching its name."""
    name = Path(filename or "").name.strip()[:200]
    if not name:
        raise FileRefused("name")
    expected = extension_kind(name)
    if expected is None or expected not in accepted:
        raise FileRefused("type", name=name, types=", ".join(accepted))
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    target = folder / stored
    digest = hashlib.sha256()
    size = 0
    try:
        with target.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FileRefused("size", name=name, mb=max_bytes // (1024 * 1024))
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise FileRefused("empty", name=name)
        actual = detect(target.read_bytes())
        if actual != expected:
            raise FileRefused("content", name=name, kind=expected.upper())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return StoredFile(original_name=name, stored_name=stored, kind=expected, size=size,
                      sha256=digest.hexdigest())
