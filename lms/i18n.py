"""Languages: Bahasa Indonesia by default, English on request, remembered per user."""

from datetime import datetime

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from lms.extensions import babel


def select_locale() -> str:
    """The signed-in user's choice, else the session's, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def long_date(value: datetime | None) -> str:
    """'21 November 2026' in Indonesian, 'November 21, 2026' in English."""
    if value is None:
        return ""
    return format_date(value, format="long")


def long_datetime(value: datetime | None) -> str:
    """Date and time in the configured zone, written the local way (WIB for Jakarta)."""
    if value is None:
        return ""
    return format_datetime(value, format="d MMMM y, HH.mm zzz")


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["long_datetime"] = long_datetime

    @app.context_processor
    def locale_context():
        return {"current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])}
