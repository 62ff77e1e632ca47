"""`lms users ...`: the same services as the pages, audited with no actor."""

from sqlalchemy import select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.extensions import db
from tests.conftest import AuthActions
from tests.people.conftest import mails


def test_list_and_show(runner, holder, make_user):
    holder(full_name="Budi Santoso", email="budi@example.org")
    make_user(role="admin", full_name="Admin Satu", email="admin@example.org")
    listed = runner.invoke(args=["users", "list"])
    assert listed.exit_code == 0, listed.output
    assert "admin@example.org\tadmin\tAdmin Satu\tactive" in listed.output
    assert "budi@example.org\tparticipant\tBudi Santoso\tactive" in listed.output
    only = runner.invoke(args=["users", "list", "--role", "admin"])
    assert "budi@" not in only.output
    searched = runner.invoke(args=["users", "list", "--search", "budi"])
    assert "admin@" not in searched.output
    shown = runner.invoke(args=["users", "show", "budi@example.org"])
    assert shown.exit_code == 0, shown.output
    assert "cohort       angkatan-1\taccepted" in shown.output
    assert "certificate  001/" in shown.output
    missing = runner.invoke(args=["users", "show", "nobody@example.org"])
    assert missing.exit_code == 1
    assert "no account nobody@example.org" in missing.output


def test_edit_role_deactivate_reactivate_and_reset_link(app, runner, client, make_user):
    user_id, address = make_user(full_name="Budi Santosa", email="budi@example.org")
    make_user(role="admin")
    edited = runner.invoke(args=["users", "edit", address, "--name", "Budi Santoso",
                                 "--title", "S.IP.", "--nip", "198001012005011001"])
    assert edited.exit_code == 0, edited.output
    assert "full_name: Budi Santosa -> Budi Santoso" in edited.output
    bad = runner.invoke(args=["users", "edit", address, "--name", "x" * 300])
    assert bad.exit_code == 1
    assert "200 karakter" in bad.output
    assert runner.invoke(args=["users", "role", address, "instructor"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", str(user_id)]).exit_code == 0
    assert AuthActions(client).login(address).status_code == 401
    twice = runner.invoke(args=["users", "deactivate", address])
    assert twice.exit_code == 1
    assert "sudah dinonaktifkan" in twice.output
    assert runner.invoke(args=["users", "reactivate", address]).exit_code == 0
    link = runner.invoke(args=["users", "reset-link", address])
    assert link.exit_code == 0, link.output
    assert link.output.startswith("http://127.0.0.1:5000/auth/reset/")
    assert any(link.output.strip() in m.get_content() for m in mails(app))
    assert client.get(link.output.strip().removeprefix("http://127.0.0.1:5000")
                      ).status_code == 200
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.full_name, user.academic_title, user.role, user.is_active_account) == (
            "Budi Santoso", "S.IP.", "instructor", True)
        actions = [(e.action, e.actor_id) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.target_id == user_id,
                                     AuditEntry.action.like("person.%"))
            .order_by(AuditEntry.id))]
    assert actions == [("person.update", None), ("person.role", None),
                       ("person.deactivate", None), ("person.reactivate", None),
                       ("person.reset_link", None)]
