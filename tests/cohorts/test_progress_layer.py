"""lms.progress: everyone's typed progress in a constant number of statements, and the
pages that read it (grid, certificates) staying constant as the cohort grows."""

from __future__ import annotations

from sqlalchemy import select

from lms.auth.models import User
from lms.cohorts import services
from lms.extensions import db
from lms.progress.build import for_cohort
from lms.progress.model import DONE, MODULE
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
