"""Instructor views: results, distribution, item analysis, gain, CSV, essay grading."""

import csv
import io

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.quizzes import services
from lms.quizzes.models import Attempt, AttemptItem, Quiz
from lms.quizzes.reports import _pearson, distribution, item_analysis
from tests.conftest import AuthActions, count_queries, csrf_from
from tests.quizzes.conftest import write_quiz

RESULTS = "/courses/contoh/quizzes/kuis-contoh/results"


def take(app, user_id, answers: dict[str, object], quiz_slug="kuis-contoh"):
    """Start and submit an attempt through the services, answering by question id."""
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == quiz_slug))
        attempt = services.start_attempt(quiz, user_id)
        raw = {}
        for item in attempt.items:
            if item.version.question_slug in answers:
                raw[item.position] = answers[item.version.question_slug]
        services.submit_attempt(attempt, raw)
        db.session.commit()
        return attempt.id


def right(app, user_id, essay=True):
    return take(app, user_id, {"q-single": "a", "q-multi": ["a", "b"], "q-tf": "true",
                               "q-short": "JP", "q-num": "45",
                               **({"q-essay": "Esai"} if essay else {})})


def wrong(app, user_id):
    return take(app, user_id, {"q-single": "b", "q-multi": ["c"], "q-tf": "false",
                               "q-short": "SKS", "q-num": "60"})


@pytest.fixture
def staff_client(app, make_user):
    # A coordinator sees every participant; instructors see their cohorts (tests/cohorts).
    _, email = make_user(role="coordinator")
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def test_pure_statistics():
    assert distribution([0, 9.9, 10, 55, 100]) == [
        ("0–10", 2), ("10–20", 1), ("20–30", 0), ("30–40", 0), ("40–50", 0), ("50–60", 1),
        ("60–70", 0), ("70–80", 0), ("80–90", 0), ("90–100", 1)]
    assert _pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert _pearson([1, 1, 1], [2, 4, 6]) is None


def test_results_page_for_staff_only(app, client, quiz_course, staff_client, make_user,
                                     enroll):
    participant = quiz_course()
    assert client.get(RESULTS).status_code == 403
    right(app, participant, essay=False)
    html = staff_client.get(RESULTS).get_data(as_text=True)
    assert "Sebaran nilai" in html
    assert "Analisis butir soal" in html
    assert "71,43" in html  # 5 of 7 points, with the Indonesian decimal comma


def test_item_analysis_facility_and_discrimination(app, quiz_course, make_user, enroll):
    first = quiz_course()
    right(app, first, essay=False)
    for _ in range(2):
        user_id, _email = make_user()
        enroll(user_id, "contoh")
        wrong(app, user_id)
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        stats = {s.slug: s for s in item_analysis(quiz)}
    assert stats["q-single"].facility == pytest.approx(33.3)
    assert stats["q-single"].responses == 3
    assert stats["q-single"].discrimination == pytest.approx(100.0)
    assert "q-essay" in stats


def test_essay_grading_queue_and_refusals(app, quiz_course, staff_client):
    participant = quiz_course()
    attempt_id = right(app, participant)
    queue = staff_client.get(RESULTS.replace("results", "grading")).get_data(as_text=True)
    assert "Esai" in queue
    with app.app_context():
        item = db.session.scalar(select(AttemptItem).where(AttemptItem.position == 6))
        item_id = item.id
    token = csrf_from(queue)
    for bad in ("3", "-1", "dua"):
        response = staff_client.post(f"/attempt-items/{item_id}/grade",
                                     data={"csrf_token": token, "points": bad})
        assert response.status_code == 302
    with app.app_context():
        assert db.session.get(AttemptItem, item_id).fraction is None
    staff_client.post(f"/attempt-items/{item_id}/grade",
                      data={"csrf_token": token, "points": "1,5", "comment": "Baik"})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.points == 6.5
        assert attempt.percent == pytest.approx(92.86)
        assert not attempt.needs_grading


def test_csv_export_is_safe_from_formulas(app, quiz_course, staff_client, make_user, enroll):
    quiz_course()
    user_id, _ = make_user(full_name="=HYPERLINK(\"http://evil\")", institution="+cmd|' /C calc'")
    enroll(user_id, "contoh")
    wrong(app, user_id)
    response = staff_client.get(RESULTS + ".csv?sep=comma")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Nama", "NIP", "Email"]
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0].startswith("'=")
    assert evil[3].startswith("'+")


def test_pre_post_gain_on_course_page_and_report(app, client, content_dir, quiz_course,
                                                 staff_client):
    write_quiz(content_dir, kind="pretest", name="pre", quiz_id="pre")
    write_quiz(content_dir, kind="posttest", name="post", quiz_id="post")
    participant = quiz_course()
    take(app, participant, {"q-single": "a"}, "pre")  # 1 of 7 points
    take(app, participant, {"q-single": "a", "q-tf": "true", "q-num": "45"}, "post")  # 3 of 7
    html = client.get("/courses/contoh").get_data(as_text=True)
    assert "peningkatan Anda +28,57 poin" in html
    report = staff_client.get("/courses/contoh/quizzes/post/results").get_data(as_text=True)
    assert "Rata-rata peningkatan: +28,57" in report


def test_results_page_queries_do_not_grow(app, quiz_course, staff_client, make_user, enroll):
    first = quiz_course()
    wrong(app, first)
    staff_client.get(RESULTS)
    with count_queries(app) as small:
        staff_client.get(RESULTS)
    for _ in range(8):
        user_id, _email = make_user()
        enroll(user_id, "contoh")
        right(app, user_id, essay=False)
    with count_queries(app) as large:
        staff_client.get(RESULTS)
    assert len(large) == len(small)
