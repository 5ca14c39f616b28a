"""The sync: InProces (through the ZGW client) into the mirror tables.

Incremental run (domain.md, "What a sync must keep true"):
  1. the catalogue: zaaktypen and resultaattypen lists (cached by URL for the run);
  2. `zaken?archiefstatus=nog_te_archiveren` (open zaken and closed ones not yet archived) and
     `zaken?archiefstatus__in=gearchiveerd,gearchiveerd_procestermijn_onbekend&archiefactiedatum__lt=<tomorrow>`
     (past their archiefactiedatum and not overgedragen), de-duplicated by URL;
  3. for every new or changed zaak its behandelaar rol (`rollen?zaak=...`) and its resultaat — or, when
     that would cost more requests than sweeping the filtered `/rollen` list, the sweep;
  4. every zaak the mirror expected in that set (or with a task marked gemeld_gereed) that the lists did
     not return is asked for by URL: 404 = destroyed (date recorded), otherwise updated.
A full run lists all zaken, sweeps `/rollen` (filtered to organisatorische_eenheid + behandelaar) and
`/resultaten`, and checks every mirrored zaak the list did not return.

Requests per run (page size P, retries excluded):
  incremental = ceil(Z_t/P) + ceil(R_t/P) + ceil(N/P) + ceil(A/P) + min(2·C, ceil(Rol/P) + ceil(Res/P)) + M
  full        = ceil(Z_t/P) + ceil(R_t/P) + ceil(Zall/P) + ceil(Rol/P) + ceil(Res/P) + M
with Z_t/R_t zaaktypen/resultaattypen, N the nog_te_archiveren set, A the archived-but-due set,
C the changed or new zaken, Rol/Res the behandelaar rollen/resultaten and M the zaken missing from the
lists (each one GET). Nothing is requested per unchanged zaak.

Each page is upserted in one transaction; unchanged zaken (same content hash) are not rewritten. A
failed run leaves every committed page consistent and the watermark (the last successful run) as it was.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from connectors.zgw.client import ZGWClient
from connectors.zgw.errors import ZGWNotFound
from connectors.zgw.records import Resultaat, Rol
from connectors.zgw.records import Zaak as ZaakRecord
from connectors.zgw.records import ZaakType as ZaakTypeRecord

from . import deadlines, tasks
from .archive_rules import ArchiveSettings, task_due_dates
from .db import db
from .locking import LockBusy, sync_lock
from .models import Organisatie, ResultaatType, SyncRun, Team, Zaak, ZaakType

log = logging.getLogger("duo_zaak.sync")

ROL_FILTER = {"betrokkeneType": "organisatorische_eenheid", "omschrijvingGeneriek": "behandelaar"}
ARCHIVED_STATUSES = "gearchiveerd,gearchiveerd_procestermijn_onbekend"
SYNC_FIELDS_VERSION = "1"

Progress = Callable[[str, int, int | None], None]


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


@dataclass(frozen=True)
class Changed:
    """A new or changed zaak, kept small: a full run holds one per zaak. `url` None = destroyed."""

    id: int
    url: str | None
    heeft_resultaat: bool = False


def ensure_organisaties(organisaties: list[dict[str, Any]]) -> dict[str, int]:
    """Upsert the configured organisations; return RSIN -> id."""
    existing = {o.rsin: o for o in db.session.scalars(select(Organisatie))}
    for item in organisaties:
        org = existing.get(item["rsin"])
        if org is None:
            org = Organisatie(rsin=item["rsin"], code=item["code"], naam=item["naam"])
            db.session.add(org)
            existing[org.rsin] = org
        else:
            org.code, org.naam = item["code"], item["naam"]
    db.session.flush()
    return {rsin: org.id for rsin, org in existing.items() if any(i["rsin"] == rsin for i in organisaties)}


class Syncer:
    """One sync run. Use `run_sync()`; this class holds the run's caches and counters."""

    def __init__(self, client: ZGWClient, *, today: date, settings: ArchiveSettings,
                 organisaties: list[dict[str, Any]], progress: Progress | None = None,
                 should_stop: Callable[[], bool] | None = None) -> None:
        self.client = client
        self.should_stop = should_stop or (lambda: False)
        self.today = today
        self.settings = settings
        self.organisaties = organisaties
        self.progress = progress or (lambda stage, done, total: None)
        self.stats = RunStats()
        self.zaaktypen: dict[str, ZaakTypeRecord] = {}
        self.zaaktype_ids: dict[str, int] = {}
        self.resultaattypen: dict[str, int] = {}
        self.org_ids: dict[str, int] = {}
        self.team_ids: dict[str, int] = {}
        self.team_names: dict[int, str] = {}
        self.run_id = 0

    # -- catalogue ---------------------------------------------------------------------------------
    def load_catalogue(self) -> None:
        self.org_ids = ensure_organisaties(self.organisaties)
        existing = {zt.url: zt for zt in db.session.scalars(select(ZaakType))}
        for record in self.client.iter_zaaktypen():
            self.zaaktypen[record.url] = record
            values = {
                "identificatie": record.identificatie or "", "omschrijving": record.omschrijving or "",
                "doorlooptijd": record.doorlooptijd_raw, "doorlooptijd_bruikbaar": record.doorlooptijd is not None
                and not record.doorlooptijd.is_zero,
                "servicenorm": record.servicenorm.isoformat() if record.servicenorm else None,
                "verlenging_mogelijk": bool(record.verlenging_mogelijk),
                "verlengingstermijn": record.verlengingstermijn.isoformat() if record.verlengingstermijn else None,
            }
            row = existing.get(record.url)
            if row is None:
                row = ZaakType(url=record.url, **values)
                db.session.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        existing_rt = {rt.url: rt for rt in db.session.scalars(select(ResultaatType))}
        for rt in self.client.iter_resultaattypen():
            values = {"zaaktype_url": rt.zaaktype or "", "omschrijving": rt.omschrijving or "",
                      "archiefnominatie": rt.archiefnominatie,
                      "archiefactietermijn": rt.archiefactietermijn.isoformat() if rt.archiefactietermijn else None,
                      "afleidingswijze": rt.afleidingswijze}
            row = existing_rt.get(rt.url)
            if row is None:
                db.session.add(ResultaatType(url=rt.url, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        db.session.flush()
        self.zaaktype_ids = dict(db.session.execute(select(ZaakType.url, ZaakType.id)).all())
        self.resultaattypen = dict(db.session.execute(select(ResultaatType.url, ResultaatType.id)).all())
        self.team_ids = dict(db.session.execute(select(Team.identificatie, Team.id)).all())
        self.team_names = dict(db.session.execute(select(Team.id, Team.naam)).all())
        db.session.commit()

    # -- zaken ---------------------------------------------------------------------------------------
    def derive(self, record: ZaakRecord) -> dict[str, Any]:
        """Source fields plus everything derived that does not depend on the peildatum."""
        zaaktype = self.zaaktypen.get(record.zaaktype)
        doorlooptijd = zaaktype.doorlooptijd if zaaktype else None
        if doorlooptijd is not None and doorlooptijd.is_zero:
            doorlooptijd = None
        fatale = deadlines.fatale_datum(record.startdatum, record.uiterlijke_einddatum_afdoening,
                                        doorlooptijd, record.verlenging_duur)
        streef = deadlines.streefdatum(record.startdatum, record.einddatum_gepland,
                                       zaaktype.servicenorm if zaaktype else None, fatale)
        due = task_due_dates(einddatum=record.einddatum, archiefstatus=record.archiefstatus,
                             heeft_resultaat=bool(record.resultaat), archiefnominatie=record.archiefnominatie,
                             archiefactiedatum=record.archiefactiedatum, vernietigd=False, settings=self.settings)
        return {
            "url": record.url, "uuid": record.uuid or "", "identificatie": record.identificatie,
            "bronorganisatie": record.bronorganisatie, "zaaktype_url": record.zaaktype,
            "omschrijving": (record.omschrijving or "")[:300], "registratiedatum": record.registratiedatum,
            "startdatum": record.startdatum, "einddatum": record.einddatum,
            "einddatum_gepland": record.einddatum_gepland,
            "uiterlijke_einddatum_afdoening": record.uiterlijke_einddatum_afdoening,
            "opgeschort": bool(record.opschorting_indicatie),
            "opschorting_reden": (record.opschorting_reden or "")[:500],
            "verlenging_reden": (record.verlenging_reden or None) and record.verlenging_reden[:500],
            "verlenging_duur": record.verlenging_duur.isoformat() if record.verlenging_duur else None,
            "status_url": record.status, "resultaat_url": record.resultaat, "archiefnominatie": record.archiefnominatie,
            "archiefstatus": record.archiefstatus, "archiefactiedatum": record.archiefactiedatum,
            "hoofdzaak_url": record.hoofdzaak, "bron_meldingen": ",".join(record.flags)[:500],
            "organisatie_id": self.org_ids.get(record.bronorganisatie),
            "zaaktype_id": self.zaaktype_ids.get(record.zaaktype),
            "fatale_datum": fatale, "streefdatum": streef,
            "aanvullen_vervalt": due.get("archiefgegevens_aanvullen"),
            "vernietigen_vervalt": due.get("vernietigen"),
            "overbrengen_vervalt": due.get("overbrengen"),
            "archiveren_vervalt": due.get("archiveren"),
            "content_hash": self.content_hash(record, zaaktype),
            "vernietigd_op": None,
        }

    def content_hash(self, record: ZaakRecord, zaaktype: ZaakTypeRecord | None) -> str:
        """Changes when the zaak, the zaaktype terms it depends on, or the archive settings change.

        The repr of the frozen record dataclasses is deterministic and much cheaper than asdict + JSON."""
        terms = (zaaktype.doorlooptijd_raw, zaaktype.servicenorm) if zaaktype else None
        payload = f"{SYNC_FIELDS_VERSION}|{record!r}|{terms!r}|{self.settings!r}"
        return hashlib.sha256(payload.encode()).hexdigest()

    def upsert_page(self, records: list[ZaakRecord], seen: set[int]) -> list[Changed]:
        """Write one page in one transaction; return the new or changed zaken."""
        now = datetime.now(UTC)
        by_url = {r.url: r for r in records}
        existing = {
            row.url: row
            for row in db.session.execute(
                select(Zaak.id, Zaak.url, Zaak.content_hash, Zaak.vernietigd_op, Zaak.aanvullen_vervalt,
                       Zaak.aanvullen_ooit).where(Zaak.url.in_(list(by_url)))
            )
        }
        inserts, updates, unchanged_ids, changed = [], [], [], []
        for url, record in by_url.items():
            row = existing.get(url)
            if row is not None and row.id in seen:
                continue  # pages shift while we page: already handled in this run
            values = self.derive(record)
            aanvullen_nu = values["aanvullen_vervalt"] is not None
            if row is None:
                values.update(eerst_gezien=now, laatst_gezien=now, aanvullen_ooit=aanvullen_nu)
                inserts.append(values)
            elif row.content_hash == values["content_hash"] and row.vernietigd_op is None:
                unchanged_ids.append(row.id)
                seen.add(row.id)
            else:
                values.update(id=row.id, laatst_gezien=now, aanvullen_ooit=bool(row.aanvullen_ooit) or aanvullen_nu)
                updates.append(values)
                changed.append(Changed(row.id, record.url, bool(record.resultaat)))
                seen.add(row.id)
        if inserts:
            ids = db.session.execute(insert(Zaak).returning(Zaak.id, sort_by_parameter_order=True),
                                     inserts).scalars().all()
            for zaak_id, values in zip(ids, inserts, strict=True):
                changed.append(Changed(zaak_id, values["url"], bool(values["resultaat_url"])))
                seen.add(zaak_id)
        if updates:
            db.session.execute(update(Zaak), updates)
        if unchanged_ids:
            db.session.execute(update(Zaak).where(Zaak.id.in_(unchanged_ids)).values(laatst_gezien=now)
                               .execution_options(synchronize_session=False))
        self.stats.nieuw += len(inserts)
        self.stats.gewijzigd += len(updates)
        self.stats.ongewijzigd += len(unchanged_ids)
        return changed

    # -- teams and resultaten -------------------------------------------------------------------------
    def team_id(self, rol: Rol) -> int | None:
        """The team row for the rol's organisatorische eenheid (created or renamed when needed)."""
        if not rol.identificatie:
            return None
        team_id = self.team_ids.get(rol.identificatie)
        naam = (rol.naam or rol.identificatie)[:200]
        if team_id is None:
            team = Team(identificatie=rol.identificatie[:100], naam=naam)
            db.session.add(team)
            db.session.flush()
            team_id = self.team_ids[rol.identificatie] = team.id
        elif self.team_names.get(team_id) != naam:
            db.session.execute(update(Team).where(Team.id == team_id).values(naam=naam))
        self.team_names[team_id] = naam
        return team_id

    @staticmethod
    def pick_behandelaar(rollen: Iterable[Rol]) -> Rol | None:
        """The responsible team: the behandelaar organisatorische eenheid registered last."""
        candidates = [r for r in rollen if r.betrokkene_type == "organisatorische_eenheid"
                      and r.omschrijving_generiek == "behandelaar"]
        if not candidates:
            return None
        epoch = datetime.min.replace(tzinfo=UTC)
        return max(candidates, key=lambda r: (r.registratiedatum or epoch, r.url))

    def enrich_each(self, changed: list[Changed]) -> None:
        """Team and resultaattype for new/changed zaken, one request each (few zaken)."""
        for item in changed:
            rol = self.pick_behandelaar(self.client.iter_rollen(zaak=item.url, **ROL_FILTER))
            values: dict[str, Any] = {"team_id": self.team_id(rol) if rol else None}
            if item.heeft_resultaat:
                resultaten = list(self.client.iter_resultaten(zaak=item.url))
                values["resultaattype_url"] = resultaten[0].resultaattype if resultaten else None
            else:
                values["resultaattype_url"] = None
            db.session.execute(update(Zaak).where(Zaak.id == item.id).values(**values))

    def sweep_rollen(self, only_ids: set[int] | None) -> None:
        """Teams from the whole filtered /rollen list (cheaper than one request per zaak when many changed)."""
        # zaak id -> (registratiedatum of the best rol so far, its team); small per entry on purpose
        best: dict[int, tuple[datetime, int | None]] = {}
        epoch = datetime.min.replace(tzinfo=UTC)
        for page in self.client.rollen_pages(**ROL_FILTER):
            self.stats.paginas += 1
            urls = {r.zaak for r in page.results}
            ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(Zaak.url.in_(urls))).all())
            for rol in page.results:
                zaak_id = ids.get(rol.zaak)
                if zaak_id is None or (only_ids is not None and zaak_id not in only_ids):
                    continue
                if rol.betrokkene_type != "organisatorische_eenheid" or rol.omschrijving_generiek != "behandelaar":
                    continue
                moment = rol.registratiedatum or epoch
                if zaak_id not in best or moment >= best[zaak_id][0]:
                    best[zaak_id] = (moment, self.team_id(rol))
        self._apply_teams(best, only_ids)

    def _apply_teams(self, best: dict[int, tuple[datetime, int | None]], targets: set[int] | None) -> None:
        rows = [{"id": zaak_id, "team_id": value[1]} for zaak_id, value in best.items()]
        for start in range(0, len(rows), 5000):
            db.session.execute(update(Zaak), rows[start:start + 5000])
        # Zaken without a behandelaar rol in the sweep: "Niet toegewezen".
        if targets is None:
            missing = select(Zaak.id).where(Zaak.vernietigd_op.is_(None), Zaak.team_id.is_not(None))
            stale = [i for i in db.session.scalars(missing) if i not in best]
        else:
            stale = [i for i in targets if i not in best]
        for start in range(0, len(stale), 5000):
            db.session.execute(update(Zaak).where(Zaak.id.in_(stale[start:start + 5000])).values(team_id=None)
                               .execution_options(synchronize_session=False))
        db.session.commit()

    def sweep_resultaten(self, only_ids: set[int] | None) -> None:
        for page in self.client.resultaten_pages():
            self.stats.paginas += 1
            self._apply_resultaten(page.results, only_ids)
            db.session.commit()

    def _apply_resultaten(self, resultaten: list[Resultaat], only_ids: set[int] | None) -> None:
        urls = {r.zaak for r in resultaten}
        ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(Zaak.url.in_(urls))).all())
        rows = [{"id": ids[r.zaak], "resultaattype_url": r.resultaattype} for r in resultaten
                if r.zaak in ids and (only_ids is None or ids[r.zaak] in only_ids)]
        if rows:
            db.session.execute(update(Zaak), rows)

    # -- the run ----------------------------------------------------------------------------------------
    def list_pages(self, full: bool) -> Iterator[tuple[str, Any]]:
        if full:
            yield "zaken", self.client.zaken_pages()
        else:
            tomorrow = self.today + timedelta(days=1)
            yield "nog_te_archiveren", self.client.zaken_pages(archiefstatus="nog_te_archiveren")
            yield "archiefactiedatum_verstreken", self.client.zaken_pages(
                archiefstatus__in=ARCHIVED_STATUSES, archiefactiedatum__lt=tomorrow)

    def expected_not_seen(self, full: bool, seen: set[int]) -> list[tuple[int, str]]:
        """Zaken the mirror expected in this run's lists that they did not return."""
        query = select(Zaak.id, Zaak.url).where(Zaak.vernietigd_op.is_(None))
        if not full:
            tomorrow = self.today + timedelta(days=1)
            query = query.where(or_(
                Zaak.einddatum.is_(None),
                Zaak.archiefstatus == "nog_te_archiveren",
                (Zaak.archiefactiedatum < tomorrow) & (Zaak.archiefstatus != "overgedragen"),
                Zaak.id.in_(tasks.gemeld_gereed_zaak_ids()),
            ))
        return [(row.id, row.url) for row in db.session.execute(query) if row.id not in seen]

    def check_missing(self, missing: list[tuple[int, str]], changed: list[Changed]) -> None:
        for done, (zaak_id, url) in enumerate(missing, start=1):
            try:
                record = self.client.get_zaak(url)
            except ZGWNotFound:
                db.session.execute(update(Zaak).where(Zaak.id == zaak_id).values(vernietigd_op=self.today))
                self.stats.vernietigd += 1
                changed.append(Changed(zaak_id, None))
            else:
                changed.extend(self.upsert_page([record], set()))
            if done % 100 == 0:
                db.session.commit()
                self.progress("ontbrekende zaken", done, len(missing))
        db.session.commit()

    def run(self, full: bool) -> RunStats:
        self.load_catalogue()
        seen: set[int] = set()
        changed: list[Changed] = []
        for stage, pages in self.list_pages(full):
            done = 0
            for page in pages:
                self.stats.paginas += 1
                page_changed = self.upsert_page(page.results, seen)
                self.refresh_tasks([item.id for item in page_changed])
                db.session.commit()
                changed.extend(page_changed)
                done += len(page.results)
                self.progress(stage, done, page.count)
                if self.should_stop():
                    raise SyncStopped(f"gestopt op verzoek na {self.stats.paginas} pagina's")
        missing = self.expected_not_seen(full, seen)
        before = len(changed)
        self.check_missing(missing, changed)
        self.refresh_tasks([item.id for item in changed[before:]])
        # Marks are confirmed (or come back as niet_bevestigd) at every run, not only on the daily step.
        self.refresh_tasks(list(db.session.scalars(tasks.gemeld_gereed_zaak_ids().distinct())))
        db.session.commit()
        live = [item for item in changed if item.url is not None]
        if full:
            self.sweep_rollen(None)
            self.sweep_resultaten(None)
        elif live:
            # Two requests per changed zaak, or two sweeps of about one page per P mirrored zaken.
            if len(live) > self.rollen_page_estimate():
                ids = {item.id for item in live}
                self.sweep_rollen(ids)
                self.sweep_resultaten(ids)
            else:
                self.enrich_each(live)
                db.session.commit()
        return self.stats

    def rollen_page_estimate(self) -> int:
        """Pages of the filtered /rollen list, from the mirror's size (no request needed)."""
        total = db.session.scalar(select(func.count(Zaak.id)).where(Zaak.vernietigd_op.is_(None))) or 0
        return max(1, math.ceil(total / (self.client.page_size or 100)))

    def refresh_tasks(self, zaak_ids: list[int]) -> None:
        if zaak_ids:
            tasks.refresh_tasks(zaak_ids, self.today, self.settings)


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


def _run_locked(client: ZGWClient, *, full: bool, today: date, settings: ArchiveSettings,
                organisaties: list[dict[str, Any]], progress: Progress | None,
                should_stop: Callable[[], bool] | None) -> SyncRun:
    # A run left "bezig" by a crashed process cannot hold the lock any more: close it.
    db.session.execute(update(SyncRun).where(SyncRun.uitkomst == "bezig")
                       .values(uitkomst="mislukt", melding="afgebroken (proces gestopt)"))
    run = SyncRun(modus="volledig" if full else "incrementeel", uitkomst="bezig")
    db.session.add(run)
    db.session.commit()
    syncer = Syncer(client, today=today, settings=settings, organisaties=organisaties, progress=progress,
                    should_stop=should_stop)
    syncer.run_id = run.id
    start_requests = client.requests_made
    try:
        stats = syncer.run(full)
    except SyncStopped as exc:
        db.session.rollback()
        run = db.session.get(SyncRun, run.id)
        _record(run, syncer.stats, client.requests_made - start_requests, "afgebroken", str(exc))
        db.session.commit()
        log.warning(summary(run))
        return run
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, then re-raised
        db.session.rollback()
        run = db.session.get(SyncRun, run.id)
        _record(run, syncer.stats, client.requests_made - start_requests, "mislukt", f"{type(exc).__name__}: {exc}")
        db.session.commit()
        log.error("sync %s mislukt na %s verzoeken: %s", run.modus, run.verzoeken, run.melding)
        raise SyncFailed(run.melding) from exc
    run = db.session.get(SyncRun, run.id)
    _record(run, stats, client.requests_made - start_requests, "geslaagd", "")
    db.session.commit()
    log.info(summary(run))
    return run


def _record(run: SyncRun, stats: RunStats, requests: int, outcome: str, message: str) -> None:
    run.geeindigd_op = datetime.now(UTC)
    run.uitkomst = outcome
    run.melding = message[:2000]
    run.paginas = stats.paginas
    run.verzoeken = requests
    run.nieuw, run.gewijzigd = stats.nieuw, stats.gewijzigd
    run.ongewijzigd, run.vernietigd = stats.ongewijzigd, stats.vernietigd


def summary(run: SyncRun) -> str:
    started = run.gestart_op if run.gestart_op.tzinfo else run.gestart_op.replace(tzinfo=UTC)
    ended = run.geeindigd_op or datetime.now(UTC)
    if ended.tzinfo is None:
        ended = ended.replace(tzinfo=UTC)
    seconds = (ended - started).total_seconds()
    return (f"sync {run.modus} {run.uitkomst} in {seconds:.1f}s: {run.verzoeken} verzoeken, {run.paginas} pagina's, "
            f"{run.nieuw} nieuw, {run.gewijzigd} gewijzigd, {run.ongewijzigd} ongewijzigd, "
            f"{run.vernietigd} vernietigd" + (f" — {run.melding}" if run.melding else ""))

