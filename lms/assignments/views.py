"""Assignment pages: hand in, see what was received and graded; grading for instructors."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload, selectinload

from lms.assignments import services
from lms.assignments.files import CONTENT_TYPES
from lms.assignments.models import Submission, SubmissionFile
from lms.cohorts import services as cohorts
from lms.cohorts.access import (
    CohortAccess,
    cohort_access,
    cohort_required,
    visible_participant_ids,
)
from lms.courses import services as courses
from lms.extensions import db
from lms.jobs import queue as jobs
from lms.storage import send

bp = Blueprint("assignments", __name__)


@bp.app_context_processor
def assignment_helpers():
    def submission_status(status):
        return {"submitted": _("waiting for grading"), "graded": _("graded"),
                "returned": _("returned for revision")}.get(status, status)

    return {"due_at": services.due_at,
            "submission_status": submission_status}


def _course_and_assignment(slug: str, assignment_slug: str):
    course = courses.get_course(slug)
    if course is None or not course.is_published:
        abort(404)
    assignment = services.get_assignment(course, assignment_slug)
    if assignment is None:
        abort(404)
    return course, assignment


@bp.route("/courses/<slug>/assignments/<assignment_slug>", methods=["GET", "POST"])
@login_required
def assignment_page(slug: str, assignment_slug: str):
    course, assignment = _course_and_assignment(slug, assignment_slug)
    if not courses.can_study(current_user, course):
        abort(403)
    cohort = services.cohort_for(current_user.id, course.id)
    form = FlaskForm()
    if request.method == "POST":
        if cohort is None:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        files = request.files.getlist("files")
        uploads = [services.Upload(f.filename, f.stream) for f in files if f and f.filename]
        try:
            submission = services.submit(assignment, cohort, current_user,
                                         request.form.get("text", ""), uploads)
        except services.AssignmentError as exc:
            for item in files:
                item.close()
            db.session.rollback()
            flash(_("Nothing was submitted: %(why)s", why=exc.detail), "error")
            return render_template(
                "assignments/assignment.html", course=course, assignment=assignment,
                cohort=cohort, history=services.history(assignment, cohort, current_user.id),
                form=form, text=request.form.get("text", "")), 400
        for item in files:
            item.close()
        db.session.commit()
        flash(_("Received: submission %(n)d.", n=submission.number)
              + (" " + _("It is late.") if submission.is_late else ""), "success")
        return redirect(url_for(".assignment_page", slug=slug, assignment_slug=assignment_slug))
    history = services.history(assignment, cohort, current_user.id) if cohort else []
    return render_template("assignments/assignment.html", course=course, assignment=assignment,
                           cohort=cohort, history=history, form=form, text="")


@bp.get("/submission-files/<int:file_id>")
@login_required
def download(file_id: int):
    item = db.session.get(SubmissionFile, file_id)
    if item is None or not services.may_see(_standing(item.submission), item.submission):
        abort(404)
    return send(services.upload_key(item.stored_name), mimetype=CONTENT_TYPES[item.kind],
                download_name=item.original_name)


def _standing(submission: Submission) -> CohortAccess:
    """The reader's standing in the cohort the submission was made in."""
    return cohort_access(db.session.get(cohorts.Cohort, submission.cohort_id))


def _cohort_for_grading(access: CohortAccess, course_slug: str | None = None):
    course = None
    if course_slug:
        course = courses.get_course(course_slug)
        if course is None:
            abort(404)
        if not access.may_grade(course.id):
            abort(403)
    return access.cohort, course


@bp.get("/manage/cohorts/<code>/assignments")
@cohort_required("watch")
def cohort_assignments(code: str, access: CohortAccess):
    cohort, _course = _cohort_for_grading(access)
    rows = []
    for course in cohorts.program_courses(cohort.program):
        if not access.may_grade(course.id):
            continue
        for assignment in services.assignments_of(course):
            entries = services.queue(assignment, cohort)
            rows.append({"course": course, "assignment": assignment, "count": len(entries),
                         "waiting": sum(1 for e in entries
                                        if e.submission.status == "submitted")})
    return render_template("assignments/cohort.html", cohort=cohort, rows=rows)


@bp.get("/manage/cohorts/<code>/assignments/<course_slug>/<assignment_slug>")
@cohort_required("watch")
def grading_queue(code: str, course_slug: str, assignment_slug: str, access: CohortAccess):
    cohort, course = _cohort_for_grading(access, course_slug)
    assignment = services.get_assignment(course, assignment_slug)
    if assignment is None:
        abort(404)
    entries = services.queue(assignment, cohort)
    return render_template("assignments/queue.html", cohort=cohort, course=course,
                           assignment=assignment, entries=entries,
                           due=services.due_at(assignment, cohort))


@bp.get("/manage/cohorts/<code>/assignments/<course_slug>/<assignment_slug>.zip")
@cohort_required("watch")
def queue_zip(code: str, course_slug: str, assignment_slug: str, access: CohortAccess):
    cohort, course = _cohort_for_grading(access, course_slug)
    assignment = services.get_assignment(course, assignment_slug)
    if assignment is None:
        abort(404)
    # Built by a job (files streamed from storage into a temporary file); asking again
    # while nothing new was handed in finds the same job.
    entries = services.queue(assignment, cohort)
    latest = max((e.submission.id for e in entries), default=0)
    started = jobs.enqueue("assignments.zip", {
        "assignment_id": assignment.id, "cohort_id": cohort.id,
        "title": _("Submissions: %(title)s", title=assignment.title),
        "back": url_for(".grading_queue", code=code, course_slug=course_slug,
                        assignment_slug=assignment_slug)},
        key=f"assignments.zip:{assignment.id}:{cohort.id}:{current_user.id}:{len(entries)}"
            f":{latest}", owner_id=current_user.id)
    db.session.commit()
    return redirect(url_for("jobs.show", job_id=started.id))


@bp.route("/manage/submissions/<int:submission_id>", methods=["GET", "POST"])
@login_required
def grade_page(submission_id: int):
    submission = db.session.get(Submission, submission_id, options=[
        selectinload(Submission.files), joinedload(Submission.user)])
    if submission is None:
        abort(404)
    access = _standing(submission)
    cohort = access.cohort
    course_id = submission.assignment.course_id
    if not access.may_grade(course_id):
        abort(403)
    visible = visible_participant_ids(current_user, course_id)
    if visible is not None and submission.user_id not in visible:
        abort(403)
    form = FlaskForm()
    course = db.session.get(courses.Course, course_id)
    back = url_for(".grading_queue", code=cohort.code, course_slug=course.slug,
                   assignment_slug=submission.assignment.slug)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        levels = {c["id"]: request.form.get(f"level-{c['id']}", "")
                  for c in submission.assignment.rubric}
        raw_score = request.form.get("score", "").replace(",", ".").strip()
        try:
            score = float(raw_score) if raw_score else None
        except ValueError:
            score = -1.0
        try:
            services.grade(submission, levels, request.form.get("comment", ""),
                           current_user.id, request.form.get("action", ""), score)
        except services.AssignmentError as exc:
            db.session.rollback()
            flash(_("Not saved: %(why)s", why=exc.detail or exc.code), "error")
            return redirect(url_for(".grade_page", submission_id=submission_id))
        db.session.commit()
        flash(_("Saved.") , "success")
        return redirect(back)
    earlier = [s for s in services.history(submission.assignment, cohort, submission.user_id)
               if s.id != submission.id]
    return render_template("assignments/grade.html", submission=submission, cohort=cohort,
                           course=course, form=form, back=back, earlier=earlier)
