"""Issued certificates and their number counters."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.extensions import db


class CertificateCounter(db.Model):
    """The next sequence number of one numbering scope; it only ever counts up."""

    __tablename__ = "certificate_counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), unique=True)
    next_value: Mapped[int] = mapped_column(default=1)

    def __repr__(self) -> str:
        return f"<CertificateCounter {self.scope} next={self.next_value}>"


class Certificate(db.Model):
    __tablename__ = "certificates"
    # One valid certificate per person and cohort, whatever two coordinators or two hosts
    # do at the same moment; revoked and superseded ones stay beside it.
    __table_args__ = (
        Index("uq_certificates_one_valid", "cohort_id", "user_id", unique=True,
              sqlite_where=text("status = 'valid'"),
              postgresql_where=text("status = 'valid'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(120), unique=True)
    scope: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[int]
    # At least 128 random bits, so codes can be neither guessed nor enumerated.
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    # "valid", "revoked" or "superseded" (reissued after a correction).
    status: Mapped[str] = mapped_column(String(20), default="valid", index=True)
    issued_at: Mapped[datetime] = mapped_column(server_default=func.now())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    # Everything the PDF prints, frozen at issue (dates as ISO text).
    data: Mapped[dict] = mapped_column(JSON)
    # What the decision to issue was made on: each course's items with their results,
    # the rules, the requirements and the JP (certificates.services._completion). A
    # reissue copies it. None for certificates issued before it was recorded.
    completion: Mapped[dict | None] = mapped_column(JSON)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Certificate {self.number} {self.status}>"
