"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import (
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from lms.auth import passwords


class ChosenPassword:
    """A new password as lms.auth.passwords.problem() allows it, for the form's person:
    the form's own email and full_name fields, else its `person` attribute."""

    def __call__(self, form, field) -> None:
        person = getattr(form, "person", None)
        email = form.email.data if "email" in form else getattr(person, "email", "")
        name = form.full_name.data if "full_name" in form else getattr(person, "full_name", "")
        message = passwords.problem(field.data or "", email=email or "", full_name=name or "")
        if message:
            raise ValidationError(message)


def _new_password(label) -> PasswordField:
    return PasswordField(label, description=passwords.HINT,
                         validators=[InputRequired(), ChosenPassword()])


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[InputRequired(), Length(max=passwords.MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegisterForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        description=_l("Written exactly as it should appear on your certificate."),
        validators=[InputRequired(), Length(min=3, max=200)],
    )
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    password = _new_password(_l("Password"))
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    institution = StringField(
        _l("Institution or library"), validators=[InputRequired(), Length(max=200)]
    )
    position = StringField(_l("Position"), validators=[InputRequired(), Length(max=200)])
    nip = StringField(
        _l("NIP (optional)"),
        description=_l("Civil servant number: 18 digits."),
        validators=[
            Optional(),
            Regexp(r"^\d{18}$", message=_l("A NIP has exactly 18 digits.")),
        ],
    )
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and agree that my data is used as it describes."),
        validators=[InputRequired(message=_l("An account needs your agreement to the "
                                             "privacy notice."))],
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=passwords.MAX_LENGTH)])
    new_password = _new_password(_l("New password"))
    new_password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new_password", message=_l("The passwords differ.")),
        ],
    )


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)])


class ResetForm(FlaskForm):
    new_password = _new_password(_l("New password"))
    new_password_confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new_password", message=_l("The passwords differ.")),
        ],
    )
