"""Counting state around a faulty sync: the mirror, all local state, the watermark, and the source.

    before = capture(app)
    ... a faulty run ...
    after = capture(app)
    assert after.local == before.local          # nothing local changed (the source did not change)
    assert not lost(before.local, after.local)  # or: nothing local lost (the source changed)

Local state = every table users write (and the sync never deletes from): archive tasks with their marks
and notes, task events, snapshots, norm and KPI judgement history, users and their teams, the audit log.
The mirror = the zaak rows (all columns but bookkeeping ones, with the team by identificatie).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from connectors.inproces import InProcesSettings, connect
from connectors.zgw.client import ZGWClient
from duo_zaak.db import db
from duo_zaak.models import (
    ArchiefTaak,
    AuditLog,
    Gebruiker,
    GebruikerTeam,
    KpiOordeel,
    Norm,
    Snapshot,
    SyncRun,
    TaakGebeurtenis,
    Team,
    Zaak,
)
from duo_zaak.sync.run import ROL_FILTER, Syncer

# Written by users (or by the daily steps), never deleted by a sync. archief_taak is also written by the
# sync (new tasks, confirmations), so it is compared by identity and marks in `lost`, fully in equality.
LOCAL_TABLES = {
    "archief_taak": ArchiefTaak, "taak_gebeurtenis": TaakGebeurtenis, "snapshot": Snapshot, "norm": Norm,
    "kpi_oordeel": KpiOordeel, "gebruiker": Gebruiker, "gebruiker_team": GebruikerTeam, "audit_log": AuditLog,
}
# What a user put on a task: kept whatever the sync does to the task's status afterwards.
MARK_COLUMNS = ("id", "zaak_id", "soort", "gemeld_door_id", "gemeld_op", "notitie", "eerder_gemeld")
# Mirror columns compared: everything but the bookkeeping timestamp a run touches on unchanged zaken.
MIRROR_SKIP = {"gewijzigd_op", "team_id"}


def _norm(value: Any) -> str:
    return "" if value is None else str(value)


def _rows(model: Any, columns: tuple[str, ...] | None = None) -> frozenset[tuple[str, ...]]:
    names = columns or tuple(c.name for c in model.__table__.columns)
    return frozenset(tuple(_norm(getattr(row, name)) for name in names)
                     for row in db.session.execute(select(*(model.__table__.c[n] for n in names))))


def _digest(rows: frozenset[tuple[str, ...]]) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Local:
    """Every row of every local table, as strings."""

    tables: dict[str, frozenset[tuple[str, ...]]]
    marks: frozenset[tuple[str, ...]]
    task_status: dict[str, int]

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}

    @property
    def checksums(self) -> dict[str, str]:
        return {name: _digest(rows) for name, rows in self.tables.items()}


@dataclass(frozen=True)
class Mirror:
    count: int
    live: int
    destroyed: int
    checksum: str


@dataclass(frozen=True)
class State:
    mirror: Mirror
    local: Local
    watermark: tuple[int, str] | None  # (id, geeindigd_op) of the last successful run
    runs: tuple[tuple[str, str], ...]  # (modus, uitkomst) of every run, oldest first


def local_state() -> Local:
    tables = {name: _rows(model) for name, model in LOCAL_TABLES.items()}
    marks = frozenset(row for row in _rows(ArchiefTaak, MARK_COLUMNS) if row[3])  # gemeld_door_id set
    status: dict[str, int] = defaultdict(int)
    for (value,) in db.session.execute(select(ArchiefTaak.status)):
        status[value] += 1
    return Local(tables, marks, dict(status))


def mirror_state() -> Mirror:
    teams = dict(db.session.execute(select(Team.id, Team.identificatie)).all())
    names = [c.name for c in Zaak.__table__.columns if c.name not in MIRROR_SKIP]
    rows = []
    live = destroyed = 0
    for row in db.session.execute(select(Zaak)).scalars():
        rows.append((*(_norm(getattr(row, n)) for n in names), _norm(teams.get(row.team_id))))
        if row.vernietigd_op is None:
            live += 1
        else:
            destroyed += 1
    return Mirror(len(rows), live, destroyed, _digest(frozenset(rows)))


def watermark() -> tuple[int, str] | None:
    run = db.session.scalar(select(SyncRun).filter_by(uitkomst="geslaagd").order_by(SyncRun.id.desc()))
    return None if run is None else (run.id, _norm(run.geeindigd_op))


def capture(app: Any) -> State:
    with app.app_context():
        state = State(mirror_state(), local_state(), watermark(),
                      tuple(db.session.execute(select(SyncRun.modus, SyncRun.uitkomst).order_by(SyncRun.id)).all()))
        db.session.remove()
        return state


def last_run(app: Any) -> SyncRun:
    with app.app_context():
        run = db.session.scalar(select(SyncRun).order_by(SyncRun.id.desc()))
        db.session.expunge(run)
        db.session.remove()
        return run


def lost(before: Local, after: Local) -> dict[str, int]:
    """Rows of `before` missing from `after`, per table: append-only tables by whole row, archive tasks
    by what users put on them (their marks and notes; the sync may move their status on)."""
    missing = {name: len(rows - after.tables[name]) for name, rows in before.tables.items() if name != "archief_taak"}
    identity = lambda rows: {row[:3] for row in rows}  # noqa: E731 - id, zaak_id, soort
    missing["archief_taak"] = len(identity(before.tables["archief_taak"]) - identity(after.tables["archief_taak"]))
    missing["marks"] = len(before.marks - after.marks)
    return {name: count for name, count in missing.items() if count}


# -- the source, as the mirror should show it ---------------------------------------------------------------

def fields_of_source(mock: Any) -> dict[str, tuple[str, ...]]:
    """url -> the fields the mirror keeps, read from the mock over HTTP (clears its faults first)."""
    mock.store.faults.clear()
    with connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                  client_id=mock.client_id, secret=mock.secret, retries=0)) as client:
        return _source(client)


def _source(client: ZGWClient) -> dict[str, tuple[str, ...]]:
    rollen: dict[str, list[Any]] = defaultdict(list)
    for rol in client.iter_rollen(**ROL_FILTER):
        rollen[rol.zaak].append(rol)
    resultaten = {r.zaak: r.resultaattype for r in client.iter_resultaten()}
    result = {}
    for zaak in client.iter_zaken():
        rol = Syncer.pick_behandelaar(rollen.get(zaak.url, []))
        result[zaak.url] = tuple(_norm(v) for v in (
            zaak.identificatie, zaak.omschrijving[:300], zaak.einddatum, zaak.archiefstatus, zaak.archiefnominatie,
            zaak.archiefactiedatum, zaak.resultaat, rol.identificatie if rol else None,
            resultaten.get(zaak.url) if zaak.resultaat else None))
    return result


def fields_of_mirror(app: Any) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """(url -> the same fields for live mirrored zaken, urls of zaken the mirror has as destroyed)."""
    with app.app_context():
        teams = dict(db.session.execute(select(Team.id, Team.identificatie)).all())
        live, destroyed = {}, set()
        for z in db.session.execute(select(Zaak)).scalars():
            if z.vernietigd_op is not None:
                destroyed.add(z.url)
                continue
            live[z.url] = tuple(_norm(v) for v in (
                z.identificatie, z.omschrijving, z.einddatum, z.archiefstatus, z.archiefnominatie,
                z.archiefactiedatum, z.resultaat_url, teams.get(z.team_id), z.resultaattype_url))
        db.session.remove()
        return live, destroyed


def mirror_differences(app: Any, mock: Any) -> dict[str, Any]:
    """Where the mirror differs from the source: {} when it equals it (live zaken field by field, and every
    mirrored zaak the source no longer has is marked destroyed)."""
    source = fields_of_source(mock)
    live, destroyed = fields_of_mirror(app)
    differences: dict[str, Any] = {}
    if missing := sorted(set(source) - set(live)):
        differences["not_mirrored"] = missing
    if gone := sorted(set(live) - set(source)):
        differences["destroyed_not_recorded"] = gone
    if wrong := {url: (live[url], source[url]) for url in set(source) & set(live) if live[url] != source[url]}:
        differences["different"] = wrong
    if back := sorted(destroyed & set(source)):
        differences["destroyed_but_at_source"] = back
    return differences
