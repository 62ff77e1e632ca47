"""A course's assets/: images shown in modules and files to download (PDF, Office, ODF).

Pure: files in, AssetSource values and `path:line: message` problems out. A refused
asset is left out alone; the sync keeps its last good version.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lms.sources import Problem, check_place

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
DOWNLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
}
ASSET_TYPES = {**IMAGE_TYPES, **DOWNLOAD_TYPES}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024
# What each download must start with: a PDF header, or the ZIP container of Office and ODF.
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04",
          ".pptx": b"PK\x03\x04", ".odt": b"PK\x03\x04"}
# Script in an SVG runs when the file is opened on its own: refuse it at the source.
_SVG_ACTIVE = re.compile(rb"<script|\bon\w+\s*=|javascript:", re.I)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


@dataclass
class AssetSource:
    name: str
    content_type: str
    data: bytes
    digest: str

    @property
    def is_download(self) -> bool:
        return self.content_type in DOWNLOAD_TYPES.values()


def load_assets(folder: Path, shown: str, problems: list[Problem],
                reader: Callable[[Path], bytes] | None = None) -> dict[str, AssetSource]:
    """Every valid asset by file name; each refused one adds its problem."""
    assets: dict[str, AssetSource] = {}
    if not folder.is_dir():
        return assets
    for file in sorted(folder.iterdir()):
        if file.name.startswith("."):
            continue
        path = f"{shown}/{file.name}"
        item, problem = _load_asset(file, path, reader or Path.read_bytes)
        if problem:
            problems.append(problem)
        elif item:
            assets[file.name] = item
    return assets


def _load_asset(file: Path, path: str, reader) -> tuple[AssetSource | None, Problem | None]:
    suffix = file.suffix.lower()
    content_type = ASSET_TYPES.get(suffix)
    place = check_place(file, path)
    if place:
        return None, place
    if not file.is_file() or content_type is None:
        return None, Problem(path, 0, "assets must be images (" + ", ".join(IMAGE_TYPES)
                             + ") or downloads (" + ", ".join(DOWNLOAD_TYPES) + ")")
    if not _NAME.match(file.name):
        return None, Problem(path, 0, "asset file names may use letters, digits, '.', '-' and "
                                      "'_' only")
    limit = MAX_DOWNLOAD_BYTES if suffix in DOWNLOAD_TYPES else MAX_IMAGE_BYTES
    size = file.stat().st_size
    if size > limit:
        return None, Problem(path, 0, f"asset is {size / 1024 / 1024:.1f} MB, above the limit "
                                      f"of {limit // 1024 // 1024} MB for {suffix} files")
    data = reader(file)
    if suffix in _MAGIC and not data.startswith(_MAGIC[suffix]):
        return None, Problem(path, 0, f"file content is not a {suffix[1:].upper()} file; "
                                      "export it again or fix its extension")
    if content_type == "image/svg+xml" and _SVG_ACTIVE.search(data):
        return None, Problem(path, 1, "SVG must not contain scripts")
    return AssetSource(name=file.name, content_type=content_type, data=data,
                       digest=hashlib.sha256(data).hexdigest()), None
