"""Course forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField


class ProgressForm(FlaskForm):
    """Mark a module done ("1") or not done ("0")."""

    done = HiddenField()
