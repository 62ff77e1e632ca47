"""A course with a quiz file, synced, and a signed-in enrolled participant."""

import textwrap

import pytest

from lms.content import load_tree, sync_tree
from lms.extensions import db
from tests.conftest import write_course

QUIZ = textwrap.dedent("""\
    id: kuis-contoh
    title: Kuis Contoh
    kind: {kind}
    time_limit_minutes: {limit}
    attempts: {attempts}
    grading: highest
    pass_mark: 60
    shuffle_questions: false
    shuffle_choices: true
    review:
      score: immediately
      answers: {answers}
      feedback: immediately
    questions:
      - id: q-single
        type: single
        text: Ibu kota provinsi Jawa Barat?
        choices:
          - text: Bandung
            correct: true
            feedback: Tepat, Bandung.
          - text: Bogor
            feedback: Bogor bukan ibu kota provinsi.
      - id: q-multi
        type: multiple
        text: Pilih kanal digital.
        choices:
          - text: Instagram
            correct: true
          - text: Website
            correct: true
          - text: Spanduk
      - id: q-tf
        type: truefalse
        text: UU 43/2007 mengatur perpustakaan.
        answer: true
      - id: q-short
        type: short
        text: Singkatan dari Jam Pelajaran?
        answers:
          - text: JP
      - id: q-num
        type: numerical
        text: Berapa menit satu JP?
        answers:
          - value: 45
      - id: q-essay
        type: essay
        points: 2
        text: Jelaskan rencana promosi Anda.
""")


def write_quiz(content_dir, *, kind="practice", limit=0, attempts=0, answers="immediately",
               name="kuis", quiz_id="kuis-contoh", extra=""):
    folder = content_dir / "contoh" / "quizzes"
    folder.mkdir(parents=True, exist_ok=True)
    text = QUIZ.format(kind=kind, limit=limit, attempts=attempts, answers=answers)
    text = text.replace("id: kuis-contoh", f"id: {quiz_id}", 1) + extra
    (folder / f"{name}.yml").write_text(text)


@pytest.fixture
def quiz_course(app, content_dir, make_user, enroll, auth):
    """Returns a function that (re)writes the quiz, syncs, and signs a participant in."""

    def make(**options):
        write_course(content_dir, "contoh", 1)
        write_quiz(content_dir, **options)
        with app.app_context():
            report = sync_tree(load_tree(content_dir))
            assert report.ok, report.refused
            db.session.commit()
        user_id, email = make_user()
        enroll(user_id, "contoh")
        auth.login(email)
        return user_id

    return make
