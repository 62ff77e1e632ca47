"""A program's minimum attendance for its certificate."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.certificates import services as certificates
from lms.cohorts.models import Cohort
from lms.content import load_tree
from lms.courses.models import Module, ModuleProgress, Program
from lms.extensions import db
from lms.live.models import Attendance
from tests.conftest import count_queries, write_course
from tests.live.conftest import CODE


def set_minimum(app, minimum):
    with app.app_context():
        program = db.session.scalar(select(Program))
        program.certificate = {**(program.certificate or {}),
                               "min_attendance_percent": minimum}
        db.session.commit()


def study_everything(app, user_id):
    with app.app_context():
        for module in db.session.scalars(select(Module)):
            db.session.add(ModuleProgress(user_id=user_id, module_id=module.id,
                                          completed_at=db.func.now()))
        db.session.commit()


def mark(app, session_id, user_id, status):
    with app.app_context():
        db.session.add(Attendance(session_id=session_id, user_id=user_id, status=status))
        db.session.commit()


def test_attendance_under_the_minimum_blocks_the_certificate(app, member, add_session):
    set_minimum(app, 75)
    first = add_session(-timedelta(days=2))
    second = add_session(-timedelta(days=1))
    add_session(timedelta(days=1))  # not held yet: does not count
    _, user_id = member()
    study_everything(app, user_id)
    mark(app, first, user_id, "present")
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == CODE))
        requirements = certificates.requirements_of(cohort, user_id)
        rule = next(r for r in requirements if "Attendance" in r.label)
        assert rule.label == "Attendance at live sessions at least 75%"
        assert (rule.done, rule.detail) == (False, "50% attended")
        assert [r.label for r in requirements if not r.done] == [rule.label]
        with pytest.raises(certificates.CertificateError, match="Attendance at live sessions"):
            certificates.issue(cohort, db.session.get(User, user_id), None)
        db.session.rollback()
        _, everyone = certificates.cohort_requirements(cohort)
        assert not certificates.is_complete(everyone[user_id])
    mark(app, second, user_id, "excused")
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == CODE))
        assert certificates.is_complete(certificates.requirements_of(cohort, user_id))
        certificate = certificates.issue(cohort, db.session.get(User, user_id), None)
        db.session.commit()
        assert certificate.number


def test_no_rule_without_the_setting_and_a_constant_query_count(app, member, add_session):
    held = add_session(-timedelta(days=1))
    _, user_id = member()
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == CODE))
        assert not any("Attendance" in r.label
                       for r in certificates.requirements_of(cohort, user_id))
    set_minimum(app, 50)

    def requirement_queries():
        with app.app_context():
            cohort = db.session.scalar(select(Cohort).where(Cohort.code == CODE))
            with count_queries(app) as statements:
                certificates.cohort_requirements(cohort)
            return len(statements)

    small = requirement_queries()
    for _ in range(4):
        _, other = member()
        mark(app, held, other, "present")
    assert requirement_queries() == small


def test_the_setting_is_checked_in_the_program_file(tmp_path):
    write_course(tmp_path, "satu", 1)
    (tmp_path / "_programs").mkdir()
    program = tmp_path / "_programs" / "p.yml"
    program.write_text("id: p\ntitle: P\ncourses:\n  - satu\ncertificate:\n"
                       "  min_attendance_percent: 150\n")
    problems = [str(p) for p in load_tree(tmp_path).all_problems()]
    assert any("min_attendance_percent' must be a percentage from 0 to 100" in p
               for p in problems)
    program.write_text("id: p\ntitle: P\ncourses:\n  - satu\ncertificate:\n"
                       "  min_attendance_percent: 80\n")
    tree = load_tree(tmp_path)
    assert tree.all_problems() == []
    assert tree.programs[0].certificate["min_attendance_percent"] == 80
