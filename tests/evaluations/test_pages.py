"""Answering the evaluation once, the report per cohort, its CSV, and who may see what."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.cohorts import services as cohorts
from lms.evaluations import services
from lms.evaluations.models import EvaluationResponse, EvaluationSubmission
from lms.extensions import db
from tests.conftest import count_queries, csrf_from
from tests.evaluations.conftest import CODE, answer, close_evaluation, fill_in, translated


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(EvaluationSubmission)),
                db.session.scalar(select(func.count()).select_from(EvaluationResponse)))


def stored_answers(app) -> list[dict]:
    with app.app_context():
        return list(db.session.scalars(select(EvaluationResponse.answers)))


def instructor_prefix(app, user_id: int, course_slug: str) -> str:
    from lms.courses.models import Course

    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == course_slug))
        return f"i{user_id}-c{course.id}-"


def test_participants_answer_and_the_report_shows_averages_and_counts(
        app, running, participant, teach, login_as):
    _, guru = login_as("instructor", full_name="Dra. Guru Satu")
    teach(guru, "satu")
    clients = [participant()[0] for _ in range(4)]
    form = clients[0].get(f"/cohorts/{CODE}/evaluation").text
    assert form.count('<fieldset class="evaluation-group"') == 3  # instructor, organiser, open
    assert "Dra. Guru Satu, Kursus Satu" in form
    assert form.count('type="radio"') == (6 + 6) * 5
    assert '<legend>Penguasaan materi <span class="required">' in form
    for client, rating in zip(clients[:3], (5, 4, 4), strict=True):
        response = answer(client, rating, f"Saran dengan nilai {rating}")
        assert response.status_code == 302
    done = clients[0].get(f"/cohorts/{CODE}/evaluation").text
    assert translated(app, "Thank you! Your evaluation has been saved, without your name.") in done
    assert 'type="radio"' not in done
    assert counts(app) == (3, 3)

    close_evaluation(app)
    coordinator, _ = login_as("coordinator")
    html = coordinator.get(f"/manage/cohorts/{CODE}/evaluation").text
    assert translated(app, "%(done)d of %(total)d", done=3, total=4) in html
    assert "4,33" in html  # (5 + 4 + 4) / 3, per item and per instructor
    assert translated(app, "Overall average %(mean)s from %(n)d responses.",
                      mean="4,33", n=3) in html
    assert 'value="4.333333333333333"' in html  # the bar of the average
    assert '<meter min="0" max="3" value="2"' in html  # two of three chose 4 (Baik)
    assert "1 · 33%" in html
    assert "2 · 67%" in html
    for rating in (5, 4):
        assert f"Saran dengan nilai {rating}" in html


def test_missing_answers_are_named_and_nothing_is_saved(app, running, participant):
    client, _ = participant()
    page = client.get(f"/cohorts/{CODE}/evaluation")
    data = fill_in(page.text, 4, "Teks yang tetap ada")
    del data["o-jadwal"]
    response = client.post(f"/cohorts/{CODE}/evaluation", data=data)
    assert response.status_code == 400
    html = response.text
    choose = translated(app, "Choose one answer.")
    assert f'<p class="error" id="o-jadwal-error">{choose}</p>' in html
    assert 'aria-describedby="o-jadwal-error"' in html
    assert f'<a href="#o-jadwal-1">Kesesuaian jadwal dan alokasi waktu pelatihan: {choose}' in html
    assert html.count('class="error"') == 1
    assert 'value="4" checked' in html  # the other answers are kept
    assert ">Teks yang tetap ada</textarea>" in html
    data["o-jadwal"] = "9"  # not on the scale
    assert client.post(f"/cohorts/{CODE}/evaluation", data=data).status_code == 400
    assert counts(app) == (0, 0)


def test_a_second_submission_is_refused_and_the_first_answers_stay(app, running, participant):
    client, user_id = participant()
    assert answer(client, 5, "Jawaban pertama").status_code == 302
    first = stored_answers(app)
    page = client.get(f"/cohorts/{CODE}/evaluation")
    assert 'type="radio"' not in page.text  # no second form is offered
    again = client.post(f"/cohorts/{CODE}/evaluation",
                        data={"csrf_token": csrf_from(page.text), "o-jadwal": "1",
                              "q-saran-pengajar": "Jawaban kedua"})
    assert again.status_code == 409
    assert translated(app, "You have already filled in the evaluation for this cohort. It can "
                           "be sent only once; your first answers are kept.") in again.text
    assert counts(app) == (1, 1)
    assert stored_answers(app) == first
    assert first[0]["open"]["saran-pengajar"] == "Jawaban pertama"
    with app.app_context():
        assert services.has_submitted(cohorts.get_cohort(CODE).id, user_id)


def test_two_racing_submissions_store_one_response(app, running, participant, monkeypatch):
    """Both requests passed the first check; the unique constraint stops the second."""
    client, user_id = participant()
    assert answer(client, 5).status_code == 302
    first = stored_answers(app)
    monkeypatch.setattr(services, "has_submitted", lambda cohort_id, user_id: False)
    with app.test_request_context():
        cohort = cohorts.get_cohort(CODE)
        version = services.current_version("evaluasi-diklat")
        answers = {**first[0], "organiser": dict.fromkeys(first[0]["organiser"], 1)}
        with pytest.raises(services.EvaluationError) as refused:
            services.submit(cohort, user_id, version, answers, date.today())
        assert refused.value.code == "already"
        db.session.commit()  # whatever the session still holds is harmless
    assert counts(app) == (1, 1)
    assert stored_answers(app) == first
    # Through the page too: the loser of the race gets the same clear refusal.
    other, _ = participant()
    page = other.get(f"/cohorts/{CODE}/evaluation").text
    monkeypatch.setattr(services, "submission_of", lambda cohort_id, user_id: None)
    data = fill_in(page, 1)
    data["csrf_token"] = csrf_from(client.get(f"/cohorts/{CODE}/evaluation").text)
    response = client.post(f"/cohorts/{CODE}/evaluation", data=data)
    assert response.status_code == 409
    assert translated(app, "You have already filled in the evaluation for this cohort. It can "
                           "be sent only once; your first answers are kept.") in response.text
    assert counts(app) == (1, 1)
    assert stored_answers(app) == first


def test_answers_that_do_not_fit_are_refused_by_the_service(app, running, participant, teach,
                                                             login_as):
    _, guru = login_as("instructor")
    teach(guru, "satu")
    client, user_id = participant()
    with app.test_request_context():
        cohort = cohorts.get_cohort(CODE)
        version = services.current_version("evaluasi-diklat")
        organiser = {i["id"]: 3 for i in version.data["organiser_items"]}
        for answers in ({"organiser": organiser, "instructors": [], "open": {}},  # guru missing
                        {"organiser": {**organiser, "jadwal": 7}, "instructors": [], "open": {}},
                        {"organiser": organiser, "open": {}}):
            with pytest.raises(services.EvaluationError):
                services.submit(cohort, user_id, version, answers, date.today())
    assert counts(app) == (0, 0)


def test_who_may_answer(app, running, make_cohort, participant, login_as, make_user, join):
    outsider, _ = login_as()
    assert outsider.get(f"/cohorts/{CODE}/evaluation").status_code == 403
    token = csrf_from(outsider.get("/learning").text)
    assert outsider.post(f"/cohorts/{CODE}/evaluation",
                         data={"csrf_token": token}).status_code == 403
    assert outsider.get("/cohorts/tidak-ada/evaluation").status_code == 404
    anonymous = app.test_client().get(f"/cohorts/{CODE}/evaluation")
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]

    applicant, applicant_id = login_as()
    with app.app_context():
        db.session.add(cohorts.CohortMember(cohort_id=cohorts.get_cohort(CODE).id,
                                            user_id=applicant_id, status="applied"))
        db.session.commit()
    assert applicant.get(f"/cohorts/{CODE}/evaluation").status_code == 403

    make_cohort("angkatan-2")  # starts in ten days
    early, early_id = participant()
    join(early_id, "angkatan-2")
    page = early.get("/cohorts/angkatan-2/evaluation")
    assert page.status_code == 200
    assert 'type="radio"' not in page.text
    starts = date.today() + timedelta(days=10)
    with app.test_request_context():
        from lms.i18n import long_date
        assert translated(app, "The evaluation opens when the cohort starts, on %(date)s.",
                          date=long_date(starts)) in page.text
    token = csrf_from(early.get(f"/cohorts/{CODE}/evaluation").text)
    assert early.post("/cohorts/angkatan-2/evaluation",
                      data={"csrf_token": token}).status_code == 403
    assert counts(app) == (0, 0)


def test_coordinators_preview_the_form_but_cannot_send_it(app, running, login_as):
    coordinator, _ = login_as("coordinator")
    page = coordinator.get(f"/cohorts/{CODE}/evaluation")
    assert page.status_code == 200
    assert 'class="evaluation-group" id="group-o" disabled' in page.text
    assert 'type="submit" class="button"' not in page.text.split("evaluation-form")[1]
    assert coordinator.post(f"/cohorts/{CODE}/evaluation",
                            data=fill_in(page.text, 4)).status_code == 403
    assert counts(app) == (0, 0)


def test_instructors_see_only_their_own_ratings(app, running, participant, teach, login_as):
    guru_a, a_id = login_as("instructor", full_name="Ibu Guru Anggrek")
    guru_b, b_id = login_as("instructor", full_name="Bapak Guru Bakung")
    teach(a_id, "satu")
    teach(b_id, "dua")
    prefix_b = instructor_prefix(app, b_id, "dua")
    for _ in range(3):
        client, _ = participant()
        page = client.get(f"/cohorts/{CODE}/evaluation")
        data = fill_in(page.text, 5, "Rahasia saran")
        data.update({k: "2" for k in data if k.startswith(prefix_b)})
        data.update({k: "3" for k in data if k.startswith("o-")})
        assert client.post(f"/cohorts/{CODE}/evaluation", data=data).status_code == 302

    close_evaluation(app)
    html = guru_a.get(f"/manage/cohorts/{CODE}/evaluation").text
    assert "Ibu Guru Anggrek" in html
    assert "5,00" in html
    assert "Bapak Guru Bakung" not in html
    assert "2,00" not in html
    assert "3,00" not in html
    assert "Rahasia saran" not in html
    assert "Kejelasan dan kelengkapan informasi" not in html
    assert not re.search(r"Peserta \d", html)  # no completion list by name
    assert guru_a.get(f"/manage/cohorts/{CODE}/evaluation.csv").status_code == 403
    assert "Bapak Guru Bakung" in guru_b.get(f"/manage/cohorts/{CODE}/evaluation").text

    participant_client, _ = participant()
    assert participant_client.get(f"/manage/cohorts/{CODE}/evaluation").status_code == 403
    assert participant_client.get(f"/manage/cohorts/{CODE}/evaluation.csv").status_code == 403
    coordinator, _ = login_as("coordinator")
    full = coordinator.get(f"/manage/cohorts/{CODE}/evaluation").text
    for shown in ("Ibu Guru Anggrek", "Bapak Guru Bakung", "2,00", "3,00", "Rahasia saran"):
        assert shown in full
    assert coordinator.get("/manage/cohorts/tidak-ada/evaluation").status_code == 404


def test_few_responses_are_not_shown(app, running, participant, login_as):
    client, _ = participant()
    assert answer(client, 5, "Satu-satunya saran").status_code == 302
    close_evaluation(app)
    coordinator, _ = login_as("coordinator")
    html = coordinator.get(f"/manage/cohorts/{CODE}/evaluation").text
    assert translated(app, "Results are shown once at least %(n)d participants have answered, "
                           "so that no answer can be traced to a person.", n=3) in html
    assert "Satu-satunya saran" not in html
    assert "5,00" not in html
    response = coordinator.get(f"/manage/cohorts/{CODE}/evaluation.csv")
    assert len(list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))) == 1


@pytest.mark.parametrize("app", [{"EVALUATION_MIN_RESPONSES": 1}], indirect=True)
def test_the_threshold_is_a_setting(app, running, participant, login_as):
    client, _ = participant()
    answer(client, 5, "Satu-satunya saran")
    close_evaluation(app)
    coordinator, _ = login_as("coordinator")
    assert "Satu-satunya saran" in coordinator.get(f"/manage/cohorts/{CODE}/evaluation").text


def test_csv_has_one_row_per_response_and_is_formula_safe(app, running, participant, teach,
                                                          login_as):
    _, guru = login_as("instructor", full_name="Guru Satu")
    teach(guru, "satu")
    for rating, text in ((5, "=HYPERLINK(\"http://x\")"), (4, "Bagus"), (3, "")):
        client, _ = participant()
        assert answer(client, rating, text).status_code == 302
    close_evaluation(app)
    coordinator, _ = login_as("coordinator")
    response = coordinator.get(f"/manage/cohorts/{CODE}/evaluation.csv?sep=comma")
    assert response.mimetype == "text/csv"
    assert 'filename="angkatan-1-evaluation.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    assert len(header) == 1 + 6 + 6 + 4
    assert header[7] == "Guru Satu (Kursus Satu): Penguasaan materi"
    assert header[-1].startswith("Bagaimana rencana Anda")
    assert sorted(r[1] for r in body) == ["3", "4", "5"]
    assert "'=HYPERLINK(\"http://x\")" in [r[-1] for r in body]
    assert {r[0] for r in body} == {"1"}  # the survey version, nothing about people or time


def test_service_api_for_certificates(app, running, participant):
    people = [participant() for _ in range(3)]
    for client, _ in people[:2]:
        assert answer(client, 4).status_code == 302
    ids = [user_id for _, user_id in people]
    with app.app_context():
        cohort_id = cohorts.get_cohort(CODE).id
    with count_queries(app) as queries, app.app_context():
        found = services.submitted_user_ids(cohort_id)
    assert found == set(ids[:2])
    assert len(queries) == 1
    with app.app_context():
        assert services.has_submitted(cohort_id, ids[0])
        assert not services.has_submitted(cohort_id, ids[2])
        assert [c.code for c in services.pending_for(ids[2], "evaluasi-diklat",
                                                     date.today())] == [CODE]
        assert services.pending_for(ids[0], "evaluasi-diklat", date.today()) == []


def test_my_learning_links_the_evaluation_until_it_is_given(app, running, participant):
    client, _user_id = participant()
    with app.app_context():
        name = cohorts.get_cohort(CODE).name
    link = f'<a href="/cohorts/{CODE}/evaluation">Isi evaluasi {name}</a>'
    assert link in client.get("/learning").text
    assert answer(client, 4).status_code == 302
    assert link not in client.get("/learning").text
