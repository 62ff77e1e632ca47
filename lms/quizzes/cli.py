"""`lms quizzes parse` and `lms quizzes import`: Moodle question banks in, quiz files out."""

import json
import os
import sys
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.quizzes.importer import QuestionFormatErrors, parse_file, quiz_id_from, to_quiz_yaml
from lms.quizzes.loader import load_quiz

FORMAT = click.Choice(["gift", "aiken"])


@click.group("quizzes", help="Import Moodle question banks (GIFT, Aiken).")
def quizzes_group() -> None:
    pass


@quizzes_group.command("parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the questions as JSON.")
def parse(file: Path, fmt: str, as_json: bool) -> None:
    """Parse FILE and print its questions, or every problem as path:line: message."""
    try:
        questions = parse_file(file, fmt)
    except QuestionFormatErrors as errors:
        for error in errors:
            click.echo(str(error), err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(questions, ensure_ascii=False, indent=2))
    else:
        for question in questions:
            click.echo(f"{file}:{question['line']}: {question['type']}: "
                       f"{' '.join(question['text'].split())[:70]}")
        click.echo(f"{len(questions)} questions", err=True)


@quizzes_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, required=True)
@click.option("--course", required=True, help="Course folder (or id) in the content folder.")
@click.option("--out", required=True, help="Path inside the course, e.g. quizzes/bank.yml.")
@click.option("--kind", type=click.Choice(["pretest", "posttest", "practice", "exam"]),
              default="practice", show_default=True)
@click.option("--title", help="Quiz title (default: the file name).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@with_appcontext
def import_(file: Path, fmt: str, course: str, out: str, kind: str, title: str | None,
            force: bool) -> None:
    """Write a quiz file from FILE; nothing is written when any question is malformed."""
    folder = Path(current_app.config["CONTENT_DIR"]) / course
    if not (folder / "course.yml").is_file():
        raise click.ClickException(f"no course folder {folder}")
    target = (folder / out).resolve()
    if folder.resolve() / "quizzes" != target.parent or target.suffix != ".yml":
        raise click.ClickException("--out must be quizzes/NAME.yml inside the course")
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists (use --force to overwrite)")
    try:
        questions = parse_file(file, fmt)
    except QuestionFormatErrors as errors:
        for error in errors:
            click.echo(str(error), err=True)
        click.echo("nothing was written", err=True)
        sys.exit(1)
    quiz_id = quiz_id_from(course, target.stem)
    text = to_quiz_yaml(questions, quiz_id=quiz_id, title=title or target.stem, kind=kind,
                        source=file.name)
    target.parent.mkdir(exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    quiz, problems = load_quiz(Path(temp), str(target))
    if problems:
        os.unlink(temp)
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo("nothing was written", err=True)
        sys.exit(1)
    os.replace(temp, target)
    click.echo(f"wrote {target} ({len(quiz.questions)} questions)")
