"""Editing a cohort through the page as rendered; withdrawals that ask before they act."""

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.cohorts.models import Cohort, CohortMember
from lms.extensions import db
from tests.cohorts.pageforms import form_fields
from tests.cohorts.test_cohorts import apply, decide, member_ids, status_of
from tests.conftest import csrf_from


def _cohort(app, code="angkatan-1") -> Cohort:
    with app.app_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == code))
        db.session.expunge(cohort)
        return cohort


def test_editing_a_cohort_saves_what_the_page_sends(app, make_cohort, login_as):
    make_cohort()
    coordinator, _ = login_as("coordinator")
    page = coordinator.get("/manage/cohorts/angkatan-1/edit")
    assert page.status_code == 200
    fields = form_fields(page.text, "capacity")
    assert "program" not in fields
    assert "code" not in fields
    fields.update(capacity="25", description="Kelas pagi, luring di Jakarta.")
    saved = coordinator.post("/manage/cohorts/angkatan-1/edit", data=fields)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("/manage/cohorts/angkatan-1")
    cohort = _cohort(app)
    assert cohort.capacity == 25
    assert cohort.description == "Kelas pagi, luring di Jakarta."
    assert cohort.name == "Angkatan I Tahun 2026"  # untouched fields keep their values
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "cohort.update"))
        assert entry.changes["capacity"] == [40, 25]


def test_a_bad_edit_names_the_field_and_saves_nothing(app, make_cohort, login_as):
    make_cohort()
    coordinator, _ = login_as("coordinator")
    page = coordinator.get("/manage/cohorts/angkatan-1/edit")
    fields = form_fields(page.text, "capacity")
    fields.update(capacity="0", description="Tidak boleh tersimpan.")
    refused = coordinator.post("/manage/cohorts/angkatan-1/edit", data=fields)
    assert refused.status_code == 400
    assert "Tidak ada yang disimpan" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert _cohort(app).capacity == 40
    assert _cohort(app).description == ""
    fields.update(capacity="30", ends_on="2000-01-01")
    refused = coordinator.post("/manage/cohorts/angkatan-1/edit", data=fields)
    assert refused.status_code == 400
    assert "Tanggal selesai mendahului tanggal mulai" in refused.text
    assert _cohort(app).capacity == 40


def test_a_participant_is_asked_before_withdrawing(app, make_cohort, login_as):
    make_cohort(capacity=1)
    first, first_id = login_as()
    apply(first)
    second, second_id = login_as()
    apply(second)
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    decide(coordinator, [ids[first_id]], "accept")
    decide(coordinator, [ids[second_id]], "waitlist")

    listing = first.get("/cohorts").text
    assert 'href="/cohorts/angkatan-1/withdraw"' in listing
    assert 'action="/cohorts/angkatan-1/withdraw"' not in listing  # no one-click form
    # A POST without the confirmation (an old page, a replayed form) only asks.
    asked = first.post("/cohorts/angkatan-1/withdraw", data={"csrf_token": csrf_from(listing)})
    assert asked.status_code == 200
    assert status_of(app, first_id) == "accepted"
    page = first.get("/cohorts/angkatan-1/withdraw")
    assert page.status_code == 200
    assert "daftar tunggu" in page.text
    assert status_of(app, first_id) == "accepted"
    assert status_of(app, second_id) == "waitlisted"
    done = first.post("/cohorts/angkatan-1/withdraw", data=form_fields(page.text, "confirm"))
    assert done.status_code == 302
    assert status_of(app, first_id) == "withdrawn"
    assert status_of(app, second_id) == "accepted"
    again = first.post("/cohorts/angkatan-1/withdraw", data=form_fields(page.text, "confirm"),
                       follow_redirects=True)
    assert "Sudah mengundurkan diri" in again.text


def test_a_coordinator_is_asked_before_withdrawing_someone(app, make_cohort, login_as):
    make_cohort(capacity=1)
    first, first_id = login_as(full_name="Ani Peserta")
    apply(first)
    second, second_id = login_as()
    apply(second)
    coordinator, _ = login_as("coordinator")
    ids = member_ids(app)
    decide(coordinator, [ids[first_id]], "accept")
    decide(coordinator, [ids[second_id]], "waitlist")
    url = f"/manage/members/{ids[first_id]}/withdraw"
    listing = coordinator.get("/manage/cohorts/angkatan-1").text
    assert f'href="{url}"' in listing
    asked = coordinator.post(url, data={"csrf_token": csrf_from(listing)})
    assert asked.status_code == 200
    assert "Ani Peserta" in asked.text
    assert status_of(app, first_id) == "accepted"
    done = coordinator.post(url, data=form_fields(asked.text, "confirm"))
    assert done.status_code == 302
    assert status_of(app, first_id) == "withdrawn"
    assert status_of(app, second_id) == "accepted"
    participant, _ = login_as()
    assert participant.get(url).status_code == 403
    with app.app_context():
        assert db.session.get(CohortMember, ids[first_id]).decided_by_id is not None
