"""`lms notifications ...`: the scheduled jobs by hand (a cron line, or to look)."""

import click
from flask.cli import with_appcontext

from lms.clock import today
from lms.extensions import db


@click.group("notifications", help="Notifications: reminders and the daily digest.")
def notifications_group() -> None:
    pass


@notifications_group.command("remind")
@with_appcontext
def remind() -> None:
    """Tell who has a quiz or assignment due within 24 hours, or a live session within
    30 minutes (what the every-5-minutes job does); nobody is told twice."""
    from lms.notifications.jobs import due_reminders, live_reminders

    due, live = due_reminders(), live_reminders()
    db.session.commit()  # the mails leave after this commit
    click.echo(f"{due} deadline reminder(s), {live} live-session reminder(s)")


@notifications_group.command("digest")
@with_appcontext
def digest() -> None:
    """Mail today's digest to those who chose one (what the 07.00 job does)."""
    from lms.notifications.services import send_digests

    mailed = send_digests(today().isoformat())
    db.session.commit()
    click.echo(f"{mailed} digest email(s) sent")
