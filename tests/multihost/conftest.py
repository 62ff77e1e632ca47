"""A real S3-protocol server (moto's, started here on a free port) and Redis (always at
127.0.0.1:6379 on the dev and CI machines; each test gets a queue name of its own)."""

import socket
import uuid

import pytest

from lms.jobs.queue import Jobs
from lms.storage import init_storage
from tests.assignments.test_assignments import setup  # noqa: F401
from tests.certificates.test_issuing import cohort_id  # noqa: F401

REDIS = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's standalone S3 server, speaking the S3 protocol over HTTP on 127.0.0.1."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_config(endpoint: str, bucket: str) -> dict:
    return {"STORAGE_URL": f"s3://{bucket}/lms", "STORAGE_S3_ENDPOINT_URL": endpoint,
            "STORAGE_S3_ACCESS_KEY_ID": "test", "STORAGE_S3_SECRET_ACCESS_KEY": "test",
            "STORAGE_S3_REGION": "us-east-1", "STORAGE_S3_TIMEOUT": 2}


@pytest.fixture
def bucket(app, s3_server):
    """A fresh bucket, and the app storing its files there. Returns a boto3 client helper."""
    import boto3

    name = f"lms-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=name)
    app.config.update(s3_config(s3_server, name))
    init_storage(app)

    class Bucket:
        def __init__(self):
            self.name, self.client = name, client

        def keys(self) -> list[str]:
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=name)
            return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

        def get(self, key: str) -> bytes:
            return client.get_object(Bucket=name, Key=key)["Body"].read()

    yield Bucket()
    for key in Bucket().keys():
        client.delete_object(Bucket=name, Key=key)
    client.delete_bucket(Bucket=name)


@pytest.fixture
def redis_jobs(app):
    """The app's jobs go to the real Redis, on a queue no other run uses."""
    import redis

    name = f"lms-test-{uuid.uuid4().hex[:12]}"
    app.config.update(REDIS_URL=REDIS, JOBS_QUEUE=name)
    app.extensions["lms_jobs"] = Jobs(app)
    yield app.extensions["lms_jobs"]
    connection = redis.Redis.from_url(REDIS)
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)


@pytest.fixture
def certificates_day(freeze_clock):
    """The certificate tests' day: after the cohort of `cohort_id` ended (21 December 2026)."""
    from datetime import UTC, datetime
    freeze_clock(datetime(2026, 12, 21, 3, 0, tzinfo=UTC))
