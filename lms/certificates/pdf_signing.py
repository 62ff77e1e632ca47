"""PAdES signatures on certificate PDFs, made with pyHanko.

The signer's certificate and key come from the instance folder, never the repository:

- a PKCS#12 file (CERTIFICATE_SIGNING_PKCS12, relative to instance/, with
  CERTIFICATE_SIGNING_PASSWORD), which is how most institutions receive theirs;
- or a PKCS#11 token (CERTIFICATE_SIGNING_PKCS11_MODULE and friends) for an HSM or a
  BSrE token, where the key never leaves the device;
- or, in development only and when neither is set, a demo CA made on first use in
  instance/certificate-signing/, its subject saying it is not a real authority.

The signature is added as an incremental update, so the PDF/A-3b bytes WeasyPrint wrote
stay exactly as they were, followed by the signature. When CERTIFICATE_TSA_URL is set, an
RFC 3161 timestamp from that authority is embedded (PAdES B-T).

Nothing here raises on a missing or broken key: `load_signer()` answers with a Problem
that says what is wrong, and the caller renders the PDF unsigned with a visible note.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

DEMO_FOLDER = "certificate-signing"
DEMO_CA_NAME = "DEMO \u2014 not a real certificate authority"
DEMO_PASSWORD = b"demo-only"  # noqa: S105 - protects a key that certifies nothing
# Printed on a PDF that could not be signed; the PDF itself is Indonesian throughout.
UNSIGNED_NOTE = ("Dokumen ini tidak ditandatangani secara elektronik; periksa keasliannya "
                 "melalui kode QR.")


@dataclass(frozen=True)
class Problem:
    """Why certificates are being made unsigned: `kind` picks the sentence a coordinator
    reads (see REASONS), `detail` is what the server log says, paths included."""

    kind: str
    detail: str

    @property
    def reason(self) -> str:
        return str(REASONS[self.kind])


REASONS = {
    "missing": _l("The signing key file does not exist."),
    "password": _l("The signing key file cannot be opened: wrong password, or not a "
                   "PKCS#12 file."),
    "unconfigured": _l("No signing key is configured."),
    "token": _l("The PKCS#11 signing token cannot be used."),
    "failed": _l("Signing failed (for example, the timestamp authority did not answer)."),
}


def demo_paths(instance_path: str | Path) -> tuple[Path, Path]:
    """(the demo signer's PKCS#12 file, the demo root certificate in PEM)."""
    folder = Path(instance_path) / DEMO_FOLDER
    return folder / "demo-signer.p12", folder / "demo-ca.pem"


def make_demo_ca(instance_path: str | Path, issuer_name: str) -> tuple[Path, Path]:
    """Create the demo root and a signer certificate it issued, once; return their paths.

    Both are plainly labelled DEMO in their subjects, so no validator and no reader can
    take a development PDF for one signed by a real authority.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    p12_path, ca_path = demo_paths(instance_path)
    if p12_path.is_file() and ca_path.is_file():  # made once, on first use
        return p12_path, ca_path
    p12_path.parent.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)  # certificate validity, not application time
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LMS development (DEMO)"),
    ])
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True,
            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"{issuer_name} (DEMO)"[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LMS development (DEMO)"),
    ])
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"demo-signer", key, cert, [ca_cert],
        serialization.BestAvailableEncryption(DEMO_PASSWORD))
    # Each file appears whole or not at all (two first renders at once must not read
    # half a key); the root first, since the pair counts as made once the key exists.
    _write_atomically(ca_path, ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)
    _write_atomically(p12_path, p12, 0o600)
    return p12_path, ca_path


def _write_atomically(path: Path, content: bytes, mode: int) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    temporary.chmod(mode)
    os.replace(temporary, path)


def _key_kept_signer():
    """pyHanko's SimpleSigner, holding its private key parsed once.

    SimpleSigner reads its key from DER for every raw signature, twice per PDF (a dry
    run sizes the signature); OpenSSL 3 checks an RSA key's primes on every read, about
    170 ms each, which made signing cost ten times a minimal WeasyPrint render (see
    docs/benchmarks.md). RSA PKCS#1 v1.5 and ECDSA, what PKCS#12 files and BSrE hold,
    are signed with the kept key; anything else falls back to pyHanko's own code.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class KeyKeptSigner(signers.SimpleSigner):
        @functools.cached_property
        def _private_key(self):
            return serialization.load_der_private_key(self.signing_key.dump(), password=None)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            algorithm = mechanism["algorithm"].native
            hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
            if algorithm.endswith("_rsa") or algorithm == "rsassa_pkcs1v15":
                return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
            if algorithm.endswith("_ecdsa") or algorithm == "ecdsa":
                return self._private_key.sign(data, ECDSA(hash_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return KeyKeptSigner


@functools.lru_cache(maxsize=4)
def _pkcs12_signer(path: str, mtime_ns: int, password: bytes | None):
    # Cached by file and modification time: a replaced key file is read again.
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    # Opened here first so a wrong password is one clear ValueError, not a logged
    # traceback from inside pyHanko.
    pkcs12.load_key_and_certificates(Path(path).read_bytes(), password)
    loaded = signers.SimpleSigner.load_pkcs12(pfx_file=path, passphrase=password)
    if loaded is None:
        return None
    return _key_kept_signer()(signing_key=loaded.signing_key, signing_cert=loaded.signing_cert,
                              cert_registry=loaded.cert_registry)


def _from_pkcs12(path: Path, password: bytes | None):
    if not path.is_file():
        return Problem("missing", f"the signing key file {path} does not exist")
    try:
        signer = _pkcs12_signer(str(path), path.stat().st_mtime_ns, password)
    except (ValueError, TypeError, OSError) as error:
        return Problem("password", f"the signing key file {path} cannot be opened "
                       f"({error}); check CERTIFICATE_SIGNING_PASSWORD")
    if signer is None:  # pyHanko logs the reason and answers None on a wrong password
        return Problem("password", f"the signing key file {path} cannot be opened: wrong "
                       "password or not a PKCS#12 file (check CERTIFICATE_SIGNING_PASSWORD)")
    return signer


def _from_pkcs11(config):
    # For an HSM or a BSrE token. Needs python-pkcs11 (pip install 'pyHanko[pkcs11]');
    # not exercised by the test suite, which has no token.
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError as error:
        return Problem("token", f"PKCS#11 signing needs python-pkcs11 ({error})")
    token = config.get("CERTIFICATE_SIGNING_PKCS11_TOKEN")
    try:
        session = pkcs11.open_pkcs11_session(
            config["CERTIFICATE_SIGNING_PKCS11_MODULE"],
            token_criteria=TokenCriteria(label=token) if token else None,
            user_pin=config.get("CERTIFICATE_SIGNING_PKCS11_PIN"))
        return pkcs11.PKCS11Signer(
            session, key_label=config.get("CERTIFICATE_SIGNING_PKCS11_KEY_LABEL"))
    except Exception as error:  # noqa: BLE001 - any token failure means "sign nothing"
        return Problem("token", f"the PKCS#11 token cannot be used ({error})")


def load_pkcs12(path: str | Path, password: bytes | None):
    """A signer from a PKCS#12 file (the benchmark and tests use it without an app)."""
    path = Path(path)
    return _pkcs12_signer(str(path), path.stat().st_mtime_ns, password)


def load_signer(app=None):
    """The configured signer, or a Problem saying why certificates go out unsigned."""
    app = app or current_app
    config = app.config
    if config.get("CERTIFICATE_SIGNING_PKCS11_MODULE"):
        return _from_pkcs11(config)
    password = config.get("CERTIFICATE_SIGNING_PASSWORD")
    if isinstance(password, str):
        password = password.encode()
    configured = config.get("CERTIFICATE_SIGNING_PKCS12")
    if configured:
        return _from_pkcs12(Path(app.instance_path) / configured, password)
    if config.get("ENV") == "production":
        return Problem("unconfigured", "no signing key is configured (CERTIFICATE_SIGNING_"
                       "PKCS12 or CERTIFICATE_SIGNING_PKCS11_MODULE); see docs/deploy.md")
    p12_path, _ = make_demo_ca(app.instance_path, "LMS demo signer")
    return _from_pkcs12(p12_path, DEMO_PASSWORD)


def problem(app=None) -> Problem | None:
    """What stops signing now, or None when certificates are signed."""
    found = load_signer(app)
    return found if isinstance(found, Problem) else None


def sign_pdf(pdf: bytes, signer, *, tsa_url: str | None = None,
             reason: str = "Sertifikat pelatihan", location: str | None = None) -> bytes:
    """The PDF with a PAdES signature appended as an incremental update.

    The signature covers every byte before it ("total document signed"); with a TSA URL
    the signature carries a timestamp token from that authority. Raises whatever pyHanko
    raises (a TSA out of reach, a token that refuses): the caller decides what then.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _match_producers(writer)
    meta = signers.PdfSignatureMetadata(
        field_name="Tanda tangan elektronik", md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location)
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    output = signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer)
    return output.getvalue()


def _match_producers(writer) -> None:
    # PDF/A wants the Info dictionary and the XMP metadata to agree. pyHanko writes its own
    # name as the XMP producer but appends it to the Info producer ("WeasyPrint; pyHanko"),
    # so the two would differ; with its name alone in both, they match.
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR

    info_ref = writer.prev.trailer_view.raw_get("/Info")
    if isinstance(info_ref, generic.IndirectObject):
        info = info_ref.get_object()
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(info_ref)
