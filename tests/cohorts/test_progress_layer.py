"""lms.progress: everyone's typed progress in a constant number of statements, and the
pages that read it (grid, certificates) staying constant as the cohort grows."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from lms.auth.models import User
from lms.cohorts import services
from lms.content import load_tree, sync_tree
from lms.courses.models import Module, ModuleProgress
from lms.extensions import db
from lms.progress.build import for_cohort, for_person
from lms.progress.model import DONE, MODULE
from lms.quizzes.models import Attempt, Quiz
from tests.cohorts.test_manage import _enroll_people
from tests.conftest import count_queries


def _progress_statements(app) -> tuple[int, dict]:
    with app.app_context():
        cohort = services.get_cohort("angkatan-1")
        with count_queries(app) as statements:
            progress = for_cohort(cohort)
        people = {p.user_id: (p.done, sum(c.modules_done for c in p.courses))
                  for p in progress.people.values()}
        return len(statements), people


def test_progress_is_typed_and_costs_the_same_for_three_or_sixty_three(app, make_cohort):
    make_cohort(capacity=200)
    _enroll_people(app, "angkatan-1", 3)
    small, people = _progress_statements(app)
    assert len(people) == 3
    assert set(people.values()) == {(1, 1)}
    assert small <= 10
    _enroll_people(app, "angkatan-1", 60, start=3)
    large, people = _progress_statements(app)
    assert len(people) == 63
    assert large == small
    with app.app_context():
        cohort = services.get_cohort("angkatan-1")
        user = db.session.scalar(select(User).where(User.email == "p0@example.org"))
        mine = for_cohort(cohort, user_id=user.id)
        assert list(mine.people) == [user.id]
        begun = [i for i in mine.of(user.id).items if i.state is not None]
        assert [(i.item.kind, i.state, i.cell) for i in begun] == [(MODULE, DONE, DONE)]
        stranger = mine.of(10**6)
        assert stranger.done == 0
        assert stranger.attendance_percent == 0.0


def test_certificates_page_statements_do_not_grow_with_the_cohort(app, make_cohort, login_as):
    make_cohort(capacity=200)
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 3)
    coordinator.get("/manage/cohorts/angkatan-1/certificates")
    with count_queries(app) as small:
        html = coordinator.get("/manage/cohorts/angkatan-1/certificates").text
    assert "Peserta 0002" in html
    _enroll_people(app, "angkatan-1", 60, start=3)
    with count_queries(app) as large:
        html = coordinator.get("/manage/cohorts/angkatan-1/certificates").text
    assert "Peserta 0062" in html
    assert len(large) == len(small)


def _grid_cells(html: str) -> dict[str, tuple[str, str, list[str]]]:
    """Each row of the grid by name: completion, last activity and the item cells as a
    reader sees them (✓, ◐, a grade, or nothing)."""
    rows = {}
    for name, percent, activity, cells in re.findall(
            r'<th scope="row">([^<]*)<br>.*?</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>'
            r'\s*(.*?)\s*</tr>', html, re.S):
        found = re.findall(r'<td class="item">(?:<span aria-hidden="true">([^<]*)</span>'
                           r'<span class="visually-hidden">[^<]*</span>|([^<]*))</td>', cells)
        rows[name] = (percent, activity, [mark or grade for mark, grade in found])
    return rows


def test_grid_cells_of_a_mixed_cohort_agree_with_each_persons_progress(
        app, make_cohort, login_as, content_dir):
    # Modules done and only opened, a quiz graded by its highest finished attempt, one
    # open, one waiting for an essay's grade, someone who began nothing: the grid prints
    # what each person's own progress (for_person) says.
    (content_dir / "satu" / "quizzes").mkdir()
    (content_dir / "satu" / "quizzes" / "kuis.yml").write_text(
        "id: kuis\ntitle: Kuis\nkind: practice\ngrading: highest\nquestions:\n"
        "  - id: q1\n    type: truefalse\n    text: Benar?\n    answer: true\n")
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    make_cohort(capacity=20)
    coordinator, _ = login_as("coordinator")
    _enroll_people(app, "angkatan-1", 4)
    day = datetime(2026, 11, 20, 3, 0)
    with app.app_context():
        people = {u.email: u.id for u in db.session.scalars(select(User))}
        modules = {m.slug: m.id for m in db.session.scalars(select(Module))}
        quiz = db.session.scalar(select(Quiz))
        db.session.execute(delete(ModuleProgress))

        def viewed(email, slug, completed, last):
            db.session.add(ModuleProgress(user_id=people[email], module_id=modules[slug],
                                          completed_at=completed, last_viewed_at=last))

        def attempt(email, number, finished, percent, waiting=False):
            db.session.add(Attempt(quiz_id=quiz.id, user_id=people[email], number=number,
                                   started_at=day, finished_at=finished, points=0,
                                   max_points=1, percent=percent, needs_grading=waiting))

        for email in ("p0@example.org", "p1@example.org", "p2@example.org"):
            viewed(email, "satu-m1", day, day)
        viewed("p0@example.org", "satu-m2", None, day + timedelta(days=2))
        viewed("p1@example.org", "dua-m2", day, day)
        attempt("p0@example.org", 1, day, 62.5)
        attempt("p0@example.org", 2, day + timedelta(days=1), 87.5)
        attempt("p1@example.org", 1, None, None)
        attempt("p2@example.org", 1, day, None, waiting=True)
        db.session.commit()
        cohort = services.get_cohort("angkatan-1")
        progress = for_cohort(cohort)
        for user_id in people.values():
            if user_id in progress.people:
                assert progress.people[user_id] == for_person(user_id).enrolments[0].progress
    rows = _grid_cells(coordinator.get("/manage/cohorts/angkatan-1/grid").text)
    # Columns: Kursus Satu's two modules and its quiz, then Kursus Dua's two modules.
    assert rows["Peserta 0000"] == ("40%", "22 November 2026", ["✓", "◐", "87,5", "", ""])
    assert rows["Peserta 0001"] == ("40%", "20 November 2026", ["✓", "", "◐", "", "✓"])
    assert rows["Peserta 0002"] == ("20%", "20 November 2026", ["✓", "", "◐", "", ""])
    assert rows["Peserta 0003"] == ("0%", "—", ["", "", "", "", ""])
    empty = coordinator.get("/manage/cohorts/angkatan-1/grid?q=nobody").text
    assert '<tr><td colspan="8">Tidak ada peserta yang cocok.</td></tr>' in empty
    exported = coordinator.get("/manage/cohorts/angkatan-1/grid.csv?sep=comma").text
    lines = {r[0]: r for r in csv.reader(io.StringIO(exported.lstrip("\ufeff")))}
    assert lines["Peserta 0000"][5:11] == ["selesai", "dimulai", "87,5", "", "", "40"]
