"""Figures computed once, where the data changes, and read by every page and every host.

A figure function that returns figures per (organisatie_id, team_id) cell registers itself with
`stored_cells`; it returns each cell as plain JSON (counts, nested dicts of counts), which is what is stored in
`figuur_cel`, and `load` turns that into the figures object the pages use. `figuur_stand` says which peildatum a
soort is complete for. The writers say what they changed (`duo_zaak.changes`) in their own transaction, before
they commit:
- a sync run, the daily task step and the first look of a new day: every soort, every cell, from scratch (a sync
  run computes them before its last transaction and only stores them under the lock: `prepare`, `store`);
- a re-read zaak (notification), a mark and an undo: the contribution of the zaken they touch is computed before
  and after the change (the same query, narrowed to those zaak ids) and the difference is added to the stored
  cells. Every stored figure is a sum over zaken, so this is exact; it costs a few index look-ups however large
  the mirror is. Minimum dates are kept as counts per date, for the same reason.
A refresh takes a database lock first (PostgreSQL: a transaction advisory lock; SQLite: its one write lock), so
two writers never store cells each computed without the other's change.

A read for the stored peildatum, not narrowed to cells or zaken, comes from the table; any other (a past peildatum,
a zaaktype filter, a period of the caller's choice) runs the bare query, as the tests do to check the stored
cells against it. Cells whose figures are all zero are left out by both.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import delete, func, insert, select, text, update

from ..changes import EXTENSION
from ..db import db
from ..models import FiguurCel, FiguurStand, TaakGebeurtenis, Team, Zaak
from ..models.base import utcnow
from .scope import Cell, Scope

LOCK_KEY = 0x64756F66  # "duof": one writer of stored figures at a time
Plain = Any  # a cell as stored: numbers and dicts of them
PlainCells = dict[Cell, Plain]


def _same(value: Plain) -> Plain:
    return value


@dataclass(frozen=True)
class Kind:
    naam: str
    compute: Callable[[date, Scope], PlainCells]  # the bare query (all-zero cells left out)
    load: Callable[[Plain, date], Any]  # a stored cell -> the figures object
    tasks: bool  # reads archive tasks (a mark changes it)
    tidy: Callable[[Plain], Plain] = _same  # after adding a difference (e.g. drop dates whose count is 0)


KINDS: dict[str, Kind] = {}


def stored_cells(naam: str, *, load: Callable[[Plain, date], Any], tasks: bool,
                 tidy: Callable[[Plain], Plain] = _same,
                 ) -> Callable[[Callable[[date, Scope], PlainCells]], Callable[[date, Scope], dict[Cell, Any]]]:
    """Register a cell function `fn(peildatum, scope) -> {cell: plain}`; the returned function gives the loaded
    figures per cell, read from the stored cells when they are there for that peildatum, else from `fn`."""

    def register(fn: Callable[[date, Scope], PlainCells]) -> Callable[[date, Scope], dict[Cell, Any]]:
        def compute(peildatum: date, scope: Scope) -> PlainCells:
            return {cell: value for cell, value in fn(peildatum, scope).items() if not _is_zero(value)}

        KINDS[naam] = Kind(naam, compute, load, tasks, tidy)

        @functools.wraps(fn)
        def read_or_compute(peildatum: date, scope: Scope) -> dict[Cell, Any]:
            if not scope.narrowed:
                kept = read(naam, peildatum, scope)
                if kept is not None:
                    return kept
            return {cell: load(value, peildatum) for cell, value in compute(peildatum, scope).items()}

        return read_or_compute

    return register


def stored_peildatum(naam: str) -> date | None:
    return db.session.scalar(select(FiguurStand.peildatum).where(FiguurStand.soort == naam))


def _stands() -> dict[str, date]:
    """soort -> the peildatum it is stored for, in one query."""
    return dict(db.session.execute(select(FiguurStand.soort, FiguurStand.peildatum)).all())


def read_plain(naam: str, peildatum: date, scope: Scope) -> PlainCells | None:
    """The stored cells of a soort in the scope as stored, or None when they are not stored for this peildatum."""
    if stored_peildatum(naam) != peildatum:
        return None
    query = select(FiguurCel.organisatie_id, FiguurCel.team_id, FiguurCel.waarde).where(FiguurCel.soort == naam)
    if scope.teams is not None:
        query = query.where(FiguurCel.team_id.in_(select(Team.id).where(Team.identificatie.in_(sorted(scope.teams)))))
    return {(row.organisatie_id, row.team_id): json.loads(row.waarde) for row in db.session.execute(query)}


def read(naam: str, peildatum: date, scope: Scope) -> dict[Cell, Any] | None:
    """The stored cells of a soort in the scope, loaded, or None when they are not stored for this peildatum."""
    plain = read_plain(naam, peildatum, scope)
    if plain is None:
        return None
    load = KINDS[naam].load
    return {cell: load(value, peildatum) for cell, value in plain.items()}


def refresh(today: date, *, tasks_only: bool = False, reason: str = "") -> None:
    """Recompute and store every cell of every soort (`tasks_only`: of those reading archive tasks) for `today`,
    in the caller's transaction."""
    _lock()
    for kind in _kinds(tasks_only):
        _store_whole(kind, today, reason)


@dataclass(frozen=True)
class Prepared:
    """Every soort computed for `today` without a lock, and the newest task event id when it was."""

    today: date
    marker: int
    values: dict[str, PlainCells]


def _task_marker() -> int:
    """The newest task event: every change of an archive task (a mark, an undo, a new task) adds one."""
    return db.session.scalar(select(func.max(TaakGebeurtenis.id))) or 0


def prepare(today: date) -> Prepared:
    """Compute every soort for `today` (no lock: a sync run may take seconds here at a million zaken, and marks
    must not wait for it). Only the writer that calls this changes the mirror meanwhile."""
    marker = _task_marker()
    return Prepared(today, marker, {kind.naam: kind.compute(today, Scope.everything()) for kind in KINDS.values()})


def store(prepared: Prepared, reason: str) -> None:
    """Store what `prepare` computed, under the lock; the soorten that read archive tasks are computed again when
    a task changed since (a PiA user marked one meanwhile)."""
    _lock()
    moved = _task_marker() != prepared.marker
    for kind in KINDS.values():
        _store_whole(kind, prepared.today, reason,
                     None if moved and kind.tasks else prepared.values.get(kind.naam))


@dataclass
class Pending:
    """A change in progress: the contribution of the touched zaken before it."""

    today: date
    ids: frozenset[int]
    tasks_only: bool
    last_id: int
    whole: bool
    before: dict[str, PlainCells] = field(default_factory=dict)


def begin(today: date, ids: frozenset[int], tasks_only: bool) -> Pending:
    """Before a writer changes these zaken (or their tasks): lock, and compute what they contribute now."""
    _lock()
    kinds = _kinds(tasks_only)
    stands = _stands()
    whole = any(stands.get(kind.naam) != today for kind in kinds)
    last_id = db.session.scalar(select(func.max(Zaak.id))) or 0
    pending = Pending(today, ids, tasks_only, last_id, whole)
    if not whole:
        pending.before = {kind.naam: kind.compute(today, Scope(zaken=ids)) for kind in kinds}
    return pending


def finish(pending: Pending, ids: frozenset[int], reason: str) -> None:
    """After the change, in the same transaction: add (after - before) to the stored cells. `ids` are the touched
    zaken now; one that existed before but was not in the first set (a zaak that came to share an identificatie)
    had a contribution nobody measured, so its soorten are then recomputed whole instead."""
    if pending.whole or any(i <= pending.last_id for i in ids - pending.ids):
        refresh(pending.today, tasks_only=pending.tasks_only, reason=reason)
        return
    touched = Scope(zaken=pending.ids | ids)
    for kind in _kinds(pending.tasks_only):
        before, after = pending.before[kind.naam], kind.compute(pending.today, touched)
        for cell in before.keys() | after.keys():
            _add(kind, cell, before.get(cell), after.get(cell))


def refresh_if_stale(today: date) -> bool:
    """For the worker, once a second: at the first look on a new day (states move with the calendar) or after an
    upgrade that left a soort unstored, store every soort for today in a transaction of its own."""
    stands = _stands()
    if all(stands.get(naam) == today for naam in KINDS):
        db.session.rollback()
        return False
    refresh(today, reason="nieuwe dag")
    db.session.commit()
    return True


def install(app: Flask) -> None:
    """Make the writers' calls in `duo_zaak.changes` keep the stored figures."""
    app.extensions[EXTENSION] = Listener()


class Listener:
    """What `duo_zaak.changes` calls."""

    def everything(self, today: date, reason: str, prepared: Prepared | None = None) -> None:
        if prepared is None or prepared.today != today:
            refresh(today, reason=reason)
        else:
            store(prepared, reason)

    def prepare(self, today: date) -> Prepared:
        return prepare(today)

    def begin(self, today: date, ids: frozenset[int], tasks_only: bool) -> Pending:
        return begin(today, ids, tasks_only)

    def finish(self, pending: Pending, ids: frozenset[int], reason: str) -> None:
        finish(pending, ids, reason)


def _kinds(tasks_only: bool) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.tasks or not tasks_only]


def _store_whole(kind: Kind, today: date, reason: str, values: PlainCells | None = None) -> None:
    db.session.execute(delete(FiguurCel).where(FiguurCel.soort == kind.naam))
    if values is None:
        values = kind.compute(today, Scope.everything())
    if values:
        db.session.execute(insert(FiguurCel), [
            {"soort": kind.naam, "organisatie_id": organisatie_id, "team_id": team_id, "waarde": _dump(value)}
            for (organisatie_id, team_id), value in values.items()])
    done = db.session.execute(update(FiguurStand).where(FiguurStand.soort == kind.naam).values(
        peildatum=today, berekend_op=utcnow(), aanleiding=reason[:40]))
    if not done.rowcount:  # type: ignore[attr-defined]
        db.session.execute(insert(FiguurStand).values(soort=kind.naam, peildatum=today, berekend_op=utcnow(),
                                                      aanleiding=reason[:40]))


def _add(kind: Kind, cell: Cell, before: Plain | None, after: Plain | None) -> None:
    """Stored cell := stored - before + after; a cell that comes to zero is removed."""
    organisatie_id, team_id = cell
    where = (FiguurCel.soort == kind.naam, _equal(FiguurCel.organisatie_id, organisatie_id),
             _equal(FiguurCel.team_id, team_id))
    row = db.session.execute(select(FiguurCel.id, FiguurCel.waarde).where(*where)).first()
    value = kind.tidy(_combine(_combine(json.loads(row.waarde) if row else {}, before, -1), after, 1))
    if _is_zero(value):
        if row:
            db.session.execute(delete(FiguurCel).where(FiguurCel.id == row.id))
    elif row:
        db.session.execute(update(FiguurCel).where(FiguurCel.id == row.id).values(waarde=_dump(value)))
    else:
        db.session.execute(insert(FiguurCel).values(soort=kind.naam, organisatie_id=organisatie_id,
                                                    team_id=team_id, waarde=_dump(value)))


def _combine(a: Plain | None, b: Plain | None, sign: int) -> Plain:
    """a + sign * b, key by key through nested dicts (a missing key is 0)."""
    if isinstance(a, dict) or isinstance(b, dict):
        a = a if isinstance(a, dict) else {}
        b = b if isinstance(b, dict) else {}
        return {key: _combine(a.get(key), b.get(key), sign) for key in a.keys() | b.keys()}
    return (a or 0) + sign * (b or 0)


def _is_zero(value: Plain) -> bool:
    if isinstance(value, dict):
        return all(_is_zero(item) for item in value.values())
    return not value


def _dump(value: Plain) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _lock() -> None:
    """Serialise refreshes with each other and with marks: on PostgreSQL an advisory lock held to the end of
    the transaction; on SQLite a write to the stand table takes the database's single write lock now."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    else:
        db.session.execute(update(FiguurStand).where(FiguurStand.soort == "").values(aanleiding=""))


def _equal(column: Any, value: int | None) -> Any:
    return column.is_(None) if value is None else column == value
