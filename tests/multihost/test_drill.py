"""The two-host drill as a test: opt-in (LMS_DRILL=1), since it takes minutes and needs
HAProxy (scripts/system-deps drill). `LMS_DRILL=1 .venv/bin/pytest -m drill`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "two-host-drill"


@pytest.mark.drill
@pytest.mark.skipif(not os.environ.get("LMS_DRILL"), reason="set LMS_DRILL=1 to run the drill")
def test_two_hosts_lose_nothing_when_one_of_each_is_killed():
    participants = os.environ.get("DRILL_PARTICIPANTS", "100")
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,  # noqa: S603
                            env={**os.environ, "DRILL_PARTICIPANTS": participants},
                            timeout=1800, check=False)
    print(result.stdout[-4000:], result.stderr[-4000:])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "RESULT       OK: lost 0, duplicated 0" in result.stdout
