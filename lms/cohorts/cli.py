"""`lms programs ...` and `lms cohorts ...`: thin wrappers over the cohort services."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from lms.cohorts import services
from lms.cohorts.models import MemberStatus
from lms.cohorts.roster import parse_roster
from lms.extensions import db


@click.group("programs", help="Programs (from course_content/_programs).")
def programs_group() -> None:
    pass


@programs_group.command("list")
@with_appcontext
def programs_list() -> None:
    """Each program with its courses in order and their JP."""
    for program in services.programs():
        courses = services.program_courses(program)
        click.echo(f"{program.slug}\t{sum(c.hours_jp for c in courses)} JP\t{program.title}")
        for number, course in enumerate(courses, start=1):
            click.echo(f"  {number:>2}. {course.slug}\t{course.hours_jp} JP\t{course.title}")


@click.group("cohorts", help="Cohorts (angkatan): create, list, import participants.")
def cohorts_group() -> None:
    pass


@cohorts_group.command("create")
@click.argument("program")
@click.option("--code", required=True, help="Stable id, e.g. diklat-ppbd-2026-2.")
@click.option("--name", required=True, help='e.g. "Angkatan II Tahun 2026".')
@click.option("--number", type=int, default=1, show_default=True)
@click.option("--year", type=int, help="Default: the year the cohort starts.")
@click.option("--starts", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--ends", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--registration-opens", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--registration-closes", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--capacity", type=int, default=40, show_default=True)
@click.option("--mode", type=click.Choice(["application", "open", "key", "invitation"]),
              default="application", show_default=True)
@click.option("--key", "enrollment_key", help="Enrollment key (mode key).")
@with_appcontext
def cohorts_create(program, code, name, number, year, starts, ends, registration_opens,
                   registration_closes, capacity, mode, enrollment_key) -> None:
    """Create a cohort of PROGRAM (program id)."""
    found = services.get_program(program)
    if found is None:
        raise click.ClickException(f"no program {program} (see: lms programs list)")
    fields = {"name": name, "number": number, "year": year or starts.year, "description": "",
              "starts_on": starts.date(), "ends_on": ends.date(),
              "registration_opens_on": registration_opens.date() if registration_opens else None,
              "registration_closes_on": registration_closes.date()
              if registration_closes else None,
              "capacity": capacity, "enrollment_mode": mode, "enrollment_key": enrollment_key}
    try:
        cohort = services.create_cohort(found, code, fields, None)
    except services.CohortError as exc:
        raise click.ClickException(exc.detail) from None
    db.session.commit()
    click.echo(f"created {cohort.code}: {cohort.name}")


@cohorts_group.command("list")
@with_appcontext
def cohorts_list() -> None:
    """Code, dates, places taken / capacity, mode, name."""
    for cohort in services.all_cohorts():
        taken = services.count_status(cohort, MemberStatus.ACCEPTED)
        click.echo(f"{cohort.code}\t{cohort.starts_on}..{cohort.ends_on}\t"
                   f"{taken}/{cohort.capacity}\t{cohort.enrollment_mode}\t{cohort.name}")


@cohorts_group.command("import")
@click.argument("cohort")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows, skip the others.")
@with_appcontext
def cohorts_import(cohort: str, file: Path, skip_invalid: bool) -> None:
    """Enroll the participants of a CSV file (Moodle's columns or ours)."""
    found = services.get_cohort(cohort)
    if found is None:
        raise click.ClickException(f"no cohort {cohort}")
    roster = parse_roster(file.read_bytes(), cohort=(found.code, found.name))
    for warning in roster.warnings:
        click.echo(f"{file}: {warning} (warning)", err=True)
    for problem in roster.problems:
        click.echo(f"{file}: {problem}", err=True)
    if roster.problems and not skip_invalid:
        click.echo("nothing imported (use --skip-invalid to import the valid rows)", err=True)
        sys.exit(1)
    bad = {p.line for p in roster.problems}
    result = services.import_roster(found, [r for r in roster.rows if r.line not in bad], None)
    db.session.commit()
    click.echo(f"{result.enrolled} enrolled, {result.unchanged} unchanged, "
               f"{result.created_users} new accounts, {result.full} waitlisted (full)")
    sys.exit(1 if roster.problems else 0)
