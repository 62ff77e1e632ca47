"""Production settings that are refused at start-up, each with the reason and the fix."""

import math
import os
import sys
from collections import Counter

WEAK_WORDS = ("", "dev", "change-me", "changeme", "secret", "password", "secret-key",
              "secretkey", "test", "default")
MIN_KEY_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
# Shannon entropy of the key's own characters times its length: a rough lower bound that
# random keys clear easily (token_hex(): about 250; token_urlsafe(48): about 360) and
# patterned ones do not ("changeme" x 4: 88).
MIN_ENTROPY_BITS = 100


def entropy_bits(text: str) -> float:
    counts = Counter(text)
    return -sum(n * math.log2(n / len(text)) for n in counts.values())


def secret_key_problem(key) -> str | None:
    """Why `key` cannot sign production sessions and links, or None. Refuses short keys,
    known defaults (also repeated: "changeme" x 4), keys of few distinct characters (32 x
    "a"), keys that repeat a shorter pattern and keys of low entropy; keys from
    secrets.token_urlsafe(48) or secrets.token_hex() pass."""
    text = str(key or "")
    if len(text) < MIN_KEY_LENGTH:
        return f"it has {len(text)} characters; use at least {MIN_KEY_LENGTH}"
    if len(set(text)) < MIN_DISTINCT_CHARACTERS:
        return (f"it has only {len(set(text))} different characters; a random key has "
                f"many more")
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return f"it repeats {text[:size]!r}"
    if entropy_bits(text) < MIN_ENTROPY_BITS:
        return (f"its characters carry about {entropy_bits(text):.0f} bits of entropy; use a "
                f"random key (at least {MIN_ENTROPY_BITS})")
    lowered = text.strip().lower()
    for word in WEAK_WORDS:
        if word and lowered.replace(word, "") == "":
            return f"it is made of the default word {word!r}"
    return None


def _gunicorn_workers(argv: list[str]) -> str | None:
    """The --workers / -w given on gunicorn's command line (or GUNICORN_CMD_ARGS)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--workers="):
            return arg.partition("=")[2]
        if arg in ("--workers", "-w") and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("-w") and arg[2:].isdigit():
            return arg[2:]
    return None


def workers(cfg, environ=None, argv=None) -> int:
    """How many processes serve the app: LMS_WORKERS, else WEB_CONCURRENCY, else gunicorn's
    --workers (its command line or GUNICORN_CMD_ARGS), else 1."""
    environ = os.environ if environ is None else environ
    argv = sys.argv if argv is None else argv
    value = cfg.get("WORKERS") or environ.get("WEB_CONCURRENCY")
    if not value and "gunicorn" in os.path.basename(argv[0] if argv else ""):
        value = _gunicorn_workers(argv[1:])
    if not value and environ.get("GUNICORN_CMD_ARGS"):
        value = _gunicorn_workers(environ["GUNICORN_CMD_ARGS"].split())
    try:
        return max(int(value or 1), 1)
    except (TypeError, ValueError):
        return 1


def rate_limit_storage_problem(cfg, environ=None, argv=None) -> str | None:
    """Per-process counters (memory://) with several workers multiply every limit by the
    number of workers: refused. Redis (or memcached) is shared; one worker may use memory."""
    storage = str(cfg.get("RATELIMIT_STORAGE_URI") or "memory://")
    count = workers(cfg, environ, argv)
    if storage.startswith("memory://") and count > 1:
        return (f"{count} workers (LMS_WORKERS / WEB_CONCURRENCY) with rate-limit counters "
                f"kept in each process (LMS_RATELIMIT_STORAGE_URI={storage}): set "
                f"LMS_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0, or run one worker")
    return None
