"""Home, language switch, /healthz and error pages."""

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.auth.access import is_safe_next, landing_url
from lms.extensions import db

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    return render_template("site/home.html")


@bp.post("/language")
def set_language():
    """Remember the interface language: on the account when signed in, else in the session."""
    chosen = request.form.get("locale", "")
    if chosen in current_app.config["LANGUAGES"]:
        session["locale"] = chosen
        if current_user.is_authenticated:
            current_user.locale = chosen
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("site.home"))


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def register_error_handlers(app) -> None:
    messages = {
        400: lambda: (_("Bad request"), _("The request could not be understood.")),
        403: lambda: (_("Access denied"), _("You do not have access to this page.")),
        404: lambda: (_("Page not found"), _("The page you asked for does not exist.")),
        405: lambda: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: lambda: (_("Too large"), _("What you sent is larger than allowed.")),
        429: lambda: (
            _("Too many attempts"),
            _("Too many attempts in a short time. Wait a minute and try again."),
        ),
        500: lambda: (_("Something went wrong"), _("An error occurred on our side. Try again.")),
    }

    def handler_for(code):
        def handle(error):
            if code == 500:
                db.session.rollback()
            title, detail = messages[code]()
            return render_template("site/error.html", title=title, detail=detail,
                                   code=code), code
        return handle

    for code in messages:
        app.register_error_handler(code, handler_for(code))

    @app.errorhandler(CSRFError)
    def handle_csrf(error):
        return render_template(
            "site/error.html", code=400, title=_("Form expired"),
            detail=_("The form was missing its security token or it expired. "
                     "Go back, reload the page and send it again; nothing was saved."),
        ), 400
