"""Editing, roles, deactivation and reset links from the person page, each audited."""

import re

from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import CohortMember
from lms.extensions import db
from tests.conftest import PASSWORD, AuthActions
from tests.people.conftest import mails, post

DETAILS = {"full_name": "Budi Santoso", "academic_title": "S.IP.", "nip": "",
           "institution": "Perpustakaan Contoh", "position": "Pustakawan",
           "email": "budi@example.org"}


def audit_rows(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == action).order_by(AuditEntry.id)))


def test_coordinator_edits_details_with_before_and_after_in_the_audit_log(
        app, login_as, member):
    target, _ = member(full_name="Budi Santoso", email="budi@example.org")
    coordinator, coordinator_id = login_as("coordinator")
    url = f"/people/{target}"
    response = post(coordinator, f"{url}/edit", {
        **DETAILS, "full_name": "  Budi   Santoso Wibowo ", "academic_title": "S.IP., M.Hum.",
        "nip": "198001012005011001", "email": "Budi.Baru@Example.org"}, form_url=url)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, target)
        assert (user.full_name, user.academic_title, user.nip, user.email) == (
            "Budi Santoso Wibowo", "S.IP., M.Hum.", "198001012005011001", "budi.baru@example.org")
    [entry] = audit_rows(app, "person.update")
    assert entry.actor_id == coordinator_id
    assert entry.target_id == target
    assert entry.changes["full_name"] == ["Budi Santoso", "Budi Santoso Wibowo"]
    assert entry.changes["email"] == ["budi@example.org", "budi.baru@example.org"]
    assert "institution" not in entry.changes
    assert any(m["To"] == "budi@example.org" and "budi.baru@example.org" in m.get_content()
               for m in mails(app))  # the old address is told
    assert "Budi Santoso Wibowo, S.IP., M.Hum." in coordinator.get(url).text


def test_bad_details_are_named_and_nothing_is_saved(app, login_as, member, make_user):
    target, _ = member(full_name="Budi Santoso", email="budi@example.org")
    make_user(email="sari@example.org")
    admin, _ = login_as("admin")
    url = f"/people/{target}"
    cases = [({"nip": "12345"}, "NIP terdiri atas tepat 18 angka."),
             ({"email": "bukan-email"}, "bukan-email bukan alamat email."),
             ({"email": "SARI@example.org"}, "Akun lain sudah memakai sari@example.org."),
             ({"full_name": ""}, "Tulis nama seperti yang seharusnya tercetak pada sertifikat."),
             ({"full_name": "x" * 300}, "Nama paling banyak 200 karakter; yang ini 300 karakter."),
             ({"position": "y" * 250}, "Jabatan paling banyak 200 karakter; yang ini 250")]
    for change, message in cases:
        response = post(admin, f"{url}/edit", {**DETAILS, "full_name": "Nama Baru", **change},
                        form_url=url)
        assert response.status_code == 400, change
        assert message in response.text, change
    with app.app_context():
        user = db.session.get(User, target)
        assert (user.full_name, user.email, user.nip) == ("Budi Santoso", "budi@example.org", None)
    assert audit_rows(app, "person.update") == []


def test_admin_changes_roles_but_not_their_own_nor_the_last_admin(app, login_as, member):
    target, _ = member()
    admin, admin_id = login_as("admin")
    response = post(admin, f"/people/{target}/role", {"role": "instructor"},
                    form_url=f"/people/{target}")
    assert response.status_code == 302
    page = admin.get(f"/people/{target}")
    assert "sekarang berperan sebagai Pengajar" in page.text
    [entry] = audit_rows(app, "person.role")
    assert entry.changes == {"role": ["participant", "instructor"]}
    assert entry.actor_id == admin_id
    post(admin, f"/people/{admin_id}/role", {"role": "participant"}, form_url="/people/")
    assert "Anda tidak dapat mengubah peran Anda sendiri." in admin.get("/people/").text
    post(admin, f"/people/{target}/role", {"role": "superuser"}, form_url="/people/")
    with app.app_context():
        assert db.session.get(User, admin_id).role == "admin"
        assert db.session.get(User, target).role == "instructor"


def test_the_last_admin_is_never_removed(app, runner, login_as, make_user):
    only_id, only_email = make_user(role="admin", full_name="Admin Tunggal")
    result = runner.invoke(args=["users", "deactivate", only_email])
    assert result.exit_code == 1
    assert "administrator aktif terakhir" in result.output
    result = runner.invoke(args=["users", "role", only_email, "coordinator"])
    assert result.exit_code == 1
    second, _ = login_as("admin")
    assert post(second, f"/people/{only_id}/deactivate", form_url="/people/").status_code == 302
    with app.app_context():
        assert not db.session.get(User, only_id).is_active_account
    # Now `second` is the last active admin: the command line refuses to remove them too.
    with app.app_context():
        last = db.session.scalar(select(User).where(User.role == "admin",
                                                    User.is_active_account.is_(True)))
    assert runner.invoke(args=["users", "deactivate", last.email]).exit_code == 1
    with app.app_context():
        assert db.session.get(User, last.id).is_active_account


def test_deactivation_ends_sessions_refuses_sign_in_and_keeps_records(
        app, client, login_as, holder):
    target, address, certificate_id = holder(full_name="Budi Santoso")
    participant = app.test_client()
    AuthActions(participant).login(address)
    assert participant.get("/learning").status_code == 200
    coordinator, coordinator_id = login_as("coordinator")
    response = post(coordinator, f"/people/{target}/deactivate", form_url=f"/people/{target}")
    assert response.status_code == 302
    page = coordinator.get(f"/people/{target}")
    assert "tidak dapat masuk lagi" in page.text
    assert "Dinonaktifkan: tidak dapat masuk" in page.text
    assert participant.get("/learning").status_code == 302  # the open session has ended
    assert AuthActions(client).login(address).status_code == 401
    [entry] = audit_rows(app, "person.deactivate")
    assert entry.changes == {"is_active_account": [True, False]}
    assert entry.actor_id == coordinator_id
    with app.app_context():
        assert db.session.get(Certificate, certificate_id).status == "valid"
        assert db.session.scalar(select(func.count()).select_from(CohortMember).where(
            CohortMember.user_id == target)) == 1
    # A reset link is refused for a deactivated account; twice deactivating says so.
    post(coordinator, f"/people/{target}/reset-link", form_url=f"/people/{target}")
    assert "aktifkan kembali akunnya terlebih dahulu" in coordinator.get(f"/people/{target}").text
    post(coordinator, f"/people/{target}/deactivate", form_url=f"/people/{target}")
    assert "sudah dinonaktifkan" in coordinator.get(f"/people/{target}").text
    assert len(audit_rows(app, "person.deactivate")) == 1
    post(coordinator, f"/people/{target}/reactivate", form_url=f"/people/{target}")
    assert AuthActions(client).login(address).status_code == 302
    assert audit_rows(app, "person.reactivate")[0].changes == {
        "is_active_account": [False, True]}


def test_an_admin_cannot_deactivate_themselves(app, login_as, make_user):
    make_user(role="admin")
    admin, admin_id = login_as("admin")
    post(admin, f"/people/{admin_id}/deactivate", form_url="/people/")
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in admin.get("/people/").text
    with app.app_context():
        assert db.session.get(User, admin_id).is_active_account


def test_reset_link_is_mailed_audited_and_works_once(app, client, login_as, member):
    target, address = member(email="lupa@example.org")
    coordinator, coordinator_id = login_as("coordinator", full_name="Koordinator Satu")
    response = post(coordinator, f"/people/{target}/reset-link", form_url=f"/people/{target}")
    assert response.status_code == 302
    [message] = [m for m in mails(app) if m["To"] == address and "/auth/reset/" in
                 m.get_content()]
    assert "Koordinator Satu" in message.get_content()
    link = re.search(r"http://localhost(/auth/reset/\S+)", message.get_content()).group(1)
    [entry] = audit_rows(app, "person.reset_link")
    assert (entry.actor_id, entry.target_id) == (coordinator_id, target)
    assert "reset/" not in str(entry.changes) + entry.summary  # no token in the log
    form = client.get(link)
    assert form.status_code == 200
    data = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                    form.text).group(1),
            "new_password": "sandi-baru-sekali", "new_password_confirm": "sandi-baru-sekali"}
    assert client.post(link, data=data).status_code == 302
    assert AuthActions(client).login(address, "sandi-baru-sekali").status_code == 302
    assert AuthActions(app.test_client()).login(address, PASSWORD).status_code == 401
    assert client.get(link).status_code == 302  # used once


def test_two_admins_removing_each_other_at_once_leave_one(app, make_user):
    import threading

    from lms.people import services

    first, _ = make_user(role="admin")
    second, _ = make_user(role="admin")
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(actor_id, target_id):
        barrier.wait(timeout=30)
        with app.app_context():
            try:
                actor = db.session.get(User, actor_id)
                target = db.session.get(User, target_id)
                services.deactivate(target, actor)
                db.session.commit()
                outcomes.append("done")
            except services.PeopleError as exc:
                db.session.rollback()
                outcomes.append(exc.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=remove, args=pair)
               for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "last-admin"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.is_active_account.is_(True))) == 1
