"""Staff page: upload a GIFT or Aiken bank, preview it, download the quiz file to commit.

Nothing is written to the database or the content folder: the repository stays the source
of truth, and the author commits the downloaded file under the course's quizzes/ folder.
"""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from lms.auth.access import is_manager, roles_required
from lms.auth.models import STAFF_ROLES
from lms.cohorts.models import CohortInstructor
from lms.courses import services as courses
from lms.extensions import db
from lms.quizzes.bank_preview import (
    MAX_QUIZ_FILE_BYTES,
    check_quiz_file,
    preview_bank,
    quiz_file_name,
)
from lms.quizzes.bankfile import MAX_BYTES
from lms.quizzes.forms import BankUploadForm, QuizFileForm

bp = Blueprint("quiz_import", __name__)


def _course_for_staff(slug: str):
    """The course, for coordinators and admins, and for instructors who teach it in some
    cohort; 404 for an unknown course, 403 for anyone else."""
    course = courses.get_course(slug)
    if course is None:
        abort(404)
    if not is_manager(current_user) and db.session.scalar(
            select(CohortInstructor.id).where(CohortInstructor.user_id == current_user.id,
                                              CohortInstructor.course_id == course.id)
            .limit(1)) is None:
        abort(403)
    return course


@bp.route("/courses/<slug>/question-bank", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def upload(slug: str):
    course = _course_for_staff(slug)
    form = BankUploadForm()
    preview = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1)  # never more than one byte past the limit
        upload.close()
        preview = preview_bank(data, form.format.data, upload.filename or "bank",
                               course.slug, kind=form.kind.data, title=form.title.data or "")
    # A file with problems is a finished preview (200) that lists them; a form that could
    # not be read (no file, no CSRF token) is a bad request.
    status = 400 if form.errors else 200
    download = QuizFileForm(formdata=None, name=preview.file_name, text=preview.yaml_text) \
        if preview and not preview.problems else None
    return render_template("quizzes/import.html", course=course, form=form, preview=preview,
                           download=download), status


@bp.post("/courses/<slug>/question-bank/download")
@roles_required(*STAFF_ROLES)
def download(slug: str):
    _course_for_staff(slug)
    form = QuizFileForm()
    if not form.validate_on_submit() or len(form.text.data) > MAX_QUIZ_FILE_BYTES:
        abort(400)
    name = quiz_file_name(form.name.data)
    # Browsers send a form's line breaks as CR LF (HTML's form encoding); the file this
    # page made had LF, as the content check requires.
    text = form.text.data.replace("\r\n", "\n")
    _quiz, problems = check_quiz_file(text, name)
    if problems:  # only a quiz file this page made (and would make again) goes out
        abort(400)
    response = Response(text, mimetype="application/yaml")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
