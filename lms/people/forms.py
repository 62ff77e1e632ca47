"""Forms of the people pages and the profile. Length and format are checked again by the
services, which word the messages; the forms only give the fields and the CSRF token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from lms.auth.models import Role
from lms.live.zones import ABBREVIATIONS, DEFAULT_ZONE

ROLE_LABELS = {Role.PARTICIPANT: _l("Participant"), Role.INSTRUCTOR: _l("Instructor"),
               Role.COORDINATOR: _l("Coordinator"), Role.ADMIN: _l("Administrator")}
ZONE_CHOICES = [SelectChoice(zone, f"{abbr} ({zone})") for zone, abbr in ABBREVIATIONS.items()]


def _name_field():
    return StringField(
        _l("Name as printed on certificates"),
        description=_l("Without academic titles; those go in the next field."),
        render_kw={"maxlength": 200},
        validators=[InputRequired(message=_l("Write the name as it should be printed on "
                                             "the certificate."))])


class _DetailsFields(FlaskForm):
    academic_title = StringField(_l("Academic title"),
                                 description=_l("For example Dr. or S.Sos., M.Hum."),
                                 render_kw={"maxlength": 100})
    nip = StringField(_l("NIP (optional)"), description=_l("Civil servant number: 18 digits."),
                      render_kw={"inputmode": "numeric", "maxlength": 18})
    institution = StringField(_l("Institution or library"), render_kw={"maxlength": 200})
    position = StringField(_l("Position"), render_kw={"maxlength": 200})


class PersonForm(_DetailsFields):
    """What staff may change on an account."""

    full_name = _name_field()
    email = EmailField(_l("Email"), render_kw={"maxlength": 254},
                       validators=[InputRequired(message=_l("Write an email address."))])


class ProfileForm(_DetailsFields):
    """What anyone may change on their own account (the name only while no certificate
    prints it)."""

    full_name = _name_field()


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validate_choice=False,
                       choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class PreferencesForm(FlaskForm):
    locale = SelectField(_l("Language"), validate_choice=False)
    time_zone = SelectField(_l("Show times in"), choices=ZONE_CHOICES, default=DEFAULT_ZONE,
                            validate_choice=False)


class CorrectionForm(FlaskForm):
    # Choices are checked by the service (the holder's own valid certificate), in words.
    certificate = SelectField(_l("Certificate"), validate_choice=False)
    requested_name = StringField(
        _l("The name as it should be printed"), render_kw={"maxlength": 200},
        validators=[InputRequired(message=_l("Write the name as it should be printed on "
                                             "the certificate."))])
    reason = TextAreaField(_l("What is wrong (optional)"), render_kw={"maxlength": 1000})


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note to the participant"),
                         description=_l("Required when you reject the request."),
                         render_kw={"maxlength": 1000})
