"""A realistic post-test with Locust: N participants start within a minute, answer with
think time, autosave each answer, and submit.

The scenario of a 20-question, 30-minute post-test, with the think time scaled down so a
run takes a few minutes (--scale 0.1: a 90 s think becomes 9 s, twenty questions take
three minutes instead of thirty, so answers arrive ten times as fast as in the real
exam). Participants sign in before the test opens, as a cohort does before 09.00, spread
over --sign-in-seconds (each sign-in checks an Argon2 hash: 400 of them in one minute
would take half of two cores' minute alone); then each starts at a random moment in the
60 s after the opening. --sign-in-seconds 0 signs in within the same 60 s. The app runs under
gunicorn on SQLite (or PostgreSQL with --postgres), as bench/quiz_submit.py runs it;
Locust runs headless in this process with a fixed number of users spawned over 60 s, and
each user takes the post-test once and stops. Prints p50/p95/p99 per step and errors, and
the number of participants per core of this machine, to compare with Moodle's published
figure (2,000 simultaneous quiz users on a 12-vCPU application server, about 167 per vCPU).

Needs the bench extra: .venv/bin/pip install -e '.[bench]'
Run: .venv/bin/python bench/exam_locust.py [--users 340,400,680] [--scale 0.1]
     [--sign-in-seconds 120] [--postgres]
"""

from __future__ import annotations

# Locust patches the standard library for gevent; it must come first.
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust import HttpUser, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from locust.exception import StopUser  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quiz_submit  # noqa: E402

QUESTIONS = 20
THINK_SECONDS = 90  # 20 questions in a 30-minute post-test: about 90 s each
STEPS = ("sign-in", "quiz page", "start", "attempt page", "autosave", "submit")
SCALE = 0.1
SPAWN_SECONDS = 60
SIGN_IN_SECONDS = 120
OPENS_AT = 0.0  # time.monotonic() when the test opens
NEXT_INDEX = iter(range(10**6))


class Participant(HttpUser):
    """One participant: sign in, open the post-test, start, autosave each answer, submit."""

    def wait_time(self):
        return 0

    @task
    def take_post_test(self):
        """Once per participant: a step that fails is counted and the participant stops."""
        try:
            self.take_it(next(NEXT_INDEX))
        except StopUser:
            raise
        except Exception as exc:  # noqa: BLE001 - counted as an error of the run
            events.request.fire(request_type="STEP", name="unexpected page",
                                response_time=0, response_length=0, response=None,
                                context={}, exception=exc)
        raise StopUser

    def take_it(self, index: int) -> None:
        login = self.client.get("/auth/login", name="sign-in page")
        self.post("sign-in", "/auth/login", {
            "csrf_token": quiz_submit.token(login.text), "email": f"p{index}@example.org",
            "password": quiz_submit.PASSWORD})
        start_at = OPENS_AT + random.uniform(0, SPAWN_SECONDS)
        gevent.sleep(max(0.0, start_at - time.monotonic()))
        page = self.client.get("/courses/bench/quizzes/kuis", name="quiz page")
        start = self.post("start", "/courses/bench/quizzes/kuis/start",
                          quiz_submit.start_form(page.text))
        attempt = quiz_submit.urlsplit_path(start.headers.get("Location", ""))
        html = self.client.get(attempt, name="attempt page").text
        csrf = quiz_submit.token(html)
        answers = re.findall(r'name="q(\d+)" value="(\w+)"[^>]*>\s*<label[^>]*>Benar', html)
        if len(answers) != QUESTIONS:
            events.request.fire(request_type="CHECK", name="attempt page shows 20",
                                response_time=0, response_length=0, response=None,
                                context={}, exception=RuntimeError(f"{len(answers)} shown"))
            raise StopUser
        form = [("csrf_token", csrf)]
        for position, key in answers:
            gevent.sleep(random.uniform(0.5, 1.5) * THINK_SECONDS * SCALE)
            # The page's script saves each answer as it is given (X-Requested-With: fetch).
            self.post("autosave", attempt + "/save",
                      [("csrf_token", csrf), ("p", position), (f"q{position}", key)],
                      headers={"X-Requested-With": "fetch"}, ok=(200,))
            form += [("p", position), (f"q{position}", key)]
        self.post("submit", attempt + "/submit", form)

    def post(self, name, path, data, headers=None, ok=(302,)):
        with self.client.post(path, data=data, headers=headers or {}, name=name,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code not in ok:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
        return response


def run(users: int, postgres: bool) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="lms-locust-"))
    quiz_submit.write_content(tmp / "content")
    (tmp / "content" / "bench" / "quizzes" / "kuis.yml").write_text(
        (tmp / "content" / "bench" / "quizzes" / "kuis.yml").read_text()
        .replace("attempts: 0", "attempts: 1\ntime_limit_minutes: 30"))
    env = {**os.environ, "LMS_INSTANCE_PATH": str(tmp / "instance"),
           "LMS_CONTENT_DIR": str(tmp / "content"), "LMS_RATELIMIT_ENABLED": "false",
           "LMS_SECRET_KEY": "bench-" + "k" * 40}
    admin = dbname = None
    if postgres:
        from sqlalchemy import create_engine, text

        dbname = f"lms_locust_{os.getpid()}_{users}"
        admin = create_engine(quiz_submit.PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {dbname}"))
            conn.execute(text(f"CREATE DATABASE {dbname}"))
        env["LMS_DATABASE_URL"] = quiz_submit.PG_ADMIN.rsplit("/", 1)[0] + "/" + dbname
    else:
        env["LMS_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    quiz_submit.prepare(env, users)
    process, base = quiz_submit.serve(env, 4)
    try:
        Participant.host = base
        environment = Environment(user_classes=[Participant], events=events)
        runner = environment.create_local_runner()
        global OPENS_AT
        started = time.perf_counter()
        OPENS_AT = time.monotonic() + SIGN_IN_SECONDS
        # Signed in over SIGN_IN_SECONDS (or, with 0, within the 60 s of starting).
        runner.start(users, spawn_rate=users / (SIGN_IN_SECONDS or SPAWN_SECONDS))
        gevent.sleep(SIGN_IN_SECONDS + SPAWN_SECONDS + 2)
        while runner.user_count:
            gevent.sleep(1)
        elapsed = time.perf_counter() - started
        runner.quit()
        report(environment, users, elapsed, "postgresql" if postgres else "sqlite",
               quiz_submit.audit(env["LMS_DATABASE_URL"], users))
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {dbname}"))
            admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def report(environment, users: int, elapsed: float, backend: str, checks: dict) -> None:
    stats = environment.stats
    cores = os.cpu_count() or 1
    print(f"\n{backend}: {users} participants ({users / cores:.0f} per core; Moodle's figure "
          f"is about 167 per vCPU), signed in over {SIGN_IN_SECONDS} s, started within "
          f"{SPAWN_SECONDS} s, think time x{SCALE}, {elapsed:.0f} s, "
          f"{stats.total.num_requests} requests, {stats.total.num_failures} errors")
    print(f"  {'step':<14} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7}")
    for name in STEPS:
        entry = stats.entries.get((name, "POST")) or stats.entries.get((name, "GET"))
        if entry is None or not entry.num_requests:
            continue
        print(f"  {name:<14} {entry.num_requests:>8} {entry.num_failures:>6} "
              f"{entry.get_response_time_percentile(0.5):>7.0f} "
              f"{entry.get_response_time_percentile(0.95):>7.0f} "
              f"{entry.get_response_time_percentile(0.99):>7.0f}")
    for error in list(stats.errors.values())[:5]:
        print(f"  ! {error.name}: {error.error} ({error.occurrences}x)")
    print("  " + ", ".join(f"{name} {n}" for name, n in checks.items()))


def main() -> None:
    global SCALE, SPAWN_SECONDS, SIGN_IN_SECONDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="340,400,680")
    parser.add_argument("--scale", type=float, default=SCALE,
                        help="think time as a share of a real 90 s per question")
    parser.add_argument("--spawn-seconds", type=int, default=SPAWN_SECONDS)
    parser.add_argument("--sign-in-seconds", type=int, default=SIGN_IN_SECONDS,
                        help="sign-ins spread over this long before the test opens")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    SCALE, SPAWN_SECONDS = args.scale, args.spawn_seconds
    SIGN_IN_SECONDS = args.sign_in_seconds
    for users in (int(u) for u in args.users.split(",")):
        global NEXT_INDEX
        NEXT_INDEX = iter(range(users))
        run(users, args.postgres)


if __name__ == "__main__":
    main()
