"""The training record: a person's own page and PDF, and the coordinators' JP report."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.auth.access import roles_required
from lms.auth.models import Role
from lms.clock import site_date, utcnow
from lms.cohorts.access import managed_program_ids
from lms.exports import export_response, exportable
from lms.records.record import jp_by_institution, training_record, yearly_target

bp = Blueprint("records", __name__)
MANAGERS = (Role.COORDINATOR, Role.ADMIN)


@bp.get("/profile/record")
@login_required
def record():
    found = training_record(current_user._get_current_object(), today=site_date(utcnow()))
    return render_template("records/record.html", record=found, target=yearly_target())


@bp.get("/profile/record.pdf")
@login_required
def record_pdf():
    from lms.records.pdf import record_pdf as render

    today = site_date(utcnow())
    pdf = render(training_record(current_user._get_current_object(), today=today), today)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="riwayat-pelatihan.pdf"'
    return response


def _report_rows():
    year = request.args.get("year", "")
    rows = jp_by_institution(managed_program_ids(current_user))
    years = sorted({r.year for r in rows}, reverse=True)
    if year.isdigit() and len(year) == 4:
        rows = [r for r in rows if r.year == int(year)]
    return rows, years, year


@bp.get("/manage/records/jp")
@roles_required(*MANAGERS)
def jp_report():
    rows, years, year = _report_rows()
    return render_template("records/jp_report.html", rows=rows, years=years, year=year,
                           target=yearly_target())


@exportable(bp, "/manage/records/jp")
@roles_required(*MANAGERS)
def jp_report_export():
    rows, _years, _year = _report_rows()
    header = [_("Institution"), _("Year"), _("People"), _("JP"),
              _("People with at least %(n)d JP", n=yearly_target())]
    return export_response("jp-per-institution", header, (
        [r.institution, r.year, r.people, r.hours_jp, r.people_at_target] for r in rows),
        _("JP per institution"))
