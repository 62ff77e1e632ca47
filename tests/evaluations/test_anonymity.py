"""Anonymity: no page, export or database column joins an answer to the person who gave it.

Completion is known (who has answered, for coordinators and certificates); the
answers are not, to anyone: not coordinators, not admins, not the instructors.
"""

import csv
import io
import uuid

from sqlalchemy import Date, func, select, text

from lms import clock
from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.evaluations.models import EvaluationResponse, EvaluationSubmission
from lms.extensions import db
from tests.evaluations.conftest import CODE, close_evaluation, fill_in

PEOPLE = 5


def secret(i: int) -> str:
    return f"RAHASIA-{i:02d}-tulisan-khas"


def test_no_page_export_or_column_ties_an_answer_to_a_person(
        app, running, participant, teach, login_as):
    guru_client, guru = login_as("instructor", full_name="Guru Pengampu")
    teach(guru, "satu")
    with app.app_context():
        audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    people = []
    for i in range(PEOPLE):
        client, user_id = participant(full_name=f"Peserta Penanda {i:02d}",
                                      email=f"penanda{i}@example.org")
        page = client.get(f"/cohorts/{CODE}/evaluation").text
        data = fill_in(page, 1 + i % 5, secret(i))
        assert client.post(f"/cohorts/{CODE}/evaluation", data=data).status_code == 302
        people.append((client, user_id))
    late, late_id = participant(full_name="Peserta Belum Mengisi")
    names = [f"Peserta Penanda {i:02d}" for i in range(PEOPLE)]
    emails = [f"penanda{i}@example.org" for i in range(PEOPLE)]
    today = clock.today()  # the site's date (WIB), as the response's created_on is

    # The tables: nothing in a response names or orders a person. ----------------------------
    columns = {c.name: c for c in EvaluationResponse.__table__.columns}
    assert set(columns) == {"id", "cohort_id", "survey_version_id", "created_on", "answers"}
    assert not any("user" in name for name in columns)
    assert {fk.column.table.name for fk in EvaluationResponse.__table__.foreign_keys} == {
        "cohorts", "evaluation_survey_versions"}
    assert isinstance(columns["created_on"].type, Date)  # a day, never a time
    assert set(EvaluationSubmission.__table__.columns.keys()) == {
        "id", "cohort_id", "user_id", "submitted_at"}
    assert {fk.column.table.name for fk in EvaluationSubmission.__table__.foreign_keys} == {
        "cohorts", "users"}
    with app.app_context():
        responses = list(db.session.scalars(select(EvaluationResponse)))
        assert len(responses) == PEOPLE
        assert {r.created_on for r in responses} == {today}
        assert len({r.id for r in responses}) == PEOPLE
        assert all(uuid.UUID(r.id).version == 4 for r in responses)  # random, not a counter
        respondents = {user_id for _, user_id in people}
        for response in responses:
            about = {b["instructor_id"] for b in response.answers["instructors"]}
            assert about == {guru}
            assert not respondents & about
        if db.engine.dialect.name == "sqlite":  # no hidden insertion-ordered rowid either
            tables = db.session.execute(text(
                "SELECT sql FROM sqlite_master WHERE name = 'evaluation_responses'")).scalar()
            assert "WITHOUT ROWID" in tables.upper()
        # Whatever a table holds: the answers live only in the response table, and no
        # other row mentions a response.
        response_ids = {r.id for r in responses}
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                flat = " ".join(str(v) for v in row)
                if table.name != "evaluation_responses":
                    assert not any(secret(i) in flat for i in range(PEOPLE)), table.name
                    assert not any(rid in flat for rid in response_ids), table.name
        audit_after = db.session.scalar(select(func.count()).select_from(AuditEntry))
        assert audit_after == audit_before  # answering leaves no trace with a time in the log
        by_key = [r.answers["open"]["saran-pengajar"] for r in
                  db.session.scalars(select(EvaluationResponse).order_by(EvaluationResponse.id))]
        assert set(emails) <= {u.email for u in db.session.scalars(select(User))}

    # The pages and the export, once the results are out. ------------------------------------
    close_evaluation(app)
    admin, _ = login_as("admin")
    coordinator, _ = login_as("coordinator")
    for reader in (admin, coordinator):
        html = reader.get(f"/manage/cohorts/{CODE}/evaluation").text
        answers_part, completion_part = html.split('id="completion"')
        for i in range(PEOPLE):
            assert secret(i) in answers_part
            assert secret(i) not in completion_part
            assert names[i] in completion_part  # completion is known, by name...
            assert names[i] not in answers_part  # ...but apart from every answer
            assert emails[i] not in html
        assert "Peserta Belum Mengisi" in completion_part
        assert completion_part.count("<tr>") == PEOPLE + 2  # header + everyone accepted
        with app.test_request_context():
            from lms.i18n import long_date
            assert long_date(today) not in html  # not when anybody answered

        export = reader.get(f"/manage/cohorts/{CODE}/evaluation.csv?sep=comma")
        assert export.status_code == 200
        content = export.text
        rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
        assert len(rows) == PEOPLE + 1
        for needle in [*names, *emails, "Peserta Belum Mengisi", today.isoformat()]:
            assert all(needle not in cell for row in rows for cell in row), needle
        # Rows follow the random key, not the order in which people answered.
        assert [row[-4] for row in rows[1:]] == by_key

        audit = admin.get("/manage/audit").text
        assert not any(secret(i) in audit for i in range(PEOPLE))
        assert "evaluation." not in audit  # no audit action about answering

    for client, _ in people:
        own = client.get(f"/cohorts/{CODE}/evaluation").text
        assert not any(secret(j) in own for j in range(PEOPLE))  # not even one's own
        assert client.get(f"/manage/cohorts/{CODE}/evaluation").status_code == 403
    assert late.get(f"/cohorts/{CODE}/evaluation").status_code == 200
    about_me = guru_client.get(f"/manage/cohorts/{CODE}/evaluation").text
    assert "Guru Pengampu" in about_me
    assert not any(n in about_me for n in [*names, *(secret(i) for i in range(PEOPLE))])
