"""The coordinator's certificate page leads to what an employer reads: the verification
page of a revoked certificate too (found by tests/browser/test_role_journeys.py)."""

from lms.auth.models import User
from lms.certificates import revisions, services
from lms.cohorts.models import Cohort
from lms.extensions import db
from tests.certificates import test_issuing
from tests.certificates.test_issuing import participant
from tests.conftest import AuthActions

cohort_id = test_issuing.cohort_id  # the fixture: one course with a post-test, one cohort


def test_a_revoked_certificate_links_to_its_verification_page(app, cohort_id, make_user):
    holder_id, _ = participant(app, cohort_id, make_user, full_name="Ani Dicabut")
    with app.app_context():
        certificate = services.issue(db.session.get(Cohort, cohort_id),
                                     db.session.get(User, holder_id), None)
        revisions.revoke(certificate, "Data kehadiran keliru", None)
        db.session.commit()
        number, code = certificate.number, certificate.verification_code
    _, email = make_user(role="coordinator")
    staff = app.test_client()
    AuthActions(staff).login(email)
    page = staff.get("/manage/cohorts/angkatan-1/certificates").text
    assert f"{number}: dicabut" in page
    assert f'<a href="/verify/{code}">halaman verifikasi {number}</a>' in page
    assert "Dicabut pada" in staff.get(f"/verify/{code}").text
