"""The certificate PDF's PAdES signature: made with the configured key, checked by
pyHanko's validator and by poppler's pdfsig, and a broken key never stops a certificate.

Not tested here, for want of a network and of hardware: a timestamp from a real TSA
(CERTIFICATE_TSA_URL) and a PKCS#11 token. docs/deploy.md describes both.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from lms.certificates import documents, pdf_signing
from lms.certificates.models import Certificate
from lms.certificates.pdf import render_certificate_pdf
from lms.cohorts.models import Cohort
from lms.extensions import db
from tests.certificates.test_issuing import (  # noqa: F401 - fixtures used by name
    _day_after_the_cohort,
    cohort_id,
    participant,
)
from tests.conftest import AuthActions

PDF_URL = "/certificates/{}.pdf"
UNSIGNED = "tidak ditandatangani secara elektronik"


def _issue(app, cohort_id, make_user):  # noqa: F811 - the fixture's value
    from lms.certificates import services

    user_id, email = participant(app, cohort_id, make_user)
    with app.app_context():
        certificate = services.issue_all(db.session.get(Cohort, cohort_id), None)[0][0]
        db.session.commit()
        certificate_id = certificate.id
    holder = app.test_client()
    AuthActions(holder).login(email)
    return holder, certificate_id


def _tool(name: str, *args: str, check: bool = True) -> str:
    executable = shutil.which(name)
    if executable is None:
        pytest.skip(f"{name} not found: install poppler-utils (scripts/system-deps)")
    return subprocess.run(  # noqa: S603 - a poppler tool on our own temporary file
        [executable, *args], check=check, capture_output=True, text=True).stdout


def _pdfsig(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    # pdfsig exits non-zero when the issuer is not trusted, which a demo root never is.
    return _tool("pdfsig", str(path), check=False)


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return " ".join(_tool("pdftotext", "-enc", "UTF-8", str(path), "-").split())


def _validate(pdf: bytes, root_pem: bytes):
    reader = PdfFileReader(io.BytesIO(pdf))
    assert len(reader.embedded_signatures) == 1
    context = ValidationContext(trust_roots=[load_cert_from_pemder_bytes(root_pem)])
    return validate_pdf_signature(reader.embedded_signatures[0], context)


def load_cert_from_pemder_bytes(data: bytes):
    # pyHanko reads certificates from files; a test keeps them in memory.
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pem") as handle:
        handle.write(data)
        handle.flush()
        return load_cert_from_pemder(handle.name)


def test_development_pdf_is_signed_by_the_demo_ca_and_validates(app, cohort_id, make_user,  # noqa: F811
                                                                tmp_path):
    holder, certificate_id = _issue(app, cohort_id, make_user)
    response = holder.get(PDF_URL.format(certificate_id))
    assert response.status_code == 200
    pdf = response.data

    p12_path, root_path = pdf_signing.demo_paths(app.instance_path)
    root_pem = root_path.read_bytes()
    status = _validate(pdf, root_pem)
    assert status.intact
    assert status.valid
    assert status.trusted  # the test trusts the demo root; nobody else should
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.signing_cert.subject.native["common_name"] == "LMS demo signer (DEMO)"
    root = load_cert_from_pemder_bytes(root_pem)
    assert root.subject.native["common_name"] == "DEMO \u2014 not a real certificate authority"
    assert status.signing_cert.issuer == root.subject

    report = _pdfsig(pdf, tmp_path)
    assert "Signature is Valid" in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES, not the older adbe.pkcs7 forms

    # Signed incrementally: the bytes WeasyPrint wrote (PDF/A-3b) come first, untouched.
    # (in a request to the test client's host, which the QR code's address follows)
    with app.test_request_context(base_url="http://localhost/"):
        certificate = db.session.get(Certificate, certificate_id)
        unsigned = render_certificate_pdf(documents.render_data(certificate, as_issued=True))
    assert pdf.startswith(unsigned)
    # Still PDF/A-3b after pyHanko rewrote the metadata, and Info agrees with XMP.
    path = tmp_path / "meta.pdf"
    path.write_bytes(pdf)
    xmp = _tool("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    info = _tool("pdfinfo", str(path))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)  # the signature keeps the structure
    producer = re.search(r"^Producer:\s+(.+)$", info, re.M).group(1)
    assert f'pdf:Producer="{producer}"' in xmp
    assert UNSIGNED not in _text(pdf, tmp_path)

    # One demo CA per instance, made once: a second certificate uses the same root.
    assert pdf_signing.make_demo_ca(app.instance_path, "x") == (p12_path, root_path)
    assert root_path.read_bytes() == root_pem


def test_a_byte_changed_after_signing_is_caught(app, cohort_id, make_user, tmp_path):  # noqa: F811
    holder, certificate_id = _issue(app, cohort_id, make_user)
    pdf = bytearray(holder.get(PDF_URL.format(certificate_id)).data)
    index = pdf.index(b"Angkatan I Tahun 2026")
    pdf[index] = ord("B")
    _, root_path = pdf_signing.demo_paths(app.instance_path)
    status = _validate(bytes(pdf), root_path.read_bytes())
    assert not status.intact
    assert "Signature is Valid" not in _pdfsig(bytes(pdf), tmp_path)


@pytest.fixture
def institution_key(tmp_path):
    """An institution's PKCS#12 file, as it would receive one (here from another demo
    CA), placed in the instance folder under a name of its own."""
    p12_path, root_path = pdf_signing.make_demo_ca(tmp_path / "elsewhere", "Pusdiklat Contoh")
    keys = tmp_path / "instance" / "keys"
    keys.mkdir(parents=True)
    shutil.copyfile(p12_path, keys / "pusdiklat.p12")
    return root_path.read_bytes()


@pytest.mark.parametrize("app", [{"CERTIFICATE_SIGNING_PKCS12": "keys/pusdiklat.p12",
                                  "CERTIFICATE_SIGNING_PASSWORD": "demo-only"}], indirect=True)
def test_the_institutions_own_pkcs12_signs(institution_key, app, cohort_id, make_user,  # noqa: F811
                                           tmp_path):
    holder, certificate_id = _issue(app, cohort_id, make_user)
    pdf = holder.get(PDF_URL.format(certificate_id)).data
    status = _validate(pdf, institution_key)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Pusdiklat Contoh (DEMO)"
    # No demo CA is made when a key is configured.
    assert not pdf_signing.demo_paths(app.instance_path)[0].exists()
    assert "Signature is Valid" in _pdfsig(pdf, tmp_path)


@pytest.mark.parametrize("app", [
    {"CERTIFICATE_SIGNING_PKCS12": "keys/pusdiklat.p12",
     "CERTIFICATE_SIGNING_PASSWORD": "wrong"},
    {"CERTIFICATE_SIGNING_PKCS12": "keys/missing.p12", "CERTIFICATE_SIGNING_PASSWORD": "x"},
], indirect=True, ids=["wrong-password", "missing-file"])
def test_a_broken_key_gives_an_unsigned_pdf_that_says_so(institution_key, app, cohort_id,  # noqa: F811
                                                         make_user, tmp_path, caplog):
    holder, certificate_id = _issue(app, cohort_id, make_user)
    with caplog.at_level(logging.ERROR):
        response = holder.get(PDF_URL.format(certificate_id))
    assert response.status_code == 200
    pdf = response.data
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    assert UNSIGNED in _text(pdf, tmp_path)
    assert "without an electronic signature" in caplog.text
    assert "keys/" in caplog.text  # the log names the file
    with app.app_context():  # the certificate stands; its unsigned PDF is not kept
        certificate = db.session.get(Certificate, certificate_id)
        assert certificate.status == "valid"
        assert certificate.pdf_sha256 is None

    coordinator = app.test_client()
    AuthActions(coordinator).login(make_user(role="coordinator")[1])
    page = coordinator.get("/manage/cohorts/angkatan-1/certificates")
    assert page.status_code == 200
    assert 'id="signing-problem"' in page.text
    assert "tanpa tanda tangan elektronik" in page.text
    assert "keys/" not in page.text  # paths stay in the log

    # The key fixed: the next PDF is signed and becomes the one kept.
    app.config.update(CERTIFICATE_SIGNING_PKCS12="keys/pusdiklat.p12",
                      CERTIFICATE_SIGNING_PASSWORD="demo-only")
    fixed = holder.get(PDF_URL.format(certificate_id)).data
    assert _validate(fixed, institution_key).intact
    assert UNSIGNED not in _text(fixed, tmp_path)
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).pdf_sha256
    page = coordinator.get("/manage/cohorts/angkatan-1/certificates")
    assert 'id="signing-problem"' not in page.text


def test_production_without_a_key_refuses_to_pretend(app):
    app.config["ENV"] = "production"
    with app.app_context():
        found = pdf_signing.problem()
    assert found is not None
    assert found.kind == "unconfigured"
    assert not pdf_signing.demo_paths(app.instance_path)[0].exists()


def test_the_signed_bytes_are_what_the_verification_page_hashes(app, cohort_id, make_user):  # noqa: F811
    import hashlib

    holder, certificate_id = _issue(app, cohort_id, make_user)
    pdf = holder.get(PDF_URL.format(certificate_id)).data
    with app.app_context():
        code = db.session.get(Certificate, certificate_id).verification_code
    assert hashlib.sha256(pdf).hexdigest() in app.test_client().get(f"/verify/{code}").text


@pytest.mark.parametrize("app", [{"CERTIFICATE_TSA_URL": "http://127.0.0.1:9/tsa"}],
                         indirect=True)
def test_a_timestamp_authority_out_of_reach_gives_an_unsigned_pdf(app, cohort_id, make_user,  # noqa: F811
                                                                   tmp_path, caplog):
    # A real TSA cannot be reached from the test machine; a closed loopback port shows
    # that a failing one never costs the participant their certificate.
    holder, certificate_id = _issue(app, cohort_id, make_user)
    with caplog.at_level(logging.ERROR):
        response = holder.get(PDF_URL.format(certificate_id))
    assert response.status_code == 200
    assert PdfFileReader(io.BytesIO(response.data)).embedded_signatures == []
    assert UNSIGNED in _text(response.data, tmp_path)
    assert "signing failed" in caplog.text


@pytest.mark.parametrize("app", [{"CERTIFICATE_SIGNING_PKCS11_MODULE": "/nonexistent/p11.so"}],
                         indirect=True)
def test_a_pkcs11_token_that_cannot_be_used_is_a_problem_not_a_crash(app):
    # No token here (and python-pkcs11 is an optional extra): the token path itself is
    # documented in docs/deploy.md, not exercised.
    with app.app_context():
        found = pdf_signing.problem()
    assert found is not None
    assert found.kind == "token"
