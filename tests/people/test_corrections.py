"""A holder asks to correct the printed name; coordinators approve or reject; reissue."""

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.people.models import NameCorrection
from tests.conftest import AuthActions
from tests.people.conftest import mails, post


def signed_in(app, address):
    client = app.test_client()
    assert AuthActions(client).login(address).status_code == 302
    return client


def ask(client, certificate_id, name, reason=""):
    return post(client, "/profile/correction", {"certificate": str(certificate_id),
                                                "requested_name": name, "reason": reason})


def test_an_empty_or_too_long_name_gets_a_clear_message(app, holder):
    _, address, certificate_id = holder(full_name="Budi Santosa")
    client = signed_in(app, address)
    empty = ask(client, certificate_id, "   ")
    assert empty.status_code == 400
    assert "Tulis nama seperti yang seharusnya tercetak pada sertifikat." in empty.text
    long = ask(client, certificate_id, "B" * 300)
    assert long.status_code == 400
    assert "Nama paling banyak 200 karakter; yang ini 300 karakter." in long.text
    same = ask(client, certificate_id, "Budi  Santosa")
    assert same.status_code == 400
    assert "sudah menjadi nama yang tercetak" in same.text
    with app.app_context():
        assert db.session.scalars(select(NameCorrection)).all() == []


def test_a_request_reaches_the_coordinators_who_approve_and_reissue(app, holder, login_as,
                                                                    make_user):
    user_id, address, certificate_id = holder(full_name="Budi Santosa")
    coordinator, coordinator_id = login_as("coordinator", email="koordinator@example.org")
    participant = signed_in(app, address)
    response = ask(participant, certificate_id, "Budi Santoso", "Salah ketik huruf o.")
    assert response.status_code == 302
    page = participant.get("/profile")
    assert "menunggu keputusan koordinator" in page.text
    again = ask(participant, certificate_id, "Budi Santoso Wibowo")
    assert again.status_code == 400
    assert "sudah memiliki permohonan yang menunggu keputusan" in again.text
    # The coordinator is told by mail and sees the entry in the header and the list.
    assert any(m["To"] == "koordinator@example.org" and "Budi Santoso" in m.get_content()
               for m in mails(app))
    header = coordinator.get("/people/")
    assert 'href="/people/corrections"' in header.text
    assert '<span class="badge badge-new">1</span>' in header.text
    listing = coordinator.get("/people/corrections")
    assert "Budi Santosa → Budi Santoso" in listing.text
    assert "Salah ketik huruf o." in listing.text
    with app.app_context():
        correction_id = db.session.scalar(select(NameCorrection.id))
    approved = post(coordinator, f"/people/corrections/{correction_id}/approve", {"note": ""},
                    form_url="/people/corrections")
    assert approved.status_code == 302
    assert approved.headers["Location"].endswith(f"/people/{user_id}#certificates")
    person = coordinator.get(f"/people/{user_id}")
    assert "Terbitkan ulang" in person.text
    with app.app_context():
        assert db.session.get(User, user_id).full_name == "Budi Santoso"
        correction = db.session.get(NameCorrection, correction_id)
        assert (correction.status, correction.decided_by_id) == ("approved", coordinator_id)
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "name_correction.approve"))
        assert entry.changes == {"full_name": ["Budi Santosa", "Budi Santoso"]}
    assert any(m["To"] == address and m["Subject"] == "Koreksi nama Anda disetujui"
               for m in mails(app))
    # Approving twice changes nothing more.
    post(coordinator, f"/people/corrections/{correction_id}/approve", {},
         form_url="/people/corrections")
    assert "Permohonan ini sudah diputuskan." in coordinator.get("/people/corrections").text
    # The offered reissue gives a new certificate with the new name; the old one is replaced.
    url = f"/people/{user_id}/certificates/{certificate_id}/reissue"
    assert post(coordinator, url, form_url=f"/people/{user_id}").status_code == 302
    with app.app_context():
        old = db.session.get(Certificate, certificate_id)
        new = db.session.get(Certificate, old.superseded_by_id)
        assert (old.status, new.status, new.holder_name) == ("superseded", "valid",
                                                             "Budi Santoso")
    assert "diterbitkan ulang sebagai" in coordinator.get(f"/people/{user_id}").text
    # A replayed reissue, or one of a certificate already right, is refused and issues nothing.
    post(coordinator, url, form_url=f"/people/{user_id}")
    assert f"Sertifikat {old.number} sudah diganti dengan {new.number}" in coordinator.get(
        f"/people/{user_id}").text
    post(coordinator, f"/people/{user_id}/certificates/{new.id}/reissue",
         form_url=f"/people/{user_id}")
    assert "sudah memuat nama Budi Santoso" in coordinator.get(f"/people/{user_id}").text
    with app.app_context():
        assert len(db.session.scalars(select(Certificate)).all()) == 2


def test_a_rejection_needs_a_reason_which_reaches_the_holder(app, holder, login_as):
    user_id, address, certificate_id = holder(full_name="Budi Santosa")
    coordinator, _ = login_as("coordinator")
    participant = signed_in(app, address)
    ask(participant, certificate_id, "Bukan Nama Saya")
    with app.app_context():
        correction_id = db.session.scalar(select(NameCorrection.id))
    url = f"/people/corrections/{correction_id}/reject"
    post(coordinator, url, {"note": "  "}, form_url="/people/corrections")
    assert "Tuliskan alasan permohonan ditolak" in coordinator.get("/people/corrections").text
    post(coordinator, url, {"note": "Nama harus sesuai KTP."}, form_url="/people/corrections")
    with app.app_context():
        assert db.session.get(NameCorrection, correction_id).status == "rejected"
        assert db.session.get(User, user_id).full_name == "Budi Santosa"
    assert any(m["To"] == address and "Nama harus sesuai KTP." in m.get_content()
               for m in mails(app))
    assert "Nama harus sesuai KTP." in participant.get("/profile").text


def test_forged_requests_and_decisions_are_refused(app, holder, login_as, member):
    _, first_address, first_certificate = holder(full_name="Budi Santosa")
    second_id, second_address, second_certificate = holder(full_name="Sari Dewi")
    participant = signed_in(app, first_address)
    for forged in (second_certificate, "999999", "abc"):
        response = ask(participant, forged, "Nama Curian")
        assert response.status_code == 400
        assert "Pilih salah satu sertifikat Anda yang berlaku." in response.text
    ask(participant, first_certificate, "Budi Santoso")
    with app.app_context():
        correction_id = db.session.scalar(select(NameCorrection.id))
    other = signed_in(app, second_address)
    for client in (participant, other):
        response = post(client, f"/people/corrections/{correction_id}/approve")
        assert response.status_code == 403
    instructor, _ = login_as("instructor")
    assert instructor.get("/people/corrections").status_code == 403
    coordinator, _ = login_as("coordinator")
    assert post(coordinator, "/people/corrections/999999/approve",
                form_url="/people/corrections").status_code == 404
    # A certificate of someone else cannot be reissued through another person's page.
    response = post(coordinator, f"/people/{second_id}/certificates/{first_certificate}/reissue",
                    form_url="/people/corrections")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(NameCorrection, correction_id).status == "pending"
        assert {c.status for c in db.session.scalars(select(Certificate))} == {"valid"}
