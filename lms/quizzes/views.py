"""Quiz pages: start, attempt (save as you go), submit, review; results for staff."""

import json

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from lms.courses import services as courses
from lms.extensions import db
from lms.i18n import locale_code, plain_num
from lms.quizzes import services, types
from lms.quizzes.models import Attempt, AttemptItem, Quiz
from lms.quizzes.presenters import attempt_view, review_view
from lms.quizzes.type_labels import question_type

bp = Blueprint("quizzes", __name__)


@bp.app_context_processor
def quiz_labels():
    kinds = {"pretest": _("Pre-test"), "posttest": _("Post-test"), "practice": _("Practice"),
             "exam": _("Exam")}
    methods = {"highest": _("highest attempt"), "last": _("last attempt"),
               "average": _("average of attempts"), "first": _("first attempt")}
    return {"quiz_kind": lambda kind: kinds.get(kind, kind),
            "grading_method": lambda method: methods.get(method, method)}


def _messages() -> dict[str, str]:
    return {
        "not_open_yet": _("This quiz is not open yet."),
        "closed": _("This quiz is closed."),
        "no_attempts_left": _("You have used all your attempts."),
        "no_questions": _("This quiz has no questions yet."),
        "finished": _("This attempt is already finished; nothing was changed."),
        "deadline": _("The time limit has passed: the attempt was graded with the answers "
                      "saved before the deadline."),
        "invalid": _("An answer was not accepted and nothing was saved:"),
    }


def _message(error: services.QuizError, attempt: Attempt | None = None) -> str:
    """What the participant reads: their language, the question's number as the page shows
    it, and never an internal id."""
    text = _messages().get(error.code, error.code)
    if error.code != "invalid":
        return text
    reasons = {"not_a_number": _("this is not a number (for example 4,5 or 4000)."),
               "too_long": _("the answer is too long.")}
    reason = reasons.get(error.reason, _("the page is out of date; reload it and answer "
                                         "again."))
    numbers = {item.position: n for n, item in enumerate(attempt.items, 1)} if attempt else {}
    if error.position in numbers:
        return f"{text} {_('Question %(n)d', n=numbers[error.position])}: {reason}"
    return f"{text} {reason}"


@bp.app_template_filter("question_type")
def _question_type(name: str) -> str:
    return question_type(name)


def _quiz_or_404(slug: str, quiz_slug: str):
    course = courses.get_course(slug)
    if course is None or not course.is_published:
        abort(404)
    quiz = db.session.scalar(select(Quiz).where(
        Quiz.course_id == course.id, Quiz.slug == quiz_slug, Quiz.is_active.is_(True)))
    if quiz is None:
        abort(404)
    if not courses.can_study(current_user, course):
        abort(403)
    return course, quiz


def _own_attempt_or_404(attempt_id: int) -> Attempt:
    # Items, their question versions and the quiz in three queries: loaded one by one
    # they were 20 more SELECTs and a third of the time of each attempt page, save, submit.
    attempt = db.session.get(Attempt, attempt_id, options=[
        joinedload(Attempt.quiz),
        selectinload(Attempt.items).joinedload(AttemptItem.version)])
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.get("/courses/<slug>/quizzes/<quiz_slug>")
@login_required
def quiz_page(slug: str, quiz_slug: str):
    course, quiz = _quiz_or_404(slug, quiz_slug)
    state = services.status(quiz, current_user.id)
    db.session.commit()  # an attempt past its deadline may just have been graded
    shown = {a.id: services.visibility(quiz, a, state).score for a in state.finished}
    return render_template("quizzes/quiz.html", course=course, quiz=quiz, state=state,
                           shown=shown, form=FlaskForm(),
                           question_count=services.question_count(quiz),
                           message=_messages().get(state.reason) if state.reason else None)


@bp.post("/courses/<slug>/quizzes/<quiz_slug>/start")
@login_required
def start(slug: str, quiz_slug: str):
    _course, quiz = _quiz_or_404(slug, quiz_slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        attempt = services.start_attempt(quiz, current_user.id)
    except services.QuizError as exc:
        db.session.commit()
        flash(_message(exc), "error")
        return redirect(url_for(".quiz_page", slug=slug, quiz_slug=quiz_slug))
    db.session.commit()
    return redirect(url_for(".attempt_page", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt_page(attempt_id: int):
    attempt = _own_attempt_or_404(attempt_id)
    if services.expire_if_due(attempt):
        db.session.commit()
        flash(_messages()["deadline"], "error")
    if not attempt.is_open:
        return redirect(url_for(".review", attempt_id=attempt.id))
    course = db.session.get(courses.Course, attempt.quiz.course_id)
    return render_template("quizzes/attempt.html", attempt=attempt, quiz=attempt.quiz,
                           course=course, items=attempt_view(attempt), form=FlaskForm())


def _answers_from(form, attempt: Attempt):
    """What the form sent for each question it carries, and what the page had shown,
    both as the page's identifiers; the service maps them back to authored answers."""
    shown, originals = {}, {}
    kinds = {item.position: types.get(item.version.data["type"]) for item in attempt.items}
    for value in form.getlist("p"):
        if not value.isdigit() or int(value) not in kinds:
            raise services.QuizError("invalid", f"question {value!r} is not part of this attempt")
        position = int(value)
        kind = kinds[position]
        if not kind.takes_answer:
            continue
        shown[position] = kind.form_value(form, f"q{position}")
        shown[position] = kind.in_locale(shown[position], locale_code())
        if f"o{position}" in form:
            try:
                originals[position] = json.loads(form[f"o{position}"])
            except ValueError:
                raise services.QuizError("invalid", "the page was altered") from None
    return services.from_page(attempt, shown, originals)


def _readings(attempt: Attempt) -> dict[int, str]:
    """How each saved number was read ("4.000" typed in Indonesian: "Read as 4000."), so
    the participant sees the interpretation before submitting."""
    return {entry["position"]: _("Read as %(number)s.", number=plain_num(entry["value"]))
            for entry in attempt_view(attempt)
            if isinstance(entry["value"], int | float) and not isinstance(entry["value"], bool)}


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def save(attempt_id: int):
    attempt = _own_attempt_or_404(attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        raw, originals = _answers_from(request.form, attempt)
        saved = services.save_answers(attempt, raw, originals)
    except services.QuizError as exc:
        db.session.commit()  # a deadline may have graded the attempt
        if _wants_json():
            return jsonify(ok=False, code=exc.code, message=_message(exc, attempt)), 409
        flash(_message(exc, attempt), "error")
        return redirect(url_for(".attempt_page", attempt_id=attempt.id))
    db.session.commit()
    if _wants_json():
        return jsonify(ok=True, saved=saved, message=_("Answers saved."),
                       readings=_readings(attempt))
    flash(_("Answers saved."), "success")
    return redirect(url_for(".attempt_page", attempt_id=attempt.id))


@bp.post("/attempts/<int:attempt_id>/confirm")
@login_required
def confirm_save(attempt_id: int):
    """"Check and submit": save what the page holds, then ask before the final submit."""
    attempt = _own_attempt_or_404(attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        raw, originals = _answers_from(request.form, attempt)
        services.save_answers(attempt, raw, originals)
    except services.QuizError as exc:
        db.session.rollback() if exc.code == "invalid" else db.session.commit()
        flash(_message(exc, attempt), "error")
        target = ".attempt_page" if exc.code == "invalid" else ".review"
        return redirect(url_for(target, attempt_id=attempt.id))
    db.session.commit()
    return redirect(url_for(".confirm", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/confirm")
@login_required
def confirm(attempt_id: int):
    """The last step before grading: which questions are still unanswered, and the button
    that submits. No script needed (the CSP allows none inline)."""
    attempt = _own_attempt_or_404(attempt_id)
    if services.expire_if_due(attempt):
        db.session.commit()
        flash(_messages()["deadline"], "error")
    if not attempt.is_open:
        return redirect(url_for(".review", attempt_id=attempt.id))
    course = db.session.get(courses.Course, attempt.quiz.course_id)
    # Numbered as the attempt page numbers them: (number, position) of each empty one.
    unanswered = [(n, entry["position"]) for n, entry in enumerate(attempt_view(attempt), 1)
                  if entry["takes_answer"] and entry["value"] in (None, "", [], {})]
    numbers = {item.position: n for n, item in enumerate(attempt.items, 1)}
    readings = sorted((numbers[p], text) for p, text in _readings(attempt).items())
    return render_template("quizzes/confirm.html", attempt=attempt, quiz=attempt.quiz,
                           course=course, form=FlaskForm(), unanswered=unanswered,
                           readings=readings)


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    attempt = _own_attempt_or_404(attempt_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        raw, originals = _answers_from(request.form, attempt)
        graded = services.submit_attempt(attempt, raw, originals)
    except services.QuizError as exc:
        db.session.rollback() if exc.code == "invalid" else db.session.commit()
        flash(_message(exc, attempt), "error")
        target = ".attempt_page" if exc.code == "invalid" else ".review"
        return redirect(url_for(target, attempt_id=attempt.id))
    db.session.commit()
    flash(_("Your attempt has been submitted.") if graded
          else _messages()["finished"], "success" if graded else "info")
    return redirect(url_for(".review", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/review")
@login_required
def review(attempt_id: int):
    attempt = _own_attempt_or_404(attempt_id)
    services.expire_if_due(attempt)
    db.session.commit()
    if attempt.is_open:
        return redirect(url_for(".attempt_page", attempt_id=attempt.id))
    quiz = attempt.quiz
    state = services.status(quiz, current_user.id)
    shown = services.visibility(quiz, attempt, state)
    course = db.session.get(courses.Course, quiz.course_id)
    return render_template("quizzes/review.html", attempt=attempt, quiz=quiz, course=course,
                           shown=shown, items=review_view(attempt, shown), state=state)
