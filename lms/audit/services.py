"""Record an action. Called by services; the caller's commit stores it with the change."""

from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms import db_setup
from lms.audit.models import AuditEntry
from lms.extensions import db


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {key: [_plain(before.get(key)), _plain(after.get(key))]
            for key in after if before.get(key) != after.get(key)}


def record(actor_id: int | None, action: str, target_type: str, target_id: int | None,
           summary: str = "", changes: dict | None = None) -> AuditEntry:
    """Add an audit entry (the caller commits); in a GET request, ends its read
    transaction first (see lms.db_setup.writing)."""
    db_setup.writing()
    entry = AuditEntry(
        actor_id=actor_id, action=action, target_type=target_type, target_id=target_id,
        summary=summary[:500], changes={k: [_plain(v) for v in pair] if isinstance(pair, list)
                                        else _plain(pair) for k, pair in (changes or {}).items()},
        ip_address=request.remote_addr if has_request_context() else None)
    db.session.add(entry)
    return entry


def recent(limit: int = 200, action: str | None = None) -> list[AuditEntry]:
    query = (select(AuditEntry).options(joinedload(AuditEntry.actor))
             .order_by(AuditEntry.id.desc()).limit(limit))
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))
