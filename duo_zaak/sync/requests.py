"""Runs asked for on the page "Bron en volledigheid": the web writes a request row (`sync_verzoek`), the worker
(`flask --app app poll`) looks for one every few seconds and runs at once. The web never runs a sync itself.

The only module of the sync the web may import (with the notification queue): it writes no mirror table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from ..db import db
from ..models import SyncVerzoek


@dataclass(frozen=True)
class Claimed:
    """The requests the worker took up at once: how many, and whether any of them asked for a full run."""

    aantal: int
    volledig: bool


def request_run(door: str, *, volledig: bool = False) -> tuple[SyncVerzoek, bool]:
    """Ask the worker for a run (the caller commits, with its audit entry); returns the waiting request and
    whether it is new. While one waits a second adds nothing; asking for a full run makes the waiting one full."""
    waiting = pending()
    if waiting is not None:
        if volledig and not waiting.volledig:
            waiting.volledig = True
        return waiting, False
    verzoek = SyncVerzoek(aangevraagd_door=door[:80], volledig=volledig, aangevraagd_op=datetime.now(UTC))
    db.session.add(verzoek)
    db.session.flush()
    return verzoek, True


def pending() -> SyncVerzoek | None:
    """The oldest request the worker has not taken up yet."""
    return db.session.scalar(select(SyncVerzoek).where(SyncVerzoek.opgepakt_op.is_(None))
                             .order_by(SyncVerzoek.id).limit(1))


def claim() -> Claimed | None:
    """Take up every waiting request (the worker, just before a run); None when none waits. Commits."""
    waiting = db.session.execute(select(SyncVerzoek.id, SyncVerzoek.volledig)
                                 .where(SyncVerzoek.opgepakt_op.is_(None))).all()
    if not waiting:
        db.session.rollback()
        return None
    db.session.execute(update(SyncVerzoek).where(SyncVerzoek.id.in_([row.id for row in waiting]))
                       .values(opgepakt_op=datetime.now(UTC)))
    db.session.commit()
    return Claimed(len(waiting), any(row.volledig for row in waiting))


def latest() -> SyncVerzoek | None:
    """The newest request, taken up or not (the page says what became of it)."""
    return db.session.scalar(select(SyncVerzoek).order_by(SyncVerzoek.id.desc()).limit(1))
