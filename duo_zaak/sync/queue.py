"""The notification queue (`notificatie_wachtrij`): the receiver adds zaak URLs, the worker drains them.

The web may import this module (and no other of the sync): it hands the worker work and never writes the
mirror. One row per zaak URL while it waits (a partial unique index; an upsert counts a repeat), so a burst
of notifications about one zaak costs one re-read. The worker claims waiting rows (`bezig`), re-reads each
zaak and records the outcome; a notification arriving meanwhile makes a new waiting row, so a change after
the re-read is not lost. Processed rows are kept a week for `notificaties status`, then pruned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from ..db import db
from ..models import NotificatieWachtrij as Rij

WAITING, BUSY = "wachtend", "bezig"
DONE = ("verwerkt", "vernietigd", "onbekend", "overgeslagen", "samengevoegd", "mislukt")
KEEP = timedelta(days=7)
MAX_ATTEMPTS = 5  # a zaak whose re-read failed this often is left to the next poll (status mislukt)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are stored as UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def enqueue(zaak_url: str, melding: str = "", now: datetime | None = None) -> None:
    """Queue a zaak for a re-read (one INSERT ... ON CONFLICT, committed): a zaak already waiting only
    counts one more notification."""
    moment = now or _now()
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Rij).values(zaak_url=zaak_url, status=WAITING, aantal=1, ontvangen_op=moment,
                                   laatst_ontvangen_op=moment, laatste_melding=melding[:120], pogingen=0, melding="")
    statement = statement.on_conflict_do_update(
        # The partial index's predicate as a literal: with a bound parameter PostgreSQL cannot always infer the
        # arbiter index (a prepared statement after a few executions fails "no unique constraint matching").
        index_elements=[Rij.zaak_url], index_where=text(f"status = '{WAITING}'"),
        set_={"aantal": Rij.aantal + 1, "laatst_ontvangen_op": statement.excluded.laatst_ontvangen_op,
              "laatste_melding": statement.excluded.laatste_melding})
    db.session.execute(statement)
    db.session.commit()


def has_waiting() -> bool:
    """One indexed look-up: is there anything to drain?"""
    return db.session.scalar(select(Rij.id).where(Rij.status == WAITING).limit(1)) is not None


def claim(limit: int) -> list[tuple[int, str]]:
    """The oldest waiting rows (id, zaak URL), now `bezig`. Call under the writer lock: one drainer."""
    rows = db.session.execute(select(Rij.id, Rij.zaak_url).where(Rij.status == WAITING)
                              .order_by(Rij.id).limit(limit)).all()
    if rows:
        db.session.execute(update(Rij).where(Rij.id.in_([row.id for row in rows]), Rij.status == WAITING)
                           .values(status=BUSY).execution_options(synchronize_session=False))
    db.session.commit()
    return [(row.id, row.zaak_url) for row in rows]


def finish(row_id: int, status: str, melding: str = "", now: datetime | None = None) -> None:
    """Record the outcome of one claimed row (in the caller's transaction)."""
    db.session.execute(update(Rij).where(Rij.id == row_id).values(
        status=status, verwerkt_op=now or _now(), melding=melding[:2000], pogingen=Rij.pogingen + 1)
        .execution_options(synchronize_session=False))


def release(row_ids: list[int] | None = None, melding: str = "", *, attempt: bool = False) -> int:
    """Put claimed rows (these, or every `bezig` row: what a stopped worker left) back to waiting. A row whose
    zaak is waiting again already ends `samengevoegd` (that row re-reads it); one that failed MAX_ATTEMPTS
    times ends `mislukt` (the next poll is the safety net). `attempt`: the rows were tried (a failed
    re-read), which counts. Returns the rows put back. Commits."""
    query = [Rij.status == BUSY] + ([Rij.id.in_(row_ids)] if row_ids is not None else [])
    now = _now()
    if attempt:
        db.session.execute(update(Rij).where(*query).values(pogingen=Rij.pogingen + 1)
                           .execution_options(synchronize_session=False))
    other = aliased(Rij)
    waiting_again = exists().where(and_(other.zaak_url == Rij.zaak_url, other.status == WAITING))
    db.session.execute(update(Rij).where(*query, waiting_again).values(status="samengevoegd", verwerkt_op=now)
                       .execution_options(synchronize_session=False))
    back = db.session.execute(update(Rij).where(*query, Rij.pogingen < MAX_ATTEMPTS)
                              .values(status=WAITING, melding=melding[:2000])
                              .execution_options(synchronize_session=False)).rowcount
    db.session.execute(update(Rij).where(*query).values(status="mislukt", verwerkt_op=now, melding=melding[:2000])
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return back


def prune(now: datetime | None = None) -> int:
    """Delete processed rows older than KEEP (commits)."""
    removed = db.session.execute(delete(Rij).where(Rij.verwerkt_op < (now or _now()) - KEEP)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return removed


@dataclass
class QueueStatus:
    wachtend: int = 0
    oudste: datetime | None = None  # when the oldest waiting row was first notified
    bezig: int = 0
    afgelopen_uur: dict[str, int] = field(default_factory=dict)  # outcome -> rows processed in the last hour
    meldingen_afgelopen_uur: int = 0  # notifications (before collapsing) of the rows processed in the last hour


def status(now: datetime | None = None) -> QueueStatus:
    moment = now or _now()
    result = QueueStatus()
    for state, count, oldest in db.session.execute(
            select(Rij.status, func.count(Rij.id), func.min(Rij.ontvangen_op))
            .where(Rij.status.in_((WAITING, BUSY))).group_by(Rij.status)):
        if state == WAITING:
            result.wachtend, result.oudste = count, _aware(oldest)
        else:
            result.bezig = count
    for state, count, notifications in db.session.execute(
            select(Rij.status, func.count(Rij.id), func.sum(Rij.aantal))
            .where(Rij.verwerkt_op >= moment - timedelta(hours=1)).group_by(Rij.status)):
        result.afgelopen_uur[state] = count
        result.meldingen_afgelopen_uur += int(notifications or 0)
    return result
