"""Grading is final on every database: one submit racing many saves, from threads.

Runs on the test database in use: SQLite (whose IMMEDIATE transactions serialise the
requests) and, with LMS_TEST_DATABASE_URL, PostgreSQL (where the attempt's row lock does).
Each save answers its own question, so the stored answers say which saves got in.
"""

import threading

from sqlalchemy import select

from lms.content import load_tree, sync_tree
from lms.extensions import db
from lms.quizzes import grading
from lms.quizzes.models import Attempt, AttemptItem
from lms.quizzes.spec import Question
from tests.conftest import AuthActions, csrf_from, write_course

SAVES = 10
ROUNDS = 3
QUESTION = """\
  - id: q{n}
    type: single
    text: Soal {n}
    choices:
      - text: Benar {n}
        correct: true
      - text: Salah {n}
"""


def _setup(app, content_dir, make_user, enroll):
    write_course(content_dir, "contoh", 1)
    folder = content_dir / "contoh" / "quizzes"
    folder.mkdir(parents=True)
    (folder / "kuis.yml").write_text(
        "id: kuis-balap\ntitle: Kuis Balap\nkind: practice\nattempts: 0\nshuffle_choices: true\n"
        "questions:\n" + "".join(QUESTION.format(n=n) for n in range(1, SAVES + 1)))
    with app.app_context():
        assert sync_tree(load_tree(content_dir)).ok
        db.session.commit()
    user_id, email = make_user()
    enroll(user_id, "contoh")
    return email


def _client(app, email):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def _race(app, url, submitter, savers, forms):
    """Fire one submit and every save at once; returns each save's (status, JSON body)."""
    barrier = threading.Barrier(len(savers) + 1)
    results: dict[object, object] = {}
    token = csrf_from(submitter.get(url).get_data(as_text=True))

    def save(client, where, form):
        barrier.wait()
        response = client.post(f"{url}/save", data=form, headers={"X-Requested-With": "fetch"})
        results[where] = (response.status_code, response.get_json())

    def submit():
        barrier.wait()
        results["submit"] = submitter.post(f"{url}/submit",
                                           data={"csrf_token": token}).status_code

    threads = [threading.Thread(target=save, args=(client, *form))
               for client, form in zip(savers, forms, strict=True)]
    threads.append(threading.Thread(target=submit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results.pop("submit") == 302
    return results


def _save_forms(url, savers):
    """For saver n: the form of its own page answering question "Soal n" rightly."""
    forms = []
    for n, client in enumerate(savers, start=1):
        html = client.get(url).get_data(as_text=True)
        at = html.index(f">Soal {n}<")
        where = int(html[:at].rsplit('data-position="', 1)[1].split('"', 1)[0])
        choice = html[at:].split(f'">Benar {n}</label>', 1)[0].rsplit('for="', 1)[1]
        forms.append((where, {"csrf_token": csrf_from(html), "p": [str(where)],
                              f"q{where}": choice.split("-", 1)[1]}))
    return forms


def test_a_submit_racing_saves_grades_exactly_what_is_stored(app, content_dir, make_user,
                                                             enroll):
    email = _setup(app, content_dir, make_user, enroll)
    submitter = _client(app, email)
    savers = [_client(app, email) for _ in range(SAVES)]
    quiz = "/courses/contoh/quizzes/kuis-balap"
    for _round in range(ROUNDS):
        page = submitter.get(quiz).get_data(as_text=True)
        url = submitter.post(f"{quiz}/start", data={"csrf_token": csrf_from(page)}
                             ).headers["Location"]
        results = _race(app, url, submitter, savers, _save_forms(url, savers))
        attempt_id = int(url.rsplit("/", 1)[1])
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.finished_at is not None
            items = {i.position: i for i in db.session.scalars(
                select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))}
            for where, (status, body) in results.items():
                item = items[where]
                if status == 200:
                    assert body["ok"] is True
                    assert item.response == {"value": "a"}, "an acknowledged save was lost"
                else:
                    assert (status, body["code"]) == (409, "finished"), body
                    assert item.response is None, "a refused save was stored"
            for item in items.values():
                question = Question.from_dict(item.version.data)
                value = item.response["value"] if item.response else None
                assert item.fraction == grading.grade(question, value).fraction
            assert attempt.points == sum(1 for i in items.values() if i.response)


def test_parallel_submits_grade_once_with_the_winners_answers(app, content_dir, make_user,
                                                             enroll):
    email = _setup(app, content_dir, make_user, enroll)
    clients = [_client(app, email) for _ in range(5)]
    quiz = "/courses/contoh/quizzes/kuis-balap"
    page = clients[0].get(quiz).get_data(as_text=True)
    url = clients[0].post(f"{quiz}/start", data={"csrf_token": csrf_from(page)}
                          ).headers["Location"]
    forms = []
    for index, client in enumerate(clients):  # each tab answers its own question
        html = client.get(url).get_data(as_text=True)
        where = index + 1
        section = html.split(f'id="question-{where}"', 1)[1].split("</section>", 1)[0]
        first = section.split(f'name="q{where}" value="', 1)[1].split('"', 1)[0]
        forms.append({"csrf_token": csrf_from(html), "p": [str(where)], f"q{where}": first})
    barrier = threading.Barrier(len(clients))
    statuses = []

    def submit(client, form):
        barrier.wait()
        statuses.append(client.post(f"{url}/submit", data=form).status_code)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip(clients, forms,
                                                                           strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(clients)
    with app.app_context():
        attempt = db.session.get(Attempt, int(url.rsplit("/", 1)[1]))
        answered = [i for i in attempt.items if i.response is not None]
        assert len(answered) == 1, "only the submit that graded may store its answers"
        for item in attempt.items:
            question = Question.from_dict(item.version.data)
            value = item.response["value"] if item.response else None
            assert item.fraction == grading.grade(question, value).fraction
        assert attempt.points == sum(i.fraction for i in attempt.items)
