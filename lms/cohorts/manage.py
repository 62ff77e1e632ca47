"""Coordinators: programs, cohorts, selection, CSV import, instructors, grid, announcements."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectChoice

from lms.audit import labels
from lms.audit.services import recent
from lms.auth.access import MANAGERS, is_manager, roles_required
from lms.auth.models import Role, User
from lms.auth.services import find_user_by_email
from lms.cohorts import services
from lms.cohorts.access import (
    CohortAccess,
    cohort_required,
    managed_program_ids,
    manages,
    refuse_outside_programs,
    taught_cohort_ids,
)
from lms.cohorts.forms import (
    AnnouncementForm,
    CohortForm,
    CohortSettingsForm,
    ImportForm,
    InstructorForm,
    WithdrawForm,
)
from lms.cohorts.models import Cohort, CohortInstructor, CohortMember, MemberStatus
from lms.cohorts.roster import parse_roster
from lms.courses.models import Course
from lms.exports import export_response, exportable, nip_cell
from lms.extensions import db
from lms.progress.grid import SORTS, progress_grid, rows_html, without_cyclic_gc
from lms.records.grading import final_grades

bp = Blueprint("manage", __name__, url_prefix="/manage")
MAX_CSV_BYTES = 2 * 1024 * 1024


@bp.get("/programs")
@roles_required(*MANAGERS)
def programs():
    rows = [(p, services.program_courses(p)) for p in services.programs()]
    return render_template("manage/programs.html", rows=rows)


@bp.get("/programs/<slug>")
@roles_required(*MANAGERS)
def program(slug: str):
    found = services.get_program(slug)
    if found is None:
        abort(404)
    cohorts = [c for c in services.all_cohorts() if c.program_id == found.id]
    return render_template("manage/program.html", program=found,
                           courses=services.program_courses(found), cohorts=cohorts)


@bp.get("/cohorts")
@roles_required(*MANAGERS)
def cohorts():
    scope = managed_program_ids(current_user)
    rows = [c for c in services.all_cohorts() if scope is None or c.program_id in scope]
    counts = {c.id: {s: services.count_status(c, s) for s in MemberStatus} for c in rows}
    return render_template("manage/cohorts.html", cohorts=rows, counts=counts)


def _form_fields(form: CohortSettingsForm) -> dict:
    return {name: getattr(form, name).data for name in services.COHORT_FIELDS}


@bp.route("/cohorts/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_cohort():
    form = CohortForm()
    scope = managed_program_ids(current_user)
    form.program.choices = [SelectChoice(p.slug, p.title) for p in services.programs()
                            if scope is None or p.id in scope]
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(services.get_program(form.program.data),
                                            form.code.data, _form_fields(form), current_user.id)
        except services.CohortError as exc:
            db.session.rollback()
            flash(exc.detail, "error")
            return render_template("manage/cohort_form.html", form=form, cohort=None), 400
        db.session.commit()
        flash(_("Cohort %(name)s created.", name=cohort.name), "success")
        return redirect(url_for(".cohort", code=cohort.code))
    return render_template("manage/cohort_form.html", form=form, cohort=None)


@bp.route("/cohorts/<code>/edit", methods=["GET", "POST"])
@cohort_required("manage")
def edit_cohort(code: str, access: CohortAccess):
    cohort = access.cohort
    # Program and code never change, so the edit form has no such fields: a form that
    # required them could never be valid, since the page does not show them.
    form = CohortSettingsForm(obj=cohort)
    if form.validate_on_submit():
        try:
            services.update_cohort(cohort, _form_fields(form), current_user.id)
        except services.CohortError as exc:
            db.session.rollback()
            flash(exc.detail, "error")
            return render_template("manage/cohort_form.html", form=form, cohort=cohort), 400
        db.session.commit()
        flash(_("Settings saved."), "success")
        return redirect(url_for(".cohort", code=cohort.code))
    if form.errors:
        flash(_("Nothing was saved: correct the fields marked below."), "error")
        return render_template("manage/cohort_form.html", form=form, cohort=cohort), 400
    return render_template("manage/cohort_form.html", form=form, cohort=cohort)


APPLICANT_SORTS = {"name": User.full_name, "institution": CohortMember.institution,
                   "applied": CohortMember.applied_at, "status": CohortMember.status}


@bp.get("/cohorts/<code>")
@cohort_required("manage")
def cohort(code: str, access: CohortAccess):
    found = access.cohort
    status, search, sort, descending, rows = _applicants(found)
    counts = {s: services.count_status(found, s) for s in MemberStatus}
    return render_template("manage/cohort.html", cohort=found, rows=rows, counts=counts,
                           status=status, search=search, sort=sort, descending=descending,
                           form=FlaskForm())


@exportable(bp, "/cohorts/<code>/applicants")
@cohort_required("manage")
def applicants_export(code: str, access: CohortAccess):
    """The applicants page's list, with its filters and order, as a spreadsheet."""
    found = access.cohort
    rows = _applicants(found)[-1]
    context: dict = {}
    current_app.update_template_context(context)  # the status words the page shows
    header = [_("Name"), _("NIP"), _("Email"), _("Institution"), _("Position"), _("Status"),
              _("Applied at"), _("Decided at")]
    return export_response(f"{found.code}-applicants", header, (
        [user.full_name, nip_cell(user.nip), user.email, member.institution, member.position,
         context["member_status"](member.status), member.applied_at, member.decided_at]
        for member, user in rows), _("Applicants"))


def _applicants(found):
    status = request.args.get("status", "")
    search = request.args.get("q", "").strip()
    sort = request.args.get("sort", "applied")
    descending = request.args.get("order") == "desc"
    query = (select(CohortMember, User).join(User, User.id == CohortMember.user_id)
             .where(CohortMember.cohort_id == found.id))
    if status in {s.value for s in MemberStatus}:
        query = query.where(CohortMember.status == status)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(User.full_name.ilike(like) | User.email.ilike(like)
                            | CohortMember.institution.ilike(like))
    column = APPLICANT_SORTS.get(sort, CohortMember.applied_at)
    query = query.order_by(column.desc() if descending else column, CohortMember.id)
    return status, search, sort, descending, db.session.execute(query).all()


@bp.post("/cohorts/<code>/decide")
@cohort_required("manage")
def decide(code: str, access: CohortAccess):
    found = access.cohort
    if not FlaskForm().validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("member") if v.isdigit()]
    decision = request.form.get("decision", "")
    if not ids:
        flash(_("Select at least one person."), "error")
        return redirect(url_for(".cohort", code=code))
    try:
        result = services.decide(found, ids, decision, current_user.id)
    except services.CohortError as exc:
        db.session.rollback()
        flash(exc.detail or _("Unknown decision."), "error")
        return redirect(url_for(".cohort", code=code))
    db.session.commit()
    flash(_("%(changed)d changed, %(unchanged)d unchanged.", changed=result.changed,
            unchanged=result.unchanged), "success")
    if result.full:
        flash(_("The cohort is full: %(n)d could not be accepted and are on the waiting list.",
                n=result.full), "error")
    return redirect(url_for(".cohort", code=code, **{k: v for k, v in request.args.items()}))


@bp.post("/cohorts/<code>/add")
@cohort_required("manage")
def add_member(code: str, access: CohortAccess):
    """Invite one person with an account straight into the cohort."""
    found = access.cohort
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = find_user_by_email(request.form.get("email", ""))
    if user is None:
        flash(_("No account with this email. Import a CSV file to create accounts."), "error")
    elif services.enroll_user(found, user, current_user.id):
        db.session.commit()
        flash(_("%(name)s is now a participant.", name=user.full_name), "success")
    else:
        db.session.rollback()
        flash(_("The cohort is full."), "error")
    return redirect(url_for(".cohort", code=code))


@bp.route("/members/<int:member_id>/withdraw", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def withdraw_member(member_id: int):
    """Ask first on a page of its own (no script needed), then withdraw and promote."""
    member = db.session.get(CohortMember, member_id)
    if member is None:
        abort(404)
    if not manages(current_user, member.cohort):
        refuse_outside_programs(member.cohort)
    back = url_for(".cohort", code=member.cohort.code)
    if member.status == MemberStatus.WITHDRAWN:
        flash(_("Already withdrawn."), "info")
        return redirect(back)
    form = WithdrawForm()
    if request.method == "GET" or not form.confirmed():
        if request.method == "POST" and not form.validate_on_submit():
            abort(400)
        return render_template(
            "cohorts/withdraw_confirm.html", form=form, cohort=member.cohort, member=member,
            person=member.user,
            waiting=services.count_status(member.cohort, MemberStatus.WAITLISTED),
            action=url_for(".withdraw_member", member_id=member.id), back=back)
    try:
        promoted = services.withdraw(member, current_user.id)
    except services.CohortError as exc:
        flash(exc.detail, "error")
        return redirect(back)
    db.session.commit()
    flash(_("%(name)s has been withdrawn.", name=member.user.full_name), "success")
    for other in promoted:
        flash(_("%(name)s moved up from the waiting list.", name=other.user.full_name), "info")
    return redirect(back)


@bp.route("/cohorts/<code>/import", methods=["GET", "POST"])
@cohort_required("manage")
def import_csv(code: str, access: CohortAccess):
    found = access.cohort
    form = ImportForm()
    problems, warnings, summary = [], [], None
    if form.validate_on_submit():
        data = form.file.data.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            problems = [_("The file is larger than 2 MB.")]
        else:
            roster = parse_roster(data, cohort=(found.code, found.name))
            problems = [str(p) for p in roster.problems]
            warnings = [str(w) for w in roster.warnings]
            if roster.rows and (roster.ok or form.skip_invalid.data):
                bad_lines = {p.line for p in roster.problems}
                rows = [r for r in roster.rows if r.line not in bad_lines]
                summary = services.import_roster(found, rows, current_user.id)
                db.session.commit()
                flash(_("%(enrolled)d enrolled, %(unchanged)d already enrolled, %(created)d new "
                        "accounts, %(full)d on the waiting list (cohort full).",
                        enrolled=summary.enrolled, unchanged=summary.unchanged,
                        created=summary.created_users, full=summary.full), "success")
            elif problems:
                flash(_("Nothing was imported: fix the problems below, or choose to skip "
                        "the invalid rows."), "error")
    return render_template("manage/import.html", cohort=found, form=form, problems=problems,
                           warnings=warnings, summary=summary), (
        400 if problems and summary is None else 200)


@bp.route("/cohorts/<code>/instructors", methods=["GET", "POST"])
@cohort_required("manage")
def instructors(code: str, access: CohortAccess):
    found = access.cohort
    form = InstructorForm()
    courses = services.program_courses(found.program)
    form.course.choices = [SelectChoice(c.slug, c.title) for c in courses]
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        course = next(c for c in courses if c.slug == form.course.data)
        if user is None:
            form.email.errors.append(_("No account with this email."))
        else:
            try:
                services.assign_instructor(found, course, user, current_user.id)
            except services.CohortError as exc:
                db.session.rollback()
                form.email.errors.append(exc.detail)
            else:
                db.session.commit()
                flash(_("Instructor assigned."), "success")
                return redirect(url_for(".instructors", code=code))
    return render_template("manage/instructors.html", cohort=found, form=form,
                           assignments=services.instructors(found), remove=FlaskForm())


@bp.post("/cohorts/<code>/instructors/<int:assignment_id>/remove")
@cohort_required("manage")
def remove_instructor(code: str, assignment_id: int, access: CohortAccess):
    found = access.cohort
    assignment = db.session.get(CohortInstructor, assignment_id)
    if assignment is None or assignment.cohort_id != found.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.unassign_instructor(assignment, current_user.id)
    db.session.commit()
    flash(_("Instructor removed."), "info")
    return redirect(url_for(".instructors", code=code))


def _grid_args():
    sort = request.args.get("sort", "name")
    return {"search": request.args.get("q", "").strip(),
            "sort": sort if sort in SORTS else "name",
            "descending": request.args.get("order") == "desc",
            "completion": request.args.get("completion", "")}


@bp.get("/cohorts/<code>/grid")
@cohort_required("watch")
def grid(code: str, access: CohortAccess):
    found = access.cohort
    args = _grid_args()
    with without_cyclic_gc():
        return _grid_page(found, args)


def _grid_page(found: Cohort, args: dict) -> str:
    # A function of its own so that the grid's objects are freed (by reference counting)
    # when it returns, before the collector is on again: while they lived, enabling it
    # started a collection of all of them at the end of the request (35–55 ms of the
    # 1,000-person page in bench/cohort_grid.py).
    data = progress_grid(found, **args)
    return render_template("manage/grid.html", cohort=found, grid=data, args=args,
                           grid_rows=rows_html,
                           finals=final_grades(found.program.records,
                                               {r.user.id: r.progress for r in data.rows}))


@exportable(bp, "/cohorts/<code>/grid")
@cohort_required("watch")
def grid_csv(code: str, access: CohortAccess):
    found = access.cohort
    data = progress_grid(found, **_grid_args())
    header = [_("Name"), _("NIP"), _("Email"), _("Institution"), _("Position")]
    header += [f"{c.course.title}: {c.title}" for c in data.columns]
    header += [_("Completion (%)"), _("Last activity")]
    finals = final_grades(found.program.records, {r.user.id: r.progress for r in data.rows})
    if finals is not None:
        header += [_("Final grade"), _("Predikat")]
    labels = {"done": _("done"), "started": _("started")}

    def rows():
        for row in data.rows:
            cells = [labels.get(v, v) if isinstance(v, str) else v for v in row.values()]
            final = [finals[row.user.id].grade, finals[row.user.id].predikat] if finals else []
            yield [row.user.full_name, nip_cell(row.user.nip), row.user.email,
                   row.user.institution, row.user.position, *cells, row.percent(data.total),
                   row.last_activity, *final]

    return export_response(f"{found.code}-progress", header, rows(), _("Progress"))


@bp.route("/cohorts/<code>/announcements", methods=["GET", "POST"])
@cohort_required("manage")
def announcements(code: str, access: CohortAccess):
    found = access.cohort
    form = AnnouncementForm()
    if form.validate_on_submit():
        try:
            services.post_announcement(found, current_user.id, form.title.data, form.body.data)
        except services.CohortError as exc:
            db.session.rollback()
            flash(exc.detail, "error")
        else:
            db.session.commit()
            flash(_("Announcement posted."), "success")
            return redirect(url_for(".announcements", code=code))
    return render_template("manage/announcements.html", cohort=found, form=form,
                           items=services.cohort_announcements(found))


@bp.get("/teaching")
@roles_required(Role.INSTRUCTOR, *MANAGERS)
def teaching():
    """The cohorts an instructor teaches in (coordinators see every cohort)."""
    if is_manager(current_user):
        rows = services.all_cohorts()
    else:
        taught = taught_cohort_ids(current_user.id)
        rows = [c for c in services.all_cohorts() if c.id in taught]
    return render_template("manage/teaching.html", cohorts=rows)


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    action = request.args.get("action") or None
    return render_template("manage/audit.html", entries=recent(300, action), action=action,
                           courses={c.id: c for c in db.session.scalars(select(Course))},
                           action_label=labels.action_label, field_label=labels.field_label,
                           value_text=labels.value_text)
