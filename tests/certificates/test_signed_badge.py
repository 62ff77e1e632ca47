"""Signed Open Badges 3.0: proof, key, status list, content negotiation, the check endpoint."""

import copy
import json
import stat
from datetime import datetime

import pytest

from lms.certificates import revisions, signing, status
from lms.certificates.models import Certificate
from lms.extensions import db
from tests.conftest import AuthActions

JSON = {"Accept": "application/ld+json"}
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def badge_of(app, issued):
    holder = app.test_client()
    AuthActions(holder).login(issued.email)
    response = holder.get(f"/certificates/{issued.certificate_id}/badge.json")
    assert response.status_code == 200
    return response, json.loads(response.data)


def revoke(app, certificate_id):
    with app.app_context():
        revisions.revoke(db.session.get(Certificate, certificate_id), "Data palsu", None)
        db.session.commit()


def check(client, credential):
    response = client.post("/credentials/verify", json=credential)
    return response.status_code, response.get_json()


def test_badge_is_signed_with_the_key_made_in_instance(app, issued):
    response, credential = badge_of(app, issued)
    assert response.headers["X-Credential-Signed"] == "yes"
    [proof] = credential["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == "http://localhost/issuer/keys/1"
    key_file = signing.key_path(app)
    assert key_file.is_file()
    assert str(key_file).startswith(app.instance_path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with app.app_context(), app.test_request_context():
        public = signing.signing_key(app).public_key()
    assert signing.proof_problem(credential, public, proof["verificationMethod"]) is None
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"] == "http://localhost/credentials/status/1"
    assert entry["statusListIndex"] == str(issued.certificate_id)
    # Same certificate, same key: the same bytes every download.
    assert badge_of(app, issued)[1] == credential


def test_changing_one_character_breaks_the_signature(app, issued):
    _, credential = badge_of(app, issued)
    with app.app_context():
        public = signing.signing_key(app).public_key()
    forged = copy.deepcopy(credential)
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Siti Rahmawatu"
    assert signing.proof_problem(forged, public, credential["proof"][0]["verificationMethod"]) \
        == "signature does not match"


def test_issuer_profile_publishes_the_key_by_content_negotiation(app, issued, client):
    _, credential = badge_of(app, issued)
    profile = client.get("/issuer", headers=JSON)
    assert profile.status_code == 200
    assert profile.mimetype == "application/ld+json"
    document = profile.get_json()
    assert document["id"] == credential["issuer"]["id"] == "http://localhost/issuer"
    assert "Profile" in document["type"]
    assert document["assertionMethod"] == ["http://localhost/issuer/keys/1"]
    key = client.get("/issuer/keys/1").get_json()
    assert key["type"] == "Multikey"
    assert key["controller"] == document["id"]
    assert key["publicKeyMultibase"].startswith("z6Mk")
    assert document["verificationMethod"][0]["publicKeyMultibase"] == key["publicKeyMultibase"]
    assert client.get("/issuer", headers={"Accept": "application/json"}).is_json
    page = client.get("/issuer", headers=HTML)
    assert page.mimetype == "text/html"
    assert key["publicKeyMultibase"] in page.text
    assert "Accept" in page.headers["Vary"]
    assert client.get("/issuer/keys/2").status_code == 404


def test_achievement_id_resolves_for_machines_and_people(app, issued, client):
    _, credential = badge_of(app, issued)
    url = credential["credentialSubject"]["achievement"]["id"]
    assert url == "http://localhost/programs/program-contoh"
    achievement = client.get(url, headers=JSON)
    assert achievement.status_code == 200
    assert achievement.get_json()["name"] == "Diklat Contoh"
    assert "Achievement" in achievement.get_json()["type"]
    page = client.get(url, headers=HTML)
    assert page.status_code == 200
    assert "Diklat Contoh" in page.text
    assert client.get("/programs/tidak-ada", headers=JSON).status_code == 404


def test_credential_id_resolves_to_the_signed_credential_then_to_revoked(app, issued, client):
    _, credential = badge_of(app, issued)
    answer = client.get(credential["id"], headers=JSON)
    assert answer.status_code == 200
    assert answer.get_json()["result"] == "valid"
    assert answer.get_json()["credential"] == credential
    assert "Berlaku" in client.get(credential["id"], headers=HTML).text
    revoke(app, issued.certificate_id)
    answer = client.get(credential["id"], headers=JSON).get_json()
    assert answer["result"] == "revoked"
    assert "credential" not in answer
    unknown = client.get("/verify/" + "B" * 32, headers=JSON)
    assert unknown.status_code == 404
    assert unknown.get_json()["result"] == "unknown"


def test_status_list_bit_flips_on_revocation(app, issued, client):
    def bit():
        response = client.get("/credentials/status/1")
        assert response.status_code == 200
        document = response.get_json()
        assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        with app.app_context():
            key = signing.signing_key(app).public_key()
        assert signing.proof_problem(document, key, "http://localhost/issuer/keys/1") is None
        subject = document["credentialSubject"]
        assert subject["statusPurpose"] == "revocation"
        return status.decoded_bit(subject["encodedList"], issued.certificate_id)

    assert bit() is False
    revoke(app, issued.certificate_id)
    assert bit() is True
    assert client.get("/credentials/status/2").status_code == 404
    assert client.get("/credentials/status/0").status_code == 404


def test_status_list_encoding_refuses_an_index_out_of_range():
    assert status.position(5) == (1, 5)
    assert status.position(status.LIST_SIZE + 3) == (2, 3)
    encoded = status.encoded_list({0, 9, status.LIST_SIZE - 1})
    assert encoded.startswith("u")
    assert [status.decoded_bit(encoded, i) for i in (0, 1, 9, status.LIST_SIZE - 1)] == \
        [True, False, True, True]
    with pytest.raises(ValueError, match="out of range"):
        status.encoded_list({status.LIST_SIZE})


def test_check_endpoint_says_valid_revoked_tampered_unknown_and_out_of_range(
        app, issued, client):
    _, credential = badge_of(app, issued)
    assert check(client, credential) == (200, {
        "id": credential["id"], "number": "001/DIKLAT-CONTOH/I/2026", "status": "valid",
        "problems": [], "result": "valid"})

    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["creditsEarned"] = 99.0
    code, report = check(client, tampered)
    assert (code, report["result"]) == (200, "tampered")

    out_of_range = copy.deepcopy(credential)
    out_of_range["credentialStatus"]["statusListIndex"] = str(status.LIST_SIZE)
    code, report = check(client, out_of_range)
    # Changing the index breaks the signature too, which is reported first.
    assert report["result"] == "tampered"

    unknown = copy.deepcopy(credential)
    unknown["id"] = "http://localhost/verify/" + "C" * 32
    code, report = check(client, unknown)
    assert (code, report["result"]) == (404, "unknown")
    assert check(client, {"nothing": 1})[1]["result"] == "invalid"

    revoke(app, issued.certificate_id)
    assert check(client, credential)[1]["result"] == "revoked"


def test_check_endpoint_reports_an_index_out_of_range_in_a_signed_credential(app, issued,
                                                                             client):
    """A credential we signed with a broken entry (as a buggy or older issuer might) is
    refused with the reason, not taken as valid."""
    _, credential = badge_of(app, issued)
    with app.app_context(), app.test_request_context():
        key = signing.signing_key(app)
        broken = {k: v for k, v in credential.items() if k != "proof"}
        broken["credentialStatus"] = {**broken["credentialStatus"],
                                      "statusListIndex": str(status.LIST_SIZE + 5)}
        broken = signing.add_proof(broken, key, credential["proof"][0]["verificationMethod"],
                                   datetime(2026, 12, 21))
    code, report = check(client, broken)
    assert report["result"] == "invalid"
    assert f"statusListIndex {status.LIST_SIZE + 5} out of range" in report["problems"][0]


def test_check_page_for_people(app, issued, client):
    _, credential = badge_of(app, issued)
    form = client.get("/credentials/verify")
    assert form.status_code == 200
    assert 'name="credential"' in form.text
    page = client.post("/credentials/verify", data={"credential": json.dumps(credential)},
                       headers=HTML)
    assert page.status_code == 200
    assert 'id="check-result"' in page.text
    assert "notice-ok" in page.text
    assert "Berlaku: tanda tangan cocok" in page.text  # Indonesian, the default
    tampered = json.dumps(credential).replace("Siti Rahmawati", "Siti Rahmawata")
    page = client.post("/credentials/verify", data={"credential": tampered}, headers=HTML)
    assert "Diubah: kredensial diubah setelah ditandatangani." in page.text
    page = client.post("/credentials/verify", data={"credential": "{not json"}, headers=HTML)
    assert page.status_code == 200
    assert "not JSON" in page.text
    unknown = json.dumps({**credential, "id": "http://localhost/verify/ZZZ"})
    assert client.post("/credentials/verify", data={"credential": unknown},
                       headers=HTML).status_code == 404


@pytest.mark.parametrize("problem", ["missing", "garbage"])
def test_no_usable_key_gives_an_unsigned_badge_never_a_500(app, issued, tmp_path, problem,
                                                           caplog):
    path = tmp_path / "kunci.pem"
    if problem == "garbage":
        path.write_text("-----BEGIN PRIVATE KEY-----\nrusak\n-----END PRIVATE KEY-----\n")
    app.config.update(BADGE_SIGNING_KEY=str(path), ENV="production")
    response, credential = badge_of(app, issued)
    assert response.headers["X-Credential-Signed"] == "no"
    assert "proof" not in credential
    assert "tidak ditandatangani" in credential["description"]
    assert "issued unsigned" in caplog.text
    assert not path.exists() or problem == "garbage"
    client = app.test_client()
    assert client.get("/issuer", headers=JSON).status_code == 200
    assert "verificationMethod" not in client.get("/issuer", headers=JSON).get_json()
    assert client.get("/issuer/keys/1").status_code == 404
    assert client.get("/credentials/status/1").status_code == 200
    assert check(client, credential)[1]["result"] == "invalid"


def test_check_endpoint_refuses_a_huge_body(client):
    response = client.post("/credentials/verify", data="x" * (300 * 1024),
                           content_type="application/json")
    assert response.status_code == 413


def test_check_endpoint_survives_deep_nesting(app, issued, client):
    deep = "[" * 50_000 + "]" * 50_000
    response = client.post("/credentials/verify", data=deep, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["result"] == "invalid"
    _, credential = badge_of(app, issued)
    # Parses as JSON (under Python's recursion limit) but too deep to canonicalise.
    nested = '{"x":' * 900 + "{}" + "}" * 900
    body = json.dumps({**credential, "credentialSubject": "HERE"}).replace('"HERE"', nested)
    response = client.post("/credentials/verify", data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["result"] in ("invalid", "tampered")


def test_a_context_that_is_not_pinned_is_never_fetched(app, issued, client):
    _, credential = badge_of(app, issued)
    foreign = {**credential, "@context": [*credential["@context"], "http://169.254.169.254/x"]}
    code, report = check(client, foreign)
    assert report["result"] == "invalid"
    assert report["problems"] == ["not a JSON-LD document this site can read"]
