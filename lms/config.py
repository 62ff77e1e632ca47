"""Configuration defaults.

Order of precedence (last wins): these defaults, ``instance/config.py``, then
environment variables prefixed ``LMS_`` (``LMS_SECRET_KEY``, ``LMS_DATABASE_URL``,
``LMS_CONTENT_DIR``, ``LMS_RATELIMIT_STORAGE_URI`` ...). Nothing here reads the
environment at import time: create_app() does it.
"""

# "development" or "production". Production refuses a missing or default key
# and marks every cookie Secure.
ENV = "development"
SECRET_KEY = None
# Defaults to instance/lms.sqlite3 when unset.
DATABASE_URL = None
# Defaults to course_content/ beside the package (the repository checkout).
CONTENT_DIR = None
# Video embeds in modules (`::video[Title](URL)`): the providers allowed, by name from
# lms.video.PROVIDERS. Only their player origins are allowed as frames by the CSP.
VIDEO_PROVIDERS = ("youtube", "vimeo")

SQLALCHEMY_ENGINE_OPTIONS: dict = {}

# Flask-Limiter: memory by default; production uses redis://127.0.0.1:6379/0.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
# A flood guard per address, successes included: an office of 40 behind one NAT signs in
# within a minute. Guessing is stopped by the failure counters below, not by this.
LOGIN_RATE_LIMIT = "120 per minute"
# Each request of the forgot-password form may send a mail: kept low against mail bombing.
FORGOT_RATE_LIMIT = "10 per minute;50 per hour"
REGISTER_RATE_LIMIT = "10 per hour"

BABEL_DEFAULT_LOCALE = "id"
BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

# Password hashing: Argon2id with argon2-cffi's RFC 9106 parameters. The test suite sets
# "fast-for-tests"; production refuses it.
PASSWORD_HASHING = "argon2id"  # noqa: S105 (a scheme name, not a password)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

WTF_CSRF_TIME_LIMIT = 60 * 60 * 8
# Whole requests (an assignment takes up to 5 files); each file has its own limit too.
MAX_CONTENT_LENGTH = 64 * 1024 * 1024

# Number of proxies in front of the app that set X-Forwarded-* (0 = none).
PROXY_COUNT = 0

# Mail: SMTP when MAIL_SERVER is set (LMS_MAIL_SERVER ...), else files in instance/outbox/.
MAIL_SERVER = None
MAIL_PORT = 587
MAIL_USE_TLS = True
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = "Pelatihan Perpustakaan <noreply@localhost>"
MAIL_TIMEOUT = 20  # seconds the background sender waits for the SMTP server
# None: mail leaves from a background thread after the response, except under TESTING,
# where it is sent at the end of the request so that tests can read the outbox at once.
MAIL_BACKGROUND = None

# The address people use to reach the site; printed in certificates' QR codes and links.
# Required in production (and not a loopback address). In development, when unset, links
# follow the address being served (see lms/urls.py); DEV_SERVER_URL is used outside a
# request (CLI, demo) and `make run` sets it from HOST and PORT.
PUBLIC_URL = None
DEV_SERVER_URL = "http://127.0.0.1:5000"
VERIFY_RATE_LIMIT = "30 per minute"
# The Ed25519 key (PKCS#8 PEM) that signs Open Badges and status lists; None means
# instance/badge-signing-key.pem, made on first use except in production
# (docs/credentials.md). The issuer Profile's name; None: the programs' default issuer.
BADGE_SIGNING_KEY = None
CERTIFICATE_ISSUER_NAME = None

# Certificate PDFs are signed (PAdES) with a key kept in instance/ (docs/deploy.md): a
# PKCS#12 file, relative to instance/, with its password, or a PKCS#11 token. Unset in
# development: a DEMO certificate authority is made in instance/certificate-signing/.
# Unset in production, or a key that cannot be opened: PDFs go out unsigned, with a note.
CERTIFICATE_SIGNING_PKCS12 = None
CERTIFICATE_SIGNING_PASSWORD = None
CERTIFICATE_SIGNING_PKCS11_MODULE = None  # e.g. /usr/lib/softhsm/libsofthsm2.so
CERTIFICATE_SIGNING_PKCS11_TOKEN = None
CERTIFICATE_SIGNING_PKCS11_KEY_LABEL = None
CERTIFICATE_SIGNING_PKCS11_PIN = None
# An RFC 3161 timestamp authority; when set, every signature carries its timestamp.
CERTIFICATE_TSA_URL = None

# The evaluation survey every cohort uses (course_content/_surveys/<id>.yml), and how many
# answers a report needs before it shows anything (so one answer is never one person's).
EVALUATION_SURVEY = "evaluasi-diklat"
EVALUATION_MIN_RESPONSES = 3
# Participants answer until this many days after the cohort's last day; the answers are
# shown two days later, all at once, and never change (see docs/evaluations.md).
EVALUATION_DAYS_AFTER_END = 14

# Training records (docs/records.md): the JP a year each person should reach. 20 JP is the
# minimum of competency development for a civil servant (PP 17/2020).
RECORD_YEARLY_JP_TARGET = 20

# Personal data (docs/privacy.md). The privacy notice shown at registration carries this
# version; a consent records the version agreed to. Change it when the notice changes.
PRIVACY_NOTICE_VERSION = "2026-11"
# How long things are kept. Certificates stay verifiable this many years after issue, even
# for a deleted account; then `lms privacy purge` removes the holder's name, NIP and
# institution from them. Audit entries are removed by the same command after this many
# days. Application documents of applicants who were not accepted are deleted this many
# days after the cohort ends.
RETENTION_CERTIFICATE_YEARS = 30
RETENTION_AUDIT_DAYS = 5 * 365
RETENTION_APPLICATION_DOCUMENT_DAYS = 180

# Forum posts can be edited by their author for this many minutes (moderators any time).
FORUM_EDIT_MINUTES = 30

# Second factor (docs/second-factor-and-sso.md). None: on in production, off elsewhere.
# When on, coordinators and admins set up TOTP before they can open anything else.
REQUIRE_SECOND_FACTOR_FOR_STAFF = None
# Wrong codes at the sign-in step, counted per account (the guesser has the password).
SECOND_FACTOR_RATE_LIMIT = "5 per minute;20 per hour;50 per day"
# The name authenticator apps show beside the account.
SECOND_FACTOR_ISSUER = "Pelatihan Perpustakaan"

# Single sign-on through OpenID Connect: off unless OIDC_ISSUER (LMS_OIDC_ISSUER) is set.
OIDC_ISSUER = None
OIDC_CLIENT_ID = None
OIDC_CLIENT_SECRET = None
# Shown on the button "Masuk dengan <name>"; the issuer's host name when unset.
OIDC_PROVIDER_NAME = None

# Failed sign-ins (lms/auth/throttle.py, docs/security.md). Per account: 5 free failures,
# then waits of 30 s, 1, 2, 4, 8 min, then 15 min at most, forgotten after a day without
# failure. Per address (an office behind one NAT): 30 free failures, then 10 s doubling to
# 15 min, forgotten after an hour. Successful sign-ins never count.
SIGNIN_ACCOUNT_FREE_FAILURES = 5
SIGNIN_ACCOUNT_FIRST_WAIT = 30
SIGNIN_ACCOUNT_MAX_WAIT = 15 * 60
SIGNIN_ACCOUNT_FORGET_AFTER = 24 * 3600
SIGNIN_ADDRESS_FREE_FAILURES = 30
SIGNIN_ADDRESS_FIRST_WAIT = 10
SIGNIN_ADDRESS_MAX_WAIT = 15 * 60
SIGNIN_ADDRESS_FORGET_AFTER = 3600

# Gunicorn workers, for the start-up check that refuses per-process (memory://) rate-limit
# counters with more than one. Unset: the WEB_CONCURRENCY variable, else 1.
WORKERS = None

# "Keep me signed in": at most this many days, then sign in again (docs/security.md).
REMEMBER_COOKIE_DURATION = 30 * 24 * 3600

# Files (uploads, certificate PDFs, prepared ZIPs): lms/storage.py, docs/deploy.md. Unset:
# the instance folder of this host. s3://bucket/prefix: an S3-compatible bucket that every
# host shares (LMS_STORAGE_S3_ENDPOINT_URL for MinIO, Ceph, Garage ...; credentials below or
# the usual AWS_* variables).
STORAGE_URL = None
STORAGE_S3_ENDPOINT_URL = None
STORAGE_S3_REGION = None
STORAGE_S3_ACCESS_KEY_ID = None
STORAGE_S3_SECRET_ACCESS_KEY = None
STORAGE_S3_TIMEOUT = 10  # seconds to connect; reads wait three times as long

# Background jobs (lms/jobs/, docs/deploy.md): mail, bulk certificates, ZIPs, the forum
# digest and deadline reminders. Unset: jobs run in this process after the response.
# redis://127.0.0.1:6379/1: jobs go to Redis and `lms worker` processes run them.
REDIS_URL = None
JOBS_QUEUE = "lms"
# Attempts per job (the first run included) and the waits in seconds between them.
JOBS_MAX_ATTEMPTS = 4
JOBS_RETRY_WAITS = [10, 60, 300]
# When the forum digest and the daily notification digest go out (site time, HH:MM).
DIGEST_AT = "06:00"
NOTIFICATION_DIGEST_AT = "07:00"
# Old finished jobs and the ZIPs they prepared are deleted daily at HOUSEKEEPING_AT
# (lms/jobs/housekeeping.py) once they are JOBS_KEEP_DAYS old.
HOUSEKEEPING_AT = "03:00"
JOBS_KEEP_DAYS = 30
# Reminders (lms/notifications/jobs.py) are looked for this often, in minutes.
REMINDERS_EVERY_MINUTES = 5
# A reminder goes to participants who have not done a quiz or an assignment, this many hours
# before it closes or is due; and to a cohort this many minutes before a live session.
REMINDER_HOURS_BEFORE = 24
LIVE_REMINDER_MINUTES = 30
# Messages to a cohort (and replies) one person may send in an hour.
MESSAGES_PER_HOUR = 10
# None: in-process jobs run on a thread after the response, except under TESTING (at once).
JOBS_BACKGROUND = None
JOBS_TIMEOUT = 1800  # seconds a worker lets one job run
# A job whose runner has not reported for this long is taken back by the sweep (its host
# died): run again when it can be (certificates, ZIPs), else marked failed (mail).
JOBS_STALE_SECONDS = 120
JOBS_SWEEP_SECONDS = 5
# Rate limits on Redis: when Redis does not answer, count in memory meanwhile rather than
# refusing every sign-in.
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
