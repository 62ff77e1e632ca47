"""The training record as a PDF, made like certificates (WeasyPrint, resources only from
lms/static/), in Indonesian as every printed document is."""

from __future__ import annotations

from datetime import date

from lms.certificates.pdf import _environment, html_to_pdf
from lms.records.record import TrainingRecord


def record_pdf(record: TrainingRecord, today: date) -> bytes:
    """The person's completed trainings, JP per year against the target, made today."""
    html = _environment().get_template("records/record_pdf.html").render(
        record=record, user=record.user, today=today)
    return html_to_pdf(html)
