"""The CPU each step of the quiz burst costs, in this process, against /healthz.

The same content and participants as bench/quiz_submit.py (a 20-question quiz), through
Flask's test client on SQLite: no HTTP, no gunicorn, so the figures are the server's own
work per request and hold on a machine shared with other work. Each participant signs
in (not timed), then opens the quiz, starts, loads the attempt, saves 20 answers and
submits; before each step one /healthz request is timed as the baseline, interleaved so
both see the same machine. Prints the median CPU time (time.process_time) of each step,
its ratio to /healthz's, and the SQL statements it ran. The burst's server is CPU-bound,
so these ratios are what its throughput follows.

--profile STEP: cProfile that step over all participants and print the top functions.
--postgres: the same on a new PostgreSQL database at 127.0.0.1:5432.

Run: .venv/bin/python bench/quiz_steps.py [--participants 60] [--profile "attempt page"]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import quiz_submit  # noqa: E402
from bench.quiz_submit import PASSWORD, prepare, token, write_content  # noqa: E402

STEPS = ("quiz page", "start", "attempt page", "save 20 answers", "submit")


def answers_form(html: str):
    """The form bench/quiz_submit.py sends: every question answered right."""
    from werkzeug.datastructures import MultiDict

    return MultiDict(quiz_submit.answers_form(html))


class Steps:
    """One participant's walk through the quiz, each request timed in CPU seconds."""

    def __init__(self, app, index: int, engine, profiles: dict):
        self.client = app.test_client()
        self.index = index
        self.profiles = profiles
        self.statements = 0
        from sqlalchemy import event

        self.log: list[str] | None = None

        def count(_conn, _cursor, statement, *_args):
            self.statements += 1
            if self.log is not None:
                self.log.append(" ".join(statement.split())[:300])

        self.count = count
        self.engine = engine
        event.listen(engine, "before_cursor_execute", count)

    def close(self):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self.count)

    def sign_in(self) -> None:
        html = self.client.get("/auth/login").get_data(as_text=True)
        response = self.client.post("/auth/login", data={
            "csrf_token": token(html), "email": f"p{self.index}@example.org",
            "password": PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"sign-in: HTTP {response.status_code}")

    def timed(self, name: str, send, results: dict):
        health_start = time.process_time()
        self.client.get("/healthz")
        results.setdefault("/healthz", []).append(
            (time.process_time() - health_start, 0))
        profile = self.profiles.get(name)
        self.statements = 0
        if self.log is not None:
            self.log.clear()
        start = time.process_time()
        if profile:
            profile.enable()
        response = send()
        if profile:
            profile.disable()
        results.setdefault(name, []).append((time.process_time() - start, self.statements))
        if self.log is not None:
            print(f"--- {name}: {self.statements} statements")
            print("\n".join(self.log))
            self.log.clear()
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{name}: HTTP {response.status_code}")
        return response

    def take_quiz(self, results: dict) -> None:
        quiz = "/courses/bench/quizzes/kuis"
        html = self.timed("quiz page", lambda: self.client.get(quiz), results).get_data(
            as_text=True)
        response = self.timed("start", lambda: self.client.post(
            quiz + "/start", data=quiz_submit.start_form(html)), results)
        attempt = urlsplit(response.headers["Location"]).path
        html = self.timed("attempt page", lambda: self.client.get(attempt), results).get_data(
            as_text=True)
        form = answers_form(html)
        self.timed("save 20 answers", lambda: self.client.post(attempt + "/save", data=form),
                   results)
        self.timed("submit", lambda: self.client.post(attempt + "/submit", data=form), results)


def run(participants: int, profile_steps: list[str], postgres: bool, top: int,
        dump: str | None = None, sql: bool = False) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="lms-quiz-steps-"))
    dbname = None
    write_content(tmp / "content")
    env = {"LMS_INSTANCE_PATH": str(tmp / "instance"), "LMS_CONTENT_DIR": str(tmp / "content"),
           "LMS_RATELIMIT_ENABLED": "false", "LMS_SECRET_KEY": "bench-" + "k" * 40,
           "LMS_PASSWORD_HASHING": "fast-for-tests"}  # sign-in is not what is measured
    if postgres:
        dbname = f"lms_steps_{os.getpid()}"
        env["LMS_DATABASE_URL"] = quiz_submit.fresh_postgres(dbname)
    else:
        env["LMS_DATABASE_URL"] = f"sqlite:///{tmp / 'steps.sqlite3'}"
    os.environ.update(env)
    try:
        prepare({**os.environ}, participants)
        from lms import create_app
        from lms.extensions import db

        app = create_app()
        with app.app_context():
            engine = db.engine
        profiles = {name: cProfile.Profile() for name in profile_steps}
        results: dict[str, list[tuple[float, int]]] = {}
        for index in range(participants):
            walker = Steps(app, index, engine, profiles)
            try:
                walker.sign_in()
                if sql and index == participants - 1:
                    walker.log = []
                walker.take_quiz(results)
            finally:
                walker.close()
        report("postgresql" if postgres else "sqlite", participants, results)
        for name, profile in profiles.items():
            print(f"\n--- profile: {name} ({participants} requests) ---")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(top)
            pstats.Stats(profile).sort_stats("tottime").print_stats(top)
            if dump:
                profile.dump_stats(f"{dump}-{name.replace(' ', '-')}.prof")
    finally:
        if dbname:
            if "app" in locals():
                with app.app_context():
                    db.engine.dispose()
            quiz_submit.drop_postgres(dbname)
        shutil.rmtree(tmp, ignore_errors=True)


def report(backend: str, participants: int, results: dict) -> None:
    # The first participants warm caches (templates, compiled statements): medians skip
    # nothing but are robust to them.
    base = statistics.median(t for t, _n in results["/healthz"])
    print(f"\n{backend}, {participants} participants one after another, CPU per request")
    print(f"  /healthz: median {base * 1000:.2f} ms")
    print(f"  {'step':<16} {'median ms':>10} {'p90 ms':>8} {'x /healthz':>11} {'SQL':>5}")
    total = 0.0
    for name in STEPS:
        values = sorted(t for t, _n in results[name])
        median = statistics.median(values)
        total += median
        queries = statistics.median(n for _t, n in results[name])
        print(f"  {name:<16} {median * 1000:>10.2f} {values[int(0.9 * len(values))] * 1000:>8.2f}"
              f" {median / base:>11.1f} {queries:>5.0f}")
    print(f"  {'mean of steps':<16} {total / len(STEPS) * 1000:>10.2f} {'':>8} "
          f"{total / len(STEPS) / base:>11.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--profile", action="append", default=[], choices=STEPS)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--dump", help="save each profile to DUMP-<step>.prof")
    parser.add_argument("--sql", action="store_true",
                        help="print the statements of the last participant's steps")
    args = parser.parse_args()
    run(args.participants, args.profile, args.postgres, args.top, args.dump, args.sql)


if __name__ == "__main__":
    main()
