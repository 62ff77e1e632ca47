"""`lms certificates ...`: issue, list, render and verify from the command line."""

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from lms.auth.services import find_user_by_email
from lms.certificates import documents, services
from lms.certificates.models import Certificate
from lms.cohorts import services as cohorts
from lms.extensions import db


@click.group("certificates", help="Issue, list, render and verify certificates.")
def certificates_group() -> None:
    pass


def _cohort(code: str):
    cohort = cohorts.get_cohort(code)
    if cohort is None:
        raise click.ClickException(f"no cohort {code} (see: lms cohorts list)")
    return cohort


@certificates_group.command("issue")
@click.option("--cohort", "code", required=True)
@click.option("--user", "email", help="Only this participant (email).")
@with_appcontext
def issue(code: str, email: str | None) -> None:
    """Issue certificates to everyone who has completed (or to one participant)."""
    cohort = _cohort(code)
    try:
        if email:
            user = find_user_by_email(email)
            if user is None:
                raise click.ClickException(f"no account {email}")
            certificate = services.issue(cohort, user, None)
            db.session.commit()
            click.echo(f"issued {certificate.number}  {certificate.holder_name}")
            return
        summary = services.issue_all(cohort, None)
    except services.CertificateError as exc:
        raise click.ClickException(exc.detail) from None
    db.session.commit()
    for certificate in summary.issued:
        click.echo(f"issued {certificate.number}  {certificate.holder_name}")
    click.echo(f"{len(summary.issued)} issued, {summary.held} already held one, "
               f"{summary.incomplete} not complete, {summary.revoked} skipped: certificate "
               "revoked (see: lms certificates recertify)")


@certificates_group.command("recertify")
@click.option("--cohort", "code", required=True)
@click.option("--user", "email", required=True, help="The participant (email).")
@click.option("--reason", required=True, help="Why this person is certified again.")
@with_appcontext
def recertify(code: str, email: str, reason: str) -> None:
    """Certify again a participant whose certificate in the cohort was revoked."""
    cohort = _cohort(code)
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account {email}")
    try:
        certificate = services.recertify(cohort, user, reason, None)
    except services.CertificateError as exc:
        raise click.ClickException(exc.detail) from None
    db.session.commit()
    click.echo(f"issued {certificate.number}  {certificate.holder_name}")


@certificates_group.command("list")
@click.option("--cohort", "code")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def list_(code: str | None, as_json: bool) -> None:
    """Number, verification code, holder, status."""
    query = select(Certificate).order_by(Certificate.cohort_id, Certificate.sequence)
    if code:
        query = query.where(Certificate.cohort_id == _cohort(code).id)
    rows = [{"number": c.number, "verification_code": c.verification_code,
             "holder": c.holder_name, "status": c.status, "cohort": c.cohort.code,
             "verify_url": documents.verify_url(c)} for c in db.session.scalars(query)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['number']}\t{row['verification_code']}\t{row['holder']}\t"
                   f"{row['status']}")


@certificates_group.command("render")
@click.argument("number", required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF file to write (with NUMBER).")
@click.option("--cohort", "code", help="Render every valid certificate of a cohort.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs (with --cohort).")
@with_appcontext
def render(number: str | None, out: Path | None, code: str | None,
           out_dir: Path | None) -> None:
    """Write one certificate's PDF, or a cohort's, with a progress bar."""
    if number:
        certificate = services.by_number(number)
        if certificate is None:
            raise click.ClickException(f"no certificate numbered {number}")
        targets = [(certificate, out or Path(number.replace("/", "-") + ".pdf"))]
    elif code:
        folder = out_dir or Path(code)
        folder.mkdir(parents=True, exist_ok=True)
        targets = [(c, folder / (c.number.replace("/", "-") + ".pdf"))
                   for c in services.cohort_certificates(_cohort(code)) if c.status == "valid"]
    else:
        raise click.UsageError("give a NUMBER or --cohort")
    with click.progressbar(targets, label="rendering", show_pos=True,
                           file=sys.stderr) as bar:
        for certificate, path in bar:
            path.write_bytes(documents.pdf_of(certificate))
            db.session.commit()
    for certificate, path in targets:
        click.echo(f"{path}  sha256 {certificate.pdf_sha256}")


@certificates_group.command("verify", context_settings={"ignore_unknown_options": True})
@click.argument("code")
@with_appcontext
def verify(code: str) -> None:
    """What /verify/CODE says: valid, revoked (date, reason), superseded or unknown."""
    certificate = services.by_code(code)
    if certificate is None:
        click.echo("unknown: no certificate has this code")
        sys.exit(1)
    click.echo(f"status:   {certificate.status}")
    if certificate.status == "revoked":
        click.echo(f"revoked:  {certificate.revoked_at:%Y-%m-%d} ({certificate.revoked_reason})")
    click.echo(f"number:   {certificate.number}")
    click.echo(f"holder:   {certificate.holder_name}")
    click.echo(f"program:  {certificate.data['program_title']}")
    click.echo(f"cohort:   {certificate.data['cohort_name']}")
    click.echo(f"issued:   {certificate.data['issued_on']}")
    click.echo(f"sha256:   {certificate.pdf_sha256 or '(PDF not rendered yet)'}")
    sys.exit(0 if certificate.status == "valid" else 1)
