"""Languages: Bahasa Indonesia by default, English on request, remembered per user.

The one place where numbers and times become text for a reader: templates use the
filters registered here (`num`, `signed`, `plain_num`, `pct`, `long_date`,
`long_datetime`), Python code the functions of the same names.
"""

import functools
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale, dates, numbers
from flask import Flask, current_app, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import (
    format_datetime,
    get_domain,
    get_locale,
    get_timezone,
    to_user_timezone,
)
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from lms.db_setup import CHEAP_ENDPOINTS
from lms.extensions import babel

# Indonesia's zones by the names people use; CLDR would say "GMT+07:00" or "+0700".
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA",
              "Asia/Jayapura": "WIT"}


def select_locale() -> str:
    """The signed-in user's choice, else the session's, else the browser's
    Accept-Language, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    offered = request.accept_languages.best_match(list(languages))
    return offered or current_app.config["BABEL_DEFAULT_LOCALE"]


def locale_code() -> str:
    """'id' or 'en': the reader's language without region."""
    # The locale of the request read without Flask-Babel's three proxies (see
    # translations): an attempt page asks once for each question and each choice.
    state = _babel_state()
    locale = state.get("babel_locale") if state is not None else None
    return _code(locale if locale is not None else get_locale())


@functools.lru_cache(maxsize=32)
def _code(locale: Locale | None) -> str:
    # str(Locale) rebuilds the identifier at every call: a 1,000-person grid wrote 5,000
    # numbers and spent a fifth of its time there.
    return str(locale or "id").split("_")[0]


@functools.lru_cache(maxsize=8)
def _symbols(code: str) -> tuple[str, str, str]:
    locale = Locale.parse(code)
    return (numbers.get_decimal_symbol(locale), numbers.get_group_symbol(locale),
            numbers.get_minus_sign_symbol(locale))


@functools.lru_cache(maxsize=8)
def _quantum(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def _decimal(value: float | int, digits: int, code: str, *, grouped: bool = True) -> str:
    """What babel.numbers.format_decimal writes for the pattern "#,##0.##" (`digits`
    hashes; "0.##" when not grouped): at most `digits` decimals rounded half to even from
    the number's shortest text, trailing zeros dropped, the locale's symbols. Babel
    itself looks the symbols up again at each call: a 1,000-person grid wrote 5,000
    numbers and spent a third of its time there."""
    decimal_mark, group, minus = _symbols(code)
    exact = Decimal(str(value)).quantize(_quantum(digits), rounding=ROUND_HALF_EVEN)
    text = f"{abs(exact):,f}" if grouped else f"{abs(exact):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\0").replace(".", decimal_mark).replace("\0", group)
    return minus + text if exact.is_signed() else text


def num(value: float | int | None, digits: int = 2) -> str:
    """'95,83' and '4.000' in Indonesian, '95.83' and '4,000' in English; '—' for None."""
    if value is None:
        return "—"
    return _decimal(value, digits, locale_code())


def signed(value: float | int | None, digits: int = 2) -> str:
    """A gain or loss with its sign: '+12,5', '-3'."""
    if value is None:
        return "—"
    text = num(abs(value), digits)
    return ("+" if value >= 0 else "-") + text


def plain_num(value: float | int | None) -> str:
    """A number without thousands separators, the decimal mark of the reader's language:
    what a number field shows back so that '4000' can never be misread as '4.000'."""
    if value is None:
        return ""
    return _decimal(value, 10, locale_code(), grouped=False)


def pct(value: float | int | None, digits: int = 1) -> str:
    """A percentage given as 0 to 100: '5,2%' in Indonesian, '5.2%' in English."""
    if value is None:
        return "—"
    return num(value, digits) + "%"


def zone_name(zone: str | None = None) -> str:
    key = zone or str(get_timezone())
    return ZONE_NAMES.get(key, key)


def long_date(value: datetime | date | None) -> str:
    """'21 November 2026' in Indonesian, 'November 21, 2026' in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return _long_date(value, _identifier(get_locale()))


@functools.lru_cache(maxsize=32)
def _identifier(locale: Locale | None) -> str:
    return str(locale)


@functools.lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    # Babel builds the pattern for each call: a 1,000-person grid spent 14% of its time
    # writing the same few dates.
    return dates.format_date(day, format="long", locale=locale)


def long_datetime(value: datetime | None) -> str:
    """Date and time in the configured zone, written the reader's way with the zone's
    name: '21 November 2026, 07.20 WIB'; 'November 21, 2026, 7:20 AM WIB'."""
    if value is None:
        return ""
    if value.tzinfo is None:  # stored as naive UTC
        value = value.replace(tzinfo=UTC)
    pattern = "d MMMM y, HH.mm" if locale_code() == "id" else "MMMM d, y, h:mm a"
    return f"{format_datetime(value, format=pattern)} {zone_name()}"


class Formats:
    """num, pct and long_date with the reader's language and zone looked up once: each
    filter call asks Flask-Babel for them through its context proxies, which was most of
    the time a 1,000-person grid spent writing its 5,000 numbers and 1,000 dates.
    Templates: `{% set fmt = formats() %}` and then `fmt.num(value)`; same text as the
    filters."""

    def __init__(self) -> None:
        locale = get_locale()
        self.code = _code(locale)
        self.identifier = _identifier(locale)
        self.zone = get_timezone()

    def num(self, value: float | int | None, digits: int = 2) -> str:
        return "—" if value is None else _decimal(value, digits, self.code)

    def pct(self, value: float | int | None, digits: int = 1) -> str:
        return "—" if value is None else _decimal(value, digits, self.code) + "%"

    def long_date(self, value: datetime | date | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):  # as flask_babel.to_user_timezone
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            value = self.zone.normalize(value.astimezone(self.zone)).date()
        return _long_date(value, self.identifier)


def content_lang() -> Markup:
    """' lang="id"' on an element holding course content (written in CONTENT_LANGUAGE,
    Indonesian) when the interface is in another language, so that screen readers
    pronounce it right (WCAG 3.1.2); nothing when the languages agree."""
    return _lang_attribute(locale_code(), current_app.config.get("CONTENT_LANGUAGE", "id"))


@functools.lru_cache(maxsize=16)
def _lang_attribute(reader: str, content: str) -> Markup:
    # An attempt page asks once for each question and each choice.
    return Markup("") if reader == content else Markup(' lang="%s"') % content


def _wtforms_translations() -> None:
    # WTForms ships no Indonesian catalog; Flask-WTF looks for the form's translations on
    # request.wtforms_translations first, so the built-in messages ("This field is
    # required.") come from our catalog, where lms/form_messages.py keeps them.
    if request.endpoint in CHEAP_ENDPOINTS:  # no form; the language would load the user
        return
    request.wtforms_translations = translations()


@functools.lru_cache(maxsize=16)
def _catalog(domain, locale: Locale | None):
    return domain.get_translations()


def translations():
    """flask_babel.get_translations without writing the locale's name out at each call
    (Flask-Babel keys its cache by str(locale), which Babel rebuilds every time: a page's
    thirty strings spent a fifth of its time there). Same catalog: the domain's, for the
    locale of the moment (force_locale included).

    The catalog is kept on Flask-Babel's own per-request namespace next to the locale it
    was chosen for, so the thirty calls of a page look it up once: `get_locale()` and
    `get_domain()` each go through three context-local proxies (a fifth of a module
    page's time went there). A different locale object (force_locale, refresh) misses."""
    state = _babel_state()
    if state is not None:
        held = state.get("lms_catalog")
        if held is not None and held[0] is state.get("babel_locale"):
            return held[1]
    catalog = _catalog(get_domain(), get_locale())
    state = _babel_state()  # get_locale() made it, the first time in a request
    if state is not None:
        state["lms_catalog"] = (state.get("babel_locale"), catalog)
    return catalog


def _babel_state() -> dict | None:
    """The attributes of Flask-Babel's per-context namespace (g._flask_babel), read
    without the proxies; None outside an app context or before Flask-Babel made it."""
    context = _cv_app.get(None)
    if context is None:
        return None
    namespace = context.g.__dict__.get("_flask_babel")
    return None if namespace is None else namespace.__dict__


@pass_context
def _template_gettext(context, string: str, **variables) -> str:
    """Jinja's newstyle gettext (jinja2.ext._make_new_gettext): translated, marked safe
    under autoescape (so the %-formatting escapes the variables), then formatted."""
    text = translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 -- our own catalog, as Jinja itself does
    if not variables and "%" not in text:
        return text  # what formatting with nothing would give, without formatting
    return text % variables


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # The templates' _() and friends through the cached catalog above.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    # Jinja's _() is an alias that resolves and calls gettext, which calls the function
    # above through the context again: three calls for each of a page's thirty strings.
    # This is the same newstyle gettext (escaped, then %-formatted) in one.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext
    app.before_request(_wtforms_translations)
    for name, function in (("long_date", long_date), ("long_datetime", long_datetime),
                           ("num", num), ("signed", signed), ("plain_num", plain_num),
                           ("pct", pct)):
        app.jinja_env.filters[name] = function

    from lms.markup import emphasis

    app.jinja_env.filters["emphasis"] = emphasis
    app.jinja_env.globals["content_lang"] = content_lang
    app.jinja_env.globals["formats"] = Formats

    @app.context_processor
    def locale_context():
        return {"current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])}
