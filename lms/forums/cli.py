"""`lms forums ...`: thin wrappers over the forum services."""

import click
from flask.cli import with_appcontext

from lms.extensions import db
from lms.forums.digest import send_digests


@click.group("forums", help="Cohort forums: the email digest.")
def forums_group() -> None:
    pass


@forums_group.command("digest")
@with_appcontext
def digest() -> None:
    """Email each subscriber the new posts of their cohorts since their last digest.

    Run it from cron (e.g. daily at 06.00): one email per person, nothing when nothing is new.
    """
    mailed = send_digests()
    db.session.commit()  # the emails leave after this commit
    click.echo(f"{mailed} digest email(s) sent")
