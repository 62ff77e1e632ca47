"""`lms worker` (runs background jobs) and `lms storage migrate` (local files to the bucket)."""

from __future__ import annotations

import sys
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.jobs.queue import jobs
from lms.jobs.schedule import sweep


def _sweeping(app, stop: threading.Event) -> None:
    """Every JOBS_SWEEP_SECONDS, one worker of all (a Redis lock) sweeps."""
    runner = jobs(app)
    interval = float(app.config["JOBS_SWEEP_SECONDS"])
    while not stop.wait(interval):
        try:
            if runner.redis_url and not runner.redis().set(
                    f"lms:{runner.queue_name}:sweep", "1", nx=True, ex=max(1, int(interval))):
                continue
            sweep(app)
        except Exception:  # noqa: BLE001 - Redis or the database away for a moment
            app.logger.exception("the job sweep failed; trying again")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued now, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from Redis (LMS_REDIS_URL), and the daily ones, until stopped."""
    app = current_app._get_current_object()
    runner = jobs(app)
    stop = threading.Event()
    if not runner.redis_url:
        click.echo("LMS_REDIS_URL is not set: jobs run inside the web processes; this "
                   "worker only sweeps and starts the daily jobs.", err=True)
        if burst:
            sweep(app)
            return
        _sweeping(app, stop)
        return
    from rq import SimpleWorker

    thread = threading.Thread(target=_sweeping, args=(app, stop), name="lms-sweep",
                              daemon=True)
    if not burst:
        thread.start()
    else:
        sweep(app)
    # SimpleWorker: jobs run in this process, which holds the app and its database pool
    # (a forking worker would share the pool's connections with its children).
    worker = SimpleWorker([runner.rq_queue()], connection=runner.redis())
    try:
        worker.work(burst=burst, logging_level="INFO")
    finally:
        stop.set()


@click.group("storage", help="Where files are kept (LMS_STORAGE_URL).")
def storage_group() -> None:
    pass


@storage_group.command("migrate")
@click.option("--from-folder", type=click.Path(file_okay=False, exists=True),
              help="The instance folder to copy from (default: this app's).")
@with_appcontext
def storage_migrate(from_folder: str | None) -> None:
    """Copy the local uploads, certificate PDFs and prepared ZIPs into the configured
    storage, then read each back and check its SHA-256. Run it again at any time: what is
    already there with the same SHA-256 is skipped. Exits 1 if any file differs."""
    from lms.storage import LocalStorage, StorageUnavailable, sha256_of, storage

    source = LocalStorage(from_folder or current_app.instance_path)
    target = storage()
    if isinstance(target, LocalStorage) and target.root.resolve() == source.root.resolve():
        raise click.ClickException("LMS_STORAGE_URL names the same folder: nothing to do "
                                   "(set it to s3://bucket/prefix first)")
    keys = [k for prefix in ("uploads/", "certificates/", "exports/")
            for k in source.keys(prefix)
            if not (prefix == "certificates/" and "/" in k[len(prefix):])]  # not templates/
    copied = skipped = bad = 0
    started = time.monotonic()
    for key in keys:
        local_hash = sha256_of(key, source)
        try:
            if target.size(key) == source.size(key) and sha256_of(key, target) == local_hash:
                skipped += 1
                continue
            with source.open(key) as stream:
                target.save(key, stream)
            stored_hash = sha256_of(key, target)
        except StorageUnavailable as error:
            raise click.ClickException(f"{key}: the storage is not reachable: {error}") from None
        if stored_hash != local_hash:
            bad += 1
            click.echo(f"MISMATCH {key}: local {local_hash}, stored {stored_hash}", err=True)
        else:
            copied += 1
    click.echo(f"{len(keys)} files: {copied} copied and verified, {skipped} already there "
               f"(same SHA-256), {bad} differ ({time.monotonic() - started:.1f} s)")
    sys.exit(1 if bad else 0)
