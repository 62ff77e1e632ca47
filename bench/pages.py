"""Pages against a hello-world Flask app, through gunicorn and wrk, in the same run.

The issue's measurement (#23, "Pages"): gunicorn with 5 sync workers serves the LMS (SQLite,
one course of 5 modules, 1,000 enrolled learners, a learner signed in) and, on another
port, a bare Flask app answering "Hello, World!" with the same 5 workers. For each page,
`wrk -t2 -c50` hits hello world, then the page, then hello world again; the page's share
is its requests per second over the mean of the two hello-world runs around it, so a
machine shared with other work moves both alike. Targets: module page at least 1/5,
course page and dashboard at least 1/8.

--in-process: the same pages through Flask's test client in this process (no HTTP, no
wrk; what CI can run): the median time of each against hello world's, same process. There
hello world is a ~50 µs function call, so these shares are far smaller than through HTTP.

wrk is a Debian package: `scripts/system-deps bench` installs it.
Run: .venv/bin/python bench/pages.py [--seconds 5] [--in-process]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

PAGES = {"/healthz": "/healthz", "module page": "/courses/contoh/modules/contoh-m1",
         "course page": "/courses/contoh", "dashboard": "/learning"}
TARGETS = {"module page": 5, "course page": 8, "dashboard": 8}
PASSWORD = "bench-password-123"
# The browser the learner signs in with and wrk then sends. Flask-Login's session protection
# ties a session to the address and User-Agent it began with: requests from another agent
# (wrk sends none of its own) mark it not fresh and get a new session cookie every time,
# which no real browser's steady use does.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) bench-pages"


def hello_app() -> Flask:
    """The baseline: a bare Flask app (gunicorn 'pages:hello_app()')."""
    bare = Flask("hello")
    bare.add_url_rule("/", "hello", lambda: "Hello, World!")
    return bare


def build(tmp: Path, learners: int = 1000) -> dict[str, str]:
    """The database, content and instance folder; returns the environment of the app."""
    env = {"LMS_INSTANCE_PATH": str(tmp / "instance"), "LMS_CONTENT_DIR": str(tmp / "content"),
           "LMS_DATABASE_URL": f"sqlite:///{tmp / 'pages.sqlite3'}",
           "LMS_RATELIMIT_ENABLED": "false", "LMS_SECRET_KEY": "bench-" + "k" * 40}
    os.environ.update(env)
    from bench.course_pages import seed_learners
    from lms import create_app
    from tests.conftest import write_course

    write_course(tmp / "content", "contoh", 5)
    app = create_app()
    with app.app_context():
        seed_learners(tmp / "content", learners, PASSWORD)
    return env


def signed_in_client():
    """A test client of the app built above, signed in as the first learner."""
    from lms import create_app
    from tests.conftest import AuthActions

    app = create_app()
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = BROWSER
    response = AuthActions(client).login("u0@example.org", PASSWORD)
    assert response.status_code == 302, response.status_code
    # Follow the redirect as a browser does: the welcome message is shown there and leaves
    # the session. A cookie still holding it made every measured request show the message
    # again and write a new session cookie.
    assert client.get(response.location).status_code == 200
    return app, client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app_spec: str, env: dict, workers: int = 5) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--pythonpath", f"{ROOT},{ROOT / 'bench'}", app_spec],
        env={**os.environ, **env}, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
        except urllib.error.HTTPError:
            return process, base  # answering (the LMS's / may redirect or refuse)
        except OSError:
            time.sleep(0.2)
        else:
            return process, base
    stop(process)
    raise RuntimeError(f"gunicorn {app_spec} did not start")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wrk(url: str, seconds: int, cookie: str | None = None) -> tuple[float, float, int]:
    """Requests per second, p99 latency in ms, and non-2xx/3xx plus socket errors."""
    command = ["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "-H",
               f"User-Agent: {BROWSER}", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99_ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99_ms, errors + (int(bad.group(1)) if bad else 0)


def through_http(env: dict, seconds: int) -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: scripts/system-deps bench (Debian package wrk)")
    app, client = signed_in_client()
    cookie = "; ".join(f"{name}={found.value}" for name in ("session", "remember_token")
                       if (found := client.get_cookie(name)) is not None)
    lms, lms_base = serve("lms:create_app()", env)
    hello, hello_base = serve("pages:hello_app()", {})
    try:
        for url in PAGES.values():
            # Signed in and answered, not a redirect to the sign-in page.
            connection = http.client.HTTPConnection(lms_base.removeprefix("http://"))
            connection.request("GET", url, headers={"Cookie": cookie, "User-Agent": BROWSER})
            response = connection.getresponse()
            connection.close()
            if response.status != 200:
                sys.exit(f"{url}: HTTP {response.status} with the signed-in cookie")
            # A browser's steady use: the page does not hand out a new session cookie.
            if new_cookie := response.getheader("Set-Cookie"):
                sys.exit(f"{url}: answered with a new cookie ({new_cookie[:40]}...)")
        for url in PAGES.values():  # warm every worker's caches once
            wrk(lms_base + url, 1, cookie)
        wrk(hello_base + "/", 1)
        print(f"gunicorn 5 sync workers each, wrk -t2 -c50 -d{seconds}s; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'page':<14}{'req/s':>9}{'hello req/s':>13}{'share':>9}{'target':>8}"
              f"{'p99 ms':>9}{'errors':>8}")
        before = wrk(hello_base + "/", seconds)[0]
        for name, url in PAGES.items():
            rate, p99, errors = wrk(lms_base + url, seconds, cookie)
            after = wrk(hello_base + "/", seconds)[0]
            hello_rate = (before + after) / 2
            target = f"1/{TARGETS[name]}" if name in TARGETS else ""
            share = "1/" + format(hello_rate / rate, ".1f")
            print(f"{name:<14}{rate:>9.0f}{hello_rate:>13.0f}{share:>9}{target:>8}"
                  f"{p99:>9.0f}{errors:>8}", flush=True)
            before = after
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        stop(lms)
        stop(hello)


def in_process(repeat: int = 200) -> None:
    app, client = signed_in_client()
    hello = hello_app().test_client()

    def median(c, url: str) -> float:
        c.get(url)
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = c.get(url)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        return statistics.median(samples)

    print(f"in process (Flask test client), median of {repeat}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<14}{'ms':>8}{'hello ms':>10}{'share':>10}")
    for name, url in PAGES.items():
        before = median(hello, "/")
        page = median(client, url)
        after = median(hello, "/")
        base = (before + after) / 2
        print(f"{name:<14}{page * 1000:>8.2f}{base * 1000:>10.3f}"
              f"{'1/' + format(page / base, '.0f'):>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = build(Path(folder), args.learners)
        if args.in_process:
            in_process()
        else:
            through_http(env, args.seconds)


if __name__ == "__main__":
    main()
