"""Live session forms. The rules (end after start, http(s) links, who may schedule what)
live in services; these forms only parse."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TimeField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from lms.live.zones import DEFAULT_ZONE

ZONES = [
    SelectChoice("Asia/Jakarta", _l("WIB: Western Indonesia (Sumatra, Java)")),
    SelectChoice("Asia/Pontianak", _l("WIB: Western Indonesia (West and Central Kalimantan)")),
    SelectChoice("Asia/Makassar", _l("WITA: Central Indonesia (Bali, Nusa Tenggara, "
                                     "Sulawesi, South, East and North Kalimantan)")),
    SelectChoice("Asia/Jayapura", _l("WIT: Eastern Indonesia (Maluku, Papua)")),
]


class SessionForm(FlaskForm):
    topic = StringField(_l("Topic"), validators=[InputRequired(), Length(max=200)])
    course = SelectField(_l("Course"), validate_choice=True)
    instructor = SelectField(_l("Instructor"), validate_choice=True)
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    time_zone = SelectField(_l("Time zone of these times"), choices=ZONES,
                            default=DEFAULT_ZONE)
    meeting_url = URLField(
        _l("Meeting link"), description=_l("Zoom, Google Meet or similar. Participants see "
                                           "it from 30 minutes before the start."),
        validators=[Optional(), Length(max=500)])
    recording_url = URLField(
        _l("Recording link"), description=_l("Shown to participants after the session."),
        validators=[Optional(), Length(max=500)])
    # New sessions only: a weekly series entered once (each week can then be changed or
    # cancelled on its own).
    weeks = IntegerField(
        _l("Repeat weekly, number of sessions"), default=1,
        description=_l("1 for a single session; 2 to 26 for the same time every week."),
        validators=[Optional(), NumberRange(min=1, max=26)])


class TimeZoneForm(FlaskForm):
    time_zone = SelectField(_l("Show times in"), choices=ZONES, default=DEFAULT_ZONE)
