"""The LMS: create_app() wires configuration, extensions, blueprints and the CLI."""

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

DEFAULT_SECRET_KEYS = {"", "dev", "change-me", "changeme", "secret"}


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then LMS_* variables."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    app.config.from_object("lms.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="LMS")
    if test_config:
        app.config.update(test_config)
    _finish_config(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    from lms.site.header import site_header
    from lms.urls import fixed_url

    app.jinja_env.globals["fixed_url"] = fixed_url
    app.jinja_env.globals["site_header"] = site_header

    from lms import db_setup, extensions, security
    from lms.i18n import init_i18n
    from lms.jobs.queue import init_jobs
    from lms.mail import init_mail
    from lms.storage import init_storage

    extensions.db.init_app(app)
    db_setup.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True, compare_type=True,
    )
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    init_i18n(app)
    init_mail(app)
    init_storage(app)
    init_jobs(app)
    security.init_app(app)

    from lms.applications import views as application_views
    from lms.assignments import views as assignment_views
    from lms.auth import oidc, second_factor_views
    from lms.auth import views as auth_views
    from lms.certificates import public as certificate_public
    from lms.certificates import views as certificate_views
    from lms.cohorts import manage as cohort_manage
    from lms.cohorts import views as cohort_views
    from lms.courses import views as course_views
    from lms.evaluations import views as evaluation_views
    from lms.forums import views as forum_views
    from lms.live import views as live_views
    from lms.notifications import views as notification_views
    from lms.people import profile as people_profile
    from lms.people import views as people_views
    from lms.privacy import views as privacy_views
    from lms.progress import views as progress_views
    from lms.quizzes import import_views as quiz_import_views
    from lms.quizzes import report_views
    from lms.quizzes import views as quiz_views
    from lms.records import views as record_views
    from lms.site import views as site_views

    auth_views.init_app(app)
    app.register_blueprint(auth_views.bp)
    second_factor_views.init_app(app)
    oidc.init_app(app)
    app.register_blueprint(course_views.bp)
    app.register_blueprint(quiz_views.bp)
    app.register_blueprint(report_views.bp)
    app.register_blueprint(quiz_import_views.bp)
    app.register_blueprint(site_views.bp)
    app.register_blueprint(cohort_views.bp)
    app.register_blueprint(cohort_manage.bp)
    notification_views.init_app(app)
    app.register_blueprint(certificate_views.bp)
    app.register_blueprint(certificate_public.bp)
    app.register_blueprint(assignment_views.bp)
    app.register_blueprint(evaluation_views.bp)
    app.register_blueprint(forum_views.bp)
    app.register_blueprint(live_views.bp)
    app.register_blueprint(progress_views.bp)
    app.register_blueprint(people_views.bp)
    app.register_blueprint(people_profile.bp)
    app.register_blueprint(record_views.bp)
    app.register_blueprint(application_views.bp)
    app.register_blueprint(privacy_views.bp)
    site_views.register_error_handlers(app)
    # The background jobs of each feature, so a worker knows every kind (lms/jobs/).
    from lms.assignments import jobs as _assignment_jobs  # noqa: F401
    from lms.certificates import jobs as _certificate_jobs  # noqa: F401
    from lms.cli import register_commands
    from lms.forums import digest as _forum_digest  # noqa: F401
    from lms.jobs import housekeeping as _housekeeping  # noqa: F401
    from lms.notifications import jobs as _notification_jobs  # noqa: F401

    register_commands(app)
    return app


def _finish_config(app: Flask) -> None:
    """Fill derived settings and refuse unsafe production configurations."""
    cfg = app.config
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    production = cfg.get("ENV") == "production"

    if production:
        from lms.startup_checks import rate_limit_storage_problem, secret_key_problem

        key = cfg.get("SECRET_KEY")
        weak = "it is a default" if str(key or "").strip().lower() in DEFAULT_SECRET_KEYS \
            else secret_key_problem(key)
        if weak:
            raise ConfigurationError(
                "LMS_ENV=production needs LMS_SECRET_KEY: a random value of at least 32 "
                "characters (python -c 'import secrets; print(secrets.token_urlsafe(48))'); "
                f"this one is refused: {weak}"
            )
        storage = rate_limit_storage_problem(cfg)
        if storage:
            raise ConfigurationError(f"LMS_ENV=production: {storage}")
        for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
            cfg[name] = True
        if cfg.get("PASSWORD_HASHING") != "argon2id":
            raise ConfigurationError(
                "LMS_ENV=production hashes passwords with Argon2id's full parameters: "
                "remove PASSWORD_HASHING (or set it to argon2id)")
        problem = public_url_problem(cfg.get("PUBLIC_URL"))
        if problem:
            raise ConfigurationError(
                f"LMS_ENV=production needs LMS_PUBLIC_URL, the address people use to reach "
                f"the site (e.g. https://lms.example.org); it is printed in certificates' QR "
                f"codes, badges, calendar feeds and mails, so it cannot change later: {problem}"
            )
    elif not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))

    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        url = cfg.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(app.instance_path) / "lms.sqlite3")
        )
        cfg["SQLALCHEMY_DATABASE_URI"] = url
    if not cfg.get("CONTENT_DIR"):
        cfg["CONTENT_DIR"] = str(Path(__file__).resolve().parent.parent / "course_content")


def public_url_problem(url) -> str | None:
    """Why `url` cannot be the production public address, or None when it can."""
    if not url or not str(url).strip():
        return "it is not set"
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) address with a host name"
    host = parts.hostname.lower()
    if host == "localhost" or host.endswith(".localhost"):
        return f"{url!r} points at this machine only (loopback)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified:
        return f"{url!r} points at this machine only (loopback)"
    return None


def _instance_secret_key(instance: Path) -> str:
    """Read instance/secret_key, writing a new random one on first run."""
    path = instance / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key
