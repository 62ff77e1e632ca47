"""Instructor and coordinator pages: results, item analysis, CSV, essay grading."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from lms.auth.access import roles_required
from lms.auth.models import STAFF_ROLES
from lms.cohorts.access import visible_participant_ids
from lms.courses import services as courses
from lms.exports import export_response, exportable, nip_cell
from lms.extensions import db
from lms.quizzes import reports, services
from lms.quizzes.models import AttemptItem, Quiz

bp = Blueprint("quiz_reports", __name__)


def _quiz_or_404(slug: str, quiz_slug: str):
    course = courses.get_course(slug)
    if course is None:
        abort(404)
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id,
                                                Quiz.slug == quiz_slug))
    if quiz is None:
        abort(404)
    return course, quiz


@bp.get("/courses/<slug>/quizzes/<quiz_slug>/results")
@roles_required(*STAFF_ROLES)
def results(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    visible = visible_participant_ids(current_user, course.id)
    rows = reports.participant_results(quiz, visible)
    grades = [r.grade for r in rows if r.grade is not None]
    gains = (reports.course_gains(course.id, user_ids=visible)
             if quiz.kind in ("pretest", "posttest") else [])
    return render_template(
        "quizzes/results.html", course=course, quiz=quiz, rows=rows,
        distribution=reports.distribution(grades), mean=reports.average(grades),
        items=reports.item_analysis(quiz, visible), gains=gains,
        mean_gain=reports.average(g.gain for g in gains),
        pending=len(services.pending_essays(quiz, visible)))


@exportable(bp, "/courses/<slug>/quizzes/<quiz_slug>/results")
@roles_required(*STAFF_ROLES)
def results_csv(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    visible = visible_participant_ids(current_user, course.id)
    header = [_("Name"), _("NIP"), _("Email"), _("Institution"), _("Attempts"), _("Grade"),
              _("Passed")]
    rows = ([r.user.full_name, nip_cell(r.user.nip), r.user.email, r.user.institution,
             r.attempts, r.grade, "" if r.passed is None else (_("yes") if r.passed else _("no"))]
            for r in reports.participant_results(quiz, visible))
    return export_response(f"{quiz.slug}-results", header, rows, quiz.title)


@exportable(bp, "/courses/<slug>/quizzes/<quiz_slug>/items")
@roles_required(*STAFF_ROLES)
def items_export(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    header = [_("Number"), _("Question"), _("Type"), _("Responses"), _("Facility"),
              _("Discrimination")]
    rows = ([s.position + 1, s.slug, s.type, s.responses, s.facility, s.discrimination]
            for s in reports.item_analysis(quiz, visible_participant_ids(current_user, course.id)))
    return export_response(f"{quiz.slug}-items", header, rows, _("Item analysis"))


@bp.get("/courses/<slug>/quizzes/<quiz_slug>/grading")
@roles_required(*STAFF_ROLES)
def grading_queue(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    entries = []
    for item in services.pending_essays(quiz, visible_participant_ids(current_user, course.id)):
        question = item.version.question
        entries.append({"item": item, "question": question,
                        "answer": (item.response or {}).get("value", "")})
    return render_template("quizzes/grading.html", course=course, quiz=quiz, entries=entries,
                           form=FlaskForm())


@bp.post("/attempt-items/<int:item_id>/grade")
@roles_required(*STAFF_ROLES)
def grade_item(item_id: int):
    item = db.session.get(AttemptItem, item_id)
    if item is None:
        abort(404)
    quiz = item.attempt.quiz
    course = db.session.get(courses.Course, quiz.course_id)
    back = url_for(".grading_queue", slug=course.slug, quiz_slug=quiz.slug)
    visible = visible_participant_ids(current_user, course.id)
    if visible is not None and item.attempt.user_id not in visible:
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        points = float(request.form.get("points", "").replace(",", "."))
    except ValueError:
        flash(_("Enter the points as a number."), "error")
        return redirect(back)
    try:
        services.grade_essay(item, points, request.form.get("comment", "")[:5000],
                             current_user.id)
    except services.QuizError as exc:
        db.session.rollback()
        flash(_("The grade was not saved: %(why)s", why=exc.detail), "error")
        return redirect(back)
    db.session.commit()
    flash(_("Grade saved."), "success")
    return redirect(back)
