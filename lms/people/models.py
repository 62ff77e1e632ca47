"""Requests to correct the name printed on an issued certificate."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort
from lms.extensions import db


class CorrectionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class NameCorrection(db.Model):
    """A holder asks the cohort's coordinators to print another name; they decide."""

    __tablename__ = "name_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    # The name as printed when the request was made, and the one asked for.
    current_name: Mapped[str] = mapped_column(String(200))
    requested_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=CorrectionStatus.PENDING,
                                        index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    certificate: Mapped[Certificate] = relationship()
    cohort: Mapped[Cohort] = relationship()

    def __repr__(self) -> str:
        return f"<NameCorrection {self.id} user={self.user_id} {self.status}>"
