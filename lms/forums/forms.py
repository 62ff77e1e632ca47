"""Forum forms. The limits live in the services; the forms only ask them."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from lms.forums import services

BODY_HELP = _l("Markdown: **bold**, *italic*, [link](https://…), lists with -. "
               "At most 20,000 characters.")
# Past this the refused text is not sent back into the form: a page of a megabyte helps no one.
ECHO_LIMIT = 4 * services.MAX_BODY


def _body_ok(form, field) -> None:
    try:
        services.check_body(field.data)
    except services.ForumError as exc:
        if len(field.data or "") > ECHO_LIMIT:
            field.data = ""
        raise ValidationError(exc.message) from None


def _title_ok(form, field) -> None:
    try:
        services.check_title(field.data)
    except services.ForumError as exc:
        raise ValidationError(exc.message) from None


def _body(label):
    return TextAreaField(label, description=BODY_HELP,
                         validators=[InputRequired(_l("The message is empty. Write something "
                                                      "before posting.")), _body_ok],
                         render_kw={"rows": 8})


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(_l("The thread needs a title.")),
                                                 _title_ok],
                        render_kw={"maxlength": services.MAX_TITLE})
    body = _body(_l("Message"))


class ReplyForm(FlaskForm):
    body = _body(_l("Your reply"))


class EditForm(FlaskForm):
    # Only for the first post of a thread; the view removes it otherwise.
    title = StringField(_l("Title"), validators=[InputRequired(_l("The thread needs a title.")),
                                                 _title_ok],
                        render_kw={"maxlength": services.MAX_TITLE})
    body = _body(_l("Message"))


class MoveForm(FlaskForm):
    forum = SelectField(_l("Move to"), coerce=int, validators=[InputRequired()])
