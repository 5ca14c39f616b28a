"""The sync: InProces (through the ZGW client) into the mirror tables.

Incremental run (domain.md, "What a sync must keep true"):
  1. the catalogue: zaaktypen and resultaattypen lists (cached by URL for the run);
  2. `zaken?archiefstatus=nog_te_archiveren` (open zaken and closed ones not yet archived) and
     `zaken?archiefstatus__in=gearchiveerd,gearchiveerd_procestermijn_onbekend&archiefactiedatum__lt=<tomorrow>`
     (past their archiefactiedatum and not overgedragen), de-duplicated by URL;
  3. every zaak the mirror expected in that set (or with a task marked gemeld_gereed) that the lists did
     not return is asked for by URL: 404 = destroyed (date recorded), otherwise updated;
  4. for every new or changed zaak its behandelaar rol (`rollen?zaak=...`) and its resultaat — or, when
     that would cost more requests than sweeping the filtered `/rollen` list, the sweep. A zaak whose
     `rollen`, `status` or `resultaat` URLs changed is a changed zaak (they are part of its content hash):
     a team move, which changes nothing on the zaak but its rol list, is applied in the same run;
  5. completeness (completeness.py): per configured organisation the source's `count` of all zaken and of
     open ones (pageSize=1), stored beside the mirror's counts.
A full run first lists `/rollen` (filtered to organisatorische_eenheid + behandelaar) and `/resultaten` into
the scratch table sync_verrijking, then all zaken — each written once, with its team and resultaattype —
checks every mirrored zaak the list did not return, and measures completeness. (Inserting zaken first and
setting teams after wrote every row twice, and on PostgreSQL every index entry twice.)

Requests per run (page size P, retries excluded):
  incremental = ceil(Z_t/P) + ceil(R_t/P) + ceil(N/P) + ceil(A/P) + M + min(2·C, ceil(Rol/P) + ceil(Res/P)) + 2·O
  full        = ceil(Z_t/P) + ceil(R_t/P) + ceil(Zall/P) + ceil(Rol/P) + ceil(Res/P) + M + 2·O
with Z_t/R_t zaaktypen/resultaattypen, N the nog_te_archiveren set, A the archived-but-due set,
M the zaken missing from the lists (each one GET), C the changed or new zaken (2 requests each: the rol and,
when it has one, the resultaat; moved teams included), Rol/Res the behandelaar rollen/resultaten and O the
configured organisations. Nothing is requested per unchanged zaak.

A zaak record that cannot be read (a required field missing or malformed) skips that zaak, not the run
(unreadable.py): its row stays as it was and gets the finding onleesbaar_in_bron, the run lists it in
sync_overgeslagen and ends geslaagd with "N overgeslagen". An unreadable page still fails the run.

Each page is upserted in one transaction (a full run: the pages of about a second, FULL_RUN_COMMIT_SECONDS);
unchanged zaken (same content hash, and in a full run the same team and resultaattype) are not rewritten. Pages
are fetched one ahead while the previous one is written (prefetch.py). A failed run leaves every committed page
consistent and the watermark (the last successful run) as it was.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update

from connectors.zgw.client import ZGWClient
from connectors.zgw.errors import ZGWNotFound, ZGWRecordError

from .. import changes
from ..db import db
from ..models import SyncRun, Zaak
from ..rules.archive import ArchiveSettings
from ..tasks import lifecycle as tasks
from . import completeness
from .context import ID_RANGE, ROL_FILTER, Progress
from .enrichment import Enricher, Enrichment
from .idset import IdSet
from .locking import LockBusy, sync_lock
from .prefetch import prefetch
from .record import RunStats, SyncBusy, SyncFailed, SyncStopped, failed, log, record, summary
from .unreadable import record_skipped
from .writing import SYNC_FIELDS_VERSION, Changed, update_ids

ARCHIVED_STATUSES = "gearchiveerd,gearchiveerd_procestermijn_onbekend"
KEEP_CHANGED = 10_000  # changed zaken kept for one-by-one enrichment (a sweep is cheaper long before)

__all__ = ["ROL_FILTER", "SyncBusy", "SyncFailed", "Syncer", "run_sync", "summary"]


class Syncer(Enricher):
    """One sync run. Use `run_sync()`; the steps live in the classes it builds on (catalogue, staging, writing,
    enrichment), the run's state in `context.RunContext`."""

    def list_pages(self, full: bool) -> Iterator[tuple[str, Any]]:
        if full:
            yield "zaken", self.client.zaken_pages(skip_unreadable=True)
        else:
            tomorrow = self.today + timedelta(days=1)
            yield "nog_te_archiveren", self.client.zaken_pages(skip_unreadable=True, archiefstatus="nog_te_archiveren")
            yield "archiefactiedatum_verstreken", self.client.zaken_pages(
                skip_unreadable=True, archiefstatus__in=ARCHIVED_STATUSES, archiefactiedatum__lt=tomorrow)

    def expected_not_seen(self, full: bool, seen: IdSet) -> list[tuple[int, str]]:
        """Zaken the mirror expected in this run's lists that they did not return."""
        query = select(Zaak.id).where(Zaak.vernietigd_op.is_(None))
        if not full:
            tomorrow = self.today + timedelta(days=1)
            query = query.where(or_(
                Zaak.einddatum.is_(None),
                Zaak.archiefstatus == "nog_te_archiveren",
                (Zaak.archiefactiedatum < tomorrow) & (Zaak.archiefstatus != "overgedragen"),
                Zaak.id.in_(tasks.gemeld_gereed_zaak_ids()),
            ))
        ids = [zaak_id for zaak_id in db.session.scalars(query.execution_options(yield_per=ID_RANGE))
               if zaak_id not in seen]
        missing: list[tuple[int, str]] = []
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            missing.extend((row.id, row.url) for row in db.session.execute(
                select(Zaak.id, Zaak.url).where(Zaak.id.in_(chunk))))
        return sorted(missing)

    def check_missing(self, missing: list[tuple[int, str]], seen: IdSet) -> list[Changed]:
        changed: list[Changed] = []
        for done, (zaak_id, url) in enumerate(missing, start=1):
            try:
                record = self.client.get_zaak(url)
            except ZGWNotFound:
                db.session.execute(update(Zaak).where(Zaak.id == zaak_id).values(vernietigd_op=self.today))
                self.stats.vernietigd += 1
                changed.append(Changed(zaak_id, None))
            except ZGWRecordError as exc:
                self.stats.overgeslagen += record_skipped([exc], self.run_id, seen, self.skipped)
            else:
                changed.extend(self.upsert_page([record], IdSet()))
            if done % 100 == 0:
                db.session.commit()
                self.progress("ontbrekende zaken", done, len(missing))
        db.session.commit()
        return changed

    def run(self, full: bool) -> RunStats:
        self.load_catalogue()
        if full:
            self.stage_enrichment()
            self.staged = True
        seen = IdSet()
        for stage, pages in self.list_pages(full):
            done = 0
            for page in prefetch(pages):
                self.stats.paginas += 1
                page_changed = self.upsert_page(page.results, seen)
                self.stats.overgeslagen += record_skipped(page.skipped, self.run_id, seen, self.skipped)
                self.refresh_tasks([item.id for item in page_changed], self.written_due)
                self.commit_pages(batched=full)
                done += len(page.results) + len(page.skipped)
                self.progress(stage, done, page.count)
                if self.should_stop():
                    db.session.commit()  # the pages read so far stay
                    raise SyncStopped(f"gestopt op verzoek na {self.stats.paginas} pagina's")
        db.session.commit()
        changed = self.check_missing(self.expected_not_seen(full, seen), seen)
        self.refresh_tasks([item.id for item in changed])
        # Marks are confirmed (or come back as niet_bevestigd) at every run, not only on the daily step.
        self.refresh_tasks(list(db.session.scalars(tasks.gemeld_gereed_zaak_ids().distinct())))
        db.session.commit()
        if full:
            self.clear_staging()
            db.session.execute(update(Zaak).where(Zaak.verrijken).values(verrijken=False)
                               .execution_options(synchronize_session=False))
            db.session.commit()
        else:
            self.enrich_changed()
        completeness.measure(self.client, self.organisaties, self.org_ids, self.run_id)
        db.session.commit()
        return self.stats

    def enrich_changed(self) -> None:
        """Team and resultaattype of the new and changed zaken of this run (a moved team among them: its rol
        list changed), and of earlier runs that failed or stopped before this step."""
        enrichment = Enrichment(KEEP_CHANGED)
        waiting = select(Zaak.id, Zaak.url, Zaak.resultaat_url).where(Zaak.verrijken, Zaak.vernietigd_op.is_(None))
        for row in db.session.execute(waiting.execution_options(yield_per=ID_RANGE)):
            enrichment.add([Changed(row.id, row.url, bool(row.resultaat_url))])
        if enrichment.ids:
            # Two requests per changed zaak, or two sweeps of about one page per P mirrored zaken.
            if enrichment.needs_sweep(self.rollen_page_estimate()):
                self.sweep_rollen(enrichment.ids)
                self.sweep_resultaten(enrichment.ids)
                update_ids(list(enrichment.ids), verrijken=False)
            else:
                self.enrich_each(enrichment.items)
            db.session.commit()

    def rollen_page_estimate(self) -> int:
        """Pages of the filtered /rollen list, from the mirror's size (no request needed)."""
        total = db.session.scalar(select(func.count(Zaak.id)).where(Zaak.vernietigd_op.is_(None))) or 0
        return max(1, math.ceil(total / (self.client.page_size or 100)))

    def refresh_tasks(self, zaak_ids: list[int], due: dict[int, dict[str, date]] | None = None) -> None:
        if zaak_ids:
            tasks.refresh_tasks(zaak_ids, self.today, self.settings, due)


def run_sync(client: ZGWClient, *, full: bool, today: date, settings: ArchiveSettings,
             organisaties: list[dict[str, Any]], progress: Progress | None = None,
             should_stop: Callable[[], bool] | None = None) -> SyncRun:
    """One sync run under the writer lock; returns its SyncRun record (raises SyncBusy/SyncFailed).

    A run stopped on request returns its record with uitkomst `afgebroken`."""
    try:
        with sync_lock(db.engine):
            return _run_locked(client, full=full, today=today, settings=settings, organisaties=organisaties,
                               progress=progress, should_stop=should_stop)
    except LockBusy as exc:
        running = db.session.scalar(select(SyncRun).filter_by(uitkomst="bezig").order_by(SyncRun.id.desc()))
        since = running.gestart_op.isoformat(timespec="seconds") if running else "onbekend"
        raise SyncBusy(f"another sync is running since {since}") from exc


def fields_outdated() -> str | None:
    """The version the mirror was last written with when it differs from the code's SYNC_FIELDS_VERSION ("" for
    runs before versions were recorded); None when it is the same or no run succeeded yet.

    An incremental run re-derives only the zaken it reads (the active set); closed and archived zaken keep their
    old fatale datum, and tijdigheid (Z1) reads it. After an upgrade that changed a derivation the next run is
    therefore a full one: it reads and re-derives every mirrored zaak, so the stored columns agree with the rules
    (and with the herkomst the pages show) everywhere at once."""
    last = db.session.execute(select(SyncRun.velden_versie).where(SyncRun.uitkomst == "geslaagd")
                              .order_by(SyncRun.id.desc()).limit(1)).first()
    if last is None or last.velden_versie == SYNC_FIELDS_VERSION:
        return None
    return last.velden_versie or ""


def _run_locked(client: ZGWClient, *, full: bool, today: date, settings: ArchiveSettings,
                organisaties: list[dict[str, Any]], progress: Progress | None,
                should_stop: Callable[[], bool] | None) -> SyncRun:
    # A run left "bezig" by a crashed process cannot hold the lock any more: close it.
    db.session.execute(update(SyncRun).where(SyncRun.uitkomst == "bezig")
                       .values(uitkomst="mislukt", melding="afgebroken (proces gestopt)"))
    outdated = fields_outdated()
    if outdated is not None and not full:
        log.info("sync: volledig in plaats van incrementeel: de spiegel is afgeleid met versie %s, de code heeft %s",
                 outdated or "(onbekend)", SYNC_FIELDS_VERSION)
        full = True
    run = SyncRun(modus="volledig" if full else "incrementeel", uitkomst="bezig")
    db.session.add(run)
    db.session.commit()
    syncer = Syncer(client, today=today, settings=settings, organisaties=organisaties, progress=progress,
                    should_stop=should_stop)
    run_id = syncer.run_id = run.id  # read now: after a database error the instance cannot be refreshed
    start_requests = client.requests_made
    try:
        stats = syncer.run(full)
        outcome, message = "geslaagd", ""
    except SyncStopped as exc:
        db.session.rollback()
        stats, outcome, message = syncer.stats, "afgebroken", str(exc)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, then raised as SyncFailed
        raise failed(run_id, syncer.stats, client.requests_made - start_requests, full, exc, today) from exc
    try:
        # The figures of what this run wrote, computed before its last transaction takes the writers' lock.
        prepared = changes.prepare_everything(today)
        run = db.session.get(SyncRun, run_id)
        record(run, stats, client.requests_made - start_requests, outcome, message)
        if outcome == "geslaagd":
            run.velden_versie = SYNC_FIELDS_VERSION
        db.session.flush()
        # The figures every page reads, in the transaction that ends the run (pages read the last run's figures
        # while a run writes, so two hosts and two pages never show a half-written mirror's counts).
        changes.everything_changed(today, f"sync {run_id}", prepared)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the database failed while recording the outcome
        raise failed(run_id, stats, client.requests_made - start_requests, full, exc, today) from exc
    (log.info if outcome == "geslaagd" else log.warning)(summary(run))
    return run


