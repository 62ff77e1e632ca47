"""Forms of the staff pages that import question banks."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

KINDS = [SelectChoice("practice", _l("Practice")), SelectChoice("pretest", _l("Pre-test")),
         SelectChoice("posttest", _l("Post-test")), SelectChoice("exam", _l("Exam"))]
FORMATS = [SelectChoice("gift", "GIFT"), SelectChoice("aiken", "Aiken")]


class BankUploadForm(FlaskForm):
    file = FileField(_l("Question bank file"), validators=[FileRequired()],
                     description=_l("GIFT or Aiken, as Moodle exports it; at most 2 MB."))
    format = SelectField(_l("Format"), choices=FORMATS,
                         default="gift")
    kind = SelectField(_l("Kind of quiz"), choices=KINDS, default="practice")
    title = StringField(_l("Quiz title"), validators=[Optional(), Length(max=200)],
                        description=_l("Default: the file name."))


class QuizFileForm(FlaskForm):
    """Sends the checked quiz file back as a download (it is checked again)."""

    name = HiddenField(validators=[InputRequired(), Length(max=100)])
    text = HiddenField(validators=[InputRequired()])
