"""A third-party verifier: the Digital Credentials Consortium's verifier-core (npm), run
with Node on a badge issued here. The app is served on 127.0.0.1 for the verifier's
fetches (the issuer's key and controller document, the status list); its contexts come
from the copies in its own npm packages, and every other address is refused
(tests/verifier/verify.mjs)."""

import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.certificates.test_signed_badge import badge_of, revoke

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "verifier" / "verify.mjs"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None or not (ROOT / "node_modules" / "@digitalcredentials" / "verifier-core").is_dir(),
    reason="needs Node and `npm ci` (@digitalcredentials/verifier-core)")


@pytest.fixture
def served(app):
    """The app on a free port of 127.0.0.1, and PUBLIC_URL pointing there."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    thread.join()


def dcc_verify(credential: dict, origin: str, tmp_path: Path) -> dict:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(credential))
    output = tmp_path / "result.json"
    done = subprocess.run([NODE, str(SCRIPT), str(path), origin, str(output)],  # noqa: S603
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(output.read_text())
    assert result["refused"] == [], "the verifier tried to leave 127.0.0.1"
    return result


def step(result: dict, name: str) -> dict:
    return next(entry for entry in result["log"] if entry["id"] == name)


def test_dcc_verifier_valid_then_tampered_then_revoked(app, issued, served, tmp_path):
    _, credential = badge_of(app, issued)
    assert credential["id"].startswith(served)

    result = dcc_verify(credential, served, tmp_path)
    assert result["errors"] == []
    # The official 1EdTech JSON Schema, which the verifier checks Open Badges against.
    assert [entry["result"] for entry in result["schema"]] == [{"valid": True}]
    assert step(result, "valid_signature")["valid"] is True
    assert step(result, "revocation_status")["valid"] is True
    assert f"{served}/credentials/status/1" in result["fetched"]
    assert f"{served}/issuer/keys/1" in result["fetched"]

    text = json.dumps(credential)
    index = text.index("Siti Rahmawati") + len("Siti Rahmawat")
    one_byte = json.loads(text[:index] + "u" + text[index + 1:])
    result = dcc_verify(one_byte, served, tmp_path)
    assert [error["name"] for error in result["errors"]] == ["invalid_signature"]
    assert result["log"] == []

    revoke(app, issued.certificate_id)
    result = dcc_verify(credential, served, tmp_path)
    assert step(result, "valid_signature")["valid"] is True
    assert step(result, "revocation_status")["valid"] is False
