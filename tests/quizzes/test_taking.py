"""Taking a quiz through the pages: saving, two tabs, double submit, deadline, no leaks."""

import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.extensions import db
from lms.quizzes.models import Attempt, AttemptItem
from tests.conftest import csrf_from

QUIZ_URL = "/courses/contoh/quizzes/kuis-contoh"


def start_form(page: str) -> dict:
    """The start form as the browser sends it: its token and the attempt it offers."""
    return {"csrf_token": csrf_from(page),
            "number": re.search(r'name="number" value="(\d+)"', page).group(1)}


def start(client):
    page = client.get(QUIZ_URL).get_data(as_text=True)
    response = client.post(f"{QUIZ_URL}/start", data=start_form(page))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def form_of(client, url):
    """The attempt page's form as the browser would send it, untouched."""
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "p": re.findall(r'name="p" value="(\d+)"', html)}
    for position, original in re.findall(r'name="o(\d+)" value="([^"]*)"', html):
        data[f"o{position}"] = original.replace("&#34;", '"').replace("&quot;", '"')
    return html, data


def choice_key(html, position, label):
    match = re.search(rf'id="q{position}-(\w+)" name="q{position}" value="\w+"[^>]*>\s*'
                      rf'<label for="q{position}-\w+">{label}</label>', html)
    assert match, f"no choice {label!r} in question {position}"
    return match.group(1)


def answer_all(html, data):
    data.update({
        "q1": choice_key(html, 1, "Bandung"),
        "q2": [choice_key(html, 2, "Instagram"), choice_key(html, 2, "Website")],
        "q3": choice_key(html, 3, "Benar"), "q4": "  jp ", "q5": "45", "q6": "Rencana saya ...",
    })
    return data


def test_start_page_shows_rules(client, quiz_course):
    quiz_course(limit=20, attempts=2)
    html = client.get(QUIZ_URL).get_data(as_text=True)
    for text in ("Kuis Contoh", "20 menit", "Mulai kuis", "percobaan tertinggi"):
        assert text in html, text


def test_answers_are_not_in_the_page_before_submission(client, quiz_course):
    quiz_course()
    url = start(client)
    html = client.get(url).get_data(as_text=True)
    for leak in ("Tepat, Bandung", "Bogor bukan", "fraction", "correct", "45</", "JP<"):
        assert leak not in html, leak


def test_full_attempt_is_graded_on_the_server(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    attempt_id = int(url.rsplit("/", 1)[1])
    response = client.post(f"/attempts/{attempt_id}/submit", data=answer_all(html, data))
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "menunggu pengajar menilai esai" in review
    assert "Tepat, Bandung." in review
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.points == 5.0
        assert attempt.max_points == 7.0
        assert attempt.needs_grading
        assert attempt.percent is None


def test_answers_saved_as_you_go_survive_a_reload(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    key = choice_key(html, 1, "Bandung")
    data["q1"] = key
    response = client.post(url + "/save", data=data, headers={"X-Requested-With": "fetch"})
    assert response.get_json()["ok"] is True
    assert response.get_json()["saved"] == 1
    reloaded = client.get(url).get_data(as_text=True)
    assert f'id="q1-{key}" name="q1" value="{key}" checked' in reloaded


def test_two_tabs_do_not_overwrite_each_other(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html_a, tab_a = form_of(client, url)
    html_b, tab_b = form_of(client, url)  # opened before tab A saved anything
    tab_a["q1"] = choice_key(html_a, 1, "Bandung")
    client.post(url + "/save", data=tab_a)
    # Tab B answers another question and leaves q1 untouched.
    tab_b["q3"] = choice_key(html_b, 3, "Salah")
    client.post(url + "/save", data=tab_b)
    with app.app_context():
        items = {i.position: i for i in db.session.scalars(select(AttemptItem))}
        assert items[1].response == {"value": "a"}  # stored as authored: Bandung is "a"
        assert items[3].response == {"value": False}


def test_double_submit_grades_once(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    attempt_id = int(url.rsplit("/", 1)[1])
    answer_all(html, data)
    first = client.post(f"/attempts/{attempt_id}/submit", data=data)
    data["q1"] = choice_key(html, 1, "Bogor")
    second = client.post(f"/attempts/{attempt_id}/submit", data=data)
    assert first.status_code == second.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.points == 5.0
        first_item = db.session.scalar(select(AttemptItem).where(AttemptItem.position == 1))
        assert first_item.fraction == 1.0
    page = client.get(QUIZ_URL).get_data(as_text=True)
    assert page.count("Tinjau percobaan") == 1


def test_answer_after_deadline_is_not_counted(app, client, quiz_course):
    quiz_course(limit=10)
    url = start(client)
    html, data = form_of(client, url)
    attempt_id = int(url.rsplit("/", 1)[1])
    data["q1"] = choice_key(html, 1, "Bandung")
    client.post(url + "/save", data=data)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.started_at -= timedelta(minutes=11)
        attempt.deadline_at -= timedelta(minutes=11)
        db.session.commit()
    data.update({"o1": json.dumps(data["q1"]), "q3": choice_key(html, 3, "Benar")})
    response = client.post(url + "/save", data=data, headers={"X-Requested-With": "fetch"})
    assert response.status_code == 409
    assert response.get_json()["code"] == "deadline"
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished_by == "timeout"
        assert attempt.points == 1.0  # only q1, saved in time


def test_open_attempt_past_deadline_is_graded_when_next_touched(app, client, quiz_course):
    quiz_course(limit=5)
    url = start(client)
    attempt_id = int(url.rsplit("/", 1)[1])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline_at -= timedelta(minutes=6)
        db.session.commit()
    html = client.get(QUIZ_URL).get_data(as_text=True)
    assert "waktu habis" in html
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).finished_at is not None


def test_forged_answers_are_refused_and_nothing_saved(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    good = choice_key(html, 1, "Bandung")
    for forged in ({"q1": good, "q3": "mungkin"}, {"q1": "zz"}, {"p": ["1", "99"], "q1": good},
                   {"q2": ["a", "nope"]}, {"q5": "empat puluh"},
                   # an identifier of another question, an authored key, a forged original
                   {"q1": choice_key(html, 2, "Instagram")}, {"q1": "a"}, {"q3": "true"},
                   {"q1": good, "o1": '{"x": 1}'}):
        attempt_data = {**data, **forged}
        response = client.post(url + "/save", data=attempt_data,
                               headers={"X-Requested-With": "fetch"})
        assert response.status_code == 409, forged
        assert response.get_json()["code"] == "invalid"
    with app.app_context():
        assert all(i.response is None for i in db.session.scalars(select(AttemptItem)))


def test_another_users_attempt_is_404(app, client, quiz_course, make_user, auth):
    quiz_course()
    url = start(client)
    auth.logout()
    _, other = make_user()
    auth.login(other)
    assert client.get(url).status_code == 404
    assert client.get(url + "/review").status_code == 404


def test_closed_attempt_refuses_answers(client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    client.post(url + "/submit", data=data)
    data["q1"] = choice_key(html, 1, "Bandung")
    response = client.post(url + "/save", data=data, headers={"X-Requested-With": "fetch"})
    assert response.get_json()["code"] == "finished"


def test_attempt_limit_and_grade_by_method(app, client, quiz_course):
    quiz_course(attempts=2)
    for choice in ("Bogor", "Bandung"):
        url = start(client)
        html, data = form_of(client, url)
        data["q1"] = choice_key(html, 1, choice)
        client.post(url + "/submit", data=data)
    page = client.get(QUIZ_URL).get_data(as_text=True)
    assert "Anda telah memakai semua kesempatan" in page
    assert "Nilai Anda: 14,29" in page  # highest: 1 of 7 points
    response = client.post(f"{QUIZ_URL}/start", data={"csrf_token": csrf_from(page)})
    assert "Anda telah memakai semua kesempatan" in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_a_start_sent_again_after_its_attempt_was_submitted_begins_no_other(
        app, client, quiz_course):
    """Under a burst, a participant's first start can be handled after the retry went on
    to submit; an old start form can be replayed. Either way the attempt the form offered
    is the answer, and no second attempt begins."""
    quiz_course(attempts=3)
    page = client.get(QUIZ_URL).get_data(as_text=True)
    offered = start_form(page)
    assert offered["number"] == "1"
    url = client.post(f"{QUIZ_URL}/start", data=offered).headers["Location"]
    html, data = form_of(client, url)
    assert client.post(url + "/submit", data=data).status_code == 302
    again = client.post(f"{QUIZ_URL}/start", data=offered)
    assert again.status_code == 302
    assert again.headers["Location"] == url
    assert "/review" in client.get(url).headers["Location"]  # finished: its review
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    # The quiz page now offers attempt 2, which begins.
    page = client.get(QUIZ_URL).get_data(as_text=True)
    assert start_form(page)["number"] == "2"
    second = client.post(f"{QUIZ_URL}/start", data=start_form(page)).headers["Location"]
    assert second != url
    with app.app_context():
        assert sorted(db.session.scalars(select(Attempt.number))) == [1, 2]


def test_review_hides_answers_until_the_last_attempt(client, quiz_course):
    quiz_course(attempts=2, answers="after_last_attempt")
    url = start(client)
    html, data = form_of(client, url)
    client.post(url + "/submit", data=data)
    review = client.get(url + "/review").get_data(as_text=True)
    assert "Jawaban benar:" not in review
    url = start(client)
    html, data = form_of(client, url)
    client.post(url + "/submit", data=data)
    assert "Jawaban benar:" in client.get(url + "/review").get_data(as_text=True)


def test_editing_the_quiz_never_changes_a_finished_attempt(app, client, quiz_course,
                                                           content_dir):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    data["q1"] = choice_key(html, 1, "Bandung")
    client.post(url + "/submit", data=data)
    quiz_file = content_dir / "contoh" / "quizzes" / "kuis.yml"
    quiz_file.write_text(quiz_file.read_text().replace("Ibu kota provinsi Jawa Barat?",
                                                       "Pertanyaan yang diubah?"))
    from lms.content import load_tree, sync_tree
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    review = client.get(url + "/review").get_data(as_text=True)
    assert "Ibu kota provinsi Jawa Barat?" in review
    assert "Pertanyaan yang diubah?" not in review
    new_attempt = start(client)
    assert "Pertanyaan yang diubah?" in client.get(new_attempt).get_data(as_text=True)


def test_not_enrolled_cannot_open_quiz(client, quiz_course, make_user, auth):
    quiz_course()
    auth.logout()
    _, other = make_user()
    auth.login(other)
    assert client.get(QUIZ_URL).status_code == 403


MATCHING = """\
  - id: q-match
    type: matching
    text: Pasangkan.
    pairs:
      - left: Instagram
        right: Media sosial
      - left: Blog
        right: Situs web
"""


def test_review_names_the_correct_answer_of_every_type(client, quiz_course):
    quiz_course(answers="immediately", extra=MATCHING)
    url = start(client)
    html, data = form_of(client, url)
    client.post(url + "/submit", data=data)
    review = client.get(url + "/review").get_data(as_text=True)
    blocks = [" ".join(re.sub(r"<[^>]+>", " ", block).split()) for block in
              re.findall(r'<div class="correct-answer">(.*?)</div>', review, re.S)]
    # Choices are named in the order this attempt showed them.
    assert blocks[1] in ("Jawaban benar: Instagram Website", "Jawaban benar: Website Instagram")
    assert blocks[:1] + blocks[2:] == [
        "Jawaban benar: Bandung",
        "Jawaban benar: Benar",
        "Jawaban benar: JP",
        "Jawaban benar: 45",
        "Jawaban benar: Instagram → Media sosial Blog → Situs web",
    ]


def test_submitting_asks_first_and_lists_the_unanswered_questions(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    assert f'formaction="{url}/confirm"' in html
    assert "Periksa dan kirim" in html
    data["q1"] = choice_key(html, 1, "Bandung")
    response = client.post(url + "/confirm", data=data)
    assert response.headers["Location"].endswith(f"{url}/confirm")
    page = client.get(url + "/confirm").get_data(as_text=True)
    assert "Kirim percobaan Anda?" in page
    assert "5 soal belum dijawab" in page
    for n in range(2, 7):
        assert f'#question-{n}">Soal {n}</a>' in page
    assert '#question-1"' not in page
    attempt_id = int(url.rsplit("/", 1)[1])
    with app.app_context():  # saved, but not submitted
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.is_open
        assert attempt.items[0].response == {"value": "a"}
    client.post(url + "/submit", data={"csrf_token": csrf_from(page)})
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).points == 1.0
    assert client.get(url + "/confirm").headers["Location"].endswith(f"{url}/review")


def test_confirm_with_a_forged_answer_saves_nothing(app, client, quiz_course):
    quiz_course()
    url = start(client)
    html, data = form_of(client, url)
    data.update({"q1": "a", "q4": "JP"})
    response = client.post(url + "/confirm", data=data)
    assert response.headers["Location"].endswith(url)
    assert "tidak diterima" in client.get(url).get_data(as_text=True)
    with app.app_context():
        assert all(i.response is None for i in db.session.scalars(select(AttemptItem)))


def test_an_identifier_from_another_attempt_is_refused(app, client, quiz_course):
    quiz_course()
    first = start(client)
    html, data = form_of(client, first)
    old = choice_key(html, 1, "Bandung")
    client.post(first + "/submit", data=data)
    second = start(client)
    html, data = form_of(client, second)
    assert choice_key(html, 1, "Bandung") != old  # fresh identifiers for every attempt
    response = client.post(second + "/save", data={**data, "q1": old},
                           headers={"X-Requested-With": "fetch"})
    assert response.status_code == 409
    message = response.get_json()["message"]
    assert "muat ulang" in message  # no identifiers shown
    assert old not in message
    with app.app_context():
        attempt = db.session.get(Attempt, int(second.rsplit("/", 1)[1]))
        assert all(item.response is None for item in attempt.items)
