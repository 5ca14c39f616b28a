"""The record of a sync run: its counters, its outcome in `sync_run`, and the one-line summary."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from .. import changes
from ..db import db
from ..formatting import getal
from ..models import Organisatie, SyncRun, SyncVolledigheid

log = logging.getLogger("duo_zaak.sync")


class SyncBusy(RuntimeError):
    """Another sync holds the lock."""


class SyncFailed(RuntimeError):
    """The run failed; it is recorded as failed and the mirror is consistent."""


class SyncStopped(RuntimeError):
    """A stop was requested (SIGTERM): the current batch was finished, the run ends as `afgebroken`."""


@dataclass
class RunStats:
    paginas: int = 0
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    vernietigd: int = 0
    overgeslagen: int = 0


def failed(run_id: int, stats: RunStats, requests: int, full: bool, exc: Exception, today: date) -> SyncFailed:
    """Record the run as failed (on a fresh connection: the old one may be gone) and return the error. The pages
    written before the failure are in the mirror, so the stored figures are brought in line with it.

    If even that fails the run stays `bezig`; the next run closes it as failed."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    message = f"{type(cause).__name__}: {cause}".strip()
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - a connection the server dropped cannot even roll back; it is discarded
        log.debug("sync: rollback on a lost connection", exc_info=True)
    db.session.close()
    try:
        run = db.session.get(SyncRun, run_id)
        if run is not None:
            record(run, stats, requests, "mislukt", message)
            db.session.flush()
            changes.everything_changed(today, "sync mislukt")
            db.session.commit()
    except Exception as record_error:  # noqa: BLE001 - nothing more to do than say so
        db.session.close()
        log.error("sync: de mislukte run kon niet worden vastgelegd: %s", record_error)
    log.error("sync %s mislukt na %s verzoeken: %s", "volledig" if full else "incrementeel", requests, message)
    return SyncFailed(message[:2000])


def record(run: SyncRun, stats: RunStats, requests: int, outcome: str, message: str) -> None:
    run.geeindigd_op = datetime.now(UTC)
    run.uitkomst = outcome
    run.melding = message[:2000]
    run.paginas = stats.paginas
    run.verzoeken = requests
    run.nieuw, run.gewijzigd = stats.nieuw, stats.gewijzigd
    run.ongewijzigd, run.vernietigd = stats.ongewijzigd, stats.vernietigd
    run.overgeslagen = stats.overgeslagen


def summary(run: SyncRun) -> str:
    started = run.gestart_op if run.gestart_op.tzinfo else run.gestart_op.replace(tzinfo=UTC)
    ended = run.geeindigd_op or datetime.now(UTC)
    if ended.tzinfo is None:
        ended = ended.replace(tzinfo=UTC)
    seconds = (ended - started).total_seconds()
    volledigheid = completeness_text(run.id)
    return (f"sync {run.modus} {run.uitkomst} in {seconds:.1f}s: {run.verzoeken} verzoeken, {run.paginas} pagina's, "
            f"{run.nieuw} nieuw, {run.gewijzigd} gewijzigd, {run.ongewijzigd} ongewijzigd, "
            f"{run.vernietigd} vernietigd, {run.overgeslagen or 0} overgeslagen"
            + (f"; {volledigheid}" if volledigheid else "") + (f" — {run.melding}" if run.melding else ""))


def completeness_text(run_id: int) -> str:
    """"volledigheid: bron telt 12.345 / spiegel 12.345, open 1.234 / 1.234" over the organisations measured,
    and per organisation where the two differ or the source was not asked; "" when the run measured nothing."""
    rows = db.session.execute(
        select(Organisatie.naam, SyncVolledigheid.bron_alle, SyncVolledigheid.spiegel_alle,
               SyncVolledigheid.bron_open, SyncVolledigheid.spiegel_open)
        .join(Organisatie, Organisatie.id == SyncVolledigheid.organisatie_id)
        .where(SyncVolledigheid.run_id == run_id).order_by(SyncVolledigheid.id)).all()
    if not rows:
        return ""
    measured = [row for row in rows if row.bron_alle is not None]
    totals = [sum(row[i] for row in measured) for i in range(1, 5)]
    text = (f"volledigheid: bron telt {getal(totals[0])} / spiegel {getal(totals[1])}, "
            f"open {getal(totals[2])} / {getal(totals[3])}")
    differences = [f"{naam} {getal(bron_alle)} / {getal(spiegel_alle)}, open {getal(bron_open)} / {getal(spiegel_open)}"
                   for naam, bron_alle, spiegel_alle, bron_open, spiegel_open in measured
                   if (bron_alle, bron_open) != (spiegel_alle, spiegel_open)]
    text += f" (verschil bij {'; '.join(differences)})" if differences else " (gelijk)"
    missing = [row.naam for row in rows if row.bron_alle is None]
    return text + (f"; niet gemeten bij {', '.join(missing)}" if missing else "")

