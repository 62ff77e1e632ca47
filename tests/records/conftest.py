"""A program with a final grade: one course of two modules and a post-test, one cohort
that ended on 20 December 2026, issued on the 21st."""

from datetime import UTC, date, datetime

import pytest

from lms.cohorts import services as cohorts
from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.certificates.test_issuing import POSTTEST, PROGRAM
from tests.conftest import write_course

FINAL_GRADE = """\
final_grade:
  components:
    - {source: posttests, weight: 70}
    - {source: participation, label: Keaktifan, weight: 30}
  predikat:
    - {from: 90, to: 100, label: Sangat Memuaskan}
    - {from: 70, to: 90, label: Baik}
    - {from: 0, to: 70, label: Kurang}
"""


@pytest.fixture(autouse=True)
def _day_after_the_cohort(freeze_clock):
    freeze_clock(datetime(2026, 12, 21, 3, 0, tzinfo=UTC))


def write_program(content_dir, final_grade: str = FINAL_GRADE) -> None:
    (content_dir / "_programs").mkdir(exist_ok=True)
    (content_dir / "_programs" / "p.yml").write_text(PROGRAM + final_grade)


@pytest.fixture
def cohort_id(app, content_dir):
    write_course(content_dir, "satu", 2, title="Kursus Satu")
    (content_dir / "satu" / "quizzes").mkdir()
    (content_dir / "satu" / "quizzes" / "post.yml").write_text(POSTTEST)
    write_program(content_dir)
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        cohort = cohorts.create_cohort(cohorts.programs()[0], "angkatan-1", {
            "name": "Angkatan I Tahun 2026", "number": 1, "year": 2026,
            "starts_on": date(2026, 12, 1), "ends_on": date(2026, 12, 20), "capacity": 40,
            "enrollment_mode": "invitation"}, None)
        db.session.commit()
        return cohort.id
