"""The consent given to the privacy notice at registration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from lms.audit import services as audit
from lms.auth.models import User
from lms.extensions import db
from lms.privacy.models import PrivacyConsent


def record_consent(user: User, notice_version: str | None, consented_at: datetime) -> None:
    """Keep that the person agreed to this version of the notice (nothing for None: an
    account made before consent was asked, or by a coordinator). Audited."""
    if not notice_version:
        return
    db.session.add(PrivacyConsent(user_id=user.id, notice_version=notice_version,
                                  consented_at=consented_at))
    audit.record(user.id, "privacy.consent", "user", user.id,
                 f"privacy notice {notice_version}")
    db.session.flush()


def consents_of(user: User) -> list[PrivacyConsent]:
    return list(db.session.scalars(select(PrivacyConsent).where(
        PrivacyConsent.user_id == user.id).order_by(PrivacyConsent.id)))
