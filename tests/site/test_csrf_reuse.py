"""A session's signed CSRF token is reused for a few minutes instead of signed at every page
(lms/security.py csrf_token): the forms still work, each session keeps its own token, and
a token is signed anew once the reuse window has passed."""

import itsdangerous.timed

from lms import security
from tests.conftest import AuthActions, csrf_from


def _clock(monkeypatch) -> list[int]:
    """itsdangerous's clock (it stamps whole seconds), to be moved on by the test."""
    wall = [int(itsdangerous.timed.time.time())]
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: wall[0])
    return wall


def test_pages_in_one_session_share_a_signed_token_that_still_posts(app, make_user,
                                                                     monkeypatch):
    make_user(email="peserta@example.org")
    client = app.test_client()
    AuthActions(client).login("peserta@example.org")
    wall = _clock(monkeypatch)
    first = csrf_from(client.get("/courses").get_data(as_text=True))
    wall[0] += 5  # signed again, the token would carry another time
    second = csrf_from(client.get("/learning").get_data(as_text=True))
    assert first == second
    # The reused token is accepted: the language form posts with it.
    response = client.post("/language", data={"csrf_token": second, "locale": "en",
                                               "next": "/courses"})
    assert response.status_code == 302
    assert "My learning" in client.get("/learning").get_data(as_text=True)


def test_another_session_gets_its_own_token_and_cannot_post_with_mine(app, make_user):
    make_user(email="a@example.org")
    make_user(email="b@example.org")
    mine, theirs = app.test_client(), app.test_client()
    AuthActions(mine).login("a@example.org")
    AuthActions(theirs).login("b@example.org")
    my_token = csrf_from(mine.get("/courses").get_data(as_text=True))
    their_token = csrf_from(theirs.get("/courses").get_data(as_text=True))
    assert my_token != their_token
    refused = theirs.post("/auth/logout", data={"csrf_token": my_token})
    assert refused.status_code == 400
    assert "Keluar" in theirs.get("/courses").get_data(as_text=True)


def test_the_token_is_signed_again_after_the_reuse_window(app, make_user, monkeypatch):
    make_user(email="peserta@example.org")
    client = app.test_client()
    AuthActions(client).login("peserta@example.org")
    now = [1000.0]
    monkeypatch.setattr(security, "monotonic", lambda: now[0])
    wall = _clock(monkeypatch)
    first = csrf_from(client.get("/courses").get_data(as_text=True))
    now[0] += security.CSRF_REUSE_SECONDS - 1
    wall[0] += security.CSRF_REUSE_SECONDS - 1
    assert csrf_from(client.get("/courses").get_data(as_text=True)) == first
    now[0] += 2
    wall[0] += 2
    renewed = csrf_from(client.get("/courses").get_data(as_text=True))
    assert renewed != first
    assert client.post("/auth/logout", data={"csrf_token": renewed}).status_code == 302
