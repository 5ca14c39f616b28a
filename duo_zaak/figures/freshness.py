"""How fresh the mirror is: the last successful sync and the banner level it calls for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from ..db import db
from ..models import SyncRun


@dataclass(frozen=True)
class Freshness:
    laatste: datetime | None
    leeftijd_seconden: int | None
    niveau: str  # "ok", "waarschuwing", "fout"


def last_successful_sync() -> SyncRun | None:
    return db.session.scalar(
        db.select(SyncRun).filter_by(uitkomst="geslaagd").order_by(SyncRun.gestart_op.desc()).limit(1)
    )


def freshness() -> Freshness:
    run = last_successful_sync()
    if run is None:
        return Freshness(None, None, "fout")
    moment = run.geeindigd_op or run.gestart_op
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    age = int((datetime.now(UTC) - moment).total_seconds())
    limit = 2 * current_app.config["POLL_INTERVAL_SECONDS"]
    return Freshness(moment, age, "waarschuwing" if age > limit else "ok")


def recent_runs(limit: int = 20) -> list[SyncRun]:
    """The latest sync runs, newest first (the beheer page)."""
    return list(db.session.scalars(db.select(SyncRun).order_by(SyncRun.gestart_op.desc()).limit(limit)))
