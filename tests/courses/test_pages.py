"""Catalog, course page, module page and progress, as participants and staff see them."""

import re

import pytest
from sqlalchemy import select

from lms.courses.models import ModuleProgress
from lms.extensions import db
from tests.conftest import count_queries, csrf_from


@pytest.fixture
def studying(course_factory, make_user, enroll, auth):
    """A participant enrolled in a synced 3-module course, signed in."""
    course_factory("contoh", 3)
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    return user_id


def mark(client, module_slug, done="1", **extra):
    page = client.get(f"/courses/contoh/modules/{module_slug}").get_data(as_text=True)
    return client.post(f"/courses/contoh/modules/{module_slug}/progress",
                       data={"csrf_token": csrf_from(page), "done": done, **extra})


def test_catalog_lists_published_courses_without_login(client, course_factory):
    course_factory("contoh", 2, title="Branding untuk Perpustakaan")
    html = client.get("/courses").get_data(as_text=True)
    assert "Branding untuk Perpustakaan" in html
    assert "4 JP" in html


def test_course_page_shows_modules_jp_objectives_and_instructors(client, studying):
    html = client.get("/courses/contoh").get_data(as_text=True)
    for text in ("Modul 1", "Modul 3", "4 JP", "Memahami contoh.", "Widyaiswara Ahli Madya",
                 "0 dari 3 modul selesai (0%)"):
        assert text in html


def test_module_page_renders_content_and_navigation(client, studying):
    html = client.get("/courses/contoh/modules/contoh-m2").get_data(as_text=True)
    assert "<h1>Modul 2</h1>" in html
    assert "Modul 2 dari 3" in html
    assert 'rel="prev" href="/courses/contoh/modules/contoh-m1"' in html
    assert 'rel="next" href="/courses/contoh/modules/contoh-m3"' in html
    assert '<div class="admonition tip">' in html
    assert 'src="../assets/diagram.svg"' in html
    assert "Tujuan modul 2." in html


def test_mark_done_moves_progress_and_is_saved(app, client, studying):
    response = mark(client, "contoh-m1")
    assert response.status_code == 302
    html = client.get("/courses/contoh").get_data(as_text=True)
    assert "1 dari 3 modul selesai (33%)" in html
    assert '<progress max="3" value="1"' in html
    with app.app_context():
        row = db.session.scalar(select(ModuleProgress))
        assert row.user_id == studying
        assert row.completed_at is not None
    dashboard = client.get("/learning").get_data(as_text=True)
    assert "1 dari 3 modul selesai (33%)" in dashboard
    assert "Lanjutkan: Modul 2" in dashboard


def test_double_submit_counts_once_and_undo_works(app, client, studying):
    mark(client, "contoh-m1")
    mark(client, "contoh-m1")
    with app.app_context():
        assert len(db.session.scalars(select(ModuleProgress)).all()) == 1
    mark(client, "contoh-m1", done="0")
    assert "0 dari 3 modul selesai" in client.get("/courses/contoh").get_data(as_text=True)


def test_done_and_continue_goes_to_next_module(client, studying):
    response = mark(client, "contoh-m1", then="next")
    assert response.headers["Location"] == "/courses/contoh/modules/contoh-m2"


def test_forged_progress_form_is_refused(client, studying):
    assert client.post("/courses/contoh/modules/contoh-m1/progress",
                       data={"done": "1"}).status_code == 400
    page = client.get("/courses/contoh/modules/contoh-m1").get_data(as_text=True)
    assert client.post("/courses/contoh/modules/contoh-m1/progress",
                       data={"csrf_token": csrf_from(page), "done": "7"}).status_code == 400
    assert client.post("/courses/contoh/modules/tidak-ada/progress",
                       data={"csrf_token": csrf_from(page), "done": "1"}).status_code == 404


def test_not_enrolled_participant_cannot_open_modules(client, course_factory, make_user, auth):
    course_factory("contoh", 1)
    _, email = make_user()
    auth.login(email)
    assert client.get("/courses/contoh/modules/contoh-m1").status_code == 403
    assert "Anda belum terdaftar" in client.get("/courses/contoh").get_data(as_text=True)


def test_anonymous_is_sent_to_login(client, course_factory):
    course_factory("contoh", 1)
    response = client.get("/courses/contoh/modules/contoh-m1")
    assert response.status_code == 302
    assert "/auth/login?next=" in response.headers["Location"]


def test_unknown_course_and_module_are_404(client, studying):
    assert client.get("/courses/tidak-ada").status_code == 404
    assert client.get("/courses/contoh/modules/tidak-ada").status_code == 404
    assert "Halaman tidak ditemukan" in client.get("/courses/tidak-ada").get_data(as_text=True)


def test_asset_is_served_with_a_sandboxing_policy(client, course_factory):
    course_factory("contoh", 1)
    response = client.get("/courses/contoh/assets/diagram.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get("/courses/contoh/assets/tidak-ada.svg").status_code == 404


def test_preview_from_disk_is_for_staff_only(client, content_dir, course_factory, make_user,
                                             auth):
    course_factory("contoh", 2)
    module = content_dir / "contoh" / "modules" / "02-modul.md"
    module.write_text(module.read_text().replace("Isi modul 2", "Draf baru") + "[x](88-x.md)\n")
    _, participant = make_user()
    auth.login(participant)
    assert client.get("/courses/contoh/preview").status_code == 403
    auth.logout()
    _, instructor = make_user(role="instructor")
    auth.login(instructor)
    overview = client.get("/courses/contoh/preview").get_data(as_text=True)
    assert "88-x.md" in overview
    assert "1 masalah" in overview
    page = client.get("/courses/contoh/preview/modules/contoh-m2").get_data(as_text=True)
    assert "Draf baru" in page
    assert "88-x.md" in page
    assert client.get("/courses/contoh/preview/assets/diagram.svg").status_code == 200


def _queries_for(app, client, url):
    client.get(url)  # warm caches (e.g. Flask-Login's user) the same way for every size
    with count_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def _grow(app, course_factory, make_user, enroll, content_dir, modules, learners):
    from lms.content import load_tree, sync_tree
    from tests.conftest import write_course

    write_course(content_dir, "contoh", modules)
    with app.app_context():
        sync_tree(load_tree(content_dir))
        ids = [m.id for m in __import__("lms.courses.services", fromlist=["x"]).active_modules(
            __import__("lms.courses.services", fromlist=["x"]).get_course("contoh"))]
    for _ in range(learners):
        user_id, _email = make_user()
        enroll(user_id, "contoh")
        with app.app_context():
            db.session.add_all(ModuleProgress(user_id=user_id, module_id=m) for m in ids)
            db.session.commit()


def test_query_count_does_not_grow_with_modules_or_learners(app, client, course_factory,
                                                            make_user, enroll, auth,
                                                            content_dir):
    _grow(app, course_factory, make_user, enroll, content_dir, modules=2, learners=1)
    user_id, email = make_user()
    enroll(user_id, "contoh")
    auth.login(email)
    small = {url: _queries_for(app, client, url)
             for url in ("/courses/contoh", "/learning", "/courses/contoh/modules/contoh-m1")}
    _grow(app, course_factory, make_user, enroll, content_dir, modules=25, learners=15)
    large = {url: _queries_for(app, client, url)
             for url in ("/courses/contoh", "/learning", "/courses/contoh/modules/contoh-m1")}
    assert large == small
    # 9: the header's notification badge is one count statement on every signed-in page.
    assert all(n <= 9 for n in small.values()), small


def test_language_switch_is_remembered_for_the_user(app, client, studying):
    page = client.get("/learning").get_data(as_text=True)
    assert "Pembelajaran saya" in page
    client.post("/language", data={"csrf_token": csrf_from(page), "locale": "en",
                                   "next": "/learning"})
    assert "My learning" in client.get("/learning").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_from(
        client.get("/learning").get_data(as_text=True))})
    fresh = app.test_client()
    from tests.conftest import AuthActions
    with app.app_context():
        from lms.auth.models import User
        email = db.session.get(User, studying).email
    AuthActions(fresh).login(email)
    html = fresh.get("/learning").get_data(as_text=True)
    assert "My learning" in html
    assert re.search(r'<html lang="en">', html)



def _sync(app, content_dir):
    from lms.content import load_tree, sync_tree

    with app.app_context():
        sync_tree(load_tree(content_dir))


def test_a_module_edited_by_a_content_sync_shows_its_new_text(app, client, studying,
                                                               content_dir):
    """The module page keeps its rendered body (text, title, objectives, neighbours,
    course title): whatever a sync changes of it is shown at the next visit."""
    url = "/courses/contoh/modules/contoh-m2"
    before = client.get(url).get_data(as_text=True)
    assert "Isi modul 2" in before
    assert "Sebelumnya: Modul 1</a>" in before
    first = content_dir / "contoh" / "modules" / "01-modul.md"
    first.write_text(first.read_text().replace("title: Modul 1", "title: Modul Satu"))
    module = content_dir / "contoh" / "modules" / "02-modul.md"
    module.write_text(module.read_text().replace("Isi modul 2", "Isi yang diperbarui")
                      .replace("Tujuan modul 2.", "Tujuan baru."))
    course = content_dir / "contoh" / "course.yml"
    course.write_text(course.read_text().replace("title: Kursus Contoh", "title: Kursus Baru"))
    _sync(app, content_dir)
    html = client.get(url).get_data(as_text=True)
    assert "Isi yang diperbarui" in html
    assert "Isi modul 2" not in html
    assert "Tujuan baru." in html
    assert "Tujuan modul 2." not in html
    assert "Sebelumnya: Modul Satu</a>" in html
    assert '<a href="/courses/contoh">Kursus Baru</a>' in html


def test_the_module_body_follows_language_progress_and_each_sessions_token(
        app, client, studying, make_user, enroll):
    url = "/courses/contoh/modules/contoh-m1"
    page = client.get(url).get_data(as_text=True)
    assert "Tandai selesai" in page
    token = csrf_from(page)
    assert client.post(f"{url}/progress", data={"csrf_token": token, "done": "1"}
                       ).status_code == 302
    done = client.get(url).get_data(as_text=True)
    assert "Anda telah menandai modul ini selesai." in done
    client.post("/language", data={"csrf_token": csrf_from(done), "locale": "en",
                                   "next": url})
    english = client.get(url).get_data(as_text=True)
    assert "You have marked this module as done." in english
    assert "Module 1 of 3" in english
    # Another person sees the same body with their own session's token, which posts.
    from tests.conftest import AuthActions
    other_id, other_email = make_user()
    enroll(other_id, "contoh")
    other = app.test_client()
    AuthActions(other).login(other_email)
    theirs = other.get(url).get_data(as_text=True)
    assert "Tandai selesai" in theirs
    assert csrf_from(theirs) not in (token, csrf_from(english))
    assert other.post(f"{url}/progress", data={"csrf_token": csrf_from(theirs), "done": "1"}
                      ).status_code == 302


def test_the_course_page_shows_what_a_sync_and_progress_change(app, client, studying,
                                                                 content_dir):
    """The course page keeps its rendered body per course, modules, progress and language:
    a synced edit and a module marked done show at the next visit."""
    before = client.get("/courses/contoh").get_data(as_text=True)
    assert "Ringkasan kursus contoh." in before
    assert "0 dari 3 modul selesai" in before
    course = content_dir / "contoh" / "course.yml"
    course.write_text(course.read_text().replace("Ringkasan kursus contoh.", "Ringkasan baru.")
                      .replace("hours_jp: 4", "hours_jp: 6"))
    module = content_dir / "contoh" / "modules" / "03-modul.md"
    module.write_text(module.read_text().replace("title: Modul 3", "title: Modul Tiga")
                      .replace("minutes: 60", "minutes: 45"))
    _sync(app, content_dir)
    html = client.get("/courses/contoh").get_data(as_text=True)
    assert "Ringkasan baru." in html
    assert "Ringkasan kursus contoh." not in html
    assert "6 JP" in html
    assert "Modul Tiga" in html
    assert "45 menit" in html
    mark(client, "contoh-m1")
    done = client.get("/courses/contoh").get_data(as_text=True)
    assert "1 dari 3 modul selesai (33%)" in done
    assert done.count('badge badge-done') == 1


def test_my_learning_shows_progress_made_after_a_visit(client, studying):
    before = client.get("/learning").get_data(as_text=True)
    assert "0 dari 3 modul selesai (0%)" in before
    assert "Lanjutkan: Modul 1" in before
    mark(client, "contoh-m1")
    after = client.get("/learning").get_data(as_text=True)
    assert "1 dari 3 modul selesai (33%)" in after
    assert "Lanjutkan: Modul 2" in after
