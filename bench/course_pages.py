"""How the course page and the dashboard scale with learners and modules.

For each size it prints the median time of each page as a ratio to /healthz
measured in the same process (the baseline), and the SQL statements the page
sends; then each page's throughput as a share of a hello-world Flask app's, in
the same process (the issue's targets: module page at least 1/5, course page and
dashboard at least 1/8). Run: .venv/bin/python bench/course_pages.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lms import create_app  # noqa: E402
from lms.auth.models import User  # noqa: E402
from lms.auth.services import hash_password  # noqa: E402
from lms.content import load_tree, sync_tree  # noqa: E402
from lms.courses.models import Enrollment, Module, ModuleProgress  # noqa: E402
from lms.extensions import db  # noqa: E402
from tests.conftest import AuthActions, write_course  # noqa: E402

REPEAT = 30
PAGES = {"course": "/courses/contoh", "dashboard": "/learning",
         "module": "/courses/contoh/modules/contoh-m1"}


def median_seconds(client, url: str) -> float:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def statements(engine, client, url: str) -> int:
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.startswith(("BEGIN", "PRAGMA")):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(sent)


def seed_learners(content: Path, learners: int, password: str) -> None:
    """In an app context: the schema, the content synced, and `learners` accounts u0..uN
    enrolled in the first course, each with half its modules done."""
    db.create_all()
    sync_tree(load_tree(content))
    module_ids = list(db.session.scalars(db.select(Module.id)))
    password_hash = hash_password(password)
    users = [User(email=f"u{i}@example.org", full_name=f"U {i}", password_hash=password_hash)
             for i in range(learners)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Enrollment(user_id=u.id, course_id=1) for u in users)
    db.session.add_all(ModuleProgress(user_id=u.id, module_id=m)
                       for u in users for m in module_ids[: len(module_ids) // 2])
    db.session.commit()


def scenario(modules: int, learners: int) -> dict[str, tuple[float, int]]:
    tmp = Path(tempfile.mkdtemp())
    write_course(tmp / "content", "contoh", modules)
    os.environ["LMS_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "CONTENT_DIR": str(tmp / "content"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        seed_learners(tmp / "content", learners, "bench-password-123")
        engine = db.engine
    client = app.test_client()
    AuthActions(client).login("u0@example.org", "bench-password-123")
    baseline = median_seconds(client, "/healthz")
    hello = median_seconds(hello_world().test_client(), "/")
    return {name: (median_seconds(client, url) / baseline, statements(engine, client, url),
                   median_seconds(client, url) / hello)
            for name, url in PAGES.items()}


def hello_world() -> Flask:
    """The baseline of the issue's targets: a bare Flask app."""
    bare = Flask("hello")
    bare.add_url_rule("/", "hello", lambda: "Hello, World!")
    return bare


def main() -> None:
    sizes = [(5, 10), (5, 1000), (50, 10), (50, 1000)]
    print(f"{'modules':>8} {'learners':>9} " + " ".join(f"{p:>20}" for p in PAGES))
    print(" " * 19 + " ".join(f"{'x healthz / SQL':>20}" for _ in PAGES))
    shares = []
    for modules, learners in sizes:
        result = scenario(modules, learners)
        cells = " ".join(f"{ratio:>13.1f} / {count:>4}" for ratio, count, _h in result.values())
        print(f"{modules:>8} {learners:>9} {cells}")
        shares.append((modules, learners, [h for _r, _c, h in result.values()]))
    print("\nthroughput as a share of hello world's (1/x), same process:")
    print(f"{'modules':>8} {'learners':>9} " + " ".join(f"{p:>10}" for p in PAGES))
    for modules, learners, values in shares:
        print(f"{modules:>8} {learners:>9} " + " ".join(f"{'1/' + format(v, '.1f'):>10}"
                                                        for v in values))


if __name__ == "__main__":
    main()
