"""Where application documents live: the one place that touches their files.

Mirrors lms.assignments (random names under instance/uploads/, content checked by
lms.assignments.files.store_upload), in uploads/applications/. When uploads move behind
the storage interface (lms/storage.py on main), these functions are all that changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from flask import current_app

from lms.assignments.files import StoredFile, store_upload

FOLDER = Path("uploads") / "applications"


def _folder() -> Path:
    return Path(current_app.instance_path) / FOLDER


def save_document(stream: BinaryIO, filename: str, *, max_bytes: int,
                  accepted: list[str]) -> StoredFile:
    """Copy an upload within max_bytes and check its content (FileRefused otherwise:
    nothing is kept)."""
    return store_upload(stream, filename, _folder(), max_bytes=max_bytes, accepted=accepted)


def open_document(stored_name: str) -> BinaryIO | None:
    """The stored file, open for reading (the caller closes it); None when it is gone."""
    path = _folder() / stored_name
    return path.open("rb") if path.is_file() else None


def remove_document(stored_name: str) -> None:
    (_folder() / stored_name).unlink(missing_ok=True)


def stored_documents() -> list[str]:
    """The names of every stored document (for checks and tests)."""
    folder = _folder()
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def open_submission_file(stored_name: str) -> BinaryIO | None:
    """A file submitted for an assignment, read the way lms.assignments stores it (for the
    person's data archive)."""
    path = Path(current_app.instance_path) / "uploads" / stored_name
    return path.open("rb") if path.is_file() else None
