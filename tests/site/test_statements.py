"""Prepared statements of plain columns run directly on the DBAPI connection
(lms.statements.rows): the same rows, types and errors as through SQLAlchemy, on SQLite and
PostgreSQL, and each statement seen once by SQLAlchemy's listeners (the statement counts
of the other tests rely on it)."""

import pytest
from sqlalchemy import Integer, bindparam, column, exc, literal, select, table, text

from lms import statements
from lms.auth.models import User
from lms.extensions import db
from tests.conftest import count_queries


@statements.prepared
def _people():
    return (select(User.id, User.email, User.role, User.is_active_account, User.created_at,
                   User.last_login_at, User.academic_title, literal(7).label("seven"))
            .where(User.email.like(bindparam("pattern")), User.created_at > bindparam("after"))
            .order_by(User.id))


@statements.prepared
def _people_in():
    return select(User.email).where(User.id.in_(bindparam("ids", expanding=True)))


def _ran_directly(statement) -> bool:
    with db.engine.connect() as conn:
        key = (id(statement), conn.dialect.name, conn.dialect.driver)
    return statements._DIRECT.get(key) is not None


def test_the_rows_are_those_sqlalchemy_gives_with_their_types(app, make_user):
    from datetime import datetime

    for n in range(3):
        make_user(email=f"p{n}@example.org")
    make_user(email="other@example.net")
    with app.test_request_context():
        params = {"pattern": "%@example.org", "after": datetime(2000, 1, 1)}
        expected = db.session.execute(_people(), params).all()
        first = statements.rows(_people(), params)
        again = statements.rows(_people(), params)
        assert _ran_directly(_people())
        assert len(expected) == 3
        for found in (first, again):
            assert [tuple(r) for r in found] == [tuple(r) for r in expected]
            assert [type(v) for v in found[0]] == [type(v) for v in expected[0]]
            assert found[0].email == "p0@example.org"
            assert found[0].seven == 7
            assert isinstance(found[0].created_at, datetime)
            assert found[0].is_active_account is True
        # Another parameter: another answer, not the first one's.
        none = statements.rows(_people(), {"pattern": "%@nowhere", "after": params["after"]})
        assert none == []


def test_a_list_parameter_gets_sql_for_each_length_and_the_right_rows(app, make_user):
    ids = [make_user(email=f"p{n}@example.org")[0] for n in range(3)]
    with app.test_request_context():
        for chosen in (ids[:1], ids, ids[1:], [], ids[:1], ids):
            found = statements.rows(_people_in(), {"ids": chosen})
            expected = db.session.execute(_people_in(), {"ids": chosen}).all()
            assert sorted(r.email for r in found) == sorted(
                f"p{ids.index(i)}@example.org" for i in chosen)
            assert sorted(found) == sorted(tuple(r) for r in expected)
        assert _ran_directly(_people_in())


def test_each_run_is_seen_once_by_the_statement_counters(app, make_user):
    from datetime import datetime

    make_user(email="p0@example.org")
    params = {"pattern": "%", "after": datetime(2000, 1, 1)}
    with app.test_request_context():
        with count_queries(app) as first:
            statements.rows(_people(), params)
        with count_queries(app) as later:
            statements.rows(_people(), params)
            statements.rows(_people(), params)
    assert len([s for s in first if "FROM users" in s]) == 1
    assert len([s for s in later if "FROM users" in s]) == 2


def test_a_database_error_comes_as_sqlalchemys_and_the_session_goes_on(app):
    @statements.prepared
    def scratch():
        scratch_table = table("scratch_direct", column("n", Integer))
        return select(scratch_table.c.n).where(scratch_table.c.n > bindparam("least"))

    with app.test_request_context():
        db.session.execute(text("CREATE TABLE scratch_direct (n INTEGER)"))
        db.session.execute(text("INSERT INTO scratch_direct (n) VALUES (1), (2), (3)"))
        db.session.commit()
        try:
            assert [r[0] for r in statements.rows(scratch(), {"least": 1})] == [2, 3]
            assert [r[0] for r in statements.rows(scratch(), {"least": 2})] == [3]
            assert _ran_directly(scratch())
            db.session.execute(text("DROP TABLE scratch_direct"))  # in the transaction
            with pytest.raises(exc.DBAPIError) as raised:
                statements.rows(scratch(), {"least": 0})
            assert "scratch_direct" in str(raised.value)
            db.session.rollback()  # the table is back
            assert [r[0] for r in statements.rows(scratch(), {"least": 0})] == [1, 2, 3]
        finally:
            db.session.rollback()
            db.session.execute(text("DROP TABLE IF EXISTS scratch_direct"))
            db.session.commit()
