"""The `lms` command: the Flask CLI of this app, with thin wrappers over services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from lms.certificates.cli import certificates_group
from lms.cohorts.cli import cohorts_group, programs_group
from lms.extensions import db
from lms.forums.cli import forums_group
from lms.notifications.cli import notifications_group
from lms.people.cli import COMMANDS as PEOPLE_COMMANDS
from lms.privacy.cli import privacy_group
from lms.quizzes.cli import quizzes_group


def main() -> None:
    from lms import create_app

    cli = FlaskGroup(create_app=create_app, help="Library staff learning platform.")
    cli(prog_name="lms")


def register_commands(app) -> None:
    app.cli.add_command(content_group)
    app.cli.add_command(users_group)
    app.cli.add_command(courses_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(quizzes_group)
    app.cli.add_command(programs_group)
    app.cli.add_command(cohorts_group)
    app.cli.add_command(certificates_group)
    app.cli.add_command(forums_group)
    app.cli.add_command(notifications_group)
    app.cli.add_command(privacy_group)


def _content_dir(directory: str | None) -> Path:
    """The folder to read; shown relative to the working directory when inside it."""
    path = Path(directory or current_app.config["CONTENT_DIR"])
    try:
        return path.resolve().relative_to(Path.cwd()) if path.is_absolute() else path
    except ValueError:
        return path


@click.group("content", help="Check and load course_content/.")
def content_group() -> None:
    pass


@content_group.command("check")
@click.argument("directory", required=False)
@with_appcontext
def content_check(directory: str | None) -> None:
    """Validate every file in one pass; print each problem as path:line: message."""
    from lms.content import load_tree

    root = _content_dir(directory)
    tree = load_tree(root, videos=current_app.config["VIDEO_PROVIDERS"], check=True)
    problems = tree.all_problems()
    warnings = tree.all_warnings()  # printed, but they do not fail the check
    for item in sorted([*problems, *warnings], key=lambda p: (p.path, p.line, p.message)):
        click.echo(str(item))
    modules = sum(len(c.modules) for c in tree.courses)
    files = len({p.path for p in problems})
    click.echo(f"{len(tree.courses)} courses, {modules} modules, {len(tree.programs)} programs: "
               f"{len(problems)} problems" + (f" in {files} files" if problems else "")
               + (f", {len(warnings)} warnings" if warnings else ""), err=True)
    sys.exit(1 if problems else 0)


@content_group.command("sync")
@click.argument("directory", required=False)
@with_appcontext
def content_sync(directory: str | None) -> None:
    """Load the tree into the database, one transaction per course."""
    from lms.content import known_courses, load_tree, sync_tree

    root = _content_dir(directory)
    # Courses unchanged since their last clean sync are skipped by hash, unparsed.
    tree = load_tree(root, videos=current_app.config["VIDEO_PROVIDERS"], known=known_courses())
    for problem in tree.problems:
        click.echo(str(problem))
    report = sync_tree(tree, surveys_root=root)
    for label in report.added:
        click.echo(f"added     {label}")
    for label in report.changed:
        click.echo(f"changed   {label}")
    for label in report.removed:
        click.echo(f"removed   {label}")
    for label, problems in report.partial.items():
        click.echo(f"partly    {label}: these items keep their last good version")
        for problem in problems:
            click.echo(f"  {problem}")
    for label, problems in report.refused.items():
        click.echo(f"refused   {label}")
        for problem in problems:
            click.echo(f"  {problem}")
    click.echo(report.summary())
    sys.exit(0 if report.ok and not tree.problems else 1)


@click.group("users", help="Manage accounts.")
def users_group() -> None:
    pass


for _command in PEOPLE_COMMANDS:
    users_group.add_command(_command)


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["participant", "instructor", "coordinator", "admin"]),
              default="participant", show_default=True)
@click.option("--name", "full_name", help="Full name as printed on certificates.")
@click.option("--institution", default="")
@click.option("--position", default="")
@click.password_option(help="Asked for when not given.")
@with_appcontext
def users_create(email, role, full_name, institution, position, password) -> None:
    """Create an account with a role."""
    from lms.auth import passwords, services
    from lms.auth.models import Role

    problem = passwords.problem(password, email=email, full_name=full_name or "")
    if problem:
        raise click.ClickException(problem)
    try:
        user = services.create_user(
            email=email, password=password, full_name=full_name or email.split("@")[0],
            institution=institution, position=position, role=Role(role))
    except services.AccountError:
        raise click.ClickException(f"an account with email {email} already exists") from None
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@click.group("courses", help="Courses and enrollment.")
def courses_group() -> None:
    pass


@courses_group.command("list")
@with_appcontext
def courses_list() -> None:
    """List courses: id, JP, status, title."""
    from lms.courses.models import Course

    for course in db.session.scalars(select(Course).order_by(Course.slug)):
        status = "published" if course.is_published else "unpublished"
        if course.sync_error:
            status += ", last sync refused"
        click.echo(f"{course.slug}\t{course.hours_jp} JP\t{status}\t{course.title}")


@courses_group.command("enroll")
@click.argument("email")
@click.argument("course_ids", nargs=-1, required=True)
@with_appcontext
def courses_enroll(email: str, course_ids: tuple[str, ...]) -> None:
    """Enroll the account EMAIL in one or more courses (by course id)."""
    from lms.auth.services import find_user_by_email
    from lms.courses import services

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    for course_id in course_ids:
        course = services.get_course(course_id)
        if course is None:
            raise click.ClickException(f"no course with id {course_id}")
        try:
            services.enroll(user, course)
        except services.EnrollmentError as exc:
            raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"{user.email} enrolled in {', '.join(course_ids)}")


@click.command("demo", help="Create one demo account per role and print the logins.")
@with_appcontext
def demo_command() -> None:
    from lms.demo import create_demo

    for line in create_demo():
        click.echo(line)
    db.session.commit()
