"""The audit log: who did what, when, with what result, from where."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request

from ..db import db
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


def entries_page(page: int, per_page: int = 50) -> Any:
    """One page of the audit log, newest first (a Flask-SQLAlchemy pagination); past the end: the last page."""
    total = db.session.scalar(db.select(db.func.count(AuditLog.id))) or 0
    page = min(page, max(1, -(-total // per_page)))
    return db.paginate(db.select(AuditLog).order_by(AuditLog.id.desc()), page=page, per_page=per_page,
                       error_out=False)
