"""scripts/system-deps: without root, it names what is missing and the command, and stops."""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-deps"


def run(tmp_path, group, installed=(), uid="1000"):
    """Run the script with stand-ins for dpkg-query (knowing only `installed`) and id."""
    stubs = tmp_path / "bin"
    stubs.mkdir(exist_ok=True)
    known = " ".join(installed)
    (stubs / "dpkg-query").write_text(
        "#!/bin/sh\nfor p in " + (known or "none") + "; do\n"
        '  [ "$p" = "$3" ] && { printf "install ok installed"; exit 0; }\n'
        "done\nexit 1\n")
    (stubs / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}
    return subprocess.run(["/bin/bash", str(SCRIPT), group], capture_output=True, text=True,  # noqa: S603
                          env=env, check=False, timeout=60)


def test_without_root_it_lists_what_is_missing_and_the_command(tmp_path):
    result = run(tmp_path, "run", installed=("libpango-1.0-0", "fontconfig"))
    assert result.returncode == 1
    assert "libharfbuzz-subset0" in result.stderr
    assert "libpangoft2-1.0-0" in result.stderr
    assert "libpango-1.0-0 " not in result.stderr  # present ones are not asked for
    assert "apt-get install -y --no-install-recommends" in result.stderr


def test_the_test_group_adds_chromium_and_poppler(tmp_path):
    result = run(tmp_path, "test")
    assert result.returncode == 1
    for package in ("chromium", "poppler-utils", "libharfbuzz-subset0", "libreoffice-calc-nogui"):
        assert package in result.stderr


def test_nothing_missing_means_silence(tmp_path):
    everything = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b",
                  "libharfbuzz-subset0", "fontconfig")
    result = run(tmp_path, "run", installed=everything)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("group", ["", "everything"])
def test_an_unknown_group_is_a_usage_error(tmp_path, group):
    result = run(tmp_path, group or "bogus")
    assert result.returncode == 2
    assert "usage" in result.stderr
