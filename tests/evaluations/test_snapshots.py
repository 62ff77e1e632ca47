"""The snapshot attack: read everything, let one person answer, read everything again.

A coordinator or admin who saves every report, export and completion list before and
after one participant answers must not learn what that participant answered. The answers
of a cohort are shown only after its evaluation has closed, all at once, and never change
after that (lms/evaluations/window.py); who has not answered stays visible throughout.
"""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from lms.evaluations.models import EvaluationResponse, EvaluationSubmission
from lms.extensions import db
from tests.evaluations.conftest import CODE, answer, close_evaluation, translated

MANAGER_PAGES = [f"/manage/cohorts/{CODE}/evaluation", f"/manage/cohorts/{CODE}/evaluation.csv",
                 f"/manage/cohorts/{CODE}", f"/manage/cohorts/{CODE}/grid",
                 f"/manage/cohorts/{CODE}/grid.csv", f"/manage/cohorts/{CODE}/certificates",
                 f"/cohorts/{CODE}/evaluation"]
SECRET = "Kepala seksi kami menyebalkan (tulisan khas Target)"


def snapshot(readers: dict) -> dict[tuple[str, str], str]:
    """Everything each reader can read about the cohort, as text, tokens taken out."""
    found = {}
    for who, (client, paths) in readers.items():
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            text = re.sub(r'name="csrf_token" value="[^"]+"', "", response.text)
            found[who, path] = re.sub(r'<meta name="csrf-token" content="[^"]+"', "", text)
    return found


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def answers_part(html: str) -> str:
    """The report without its completion list and its counts (which must change)."""
    html = html.split('id="completion"')[0]
    html = html.split('<dl class="facts">')[0] + html.split("</dl>", 1)[-1]
    # Written answers are shuffled on every view: compare them as a set.
    items = sorted(re.findall(r"<li>(.*?)</li>", html, flags=re.S))
    return re.sub(r'<ul class="open-answers">.*?</ul>', "", html, flags=re.S) + repr(items)


def stored(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(EvaluationSubmission)),
                db.session.scalar(select(func.count()).select_from(EvaluationResponse)))


def test_reading_before_and_after_one_answer_does_not_link_it_to_the_person(
        app, running, participant, teach, login_as):
    guru_client, guru = login_as("instructor", full_name="Guru Pengampu")
    teach(guru, "satu")
    for i in range(4):  # enough answers already that the threshold is not what hides them
        client, _ = participant(full_name=f"Peserta Awal {i}")
        assert answer(client, 4, f"Saran biasa {i}").status_code == 302
    target, _ = participant(full_name="Peserta Target")
    late, _ = participant(full_name="Peserta Terlambat")
    coordinator, _ = login_as("coordinator")
    admin, _ = login_as("admin")
    readers = {"coordinator": (coordinator, MANAGER_PAGES),
               "admin": (admin, [*MANAGER_PAGES, "/manage/audit"]),
               "instructor": (guru_client, [f"/manage/cohorts/{CODE}/evaluation"])}

    # While the evaluation is open: read, one person answers, read again. --------------------
    snapshot(readers)  # once, so that the welcome messages are out of the way
    before = snapshot(readers)
    assert answer(target, 1, SECRET).status_code == 302
    after = snapshot(readers)
    assert stored(app) == (5, 5)
    changed = set()
    for key, text in after.items():
        assert SECRET not in text, key
        assert "<meter" not in text, key  # no distribution, no average, no bar
        if before[key] != text:
            changed.add(key)
    for who in ("coordinator", "admin"):
        report = f"/manage/cohorts/{CODE}/evaluation"
        # What changed is who has answered (as it must, for reminders and certificates)...
        assert "Peserta Target" in after[who, report].split('id="completion"')[1]
        # ...and nothing that carries an answer.
        assert answers_part(before[who, report]) == answers_part(after[who, report])
        export = f"/manage/cohorts/{CODE}/evaluation.csv"
        assert csv_rows(before[who, export]) == csv_rows(after[who, export])
        assert len(csv_rows(after[who, export])) == 1  # the header only
    assert (("instructor", f"/manage/cohorts/{CODE}/evaluation") not in changed
            or answers_part(before["instructor", f"/manage/cohorts/{CODE}/evaluation"])
            == answers_part(after["instructor", f"/manage/cohorts/{CODE}/evaluation"]))
    with app.test_request_context():
        from lms.cohorts import services as cohorts
        from lms.evaluations.window import results_from

        shown_on = results_from(cohorts.get_cohort(CODE))
    assert translated(app, "Participants can answer until %(until)s. The answers are shown "
                      "from %(shown)s, all at once, and do not change after that: while "
                      "people are still answering, comparing two readings of this page "
                      "would show what one person answered.", until="X", shown="Y"
                      ).split("X")[0] in after["coordinator", f"/manage/cohorts/{CODE}/evaluation"]
    assert str(shown_on.year) in after["coordinator", f"/manage/cohorts/{CODE}/evaluation"]

    # After it closes: every answer appears at once, and nothing can change them any more. ----
    close_evaluation(app)
    released = snapshot(readers)
    report = released["coordinator", f"/manage/cohorts/{CODE}/evaluation"]
    assert SECRET in report
    assert all(f"Saran biasa {i}" in report for i in range(4))
    assert len(csv_rows(released["coordinator", f"/manage/cohorts/{CODE}/evaluation.csv"])) == 6
    # The completion list did not change between the last reading while open and the
    # release: the five answers that appeared belong to five people, in no order.
    completion = before["coordinator", f"/manage/cohorts/{CODE}/evaluation"]
    assert (after["coordinator", f"/manage/cohorts/{CODE}/evaluation"].split('id="completion"')[1]
            == report.split('id="completion"')[1])
    assert "Peserta Terlambat" in completion

    # The one who has not answered cannot add an answer now, so no later reading differs.
    page = late.get(f"/cohorts/{CODE}/evaluation").text
    assert 'type="radio"' not in page
    refused = answer_anyway(late)
    assert refused.status_code == 403
    assert stored(app) == (5, 5)
    again = snapshot(readers)
    for key, text in again.items():
        if key[1].endswith("evaluation"):
            assert answers_part(text) == answers_part(released[key]), key
        elif key[1].endswith(".csv"):
            assert csv_rows(text) == csv_rows(released[key]), key


def answer_anyway(client):
    """A forged sending after the close: a token from another page, the fields by hand."""
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/profile").text)
    return client.post(f"/cohorts/{CODE}/evaluation",
                       data={"csrf_token": token, "o-jadwal": "5", "q-saran-pengajar": "x"})


def test_the_service_refuses_an_answer_after_the_close(app, running, participant):
    from datetime import date

    from lms.cohorts import services as cohorts
    from lms.evaluations import services

    _client, user_id = participant()
    close_evaluation(app)
    with app.test_request_context():
        cohort = cohorts.get_cohort(CODE)
        version = services.current_version("evaluasi-diklat")
        with pytest.raises(services.EvaluationError, match="closed"):
            services.submit(cohort, user_id, version, {}, date.today())
    assert stored(app) == (0, 0)
