"""A cohort of the two-course program with participants, instructors and a coordinator.

Everyone reads the pages in English (their account's language), so the assertions do not
depend on the Indonesian catalog.
"""

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.courses.models import Course
from lms.extensions import db
from tests.cohorts.conftest import login_as, make_cohort, program  # noqa: F401
from tests.conftest import csrf_from

CODE = "angkatan-1"
OTHER = "angkatan-2"


@pytest.fixture
def people(app, make_cohort, login_as):  # noqa: F811
    """Two cohorts; clients signed in per role. Returns a namespace of (client, user_id)."""
    make_cohort(CODE, mode="invitation")
    make_cohort(OTHER, mode="invitation")
    made = {
        "alice": login_as("participant"),
        "bob": login_as("participant"),
        "stranger": login_as("participant"),  # a participant of the other cohort
        "teacher": login_as("instructor"),  # teaches course "satu" in CODE
        "other_teacher": login_as("instructor"),  # teaches course "dua" in CODE
        "coordinator": login_as("coordinator"),
        "outsider": login_as("participant"),  # in no cohort
    }
    with app.app_context():
        cohort = cohorts.get_cohort(CODE)
        other = cohorts.get_cohort(OTHER)
        satu = db.session.scalar(select(Course).where(Course.slug == "satu"))
        dua = db.session.scalar(select(Course).where(Course.slug == "dua"))
        for name in ("alice", "bob"):
            assert cohorts.enroll_user(cohort, db.session.get(User, made[name][1]), None)
        assert cohorts.enroll_user(other, db.session.get(User, made["stranger"][1]), None)
        actor = made["coordinator"][1]
        cohorts.assign_instructor(cohort, satu, db.session.get(User, made["teacher"][1]), actor)
        cohorts.assign_instructor(cohort, dua, db.session.get(User, made["other_teacher"][1]),
                                  actor)
        for _client, user_id in made.values():
            db.session.get(User, user_id).locale = "en"
        db.session.commit()
    return type("People", (), made)


def cohort_id(app, code=CODE) -> int:
    with app.app_context():
        return db.session.scalar(select(Cohort.id).where(Cohort.code == code))


def forum_ids(client, code=CODE) -> dict[str, int]:
    """Lists the forums (making them) and returns {"general"|course slug: forum id}."""
    from lms.forums.models import Forum

    response = client.get(f"/cohorts/{code}/forums")
    assert response.status_code == 200
    app = client.application
    with app.app_context():
        forums = db.session.scalars(select(Forum).join(Cohort).where(Cohort.code == code))
        return {(f.course.slug if f.course else "general"): f.id for f in forums}


def post_form(client, url: str, data: dict, form_url: str | None = None):
    token = csrf_from(client.get(form_url or url).text)
    return client.post(url, data={"csrf_token": token, **data})


def token(client, url: str = "/learning") -> str:
    return csrf_from(client.get(url).text)


def start_thread(client, forum_id: int, title="Pertanyaan", body="Isi pertanyaan",
                 code=CODE) -> int:
    response = post_form(client, f"/cohorts/{code}/forums/{forum_id}/new",
                         {"title": title, "body": body})
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1].split("?")[0])


def count(app, model, **where) -> int:
    from sqlalchemy import func

    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def seed_posts(app, thread_id: int, author_id: int, n: int, start=None) -> list[int]:
    """n replies straight into the database, a minute apart, after the thread's first post.

    The posts already in the thread move back to a minute before `start` (a day ago).
    """
    from datetime import timedelta

    from sqlalchemy import update

    from lms.clock import utcnow
    from lms.forums.models import Post, Thread
    from lms.forums.services import render_post

    start = start or utcnow() - timedelta(days=1)
    with app.app_context():
        db.session.execute(update(Post).where(Post.thread_id == thread_id, Post.created_at > start)
                           .values(created_at=start - timedelta(minutes=1)))
        thread = db.session.get(Thread, thread_id)
        thread.last_post_at = start - timedelta(minutes=1)
        posts = [Post(thread_id=thread_id, author_id=author_id, body_markdown=f"Balasan {i}",
                      body_html=render_post(f"Balasan {i}"),
                      created_at=start + timedelta(minutes=i)) for i in range(n)]
        db.session.add_all(posts)
        thread.last_post_at = max(thread.last_post_at, posts[-1].created_at)
        db.session.commit()
        return [p.id for p in posts]
