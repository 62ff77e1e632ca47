"""`lms privacy purge`: remove what has outlived its retention period (docs/privacy.md)."""

import click
from flask.cli import with_appcontext

from lms.clock import site_date, utcnow
from lms.extensions import db


@click.group("privacy", help="Personal data: retention.")
def privacy_group() -> None:
    pass


@privacy_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete old audit entries and application documents, and strip the holder from old
    certificates of deleted accounts, as lms/config.py RETENTION_* say."""
    from lms.applications.storage import remove_document
    from lms.privacy.retention import purge

    now = utcnow()
    result = purge(now, site_date(now))
    db.session.commit()
    for stored_name in result.documents:
        remove_document(stored_name)
    click.echo(f"{result.audit_entries} audit entries, {len(result.documents)} application "
               f"documents, {result.certificates} certificates of deleted accounts purged.")
