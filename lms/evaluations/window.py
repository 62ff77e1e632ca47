"""When a cohort's evaluation can be answered, and when its results can be read.

Anonymity has to survive snapshots: a coordinator who saves the report, the CSV and the
completion list before and after one person answers must learn nothing from the
difference. So the answers of a cohort are shown only after its evaluation has closed,
all at once, and nobody can answer after that, so they never change again. Completion
(who has not answered yet) stays visible all along, for reminders and the certificate.
"""

from datetime import date, timedelta

from flask import current_app

from lms.cohorts.models import Cohort

DEFAULT_DAYS_AFTER_END = 14
RELEASE_DELAY = timedelta(days=2)  # a whole day between the last answer and the results


def answer_until(cohort: Cohort) -> date:
    """The last day (site zone) on which participants of cohort may send the evaluation:
    EVALUATION_DAYS_AFTER_END days (14 by default) after the cohort's last day."""
    days = int(current_app.config.get("EVALUATION_DAYS_AFTER_END", DEFAULT_DAYS_AFTER_END))
    return cohort.ends_on + timedelta(days=max(0, days))


def results_from(cohort: Cohort) -> date:
    """The day the answers of cohort appear in the report and the CSV, frozen from then on.

    Two days after the last day to answer, not one: an answer sent a moment before
    midnight of the last day is certainly saved before anybody can read the results, so
    the first reading of the results already holds every answer there will ever be.
    """
    return answer_until(cohort) + RELEASE_DELAY


def results_released(cohort: Cohort, today: date) -> bool:
    return today >= results_from(cohort)
