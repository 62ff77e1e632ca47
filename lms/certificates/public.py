"""Public, machine-readable certificate addresses: the issuer, its key, programs as
achievements, the status lists, and checking a credential.

The issuer id, the achievement id and (in views.verify) the credential id answer by
content negotiation: JSON-LD for `Accept: application/ld+json` or `application/json`
(and for `*/*`, as verifiers' HTTP clients send), the HTML page for browsers.
"""

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from sqlalchemy import select

from lms.certificates import credentials, status
from lms.courses.models import Program
from lms.extensions import csrf, db, limiter

bp = Blueprint("credentials", __name__)
JSON_TYPES = ("application/ld+json", "application/json")
# A badge is a few kilobytes; canonicalising is costly, so much larger input is refused.
MAX_CHECKED_BYTES = 256 * 1024


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match([*JSON_TYPES, "text/html"])
    return best in JSON_TYPES


def json_ld(document: dict, status_code: int = 200):
    response = jsonify(document)
    response.status_code = status_code
    response.mimetype = "application/ld+json"
    response.headers["Access-Control-Allow-Origin"] = "*"  # browser wallets and verifiers
    response.vary.add("Accept")
    return response


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@bp.get("/issuer")
def issuer():
    profile = credentials.issuer_profile()
    if wants_json():
        return json_ld(profile)
    response = current_app.make_response(render_template(
        "certificates/issuer.html", profile=profile))
    response.vary.add("Accept")
    return response


@bp.get("/issuer/keys/<int:number>")
def issuer_key(number: int):
    document = credentials.key_document() if number == 1 else None
    if document is None:
        abort(404)
    return json_ld(document)


@bp.get("/programs/<slug>")
def program(slug: str):
    found = db.session.scalar(select(Program).where(Program.slug == slug))
    if found is None:
        abort(404)
    if wants_json():
        return json_ld(credentials.achievement(found))
    response = current_app.make_response(render_template(
        "certificates/program.html", program=found,
        achievement=credentials.achievement(found)))
    response.vary.add("Accept")
    return response


@bp.get("/credentials/status/<int:number>")
def status_list(number: int):
    if not 1 <= number <= status.list_count():
        abort(404)
    return json_ld(credentials.status_list_credential(number))


@bp.route("/credentials/verify", methods=["GET", "POST"])
@csrf.exempt  # it changes nothing; verifiers post JSON without a session
@limiter.limit(_verify_limit, methods=["POST"])
def check():
    """Check a credential: JSON in (the body) gives JSON out; the form gives the page."""
    if request.method == "GET":
        return render_template("certificates/check.html", report=None, pasted="")
    if (request.content_length or 0) > MAX_CHECKED_BYTES:
        abort(413)
    if request.is_json:
        report = credentials.check(request.get_data(as_text=True))
        return jsonify(report), (404 if report["result"] == "unknown" else 200)
    pasted = request.form.get("credential", "")
    report = credentials.check(pasted)
    code = 404 if report["result"] == "unknown" else 200
    if wants_json():
        return jsonify(report), code
    return render_template("certificates/check.html", report=report, pasted=pasted), code
