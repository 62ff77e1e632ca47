"""A program, a cohort and one participant who completed it, with a certificate issued."""

from dataclasses import dataclass

import pytest

from lms.certificates import services
from lms.cohorts.models import Cohort
from lms.extensions import db
from tests.certificates.test_issuing import cohort_id, participant  # noqa: F401


@dataclass
class Issued:
    certificate_id: int
    code: str
    email: str


@pytest.fixture
def issued(app, cohort_id, make_user):  # noqa: F811
    """One valid certificate (issued now, unfrozen: status lists are dated by real time)."""
    _, email = participant(app, cohort_id, make_user, full_name="Siti Rahmawati")
    with app.app_context():
        certificate = services.issue_all(db.session.get(Cohort, cohort_id), None)[0][0]
        db.session.commit()
        return Issued(certificate.id, certificate.verification_code, email)
