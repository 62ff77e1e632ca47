"""CohortAccess: one person's standing in one cohort, read once per request."""

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.cohorts import services
from lms.cohorts.access import cohort_access, cohort_required
from lms.cohorts.models import Cohort
from lms.courses.models import Course
from lms.extensions import db
from tests.conftest import count_queries


@pytest.fixture
def standing(app, make_cohort, make_user):
    """Cohort angkatan-1 with a participant, an instructor of "satu" and a coordinator."""
    make_cohort("angkatan-1", mode="invitation")
    ids = {name: make_user(role=role)[0] for name, role in (
        ("participant", "participant"), ("instructor", "instructor"),
        ("coordinator", "coordinator"), ("outsider", "participant"))}
    with app.app_context():
        cohort = services.get_cohort("angkatan-1")
        assert services.enroll_user(cohort, db.session.get(User, ids["participant"]), None)
        satu = db.session.scalar(select(Course).where(Course.slug == "satu"))
        services.assign_instructor(cohort, satu, db.session.get(User, ids["instructor"]),
                                   ids["coordinator"])
        db.session.commit()
        ids["satu"] = satu.id
        ids["dua"] = db.session.scalar(select(Course.id).where(Course.slug == "dua"))
    return ids


def test_each_role_stands_where_it_should(app, standing):
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))

        def of(name):
            return cohort_access(cohort, db.session.get(User, standing[name]))

        participant, instructor = of("participant"), of("instructor")
        coordinator, outsider = of("coordinator"), of("outsider")
    assert (participant.may_view, participant.may_watch) == (True, False)
    assert not participant.may_grade(standing["satu"])
    assert (instructor.may_view, instructor.may_watch, instructor.participant) == (
        True, True, False)
    assert instructor.may_grade(standing["satu"])
    assert not instructor.may_grade(standing["dua"])
    assert coordinator.may_watch
    assert coordinator.may_grade(standing["dua"])
    assert not outsider.may_view
    assert not outsider.may_watch
    assert not outsider.may_grade(standing["satu"])


def test_the_standing_is_read_once_per_request_and_never_kept_longer(app, standing):
    with app.app_context():
        cohort = db.session.scalar(select(Cohort))
        user = db.session.get(User, standing["participant"])
        with app.test_request_context():
            with count_queries(app) as first:
                assert cohort_access(cohort, user).participant
            with count_queries(app) as again:
                assert cohort_access(cohort, user).participant
        assert len(first) == 2
        assert again == []
        services.withdraw(services.membership(cohort, user.id), None)
        db.session.commit()
        with app.test_request_context():
            assert not cohort_access(cohort, user).may_view  # a new request reads afresh


def test_an_unknown_level_is_refused_when_the_view_is_declared():
    with pytest.raises(ValueError, match="watching"):
        cohort_required("watching")
