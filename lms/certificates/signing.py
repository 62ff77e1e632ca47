"""Data Integrity proofs (`eddsa-rdfc-2022`) for credentials, and the issuer's Ed25519 key.

A proof is made as the W3C "Data Integrity EdDSA Cryptosuites v1.0" says: the credential
and the proof options are each canonicalised with RDF Dataset Canonicalization (PyLD's
URDNA2015, the same algorithm as RDFC-1.0), hashed with SHA-256, and the two hashes
(options first) signed with Ed25519. JSON-LD contexts come only from the pinned copies in
`contexts/`: a context that is not pinned is refused, never fetched, so signing and
checking never depend on the network or on a remote file changing.

The key is a PEM file (PKCS#8) at `BADGE_SIGNING_KEY` (default `instance/badge-signing-key.pem`).
In development it is made on first use; in production it must be provided, and without
it credentials are issued unsigned (see `signing_key`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from copy import deepcopy
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld

log = logging.getLogger(__name__)

CONTEXTS_DIR = Path(__file__).parent / "contexts"
# Context URL -> file name; tests/verifier/verify.mjs serves the same files.
PINNED: dict[str, str] = json.loads((CONTEXTS_DIR / "index.json").read_text(encoding="utf-8"))
CRYPTOSUITE = "eddsa-rdfc-2022"
# Multicodec prefix of an Ed25519 public key (0xed, as a varint), as Multikey requires.
ED25519_PUB_PREFIX = b"\xed\x01"
B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_contexts: dict[str, Any] = {}


class UnpinnedContext(ValueError):
    """A credential names a JSON-LD context that is not pinned here."""


def context_document(url: str) -> Any:
    """The pinned JSON of a context URL; raises UnpinnedContext for any other URL."""
    if url not in PINNED:
        raise UnpinnedContext(url)
    if url not in _contexts:
        _contexts[url] = json.loads((CONTEXTS_DIR / PINNED[url]).read_text(encoding="utf-8"))
    return _contexts[url]


def _document_loader(url: str, options: dict | None = None) -> dict:
    try:
        document = context_document(url)
    except UnpinnedContext as exc:
        raise jsonld.JsonLdError(f"Context not pinned: {url}", "jsonld.LoadDocumentError",
                                 code="loading document failed") from exc
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonical(document: dict) -> str:
    """The RDF-canonicalised N-Quads of a JSON-LD document (pinned contexts only)."""
    return jsonld.normalize(deepcopy(document), {
        "algorithm": "URDNA2015", "format": "application/n-quads",
        "documentLoader": _document_loader})


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = B58_ALPHABET[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58_ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("publicKeyMultibase must be base58btc ('z')")
    raw = b58decode(value[1:])
    if raw[:2] != ED25519_PUB_PREFIX or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict, proof_options: dict) -> bytes:
    config = {"@context": document["@context"], **proof_options}
    return (hashlib.sha256(canonical(config).encode()).digest()
            + hashlib.sha256(canonical(document).encode()).digest())


def add_proof(credential: dict, key: Ed25519PrivateKey, verification_method: str,
              created: datetime) -> dict:
    """A copy of `credential` with a DataIntegrityProof (eddsa-rdfc-2022) for assertion.
    The proof is given as a one-item list: the VC model allows an object or a set, and
    the official OB 3.0 JSON Schema accepts only the list."""
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": [{**options, "proofValue": "z" + b58encode(signature)}]}


def proof_problem(credential: dict, public_key: Ed25519PublicKey,
                  verification_method: str) -> str | None:
    """None when the credential carries a valid eddsa-rdfc-2022 proof by this key; else
    a short English reason ("no proof", "signature does not match", ...)."""
    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        return "no proof"
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return "unsupported proof type"
    if proof.get("verificationMethod") != verification_method:
        return "signed by another key"
    if proof.get("proofPurpose") != "assertionMethod":
        return "wrong proof purpose"
    value = proof.get("proofValue")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    try:
        if not isinstance(value, str) or not value.startswith("z"):
            return "malformed proofValue"
        public_key.verify(b58decode(value[1:]), _hash_data(unsecured, options))
    except InvalidSignature:
        return "signature does not match"
    except (UnpinnedContext, jsonld.JsonLdError, ValueError, KeyError, TypeError,
            RecursionError):
        return "not a JSON-LD document this site can read"
    return None


def key_path(app) -> Path:
    configured = app.config.get("BADGE_SIGNING_KEY")
    return Path(configured) if configured else Path(app.instance_path) / "badge-signing-key.pem"


def signing_key(app) -> Ed25519PrivateKey | None:
    """The issuer's private key, or None (logged as an error) when it is missing or
    unreadable in production. In development a missing key file is created (mode 0600)."""
    path = key_path(app)
    if not path.is_file():
        if app.config.get("ENV") == "production":
            log.error("Badge signing key %s is missing: credentials are issued unsigned", path)
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            # O_EXCL: two workers starting together keep one key, not one each.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as file:
                file.write(pem)
            log.warning("Made a new badge signing key %s (development only)", path)
            return key
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
        cache = app.extensions.setdefault("badge_signing_key", {})
        if stamp in cache:
            return cache[stamp]
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        log.error("Badge signing key %s cannot be read (%s): credentials are issued "
                  "unsigned", path, exc)
        return None
    if not isinstance(key, Ed25519PrivateKey):
        log.error("Badge signing key %s is not an Ed25519 key: credentials are issued "
                  "unsigned", path)
        return None
    cache.clear()
    cache[stamp] = key
    return key
