"""What a file really is, by its content; and copying an upload to storage within a limit.

Pure except for the disk and the storage it is handed: no Flask, no database.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lms.storage import Storage

EXTENSIONS = {"pdf": ("pdf",), "docx": ("docx",), "pptx": ("pptx",), "xlsx": ("xlsx",),
              "odt": ("odt",), "ods": ("ods",), "odp": ("odp",),
              "jpg": ("jpg", "jpeg"), "png": ("png",)}
CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document",
                 "pptx": "application/vnd.openxmlformats-officedocument."
                         "presentationml.presentation",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "odt": "application/vnd.oasis.opendocument.text",
                 "ods": "application/vnd.oasis.opendocument.spreadsheet",
                 "odp": "application/vnd.oasis.opendocument.presentation",
                 "jpg": "image/jpeg", "png": "image/png"}
# OpenDocument (LibreOffice): a ZIP whose `mimetype` entry names the kind.
ODF_KINDS = {CONTENT_TYPES[kind]: kind for kind in ("odt", "ods", "odp")}
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
                odf = (archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                       if "mimetype" in names and "content.xml" in names else None)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            return None
        if odf is not None:
            return ODF_KINDS.get(odf) if "[Content_Types].xml" not in names else None
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


def store_upload(stream: BinaryIO, filename: str, store: Storage, *, max_bytes: int,
                 accepted: list[str], prefix: str = "uploads") -> StoredFile:
    """Copy an upload in chunks to a temporary file, stopping as soon as it passes max_bytes,
    check that its content is an accepted type matching its name, then hand it whole to
    the storage under prefix/<random name>. Refused or failed (StorageUnavailable):
    nothing kept anywhere."""
    name = Path(filename or "").name.strip()[:200]
    if not name:
        raise FileRefused("name")
    expected = extension_kind(name)
    if expected is None or expected not in accepted:
        raise FileRefused("type", name=name, types=", ".join(accepted))
    stored = secrets.token_hex(16)
    digest = hashlib.sha256()
    size = 0
    with tempfile.TemporaryFile() as spool:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FileRefused("size", name=name, mb=max_bytes // (1024 * 1024))
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise FileRefused("empty", name=name)
        spool.seek(0)
        actual = detect(spool.read())
        if actual != expected:
            raise FileRefused("content", name=name, kind=expected.upper())
        spool.seek(0)
        store.save(f"{prefix}/{stored}", spool, CONTENT_TYPES[expected])
    return StoredFile(original_name=name, stored_name=stored, kind=expected, size=size,
                      sha256=digest.hexdigest())
