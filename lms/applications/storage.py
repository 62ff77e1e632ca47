"""Where application documents live: the one place that touches their files.

Stored like assignment files (random names, content checked by
lms.assignments.files.store_upload) through the storage interface (lms/storage.py: the
instance folder or an S3-compatible bucket), under uploads/applications/.
"""

from __future__ import annotations

from typing import BinaryIO

from lms.assignments.files import StoredFile, store_upload
from lms.assignments.services import UPLOADS
from lms.storage import storage

PREFIX = f"{UPLOADS}/applications"


def save_document(stream: BinaryIO, filename: str, *, max_bytes: int,
                  accepted: list[str]) -> StoredFile:
    """Copy an upload within max_bytes and check its content (FileRefused otherwise:
    nothing is kept; StorageUnavailable when the storage cannot be reached)."""
    return store_upload(stream, filename, storage(), max_bytes=max_bytes, accepted=accepted,
                        prefix=PREFIX)


def document_key(stored_name: str) -> str:
    return f"{PREFIX}/{stored_name}"


def open_document(stored_name: str) -> BinaryIO | None:
    """The stored file, open for reading (the caller closes it); None when it is gone."""
    try:
        return storage().open(document_key(stored_name))
    except FileNotFoundError:
        return None


def remove_document(stored_name: str) -> None:
    storage().delete(document_key(stored_name))


def stored_documents() -> list[str]:
    """The names of every stored document (for checks and tests)."""
    return sorted(key.rsplit("/", 1)[-1] for key in storage().keys(PREFIX + "/"))


def open_submission_file(stored_name: str) -> BinaryIO | None:
    """A file submitted for an assignment, read the way lms.assignments stores it (for the
    person's data archive)."""
    try:
        return storage().open(f"{UPLOADS}/{stored_name}")
    except FileNotFoundError:
        return None
