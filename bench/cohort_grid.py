"""The cohort progress grid with 1,000 participants and 40 items, against 10 participants.

Builds a program of 4 courses × (8 modules + 2 quizzes) = 40 items on SQLite, a cohort
with 10 and then 1,000 accepted participants with progress and quiz attempts, and times
the grid page and its CSV in the same process. Prints the medians, the ratio of the
large cohort to the small one, and the SQL statement count of each (which must not grow).
Times are medians of wall time and of this process's CPU time (time.process_time: the
request runs in this thread, SQLite included, so on a machine shared with other work the
CPU figure is the steadier one; both are printed with the load average).
Run: .venv/bin/python bench/cohort_grid.py [--profile] (cProfile of the large grid page)
"""

import os
import random
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lms import create_app  # noqa: E402
from lms.auth.models import Role, User  # noqa: E402
from lms.auth.services import create_user, hash_password  # noqa: E402
from lms.cohorts import services  # noqa: E402
from lms.cohorts.models import CohortMember  # noqa: E402
from lms.content import load_tree, sync_tree  # noqa: E402
from lms.courses.models import Enrollment, Module, ModuleProgress, Program  # noqa: E402
from lms.extensions import db  # noqa: E402
from lms.quizzes.models import Attempt, Quiz  # noqa: E402
from tests.conftest import AuthActions, write_course  # noqa: E402

REPEAT = 7


def build_content(root: Path) -> None:
    for n in range(1, 5):
        write_course(root, f"kursus-{n}", 8, title=f"Kursus {n}")
        quizzes = root / f"kursus-{n}" / "quizzes"
        quizzes.mkdir()
        for kind in ("pretest", "posttest"):
            (quizzes / f"{kind}.yml").write_text(textwrap.dedent(f"""\
                id: {kind}
                title: {kind}
                kind: {kind}
                questions:
                  - id: q1
                    type: truefalse
                    text: Benar?
                    answer: true
                """))
    (root / "_programs").mkdir()
    (root / "_programs" / "p.yml").write_text(
        "id: program\ntitle: Program\ncourses:\n" + "".join(
            f"  - kursus-{n}\n" for n in range(1, 5)))


def scenario(size: int, profile: bool = False) -> dict[str, tuple[float, int]]:
    tmp = Path(tempfile.mkdtemp())
    build_content(tmp / "content")
    os.environ["LMS_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'grid.sqlite3'}",
                      "CONTENT_DIR": str(tmp / "content"), "RATELIMIT_ENABLED": False})
    rng = random.Random(size)
    with app.app_context():
        db.create_all()
        sync_tree(load_tree(tmp / "content"))
        program = db.session.scalar(select(Program))
        cohort = services.create_cohort(program, "angkatan", {
            "name": "Angkatan", "number": 1, "year": 2026, "starts_on": date.today(),
            "ends_on": date.today() + timedelta(days=30), "capacity": size,
            "enrollment_mode": "invitation"}, None)
        create_user(email="koordinator@example.org", password="bench-password-123",
                    full_name="Koordinator", role=Role.COORDINATOR)
        hashed = hash_password("x" * 12)
        users = [User(email=f"p{i}@example.org", full_name=f"Peserta {i}",
                      institution=f"Perpustakaan {i % 37}", password_hash=hashed)
                 for i in range(size)]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=u.id, status="accepted")
                           for u in users)
        modules = list(db.session.scalars(select(Module)))
        quizzes = list(db.session.scalars(select(Quiz)))
        db.session.add_all(Enrollment(user_id=u.id, course_id=c) for u in users
                           for c in {m.course_id for m in modules})
        now = date.today()
        for user in users:
            for module in rng.sample(modules, rng.randint(0, len(modules))):
                db.session.add(ModuleProgress(user_id=user.id, module_id=module.id,
                                              completed_at=now if rng.random() < 0.8 else None))
            for quiz in rng.sample(quizzes, rng.randint(0, len(quizzes))):
                db.session.add(Attempt(quiz_id=quiz.id, user_id=user.id, number=1,
                                       started_at=now, finished_at=now, points=1,
                                       max_points=1, percent=rng.choice([0.0, 100.0])))
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    AuthActions(client).login("koordinator@example.org", "bench-password-123")
    results = {}
    for name, url in (("grid page", "/manage/cohorts/angkatan/grid"),
                      ("grid CSV", "/manage/cohorts/angkatan/grid.csv")):
        client.get(url)
        samples, cpu = [], []
        for _ in range(REPEAT):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200
        sent: list[str] = []

        def record(_c, _cur, statement, *_a, sent=sent):
            if not statement.startswith(("BEGIN", "PRAGMA")):
                sent.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        client.get(url)
        event.remove(engine, "before_cursor_execute", record)
        results[name] = (statistics.median(samples), statistics.median(cpu), len(sent))
        if profile and name == "grid page":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    return results


def main() -> None:
    small = scenario(10)
    large = scenario(1000, profile="--profile" in sys.argv)
    print("40 items (4 courses × 8 modules + 2 quizzes); load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{'page':<12} {'10 people':>12} {'1,000 people':>14} {'ratio':>7} "
          f"{'CPU 10':>9} {'CPU 1,000':>11} {'SQL 10':>7} {'SQL 1,000':>10}")
    for name in small:
        (t10, c10, q10), (t1000, c1000, q1000) = small[name], large[name]
        print(f"{name:<12} {t10 * 1000:>9.0f} ms {t1000 * 1000:>11.0f} ms {t1000 / t10:>7.1f} "
              f"{c10 * 1000:>6.0f} ms {c1000 * 1000:>8.0f} ms {q10:>7} {q1000:>10}")


if __name__ == "__main__":
    main()
