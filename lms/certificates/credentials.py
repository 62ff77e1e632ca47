"""Signed Open Badges 3.0 credentials: the issuer Profile and key, the achievement, the
status list, and checking a credential someone shows us.

Addresses come from lms.urls (the public address), never from request headers in
production. The issuer id is `/issuer`, a controller document listing its key
(`/issuer/keys/1`, a Multikey) under `assertionMethod`, so any Data Integrity verifier
can go from the proof to the key and check the key belongs to the issuer.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import current_app

from lms.certificates import documents, services, signing, status
from lms.certificates.badge import CONTEXT, open_badge_credential
from lms.certificates.models import Certificate
from lms.certificates.settings import DEFAULTS
from lms.clock import utcnow
from lms.courses.models import Program
from lms.urls import external_url

MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
# The two terms of a controller document (W3C Controlled Identifiers) that neither the
# VC nor the OB context defines at the top level, inline so nothing is fetched for them:
# a verifier frames the issuer document and looks for the key under assertionMethod.
CONTROLLER_TERMS = {
    "verificationMethod": {"@id": "https://w3id.org/security#verificationMethod",
                           "@type": "@id", "@container": "@set"},
    "assertionMethod": {"@id": "https://w3id.org/security#assertionMethod",
                        "@type": "@id", "@container": "@set"},
}
UNSIGNED_NOTE = " Kredensial ini tidak ditandatangani secara digital."


def issuer_url() -> str:
    return external_url("credentials.issuer")


def key_url() -> str:
    return external_url("credentials.issuer_key", number=1)


def status_list_url(number: int) -> str:
    return external_url("credentials.status_list", number=number)


def achievement_url(program: Program) -> str:
    return external_url("credentials.program", slug=program.slug)


def issuer_name() -> str:
    """The site's issuer name: CERTIFICATE_ISSUER_NAME, else the programs' default."""
    return current_app.config.get("CERTIFICATE_ISSUER_NAME") or DEFAULTS["issuer"]


def _key():
    return signing.signing_key(current_app)


def key_document() -> dict | None:
    """The issuer's public key as a Multikey document, or None without a key."""
    key = _key()
    if key is None:
        return None
    return {"@context": [MULTIKEY_CONTEXT], "id": key_url(), "type": "Multikey",
            "controller": issuer_url(),
            "publicKeyMultibase": signing.public_key_multibase(key.public_key())}


def issuer_profile() -> dict:
    """The issuer's OB 3.0 Profile, doubling as the controller document of its key."""
    profile: dict[str, Any] = {
        "@context": [*CONTEXT, MULTIKEY_CONTEXT, CONTROLLER_TERMS], "id": issuer_url(),
        "type": ["Profile"],
        "name": issuer_name(), "url": external_url("site.home") if _has_home() else None}
    profile = {k: v for k, v in profile.items() if v is not None}
    key = key_document()
    if key is not None:
        method = {k: v for k, v in key.items() if k != "@context"}
        profile["verificationMethod"] = [method]
        profile["assertionMethod"] = [method["id"]]
    return profile


def _has_home() -> bool:
    return "site.home" in current_app.view_functions


def achievement(program: Program) -> dict:
    """The program as an OB 3.0 Achievement (the same id every credential names)."""
    return {
        "@context": list(CONTEXT), "id": achievement_url(program), "type": ["Achievement"],
        "achievementType": "Certificate", "name": program.title,
        "description": program.summary or program.title,
        "criteria": {"narrative": program.summary or program.title},
        "creator": {"id": issuer_url(), "type": ["Profile"], "name": issuer_name()},
    }


def status_entry(certificate: Certificate) -> dict:
    number, index = status.position(certificate.id)
    return {"id": f"{status_list_url(number)}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(index),
            "statusListCredential": status_list_url(number)}


def badge_of(certificate: Certificate) -> tuple[dict, bool]:
    """(the OpenBadgeCredential, whether it is signed). Without a usable key the
    credential is still given, with a sentence in its description saying it is unsigned."""
    data = documents.render_data(certificate, as_issued=True)
    credential = open_badge_credential(
        data, issuer_url=issuer_url(), issuer_name=data["issuer_name"],
        credential_url=documents.verify_url(certificate),
        achievement_url=achievement_url(certificate.cohort.program),
        credential_status=status_entry(certificate), issued_at=certificate.issued_at)
    key = _key()
    if key is None:
        credential["description"] += UNSIGNED_NOTE
        return credential, False
    return signing.add_proof(credential, key, key_url(), certificate.issued_at), True


def status_list_credential(number: int) -> dict:
    """The signed BitstringStatusListCredential of list `number` (bits read now). It is
    valid for a short time so verifiers fetch it again rather than trust an old copy."""
    now = utcnow().replace(microsecond=0)
    url = status_list_url(number)
    credential = {
        "@context": [CONTEXT[0]], "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "validUntil": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
            "encodedList": status.encoded_list(status.revoked_indexes(number))},
    }
    key = _key()
    return signing.add_proof(credential, key, key_url(), now) if key else credential


def check(document: Any) -> dict:
    """What a verifier needs to know about a credential shown to us, as plain JSON:
    `result` is "valid", "revoked", "superseded", "tampered" (the signature does not
    match), "unknown" (no certificate of ours has that id), or "invalid" (not a
    credential of ours, or a status entry that does not fit it), with `problems`."""
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError):
            return {"result": "invalid", "problems": ["not JSON"]}
    if not isinstance(document, dict) or not isinstance(document.get("id"), str):
        return {"result": "invalid", "problems": ["not a credential (no id)"]}
    prefix = documents.verify_url_prefix()
    credential_id = document["id"]
    code = credential_id[len(prefix):] if credential_id.startswith(prefix) else ""
    certificate = services.by_code(code) if code and "/" not in code else None
    if certificate is None:
        return {"result": "unknown", "id": credential_id,
                "problems": ["no certificate of this site has this id"]}
    report: dict[str, Any] = {"id": credential_id, "number": certificate.number,
                              "status": certificate.status, "problems": []}
    key = _key()
    problem = ("this site has no signing key" if key is None else
               signing.proof_problem(document, key.public_key(), key_url()))
    if problem:
        report["problems"].append(problem)
        report["result"] = "tampered" if problem == "signature does not match" else "invalid"
        return report
    entry_problem = _status_entry_problem(document.get("credentialStatus"), certificate)
    if entry_problem:
        report["problems"].append(entry_problem)
        report["result"] = "invalid"
        return report
    report["result"] = certificate.status if certificate.status != "valid" else "valid"
    return report


def _status_entry_problem(entry: Any, certificate: Certificate) -> str | None:
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return "no BitstringStatusListEntry"
    try:
        index = int(str(entry.get("statusListIndex")))
    except ValueError:
        return "statusListIndex is not a number"
    if not 0 <= index < status.LIST_SIZE:
        return f"statusListIndex {index} out of range (0 to {status.LIST_SIZE - 1})"
    number, own_index = status.position(certificate.id)
    if (index != own_index or entry.get("statusListCredential") != status_list_url(number)
            or entry.get("statusPurpose") != "revocation"):
        return "the status entry is not this certificate's"
    return None

