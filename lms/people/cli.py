"""`lms users list/show/edit/role/deactivate/reactivate/reset-link`: the people pages'
services from the command line, audited with no actor (the operator of the server)."""

import click
from flask.cli import with_appcontext

from lms.auth.models import Role
from lms.extensions import db
from lms.people import services
from lms.people.record import record_of


def _person(identifier: str):
    user = services.find(identifier)
    if user is None:
        raise click.ClickException(f"no account {identifier} (see: lms users list)")
    return user


def _run(action, *args):
    try:
        result = action(*args)
    except services.PeopleError as exc:
        db.session.rollback()
        raise click.ClickException(exc.detail) from None
    db.session.commit()
    return result


def _status(user) -> str:
    return "active" if user.is_active_account else "deactivated"


@click.command("list")
@click.option("--search", "q", default="", help="Part of a name, email, institution or NIP.")
@click.option("--role", type=click.Choice([r.value for r in Role]))
@click.option("--inactive", is_flag=True, help="Only deactivated accounts.")
@with_appcontext
def users_list(q: str, role: str | None, inactive: bool) -> None:
    """List accounts: email, role, name, status."""
    flt = services.PeopleFilter(q=q, role=role or "", status="inactive" if inactive else "")
    page = services.search(None, flt, per_page=10**9)
    for user in page.people:
        click.echo(f"{user.email}\t{user.role}\t{user.full_name}\t{_status(user)}")


@click.command("show")
@click.argument("person")
@with_appcontext
def users_show(person: str) -> None:
    """Details, cohorts, attempts, submissions and certificates of PERSON (email or id)."""
    record = record_of(_person(person))
    user = record.user
    for label, value in (("id", user.id), ("email", user.email), ("name", user.full_name),
                         ("title", user.academic_title), ("nip", user.nip or ""),
                         ("institution", user.institution), ("position", user.position),
                         ("role", user.role), ("status", _status(user))):
        click.echo(f"{label:12} {value}")
    for member, cohort in record.memberships:
        click.echo(f"cohort       {cohort.code}\t{member.status}")
    for attempt, quiz, course in record.attempts:
        score = "—" if attempt.percent is None else f"{attempt.percent:g}%"
        click.echo(f"attempt      {course.slug}/{quiz.slug} #{attempt.number}\t{score}")
    for submission, assignment, course, cohort in record.submissions:
        click.echo(f"submission   {cohort.code} {course.slug}/{assignment.slug} "
                   f"#{submission.number}\t{submission.status}")
    for certificate in record.certificates:
        click.echo(f"certificate  {certificate.number}\t{certificate.status}\t"
                   f"{certificate.holder_name}")


@click.command("edit")
@click.argument("person")
@click.option("--name", "full_name", help="Name as printed on certificates.")
@click.option("--title", "academic_title")
@click.option("--nip")
@click.option("--institution")
@click.option("--position")
@click.option("--email")
@with_appcontext
def users_edit(person: str, **fields) -> None:
    """Change the details of PERSON; prints each change as field: before -> after."""
    user = _person(person)
    changes = _run(services.update_person, user,
                   {key: value for key, value in fields.items() if value is not None}, None)
    for key, (before, after) in changes.items():
        click.echo(f"{key}: {before} -> {after}")
    if not changes:
        click.echo("nothing changed")


@click.command("role")
@click.argument("person")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@with_appcontext
def users_role(person: str, role: str) -> None:
    """Give PERSON another role; the last administrator keeps theirs."""
    user = _person(person)
    changed = _run(services.set_role, user, role, None)
    click.echo(f"{user.email} is now {role}" if changed else f"{user.email} was already {role}")


@click.command("programs")
@click.argument("person")
@click.argument("slugs", nargs=-1)
@click.option("--all", "every", is_flag=True, help="No limit: every program.")
@with_appcontext
def users_programs(person: str, slugs: tuple[str, ...], every: bool) -> None:
    """Limit the coordinator PERSON to the programs SLUGS (or --all); without either,
    show the programs they are limited to."""
    from lms.people import scope

    user = _person(person)
    if slugs or every:
        _run(scope.set_programs, user, [] if every else list(slugs), None)
    limited = [p.slug for p in scope.programs_of(user)]
    click.echo(f"{user.email}: " + (", ".join(limited) if limited else "every program"))


@click.command("deactivate")
@click.argument("person")
@with_appcontext
def users_deactivate(person: str) -> None:
    """PERSON can no longer sign in; their sessions end; their records stay."""
    user = _person(person)
    _run(services.deactivate, user, None)
    click.echo(f"deactivated {user.email}")


@click.command("reactivate")
@click.argument("person")
@with_appcontext
def users_reactivate(person: str) -> None:
    """PERSON may sign in again."""
    user = _person(person)
    _run(services.reactivate, user, None)
    click.echo(f"reactivated {user.email}")


@click.command("reset-link")
@click.argument("person")
@with_appcontext
def users_reset_link(person: str) -> None:
    """Mail PERSON a link to choose a new password (valid two days, once) and print it."""
    user = _person(person)
    link = _run(services.send_reset_link, user, None)
    click.echo(link)


@click.command("reset-second-factor")
@click.argument("person")
@with_appcontext
def users_reset_second_factor(person: str) -> None:
    """Remove PERSON's two-step verification (lost phone and recovery codes) and end their
    sessions; for when no admin can sign in to do it from the people page."""
    from lms.auth import second_factor

    user = _person(person)
    removed = second_factor.remove(user, None, by_admin=True)
    db.session.commit()
    click.echo(f"reset the second factor of {user.email}" if removed
               else f"{user.email} has no second factor")


COMMANDS = (users_list, users_show, users_edit, users_role, users_programs, users_deactivate,
            users_reactivate, users_reset_link, users_reset_second_factor)
