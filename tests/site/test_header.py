"""The site header is rendered once per kind of page and reader (lms/site/header.py): no
reader may see a header made for another, and the per-request parts (the CSRF token,
the address the language form returns to) are the request's own."""

import re

from lms.auth.models import Role
from tests.conftest import AuthActions, csrf_from


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def _current(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page"', _header(html))


def test_each_role_sees_its_own_menu_whoever_came_first(app, make_user):
    menus = {}
    for role in (Role.ADMIN, Role.PARTICIPANT, Role.INSTRUCTOR, Role.COORDINATOR):
        make_user(role=role, email=f"{role.value}@example.org")
    for role in (Role.ADMIN, Role.PARTICIPANT, Role.INSTRUCTOR, Role.COORDINATOR):
        client = app.test_client()
        AuthActions(client).login(f"{role.value}@example.org")
        menus[role] = _header(client.get("/courses").get_data(as_text=True))
    anonymous = _header(app.test_client().get("/courses").get_data(as_text=True))
    assert "Kelola" in menus[Role.ADMIN]
    assert "Log audit" in menus[Role.ADMIN]
    assert "Kelola" in menus[Role.COORDINATOR]
    assert "Log audit" not in menus[Role.COORDINATOR]
    assert "Mengajar" in menus[Role.INSTRUCTOR]
    assert "Kelola" not in menus[Role.INSTRUCTOR]
    participant = menus[Role.PARTICIPANT]
    assert "Kelola" not in participant
    assert "Mengajar" not in participant
    assert "Keluar" in participant
    assert "Masuk" not in participant
    assert "Masuk" in anonymous
    assert "Keluar" not in anonymous


def test_the_current_page_is_marked_on_each_page(client, auth, make_user):
    make_user(email="peserta@example.org")
    auth.login("peserta@example.org")
    assert _current(client.get("/courses").get_data(as_text=True)) == ["/courses"]
    assert _current(client.get("/learning").get_data(as_text=True)) == ["/learning"]
    assert _current(client.get("/courses").get_data(as_text=True)) == ["/courses"]


def test_the_badge_follows_new_notifications(app, client, auth, make_user):
    from lms.auth.models import User
    from lms.extensions import db
    from lms.notifications import services as notifications

    user_id, _ = make_user(email="peserta@example.org")
    auth.login("peserta@example.org")
    assert "badge-count" not in _header(client.get("/courses").get_data(as_text=True))
    with app.test_request_context():
        user = db.session.get(User, user_id)
        for n in range(2):
            notifications.notify(user, "message", f"k{n}", lambda: ("Judul", "Isi"))
        db.session.commit()
    header = _header(client.get("/courses").get_data(as_text=True))
    assert re.search(r'badge-count">2<', header)


def test_the_language_is_part_of_the_header(client, auth, make_user):
    make_user(email="peserta@example.org")
    auth.login("peserta@example.org")
    assert "Keluar" in _header(client.get("/courses").get_data(as_text=True))
    auth.post("/language", {"locale": "en", "next": "/courses"}, form_url="/courses")
    english = _header(client.get("/courses").get_data(as_text=True))
    assert "Sign out" in english
    assert "Keluar" not in english


def test_the_forms_carry_this_sessions_token_and_sign_out_works(app, make_user):
    make_user(email="a@example.org")
    make_user(email="b@example.org")
    first, second = app.test_client(), app.test_client()
    AuthActions(first).login("a@example.org")
    AuthActions(second).login("b@example.org")
    page_a = first.get("/courses").get_data(as_text=True)
    page_b = second.get("/courses").get_data(as_text=True)
    assert csrf_from(page_a) != csrf_from(page_b)
    signed_out = first.post("/auth/logout", data={"csrf_token": csrf_from(page_a)})
    assert signed_out.status_code == 302
    assert first.get("/learning").status_code == 302  # signed out: sent to sign in
    assert second.get("/learning").status_code == 200


def test_the_address_in_the_language_form_is_escaped(client):
    html = client.get('/courses?q="><script>alert(1)</script>').get_data(as_text=True)
    header = _header(html)
    assert "<script>alert(1)" not in header
    assert 'name="next" value="/courses?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in header \
        or "&#34;&gt;&lt;script&gt;" in header
    assert "\x1e" not in html
