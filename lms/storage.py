"""Where files live: one small interface, two backends.

Keys are relative paths such as ``uploads/3f9c…`` or ``certificates/<sha256>.pdf``.

- ``LocalStorage`` keeps them under the instance folder (the default: ``make run`` needs
  nothing), so ``uploads/x`` is ``instance/uploads/x`` as it always was.
- ``S3Storage`` keeps them in an S3-compatible bucket (``LMS_STORAGE_URL=s3://bucket/prefix``
  with ``LMS_STORAGE_S3_ENDPOINT_URL``, ``LMS_STORAGE_S3_ACCESS_KEY_ID``,
  ``LMS_STORAGE_S3_SECRET_ACCESS_KEY``, ``LMS_STORAGE_S3_REGION``), so every host serves what
  any host stored.

A key is written whole or not at all: the local backend writes a temporary file and
renames it; S3 makes an object visible only when its upload completes. Reads stream in
chunks, never whole files in memory. A backend that cannot be reached raises
``StorageUnavailable``; callers tell the person and keep nothing.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol
from urllib.parse import quote, urlsplit

from flask import Flask, current_app

CHUNK = 64 * 1024


class StorageUnavailable(RuntimeError):
    """The storage could not be reached or refused the operation."""


class Storage(Protocol):
    def save(self, key: str, stream: BinaryIO, content_type: str | None = None) -> None:
        """Store the stream under key, whole or not at all."""

    def open(self, key: str) -> BinaryIO:
        """A readable stream of the key's bytes; FileNotFoundError when absent."""

    def size(self, key: str) -> int | None:
        """The size in bytes, or None when the key is absent."""

    def delete(self, key: str) -> None:
        """Remove the key; nothing happens when it is absent."""

    def keys(self, prefix: str) -> Iterator[str]:
        """Every key starting with prefix (a folder such as "uploads/")."""


def clean_key(key: str) -> str:
    """Refuse keys that could leave the storage's root (``..``, absolute paths)."""
    path = PurePosixPath(key)
    if path.is_absolute() or not path.parts or ".." in path.parts:
        raise ValueError(f"bad storage key {key!r}")
    return str(path)


class LocalStorage:
    """Files under a folder of this host (the instance folder by default)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"<LocalStorage {self.root}>"

    def path(self, key: str) -> Path:
        return self.root / clean_key(key)

    def save(self, key: str, stream: BinaryIO, content_type: str | None = None) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            with temporary.open("xb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
            os.replace(temporary, target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise StorageUnavailable(str(error)) from error
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def size(self, key: str) -> int | None:
        path = self.path(key)
        return path.stat().st_size if path.is_file() else None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self, prefix: str) -> Iterator[str]:
        folder = self.path(prefix.rstrip("/")) if prefix.strip("/") else self.root
        if not folder.is_dir():
            return
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                yield path.relative_to(self.root).as_posix()


class S3Storage:
    """Objects in an S3-compatible bucket, under an optional prefix."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 region: str | None = None, access_key: str | None = None,
                 secret_key: str | None = None, timeout: float = 10.0):
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or "us-east-1",
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
            config=Config(connect_timeout=timeout, read_timeout=timeout * 3,
                          retries={"max_attempts": 3, "mode": "standard"},
                          s3={"addressing_style": "path"}))

    def __repr__(self) -> str:
        return f"<S3Storage s3://{self.bucket}/{self.prefix}>"

    def _name(self, key: str) -> str:
        key = clean_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _errors(self):
        from botocore.exceptions import BotoCoreError, ClientError
        return BotoCoreError, ClientError

    def save(self, key: str, stream: BinaryIO, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        try:
            # Multipart above 8 MB; a failed multipart upload is aborted, so no part of
            # it ever becomes an object.
            self.client.upload_fileobj(stream, self.bucket, self._name(key),
                                       ExtraArgs=extra or None)
        except self._errors() as error:
            raise StorageUnavailable(str(error)) from error

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from error
            raise StorageUnavailable(str(error)) from error
        except self._errors() as error:
            raise StorageUnavailable(str(error)) from error

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable(str(error)) from error
        except self._errors() as error:
            raise StorageUnavailable(str(error)) from error
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        except self._errors() as error:
            raise StorageUnavailable(str(error)) from error

    def keys(self, prefix: str) -> Iterator[str]:
        start = self._name(prefix.rstrip("/")) + "/" if prefix.strip("/") else (
            f"{self.prefix}/" if self.prefix else "")
        cut = len(self.prefix) + 1 if self.prefix else 0
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=start)
            for page in pages:
                for item in page.get("Contents", []):
                    yield item["Key"][cut:]
        except self._errors() as error:
            raise StorageUnavailable(str(error)) from error


def from_config(config, instance_path: str) -> Storage:
    """The storage the configuration names: STORAGE_URL unset or ``file:`` → local."""
    url = (config.get("STORAGE_URL") or "").strip()
    if not url:
        return LocalStorage(instance_path)
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(parts.path or instance_path)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"LMS_STORAGE_URL {url!r}: expected s3://bucket/prefix or file:///path")
    return S3Storage(parts.netloc, parts.path, endpoint_url=config.get("STORAGE_S3_ENDPOINT_URL"),
                     region=config.get("STORAGE_S3_REGION"),
                     access_key=config.get("STORAGE_S3_ACCESS_KEY_ID"),
                     secret_key=config.get("STORAGE_S3_SECRET_ACCESS_KEY"),
                     timeout=float(config.get("STORAGE_S3_TIMEOUT") or 10))


def init_storage(app: Flask) -> None:
    app.extensions["lms_storage"] = from_config(app.config, app.instance_path)


def storage() -> Storage:
    return current_app.extensions["lms_storage"]


def save_bytes(key: str, data: bytes, content_type: str | None = None) -> None:
    import io
    storage().save(key, io.BytesIO(data), content_type)


def read_bytes(key: str) -> bytes | None:
    """A small file whole (a certificate PDF, ~100 kB), or None when absent."""
    try:
        with storage().open(key) as stream:
            return stream.read()
    except FileNotFoundError:
        return None


def sha256_of(key: str, store: Storage | None = None) -> str:
    digest = hashlib.sha256()
    with (store or storage()).open(key) as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The stream in chunks, closed when read to the end or when the response is closed
    (the person went away half-way)."""
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def _opened_chunks(store: Storage, key: str) -> Iterator[bytes]:
    """The key's bytes in chunks, opened only when the body is sent (not for a 304)."""
    try:
        stream = store.open(key)
    except FileNotFoundError:
        return
    yield from _chunks(stream)


def content_disposition(download_name: str, as_attachment: bool = True) -> str:
    """Content-Disposition with the name always quoted (as the app's downloads always
    were), and the RFC 5987 form beside an ASCII one for names beyond ASCII."""
    try:
        download_name.encode("ascii")
        simple, extended = download_name, None
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", download_name).encode(
            "ascii", "ignore").decode("ascii")
        extended = quote(download_name, safe="!#$&+-.^_`|~")
    simple = simple.replace("\\", "").replace('"', "").replace("\r", "").replace("\n", "")
    value = f'{"attachment" if as_attachment else "inline"}; filename="{simple}"'
    return value + (f"; filename*=UTF-8''{extended}" if extended else "")


def send(key: str, *, mimetype: str, download_name: str, as_attachment: bool = True):
    """A streamed response of the key's bytes, read in chunks from whichever backend, with
    the headers downloads always had (type, length, attachment and its name); 404 when the
    key is absent."""
    from flask import Response, abort, request

    store = storage()
    size = store.size(key)
    if size is None:
        abort(404)
    response = Response(_opened_chunks(store, key), mimetype=mimetype, direct_passthrough=True)
    response.content_length = size
    response.headers["Content-Disposition"] = content_disposition(download_name, as_attachment)
    if isinstance(store, LocalStorage):
        modified = store.path(key).stat().st_mtime
        response.set_etag(hashlib.sha256(f"{key}\0{size}\0{modified}".encode()).hexdigest()[:32])
        response.last_modified = modified
    # A repeat with the ETag gets 304 (the file is never opened), a resumed download on a
    # phone its Range as 206, on either backend.
    return response.make_conditional(request, accept_ranges=True, complete_length=size)
