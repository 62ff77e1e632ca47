"""Where application documents live: the one place that touches their files.

Mirrors lms.assignments (instance/uploads/, random names, content checked by
lms.assignments.files.store_upload), under uploads/applications/. When the project moves
uploads behind a storage interface, these three functions are what changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from lms.assignments.files import StoredFile, store_upload
from lms.assignments.services import uploads_dir

FOLDER = "applications"


def document_path(stored_name: str) -> Path:
    return uploads_dir() / FOLDER / stored_name


def save_document(stream: BinaryIO, filename: str, *, max_bytes: int,
                  accepted: list[str]) -> StoredFile:
    """Copy an upload within max_bytes and check its content (FileRefused otherwise:
    nothing is kept)."""
    return store_upload(stream, filename, uploads_dir() / FOLDER, max_bytes=max_bytes,
                        accepted=accepted)


def remove_document(stored_name: str) -> None:
    document_path(stored_name).unlink(missing_ok=True)
