"""Cohort forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

MODES = [
    SelectChoice("application", _l("Application with selection")),
    SelectChoice("open", _l("Open: anyone may join until it is full")),
    SelectChoice("key", _l("Enrollment key")),
    SelectChoice("invitation", _l("Invitation and CSV only")),
]


class CohortSettingsForm(FlaskForm):
    """What can change after a cohort is created: everything but its program and code."""

    name = StringField(_l("Name"), description=_l("e.g. Angkatan II Tahun 2026"),
                       validators=[InputRequired(), Length(max=200)])
    number = IntegerField(_l("Cohort number"), validators=[InputRequired(), NumberRange(1, 999)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    registration_opens_on = DateField(_l("Registration opens"), validators=[Optional()])
    registration_closes_on = DateField(_l("Registration closes"), validators=[Optional()])
    starts_on = DateField(_l("Starts"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends"), validators=[InputRequired()])
    capacity = IntegerField(_l("Capacity"), default=40,
                            validators=[InputRequired(), NumberRange(1, 10000)])
    enrollment_mode = SelectField(_l("Enrollment"), choices=MODES, default="application")
    enrollment_key = StringField(_l("Enrollment key"), validators=[Optional(), Length(max=100)])


class CohortForm(CohortSettingsForm):
    """A new cohort: its settings plus the program and the code, which never change."""

    program = SelectField(_l("Program"), validators=[InputRequired()])
    code = StringField(
        _l("Code"), description=_l("Used in addresses and the command line, never changed: "
                                   "e.g. diklat-ppbd-2026-2."),
        validators=[InputRequired(), Regexp(r"^[a-z0-9][a-z0-9-]{1,79}$",
                                            message=_l("Lowercase letters, digits and "
                                                       "hyphens only."))])


class ApplicationForm(FlaskForm):
    motivation = TextAreaField(
        _l("Motivation"), description=_l("Why do you want to take part? (20 to 2000 characters)"),
        validators=[InputRequired(), Length(min=20, max=2000)])
    institution = StringField(_l("Institution or library"),
                              validators=[InputRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[InputRequired(), Length(max=200)])
    statement = TextAreaField(
        _l("Supporting statement (optional)"),
        description=_l("For example your supervisor's support or your library's plans."),
        validators=[Optional(), Length(max=3000)])
    key = PasswordField(_l("Enrollment key"), validators=[Optional(), Length(max=100)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    skip_invalid = BooleanField(_l("Import the valid rows and skip the invalid ones"))


class InstructorForm(FlaskForm):
    course = SelectField(_l("Course"), validators=[InputRequired()])
    email = EmailField(_l("Instructor's email"),
                       validators=[InputRequired(), Email(check_deliverability=False)])


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    body = TextAreaField(_l("Text (Markdown)"),
                         validators=[InputRequired(), Length(max=20000)])


class WithdrawForm(FlaskForm):
    """The second step of a withdrawal: sent only from the page that says what it costs."""

    confirm = HiddenField()

    def confirmed(self) -> bool:
        return self.validate_on_submit() and self.confirm.data == "yes"
