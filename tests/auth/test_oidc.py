"""Single sign-on through OpenID Connect, against a provider written here.

The provider (`LocalProvider`) is a small Flask app served by werkzeug on 127.0.0.1 in a
thread: discovery document, /authorize (approves at once and redirects back), /token
(checks the client's secret, the code and PKCE, returns an RS256 id_token signed with
joserfc) and /jwks. Each test can make it lie (unverified email, another nonce).
"""

import base64
import hashlib
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import select
from werkzeug.serving import make_server

from lms.audit.models import AuditEntry
from lms.auth.models import Role, User
from lms.auth.oidc import OidcLink
from lms.extensions import db
from tests.auth.test_second_factor import enrol

CLIENT_ID = "lms-test"
CLIENT_SECRET = "provider-secret-for-tests"


class LocalProvider:
    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self.codes: dict[str, dict] = {}
        self.person = {"sub": "nas-001", "email": "siti@example.org", "email_verified": True,
                       "name": "Siti Aminah"}
        self.nonce_override: str | None = None
        app = Flask("local_oidc_provider")
        app.add_url_rule("/.well-known/openid-configuration", view_func=self.discovery)
        app.add_url_rule("/authorize", view_func=self.authorize)
        app.add_url_rule("/token", view_func=self.token, methods=["POST"])
        app.add_url_rule("/jwks", view_func=self.jwks)
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self):
        return jsonify({
            "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"]})

    def authorize(self):
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            abort(400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": args.get("nonce"), "redirect_uri": args["redirect_uri"],
                            "challenge": args.get("code_challenge")}
        query = urlencode({"code": code, "state": args.get("state", "")})
        return redirect(f"{args['redirect_uri']}?{query}")

    def token(self):
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
            return jsonify({"error": "invalid_client"}), 401
        grant = self.codes.pop(request.form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != request.form.get("redirect_uri"):
            return jsonify({"error": "invalid_grant"}), 400
        verifier = request.form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if grant["challenge"] != digest.rstrip(b"=").decode():
            return jsonify({"error": "invalid_grant"}), 400
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                  "nonce": self.nonce_override or grant["nonce"], **self.person}
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
        return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                        "expires_in": 300, "id_token": id_token})

    def jwks(self):
        return jsonify({"keys": [self.key.as_dict(private=False)]})


@pytest.fixture
def provider():
    local = LocalProvider()
    local.thread.start()
    yield local
    local.server.shutdown()
    local.server.server_close()
    local.thread.join(5)


@pytest.fixture
def sso(app, provider):
    app.config.update(OIDC_ISSUER=provider.url, OIDC_CLIENT_ID=CLIENT_ID,
                      OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_PROVIDER_NAME="Perpustakaan Nasional")
    return provider


def to_provider(client, next_url: str | None = None) -> str:
    """Press the button; returns the URL the provider sends the browser back to."""
    response = client.get("/auth/sso/login" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(client.application.config["OIDC_ISSUER"])
    with requests.get(response.headers["Location"], allow_redirects=False, timeout=10) as back:
        assert back.status_code == 302
        return back.headers["Location"]


def signed_in(client) -> bool:
    return client.get("/learning").status_code == 200


def test_no_button_when_single_sign_on_is_not_configured(client):
    page = client.get("/auth/login").text
    assert "Masuk dengan" not in page
    assert client.get("/auth/sso/login").status_code == 404
    assert client.get("/auth/sso/callback?code=x&state=y").status_code == 404


def test_the_button_names_the_provider(client, sso):
    page = client.get("/auth/login").text
    assert "Masuk dengan Perpustakaan Nasional" in page
    assert 'href="/auth/sso/login"' in page


def test_first_sign_in_links_an_account_by_verified_email(app, client, sso, make_user):
    user_id, _email = make_user(Role.INSTRUCTOR, email="siti@example.org")
    response = client.get(to_provider(client, "/profile"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile"
    assert signed_in(client)
    with app.app_context():
        link = db.session.scalar(select(OidcLink))
        assert (link.user_id, link.issuer, link.subject) == (user_id, sso.url, "nas-001")
        assert db.session.get(User, user_id).role == Role.INSTRUCTOR.value  # kept as granted
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.action == "sso.linked")) == "sso.linked"
    client.post("/auth/logout", data={"csrf_token": _token(client)})
    assert not signed_in(client)
    # Later sign-ins follow the link, even after the provider's email changed.
    sso.person = {**sso.person, "email": "siti.baru@example.org"}
    client.get(to_provider(client))
    assert signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "siti.baru@example.org")) \
            is None


def test_a_new_person_becomes_a_participant(app, client, sso):
    sso.person = {"sub": "nas-777", "email": "Baru@Example.org", "email_verified": True,
                  "name": "  Budi   Santoso "}
    client.get(to_provider(client))
    assert signed_in(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "baru@example.org"))
        assert (user.full_name, user.role) == ("Budi Santoso", Role.PARTICIPANT.value)


@pytest.mark.parametrize("verified", [False, None, "false", 1])
def test_an_unverified_email_is_refused(app, client, sso, make_user, verified):
    make_user(Role.ADMIN, email="siti@example.org")
    sso.person = {**sso.person, "email_verified": verified}
    if verified is None:
        del sso.person["email_verified"]
    response = client.get(to_provider(client))
    assert "/auth/login" in response.headers["Location"]
    page = client.get("/auth/login").text
    assert "tidak menyatakan bahwa alamat email Anda sudah terverifikasi" in page
    assert not signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(OidcLink)) is None
        assert db.session.scalar(select(User).where(User.role == "participant")) is None


def test_a_wrong_nonce_is_refused(app, client, sso, make_user):
    make_user(email="siti@example.org")
    sso.nonce_override = "not-the-nonce-we-sent"
    response = client.get(to_provider(client))
    assert "/auth/login" in response.headers["Location"]
    assert "Masuk dengan Perpustakaan Nasional gagal" in client.get("/auth/login").text
    assert not signed_in(client)
    with app.app_context():
        assert db.session.scalar(select(OidcLink)) is None


def test_a_wrong_or_replayed_state_is_refused(app, client, sso, make_user):
    make_user(email="siti@example.org")
    back = to_provider(client)
    parts = urlsplit(back)
    query = parse_qs(parts.query)
    forged = urlunsplit(parts._replace(query=urlencode(
        {"code": query["code"][0], "state": "forged-state"})))
    assert "/auth/login" in client.get(forged).headers["Location"]
    assert not signed_in(client)
    # Another browser (no state in its session) cannot use the code either.
    other = app.test_client()
    assert "/auth/login" in other.get(back).headers["Location"]
    assert not signed_in(other)
    # The real one works once; the same answer again is refused.
    assert client.get(back).status_code == 302
    assert signed_in(client)
    client.post("/auth/logout", data={"csrf_token": _token(client)})
    assert "/auth/login" in client.get(back).headers["Location"]
    assert not signed_in(client)


def test_a_deactivated_account_stays_out(app, client, sso, make_user):
    user_id, _email = make_user(email="siti@example.org")
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    client.get(to_provider(client))
    assert not signed_in(client)


def test_a_second_factor_is_still_asked(app, client, auth, sso, make_user, freeze_clock):
    from tests.auth.test_second_factor import START

    freeze_clock(START)
    _user_id, email = make_user(email="siti@example.org")
    auth.login(email)
    enrol(client, auth)
    auth.logout()
    response = client.get(to_provider(client))
    assert response.headers["Location"].endswith("/auth/second-factor")
    assert not signed_in(client)


def _token(client) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client.get("/learning").text)
