"""What a content sync costs when nothing changed, against a cold sync, on the shipped
tree and on a tree ten times larger.

A cold sync parses, renders and stores every course; a no-change sync (what `make run`
does on every start) hashes each course folder and skips the unchanged ones before
parsing. Prints each time as a ratio to the cold sync of the same tree, measured in the
same run. Run: .venv/bin/python bench/content_sync.py
"""

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lms import create_app  # noqa: E402
from lms.content import known_courses, load_tree, sync_tree  # noqa: E402
from lms.extensions import db  # noqa: E402

SHIPPED = Path(__file__).resolve().parent.parent / "course_content"
REPEAT = 3


def copy_tree(target: Path, copies: int) -> Path:
    """The shipped courses, `copies` times each under new course ids."""
    for folder in sorted(p for p in SHIPPED.iterdir() if p.is_dir() and p.name[0] not in "._"):
        for n in range(copies):
            name = folder.name if n == 0 else f"{folder.name}-{n}"
            shutil.copytree(folder, target / name)
            if n:
                yml = target / name / "course.yml"
                yml.write_text(re.sub(r"^id: (\S+)", rf"id: \1-{n}", yml.read_text(), count=1,
                                      flags=re.M))
    shutil.copytree(SHIPPED / "_programs", target / "_programs")
    return target


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def scenario(copies: int) -> tuple[int, float, float, float]:
    tmp = Path(tempfile.mkdtemp())
    content = copy_tree(tmp / "content", copies)
    os.environ["LMS_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "CONTENT_DIR": str(content), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()

        def cold():
            report = sync_tree(load_tree(content))
            assert report.ok, report.refused

        def unchanged():
            report = sync_tree(load_tree(content, known=known_courses()))
            assert not report.changed
            assert not report.added

        def unchanged_parsed():  # the old way: parse and render, then skip by hash
            sync_tree(load_tree(content))

        cold_seconds = timed(cold)
        courses = len(known_courses())
        skip = statistics.median(timed(unchanged) for _ in range(REPEAT))
        parse = statistics.median(timed(unchanged_parsed) for _ in range(REPEAT))
    shutil.rmtree(tmp)
    return courses, cold_seconds, skip, parse


def main() -> None:
    print(f"{'tree':>10} {'courses':>8} {'cold s':>8} {'no change / cold':>17} "
          f"{'parsed no change / cold':>24}")
    for label, copies in (("shipped", 1), ("10x", 10)):
        courses, cold, skip, parse = scenario(copies)
        print(f"{label:>10} {courses:>8} {cold:>8.2f} {skip / cold:>17.3f} {parse / cold:>24.3f}")


if __name__ == "__main__":
    main()
