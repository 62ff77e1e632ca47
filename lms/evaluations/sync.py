"""Store the survey files in the database, by stable id, one version per content.

A changed file becomes a new EvaluationSurveyVersion; the old version stays, so
the responses given to it keep their meaning (their scale, their items' texts).
An invalid file is refused and its last good version keeps serving. Rows are
flushed; the caller (`lms content sync`) commits once.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from lms.clock import utcnow
from lms.courses.models import Program
from lms.evaluations.loader import SURVEYS_DIR, SurveySource, load_surveys
from lms.evaluations.models import EvaluationSurvey, EvaluationSurveyVersion
from lms.extensions import db

DEFAULT_SURVEY = "evaluasi-diklat"


def configured_survey() -> str:
    """The survey every cohort uses (config EVALUATION_SURVEY, default evaluasi-diklat)."""
    return current_app.config.get("EVALUATION_SURVEY") or DEFAULT_SURVEY


def sync_surveys(root: Path) -> list[str]:
    """Upsert the valid surveys below root/_surveys; returns every problem as `path:line: msg`.

    Surveys whose file is gone are deactivated, but only when every file loaded
    cleanly: a file that could not even be read might be the one that holds them.
    """
    sources, problems = load_surveys(root)
    for source in sources:
        _sync_survey(source)
    if not problems:
        present = {s.id for s in sources}
        for survey in db.session.scalars(select(EvaluationSurvey)):
            if survey.slug not in present:
                survey.is_active = False
    db.session.flush()
    found = [str(p) for p in problems]
    missing = _missing_survey(Path(root))
    if missing:
        found.append(missing)
    return found


def _missing_survey(root: Path) -> str | None:
    """Why the configured survey is a problem, if it is one.

    A deployment without a _surveys folder and without any program requiring the
    evaluation simply has no evaluation; otherwise the survey must exist.
    """
    wanted = configured_survey()
    if db.session.scalar(select(EvaluationSurvey.id).where(
            EvaluationSurvey.slug == wanted, EvaluationSurvey.is_active.is_(True))):
        return None
    requiring = sorted(p.slug for p in db.session.scalars(
        select(Program).where(Program.is_active.is_(True)))
        if (p.certificate or {}).get("require_evaluation"))
    if not requiring and not (root / SURVEYS_DIR).is_dir():
        return None
    why = (f"programs {', '.join(requiring)} require it for the certificate" if requiring
           else "participants cannot give an evaluation")
    return (f"{root / SURVEYS_DIR}:0: EVALUATION_SURVEY is '{wanted}' but no valid survey "
            f"file has that id; {why}")


def _sync_survey(source: SurveySource) -> EvaluationSurveyVersion:
    survey = db.session.scalar(select(EvaluationSurvey).where(EvaluationSurvey.slug == source.id))
    if survey is None:
        survey = EvaluationSurvey(slug=source.id, title=source.title)
        db.session.add(survey)
        db.session.flush()
    survey.title = source.title
    survey.is_active = True
    survey.synced_at = utcnow()
    digest = source.digest
    versions = list(db.session.scalars(select(EvaluationSurveyVersion).where(
        EvaluationSurveyVersion.survey_id == survey.id)))
    current = next((v for v in versions if v.content_hash == digest), None)
    if current is None:
        number = (db.session.scalar(select(func.max(EvaluationSurveyVersion.number)).where(
            EvaluationSurveyVersion.survey_id == survey.id)) or 0) + 1
        current = EvaluationSurveyVersion(survey_id=survey.id, number=number,
                                          content_hash=digest, data=source.to_dict())
        db.session.add(current)
    for version in versions:
        version.is_current = version is current
    current.is_current = True
    db.session.flush()
    return current
