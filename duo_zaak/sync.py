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
A full run first lists `/rollen` (filtered to organisatorische_eenheid + behandelaar) and `/resultaten` into
the scratch table sync_verrijking, then all zaken — each written once, with its team and resultaattype —
and checks every mirrored zaak the list did not return. (Inserting zaken first and setting teams after
wrote every row twice, and on PostgreSQL every index entry twice.)

Requests per run (page size P, retries excluded):
  incremental = ceil(Z_t/P) + ceil(R_t/P) + ceil(N/P) + ceil(A/P) + min(2·C, ceil(Rol/P) + ceil(Res/P)) + M
  full        = ceil(Z_t/P) + ceil(R_t/P) + ceil(Zall/P) + ceil(Rol/P) + ceil(Res/P) + M
with Z_t/R_t zaaktypen/resultaattypen, N the nog_te_archiveren set, A the archived-but-due set,
C the changed or new zaken, Rol/Res the behandelaar rollen/resultaten and M the zaken missing from the
lists (each one GET). Nothing is requested per unchanged zaak.

Each page is upserted in one transaction; unchanged zaken (same content hash, and in a full run the same
team and resultaattype) are not rewritten. Pages are fetched one ahead while the previous one is written
(prefetch.py). A failed run leaves every committed page consistent and the watermark (the last successful
run) as it was.
"""

from __future__ import annotations

import hashlib
import logging
import math
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.exc import DBAPIError

from connectors.zgw.client import ZGWClient
from connectors.zgw.errors import ZGWNotFound
from connectors.zgw.records import Resultaat, Rol
from connectors.zgw.records import Zaak as ZaakRecord
from connectors.zgw.records import ZaakType as ZaakTypeRecord

from . import deadlines, tasks
from .archive_rules import ArchiveSettings, task_due_dates
from .db import bulk_insert, db
from .idset import IdSet
from .locking import LockBusy, sync_lock
from .models import Organisatie, ResultaatType, SyncRun, SyncVerrijking, Team, Zaak, ZaakType
from .prefetch import prefetch

log = logging.getLogger("duo_zaak.sync")

ROL_FILTER = {"betrokkeneType": "organisatorische_eenheid", "omschrijvingGeneriek": "behandelaar"}
ARCHIVED_STATUSES = "gearchiveerd,gearchiveerd_procestermijn_onbekend"
ID_RANGE = 20_000  # zaak ids per statement when the whole mirror is compared with a sweep
KEEP_CHANGED = 10_000  # changed zaken kept for one-by-one enrichment (a sweep is cheaper long before)
SYNC_FIELDS_VERSION = "2"

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
    """A new or changed zaak. `url` None = destroyed."""

    id: int
    url: str | None
    heeft_resultaat: bool = False


class Enrichment:
    """New and changed zaken that need their team and resultaattype.

    The ids are kept in a bitmap; the records (for asking one by one) only up to `keep`, so a run that
    changes a million zaken does not hold a million of them — past that it sweeps the lists anyway."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.items: list[Changed] = []
        self.ids = IdSet()

    def add(self, changed: Iterable[Changed]) -> None:
        for item in changed:
            if item.url is None:
                continue
            self.ids.add(item.id)
            if len(self.items) < self.keep:
                self.items.append(item)

    def needs_sweep(self, sweep_pages: int) -> bool:
        """Two requests per zaak cost more than sweeping, or not every record was kept."""
        return len(self.ids) > sweep_pages or len(self.items) < len(self.ids)


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
        self.staged = False  # a full run: teams and resultaattypen come from sync_verrijking
        self.analysed_at = 0  # zaken inserted when the planner statistics were last refreshed

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
            "vernietigd_op": None,
        }

    @staticmethod
    def content_hash(values: dict[str, Any]) -> str:
        """A hash of the row as it would be written: source fields and everything derived from them, the
        zaaktype's terms and the archive settings. Equal hash = nothing to write.

        The repr of a tuple of str/date/int/None is deterministic and cheap (no dataclass repr, no JSON)."""
        payload = f"{SYNC_FIELDS_VERSION}|{tuple(values.values())!r}"
        return hashlib.sha256(payload.encode()).hexdigest()

    def upsert_page(self, records: list[ZaakRecord], seen: IdSet) -> list[Changed]:
        """Write one page (the caller commits); return the new or changed zaken.

        Plain executemany statements without RETURNING: SQLAlchemy's ordered RETURNING for many rows
        costs more than the insert itself; the new ids are read back by URL (unique) instead."""
        now = datetime.now(UTC)
        by_url = {r.url: r for r in records}
        existing = {
            row.url: row
            for row in db.session.execute(
                select(Zaak.id, Zaak.url, Zaak.content_hash, Zaak.vernietigd_op, Zaak.aanvullen_ooit, Zaak.team_id,
                       Zaak.resultaattype_url).where(Zaak.url.in_(list(by_url)))
            )
        }
        staged = self.staged_enrichment(list(by_url)) if self.staged else {}
        inserts, updates, changed = [], [], []
        unchanged = 0
        for url, record in by_url.items():
            row = existing.get(url)
            if row is not None and row.id in seen:
                continue  # pages shift while we page: already handled in this run
            values = self.derive(record)
            values["content_hash"] = self.content_hash(values)
            enriched = staged.get(url, (None, None))
            if self.staged:
                values["team_id"], values["resultaattype_url"] = enriched
            values["verrijken"] = not self.staged
            aanvullen_nu = values["aanvullen_vervalt"] is not None
            if row is None:
                values.update(eerst_gezien=now, gewijzigd_op=now, aanvullen_ooit=aanvullen_nu)
                inserts.append(values)
            elif (row.content_hash == values["content_hash"] and row.vernietigd_op is None
                  and (not self.staged or (row.team_id, row.resultaattype_url) == enriched)):
                unchanged += 1
                seen.add(row.id)
            else:
                values.update(id=row.id, gewijzigd_op=now, aanvullen_ooit=bool(row.aanvullen_ooit) or aanvullen_nu)
                updates.append(values)
                changed.append(Changed(row.id, record.url, bool(record.resultaat)))
                seen.add(row.id)
        if inserts:
            bulk_insert(Zaak.__table__, inserts)
            ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(
                Zaak.url.in_([values["url"] for values in inserts]))).all())
            for values in inserts:
                zaak_id = ids[values["url"]]
                changed.append(Changed(zaak_id, values["url"], bool(values["resultaat_url"])))
                seen.add(zaak_id)
        if updates:
            db.session.execute(update(Zaak), updates)
        self.stats.nieuw += len(inserts)
        self.stats.gewijzigd += len(updates)
        self.stats.ongewijzigd += unchanged
        if self.stats.nieuw >= 2 * self.analysed_at + 10_000:
            self.analyse("zaak")
            self.analysed_at = self.stats.nieuw
        return changed

    @staticmethod
    def analyse(table: str) -> None:
        """Refresh PostgreSQL's planner statistics of a table that grew fast within this run.

        Autovacuum lags behind a bulk load: a mirror filled from empty still looks empty to the planner,
        which then scans the whole table for every page's `url IN (...)` lookup (quadratic in the run).
        Called at doubling sizes, so a run of N new zaken analyses about log2(N) times."""
        if _postgresql():
            db.session.execute(text(f"ANALYZE {table}"))

    # -- staging for a full run ------------------------------------------------------------------------
    def clear_staging(self) -> None:
        if _postgresql():
            db.session.execute(text("TRUNCATE sync_verrijking"))
        else:
            db.session.execute(delete(SyncVerrijking))
        db.session.commit()

    def stage_enrichment(self) -> None:
        """List the behandelaar rollen and the resultaten into sync_verrijking before the zaken."""
        self.clear_staging()
        table = SyncVerrijking.__table__
        for page in prefetch(self.client.rollen_pages(**ROL_FILTER)):
            self.stats.paginas += 1
            bulk_insert(table, [
                {"zaak_url": rol.zaak, "team_id": self.team_id(rol), "resultaattype_url": None,
                 "rol_moment": rol.registratiedatum.timestamp() if rol.registratiedatum else -1e18}
                for rol in page.results
                if rol.betrokkene_type == "organisatorische_eenheid" and rol.omschrijving_generiek == "behandelaar"
            ])
            db.session.commit()
        for page in prefetch(self.client.resultaten_pages()):
            self.stats.paginas += 1
            bulk_insert(table, [{"zaak_url": r.zaak, "team_id": None, "rol_moment": None,
                                 "resultaattype_url": r.resultaattype} for r in page.results])
            db.session.commit()
        self.analyse("sync_verrijking")
        db.session.commit()

    @staticmethod
    def staged_enrichment(urls: list[str]) -> dict[str, tuple[int | None, str | None]]:
        """zaak url -> (team id of the behandelaar rol registered last, resultaattype url)."""
        found: dict[str, tuple[int | None, str | None]] = {}
        best: dict[str, float] = {}
        rows = db.session.execute(
            select(SyncVerrijking.zaak_url, SyncVerrijking.team_id, SyncVerrijking.rol_moment,
                   SyncVerrijking.resultaattype_url).where(SyncVerrijking.zaak_url.in_(urls))
            .order_by(SyncVerrijking.id))
        for url, team_id, moment, resultaattype_url in rows:
            team, resultaattype = found.get(url, (None, None))
            if moment is None:
                resultaattype = resultaattype_url
            elif moment >= best.get(url, -math.inf):  # equal moments: the later-listed rol wins
                best[url] = moment
                team = team_id
            found[url] = (team, resultaattype)
        return found

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
            db.session.execute(update(Zaak).where(Zaak.id == item.id).values(verrijken=False, **values))

    def sweep_rollen(self, only_ids: IdSet) -> None:
        """Teams from the whole filtered /rollen list (cheaper than one request per zaak when many changed).

        The best rol per zaak so far is kept in two arrays indexed by zaak id (16 bytes a zaak); at the
        end only zaken whose team differs from the mirror are written."""
        size = (db.session.scalar(select(func.max(Zaak.id))) or 0) + 1
        moments = array("d", [-math.inf]) * size  # registratiedatum of the best rol; -inf: none seen
        teams = array("q", [0]) * size  # its team id; 0: the rol names no team
        for page in prefetch(self.client.rollen_pages(**ROL_FILTER)):
            self.stats.paginas += 1
            urls = {r.zaak for r in page.results}
            ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(Zaak.url.in_(urls))).all())
            for rol in page.results:
                zaak_id = ids.get(rol.zaak)
                if zaak_id is None or zaak_id >= size or zaak_id not in only_ids:
                    continue
                if rol.betrokkene_type != "organisatorische_eenheid" or rol.omschrijving_generiek != "behandelaar":
                    continue
                moment = rol.registratiedatum.timestamp() if rol.registratiedatum else -1e18
                if moment >= moments[zaak_id]:
                    moments[zaak_id] = moment
                    teams[zaak_id] = self.team_id(rol) or 0
        self._apply_teams(moments, teams, only_ids)

    def _apply_teams(self, moments: array, teams: array, targets: IdSet) -> None:
        """Write the swept teams where they differ; zaken without a behandelaar rol get none."""
        live = Zaak.vernietigd_op.is_(None)
        for start in range(0, len(teams), ID_RANGE):
            rows = db.session.execute(select(Zaak.id, Zaak.team_id).where(
                Zaak.id >= start, Zaak.id < start + ID_RANGE, live)).all()
            updates: dict[int | None, list[int]] = {}
            for zaak_id, current in rows:
                if zaak_id not in targets:
                    continue
                wanted = (teams[zaak_id] or None) if moments[zaak_id] > -math.inf else None
                if wanted != current:
                    updates.setdefault(wanted, []).append(zaak_id)
            for team_id, ids in updates.items():
                _update_ids(ids, team_id=team_id)
            db.session.commit()

    def sweep_resultaten(self, only_ids: IdSet) -> None:
        """Resultaattypen from the whole /resultaten list, written where they differ from the mirror.

        Changes are grouped by resultaattype over many pages: one UPDATE per resultaattype and batch."""
        updates: dict[str | None, list[int]] = {}
        pending = 0
        for page in prefetch(self.client.resultaten_pages()):
            self.stats.paginas += 1
            pending += self._collect_resultaten(page.results, only_ids, updates)
            if pending >= ID_RANGE:
                self._write_resultaten(updates)
                pending = 0
        self._write_resultaten(updates)

    @staticmethod
    def _collect_resultaten(resultaten: list[Resultaat], only_ids: IdSet,
                            updates: dict[str | None, list[int]]) -> int:
        urls = {r.zaak for r in resultaten}
        current = {row.url: row for row in db.session.execute(
            select(Zaak.url, Zaak.id, Zaak.resultaattype_url).where(Zaak.url.in_(urls)))}
        collected = 0
        for resultaat in resultaten:
            row = current.get(resultaat.zaak)
            if row is None or row.id not in only_ids:
                continue
            if row.resultaattype_url != resultaat.resultaattype:
                updates.setdefault(resultaat.resultaattype, []).append(row.id)
                collected += 1
        return collected

    @staticmethod
    def _write_resultaten(updates: dict[str | None, list[int]]) -> None:
        for resultaattype_url, ids in updates.items():
            _update_ids(ids, resultaattype_url=resultaattype_url)
        updates.clear()
        db.session.commit()

    # -- the run ----------------------------------------------------------------------------------------
    def list_pages(self, full: bool) -> Iterator[tuple[str, Any]]:
        if full:
            yield "zaken", self.client.zaken_pages()
        else:
            tomorrow = self.today + timedelta(days=1)
            yield "nog_te_archiveren", self.client.zaken_pages(archiefstatus="nog_te_archiveren")
            yield "archiefactiedatum_verstreken", self.client.zaken_pages(
                archiefstatus__in=ARCHIVED_STATUSES, archiefactiedatum__lt=tomorrow)

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

    def check_missing(self, missing: list[tuple[int, str]]) -> list[Changed]:
        changed: list[Changed] = []
        for done, (zaak_id, url) in enumerate(missing, start=1):
            try:
                record = self.client.get_zaak(url)
            except ZGWNotFound:
                db.session.execute(update(Zaak).where(Zaak.id == zaak_id).values(vernietigd_op=self.today))
                self.stats.vernietigd += 1
                changed.append(Changed(zaak_id, None))
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
                self.refresh_tasks([item.id for item in page_changed])
                db.session.commit()
                done += len(page.results)
                self.progress(stage, done, page.count)
                if self.should_stop():
                    raise SyncStopped(f"gestopt op verzoek na {self.stats.paginas} pagina's")
        changed = self.check_missing(self.expected_not_seen(full, seen))
        self.refresh_tasks([item.id for item in changed])
        # Marks are confirmed (or come back as niet_bevestigd) at every run, not only on the daily step.
        self.refresh_tasks(list(db.session.scalars(tasks.gemeld_gereed_zaak_ids().distinct())))
        db.session.commit()
        if full:
            self.clear_staging()
            db.session.execute(update(Zaak).where(Zaak.verrijken).values(verrijken=False)
                               .execution_options(synchronize_session=False))
            db.session.commit()
            return self.stats
        # New and changed zaken of this run, and of earlier runs that failed or stopped before this step.
        enrichment = Enrichment(KEEP_CHANGED)
        waiting = select(Zaak.id, Zaak.url, Zaak.resultaat_url).where(Zaak.verrijken, Zaak.vernietigd_op.is_(None))
        for row in db.session.execute(waiting.execution_options(yield_per=ID_RANGE)):
            enrichment.add([Changed(row.id, row.url, bool(row.resultaat_url))])
        if enrichment.ids:
            # Two requests per changed zaak, or two sweeps of about one page per P mirrored zaken.
            if enrichment.needs_sweep(self.rollen_page_estimate()):
                self.sweep_rollen(enrichment.ids)
                self.sweep_resultaten(enrichment.ids)
                _update_ids(list(enrichment.ids), verrijken=False)
            else:
                self.enrich_each(enrichment.items)
            db.session.commit()
        return self.stats

    def rollen_page_estimate(self) -> int:
        """Pages of the filtered /rollen list, from the mirror's size (no request needed)."""
        total = db.session.scalar(select(func.count(Zaak.id)).where(Zaak.vernietigd_op.is_(None))) or 0
        return max(1, math.ceil(total / (self.client.page_size or 100)))

    def refresh_tasks(self, zaak_ids: list[int]) -> None:
        if zaak_ids:
            tasks.refresh_tasks(zaak_ids, self.today, self.settings)


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _update_ids(ids: list[int], **values: Any) -> None:
    """One UPDATE per chunk of ids that get the same values: a sweep sets a handful of distinct teams and
    resultaattypen on many zaken, and per-row executemany parameters cost more than the write."""
    for start in range(0, len(ids), 5000):
        db.session.execute(update(Zaak).where(Zaak.id.in_(ids[start:start + 5000])).values(**values)
                           .execution_options(synchronize_session=False))


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
    run_id = syncer.run_id = run.id  # read now: after a database error the instance cannot be refreshed
    start_requests = client.requests_made
    try:
        stats = syncer.run(full)
        outcome, message = "geslaagd", ""
    except SyncStopped as exc:
        db.session.rollback()
        stats, outcome, message = syncer.stats, "afgebroken", str(exc)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, then raised as SyncFailed
        raise _failed(run_id, syncer.stats, client.requests_made - start_requests, full, exc) from exc
    try:
        run = db.session.get(SyncRun, run_id)
        _record(run, stats, client.requests_made - start_requests, outcome, message)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the database failed while recording the outcome
        raise _failed(run_id, stats, client.requests_made - start_requests, full, exc) from exc
    (log.info if outcome == "geslaagd" else log.warning)(summary(run))
    return run


def _failed(run_id: int, stats: RunStats, requests: int, full: bool, exc: Exception) -> SyncFailed:
    """Record the run as failed (on a fresh connection: the old one may be gone) and return the error.

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
            _record(run, stats, requests, "mislukt", message)
            db.session.commit()
    except Exception as record_error:  # noqa: BLE001 - nothing more to do than say so
        db.session.close()
        log.error("sync: de mislukte run kon niet worden vastgelegd: %s", record_error)
    log.error("sync %s mislukt na %s verzoeken: %s", "volledig" if full else "incrementeel", requests, message)
    return SyncFailed(message[:2000])


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

