"""The page "Bron en volledigheid" and /healthz: recent sync runs, the completeness counts (source beside
mirror, per organisation) and the zaak records the last run could not read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from ..db import db
from ..models import Organisatie, SyncOvergeslagen, SyncRun, SyncVerzoek, SyncVolledigheid, Zaak


@dataclass(frozen=True)
class RunRow:
    id: int
    modus: str
    gestart_op: datetime
    duur_seconden: float | None  # None while it runs
    verzoeken: int
    nieuw: int
    gewijzigd: int
    vernietigd: int
    overgeslagen: int
    uitkomst: str
    melding: str


@dataclass(frozen=True)
class Count:
    """One filter of one organisation: the source's own count (None: not measured) and the mirror's."""

    bron: int | None
    spiegel: int

    @property
    def verschil(self) -> int | None:
        return None if self.bron is None else self.spiegel - self.bron


@dataclass(frozen=True)
class CompletenessRow:
    organisatie: str
    alle: Count
    open: Count

    @property
    def gemeten(self) -> bool:
        return self.alle.bron is not None and self.open.bron is not None

    @property
    def gelijk(self) -> bool:
        return self.alle.verschil == 0 and self.open.verschil == 0


@dataclass(frozen=True)
class Completeness:
    run_id: int
    gemeten_op: datetime
    rijen: list[CompletenessRow]

    @property
    def gelijk(self) -> bool:
        """Source and mirror agree wherever the source was asked."""
        return all(row.gelijk for row in self.rijen if row.gemeten)


@dataclass(frozen=True)
class SkippedRow:
    zaak_url: str
    identificatie: str | None  # None: the zaak is not in the mirror
    veld: str
    reden: str


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recent_runs(limit: int = 20) -> list[RunRow]:
    """The latest runs, newest first."""
    runs = db.session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(limit))
    return [RunRow(r.id, r.modus, r.gestart_op,
                   (_aware(r.geeindigd_op) - _aware(r.gestart_op)).total_seconds() if r.geeindigd_op else None,
                   r.verzoeken, r.nieuw, r.gewijzigd, r.vernietigd, r.overgeslagen or 0, r.uitkomst, r.melding or "")
            for r in runs]


def completeness() -> Completeness | None:
    """The counts of the latest run that measured them (None: no run did yet)."""
    run = db.session.execute(select(SyncRun.id, SyncRun.geeindigd_op, SyncRun.gestart_op)
                             .where(SyncRun.id.in_(select(SyncVolledigheid.run_id)))
                             .order_by(SyncRun.id.desc()).limit(1)).first()
    if run is None:
        return None
    rows = db.session.execute(
        select(Organisatie.naam, SyncVolledigheid.bron_alle, SyncVolledigheid.spiegel_alle,
               SyncVolledigheid.bron_open, SyncVolledigheid.spiegel_open)
        .join(Organisatie, Organisatie.id == SyncVolledigheid.organisatie_id)
        .where(SyncVolledigheid.run_id == run.id).order_by(SyncVolledigheid.id))
    return Completeness(run.id, run.geeindigd_op or run.gestart_op,
                        [CompletenessRow(naam, Count(bron_alle, spiegel_alle), Count(bron_open, spiegel_open))
                         for naam, bron_alle, spiegel_alle, bron_open, spiegel_open in rows])


def last_finished_run() -> SyncRun | None:
    return db.session.scalar(select(SyncRun).where(SyncRun.uitkomst != "bezig").order_by(SyncRun.id.desc()).limit(1))


def skipped_records(run_id: int, limit: int = 500) -> list[SkippedRow]:
    """The zaak records the run could not read, by URL (with the mirrored zaak's identificatie)."""
    rows = db.session.execute(
        select(SyncOvergeslagen.zaak_url, Zaak.identificatie, SyncOvergeslagen.veld, SyncOvergeslagen.reden)
        .outerjoin(Zaak, Zaak.id == SyncOvergeslagen.zaak_id).where(SyncOvergeslagen.run_id == run_id)
        .order_by(SyncOvergeslagen.zaak_url, SyncOvergeslagen.id).limit(limit))
    return [SkippedRow(*row) for row in rows]


def running_run() -> SyncRun | None:
    return db.session.scalar(select(SyncRun).filter_by(uitkomst="bezig").order_by(SyncRun.id.desc()).limit(1))


def waiting_request() -> SyncVerzoek | None:
    """A run asked for that the worker has not taken up yet."""
    return db.session.scalar(select(SyncVerzoek).where(SyncVerzoek.opgepakt_op.is_(None))
                             .order_by(SyncVerzoek.id).limit(1))


def health() -> dict[str, object]:
    """For /healthz: the last finished run's outcome and skipped records, and whether the latest completeness
    counts differ anywhere (None when never measured)."""
    run = last_finished_run()
    counts = completeness()
    return {
        "laatste_sync_uitkomst": run.uitkomst if run else None,
        "laatste_sync_overgeslagen": (run.overgeslagen or 0) if run else None,
        "volledigheid_verschil": None if counts is None else not counts.gelijk,
    }
