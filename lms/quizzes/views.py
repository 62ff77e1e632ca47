"""Quiz pages: start, attempt (save as you go), submit, review; results for staff."""

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup

from lms.courses import services as courses
from lms.extensions import db
from lms.i18n import locale_code, plain_num
from lms.quizzes import services, types
from lms.quizzes.models import Attempt
from lms.quizzes.presenters import attempt_view, review_view
from lms.quizzes.type_labels import question_type

bp = Blueprint("quizzes", __name__)


# Template globals translated when printed: as a context processor they translated all
# eight labels at every page of the site, which printed none of them on most.
_KINDS = {"pretest": _l("Pre-test"), "posttest": _l("Post-test"), "practice": _l("Practice"),
          "exam": _l("Exam")}
_METHODS = {"highest": _l("highest attempt"), "last": _l("last attempt"),
            "average": _l("average of attempts"), "first": _l("first attempt")}


@bp.app_template_global()
def quiz_kind(kind: str) -> str:
    return str(_KINDS[kind]) if kind in _KINDS else kind


@bp.app_template_global()
def grading_method(method: str) -> str:
    return str(_METHODS[method]) if method in _METHODS else method


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
    numbers = ({item.position: n for n, item in enumerate(services.items_of(attempt), 1)}
               if attempt else {})
    if error.position in numbers:
        return f"{text} {_('Question %(n)d', n=numbers[error.position])}: {reason}"
    return f"{text} {reason}"


@bp.app_template_global()
def question_partial(name: str):
    """A question type's template partial as a module of macros (fields, correct)."""
    return current_app.jinja_env.get_template(name).module


@bp.app_template_filter("question_type")
def _question_type(name: str) -> str:
    return question_type(name)


def _quiz_or_404(slug: str, quiz_slug: str):
    """The course, the quiz and its number of questions, for a person who may take it."""
    course, quiz, enrolled, questions = services.course_and_quiz(slug, quiz_slug,
                                                                 current_user.id)
    if course is None or not course.is_published:
        abort(404)
    if quiz is None:
        abort(404)
    if not (current_user.is_staff or enrolled):  # courses.can_study, from the same row
        abort(403)
    return course, quiz, questions


def _own_attempt_or_404(attempt_id: int) -> tuple[Attempt, courses.Course]:
    """The person's attempt, read with its quiz and course (services.items_of reads its
    items)."""
    attempt, course = services.attempt_to_show(attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt, course


def _own_attempt_to_change_or_404(attempt_id: int) -> Attempt:
    """The person's attempt for a form that saves or submits: read under its lock, which
    the services would otherwise take and read everything again."""
    attempt = services.locked_attempt(attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.get("/courses/<slug>/quizzes/<quiz_slug>")
@login_required
def quiz_page(slug: str, quiz_slug: str):
    course, quiz, question_count = _quiz_or_404(slug, quiz_slug)
    state = services.status(quiz, current_user.id)
    db.session.commit()  # an attempt past its deadline may just have been graded
    shown = {a.id: services.visibility(quiz, a, state).score for a in state.finished}
    return render_template("quizzes/quiz.html", course=course, quiz=quiz, state=state,
                           shown=shown, form=FlaskForm(), question_count=question_count,
                           message=_messages().get(state.reason) if state.reason else None)


@bp.post("/courses/<slug>/quizzes/<quiz_slug>/start")
@login_required
def start(slug: str, quiz_slug: str):
    _course, quiz, _questions = _quiz_or_404(slug, quiz_slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    offered = request.form.get("number", "")
    try:
        attempt = services.start_attempt(
            quiz, current_user.id,
            number=int(offered) if offered.isdigit() and len(offered) < 6 else None)
    except services.QuizError as exc:
        db.session.commit()
        flash(_message(exc), "error")
        return redirect(url_for(".quiz_page", slug=slug, quiz_slug=quiz_slug))
    db.session.commit()
    return redirect(url_for(".attempt_page", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt_page(attempt_id: int):
    attempt, course = _own_attempt_or_404(attempt_id)
    if services.expire_if_due(attempt):
        db.session.commit()
        flash(_messages()["deadline"], "error")
    if not attempt.is_open:
        return redirect(url_for(".review", attempt_id=attempt.id))
    return render_template("quizzes/attempt.html", attempt=attempt, quiz=attempt.quiz,
                           course=course, items=attempt_view(attempt), form=FlaskForm(),
                           headings=_headings())


def _headings() -> dict[str, Markup]:
    """The question headings of the attempt and review pages as formats translated once
    per page: as _() in the templates' loops they were two lookups for each of twenty
    questions. Formatted there as _() formats: escaped, then %-formatted."""
    return {"question": Markup(_("Question %(n)d")),  # noqa: S704 -- our own catalog
            "points": Markup(_("%(points)s points")),  # noqa: S704
            "earned": Markup(_("%(earned)s of %(points)s points"))}  # noqa: S704


def _answers_from(form, attempt: Attempt):
    """What the form sent for each question it carries, and what the page had shown,
    both as the page's identifiers; the service maps them back to authored answers."""
    shown, originals = {}, {}
    kinds = {item.position: types.get(item.question.type) for item in services.items_of(attempt)}
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
    attempt = _own_attempt_to_change_or_404(attempt_id)
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
    attempt = _own_attempt_to_change_or_404(attempt_id)
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
    attempt, course = _own_attempt_or_404(attempt_id)
    if services.expire_if_due(attempt):
        db.session.commit()
        flash(_messages()["deadline"], "error")
    if not attempt.is_open:
        return redirect(url_for(".review", attempt_id=attempt.id))
    # Numbered as the attempt page numbers them: (number, position) of each empty one.
    unanswered = [(n, entry["position"]) for n, entry in enumerate(attempt_view(attempt), 1)
                  if entry["takes_answer"] and entry["value"] in (None, "", [], {})]
    numbers = {item.position: n for n, item in enumerate(services.items_of(attempt), 1)}
    readings = sorted((numbers[p], text) for p, text in _readings(attempt).items())
    return render_template("quizzes/confirm.html", attempt=attempt, quiz=attempt.quiz,
                           course=course, form=FlaskForm(), unanswered=unanswered,
                           readings=readings)


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    attempt = _own_attempt_to_change_or_404(attempt_id)
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
    attempt, course = _own_attempt_or_404(attempt_id)
    services.expire_if_due(attempt)
    db.session.commit()
    if attempt.is_open:
        return redirect(url_for(".attempt_page", attempt_id=attempt.id))
    quiz = attempt.quiz
    state = services.status(quiz, current_user.id)
    shown = services.visibility(quiz, attempt, state)
    return render_template("quizzes/review.html", attempt=attempt, quiz=quiz, course=course,
                           shown=shown, items=review_view(attempt, shown), state=state,
                           headings=_headings())
