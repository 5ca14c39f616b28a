"""The audit log: who did what, when, with what result, from where."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import g, has_request_context, request

from ..db import db
from ..formatting import AMSTERDAM
from ..models import AuditLog


def record(actie: str, object: str = "", resultaat: str = "ok", *, actor: str | None = None,
           details: str = "", commit: bool = False) -> AuditLog:
    """Add an audit entry to the current transaction (and commit when asked)."""
    if actor is None:
        user = g.get("user") if has_request_context() else None
        actor = user.gebruikersnaam if user else ("anoniem" if has_request_context() else "systeem")
    adres = (request.remote_addr or "") if has_request_context() else ""
    entry = AuditLog(actor=actor[:80], actie=actie[:60], object=object[:300], resultaat=resultaat[:40],
                     client_adres=adres, details=details)
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


def entries_page(page: int, per_page: int = 50, *, actie: str | None = None, actor: str | None = None,
                 van: date | None = None, tot: date | None = None) -> Any:
    """One page of the audit log, newest first (a Flask-SQLAlchemy pagination); past the end: the last page.
    Filters: one action, one user (the exact user name, case-insensitive), and a period van..tot inclusive in
    Amsterdam days."""
    conditions = []
    if actie:
        conditions.append(AuditLog.actie == actie)
    if actor:
        conditions.append(db.func.lower(AuditLog.actor) == actor.strip().lower())
    if van:
        conditions.append(AuditLog.tijdstip >= _start_of(van))
    if tot:
        conditions.append(AuditLog.tijdstip < _start_of(tot + timedelta(days=1)))
    total = db.session.scalar(db.select(db.func.count(AuditLog.id)).where(*conditions)) or 0
    page = min(page, max(1, -(-total // per_page)))
    return db.paginate(db.select(AuditLog).where(*conditions).order_by(AuditLog.id.desc()), page=page,
                       per_page=per_page, error_out=False)


def _start_of(day: date) -> datetime:
    """Midnight in Amsterdam of a day, in UTC (the log stores UTC)."""
    return datetime.combine(day, time(), tzinfo=AMSTERDAM).astimezone(UTC)


def actors() -> list[str]:
    """Every user name in the log (the filter's choices), sorted."""
    return sorted(db.session.scalars(db.select(AuditLog.actor).distinct()))
