"""What /next asks of a quiz or an assignment, decided from typed progress alone (no
database, no app)."""

import pytest

from lms.progress.agenda import assignment_state, quiz_state
from lms.progress.model import ASSIGNMENT, DONE, QUIZ, STARTED, Item, ItemProgress

POST = Item(QUIZ, 1, "post", "Post-test", quiz_kind="posttest", pass_mark=70,
            grading="highest", attempts_allowed=2)
PRE = Item(QUIZ, 2, "pre", "Pre-test", quiz_kind="pretest", pass_mark=70, grading="first")
OPEN_ENDED = Item(QUIZ, 3, "ujian", "Ujian", quiz_kind="exam", pass_mark=70,
                  grading="highest", attempts_allowed=0)
TASK = Item(ASSIGNMENT, 4, "rtl", "RTL", pass_mark=70, due_days=14, max_score=100)


@pytest.mark.parametrize(("progress", "state", "left"), [
    (ItemProgress(POST), "todo", 2),
    (ItemProgress(POST, STARTED, attempts=1, in_progress=True), "todo", 1),
    (ItemProgress(POST, DONE, 50.0, attempts=1), "retry", 1),
    (ItemProgress(POST, DONE, 50.0, attempts=2), None, 0),  # failed, nothing left
    (ItemProgress(POST, DONE, 50.0, attempts=2, in_progress=True), "retry", 0),
    (ItemProgress(POST, DONE, 80.0, attempts=1), None, 1),  # passed
    (ItemProgress(POST, STARTED, attempts=1, waiting=True), "waiting", 1),
    (ItemProgress(PRE, DONE, 10.0, attempts=1), None, None),  # a pre-test is never retried
    (ItemProgress(OPEN_ENDED, DONE, 10.0, attempts=9), "retry", None),
])
def test_quiz_states(progress, state, left):
    assert quiz_state(progress) == state
    assert progress.attempts_left == left


@pytest.mark.parametrize(("status", "state"), [
    (None, "todo"), ("submitted", "submitted"), ("returned", "returned"), ("graded", None)])
def test_assignment_states(status, state):
    assert assignment_state(ItemProgress(TASK, status=status)) == state
