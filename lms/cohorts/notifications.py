"""Which mails a person receives: today, whether announcements of their cohorts come by email.

A page of its own (/profile/notifications), small on purpose, so that the profile page can
link to it or take it in.
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField

from lms.extensions import db

bp = Blueprint("notifications", __name__)


class NotificationForm(FlaskForm):
    announcement_mails = BooleanField(_l("Send me the announcements of my cohorts by email"))


@bp.route("/profile/notifications", methods=["GET", "POST"])
@login_required
def settings():
    # A sent form wins over the stored value (an unticked box sends nothing: off).
    form = NotificationForm(announcement_mails=current_user.announcement_mails)
    if form.validate_on_submit():
        current_user.announcement_mails = bool(form.announcement_mails.data)
        db.session.commit()
        flash(_("Announcements will be sent to you by email.")
              if current_user.announcement_mails else
              _("Announcements will no longer be sent to you by email. You still find them "
                "on your learning page."), "success")
        return redirect(url_for(".settings"))
    return render_template("cohorts/notifications.html", form=form)
