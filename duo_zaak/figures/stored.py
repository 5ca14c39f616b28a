"""Figures computed once, where the data changes, and read by every page and every host.

A figure function that returns figures per (organisatie_id, team_id) cell registers itself with
`stored_cells`. Its cells for today's peildatum are kept in `figuur_cel`; `figuur_stand` says which peildatum
they are complete for. The writers say what they changed (`duo_zaak.changes.changed`) in their own transaction,
before they commit:
- a sync run, the daily task step and the first minute of a new day: every soort, every cell;
- a re-read zaak (notification): the cells it left and entered, every soort;
- a mark or an undo: the cells of the marked tasks' zaken, the soorten that read archive tasks.
A refresh takes a database lock first (PostgreSQL: a transaction advisory lock; SQLite has one writer), so two
writers never store cells each computed without the other's change.

A read for the stored peildatum with no narrowing argument comes from the table; any other (a past
peildatum, a zaaktype filter, a period of the caller's choice) runs the bare query, as the tests do to check
the stored cells against it.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ParamSpec, TypeVar

from flask import Flask
from sqlalchemy import delete, insert, select, text, update

from ..changes import EXTENSION, Cell
from ..db import db
from ..models import FiguurCel, FiguurStand, Team
from ..models.base import utcnow
from .scope import Scope

log = logging.getLogger("duo_zaak.figures")
P = ParamSpec("P")
V = TypeVar("V")
LOCK_KEY = 0x64756F66  # "duof": one writer of stored figures at a time
Cells = dict[Cell, Any]


@dataclass(frozen=True)
class Kind:
    naam: str
    compute: Callable[[date, Scope], Cells]  # the bare query, for all zaken or a narrowed scope
    load: Callable[[Any], Any]  # JSON-decoded value -> the figures object
    tasks: bool  # reads archive tasks (a mark changes it)


KINDS: dict[str, Kind] = {}


def stored_cells(naam: str, *, load: Callable[[Any], Any], tasks: bool
                 ) -> Callable[[Callable[[date, Scope], Cells]], Callable[[date, Scope], Cells]]:
    """Register a cell function `fn(peildatum, scope)`; the returned function reads the stored cells when
    they are there for that peildatum (and the scope is not narrowed to cells), else runs `fn`."""

    def register(fn: Callable[[date, Scope], Cells]) -> Callable[[date, Scope], Cells]:
        KINDS[naam] = Kind(naam, fn, load, tasks)

        @functools.wraps(fn)
        def read_or_compute(peildatum: date, scope: Scope) -> Cells:
            if scope.cellen is None:
                stored = read(naam, peildatum, scope)
                if stored is not None:
                    return stored
            return fn(peildatum, scope)

        read_or_compute.bare = fn  # type: ignore[attr-defined]
        return read_or_compute

    return register


def stored_peildatum(naam: str) -> date | None:
    return db.session.scalar(select(FiguurStand.peildatum).where(FiguurStand.soort == naam))


def read(naam: str, peildatum: date, scope: Scope) -> Cells | None:
    """The stored cells of a soort in the scope, or None when they are not stored for this peildatum."""
    if stored_peildatum(naam) != peildatum:
        return None
    query = select(FiguurCel.organisatie_id, FiguurCel.team_id, FiguurCel.waarde).where(FiguurCel.soort == naam)
    if scope.teams is not None:
        query = query.where(FiguurCel.team_id.in_(select(Team.id).where(Team.identificatie.in_(sorted(scope.teams)))))
    load = KINDS[naam].load
    return {(row.organisatie_id, row.team_id): load(json.loads(row.waarde, object_hook=_decode_date))
            for row in db.session.execute(query)}


def refresh(today: date, cells: frozenset[Cell] | None = None, tasks_only: bool = False,
            reason: str = "") -> None:
    """Recompute and store the cells (None: all) of every soort (`tasks_only`: of those reading archive tasks)
    for `today`, in the caller's transaction. A soort stored for another day is recomputed whole."""
    _lock()
    for kind in KINDS.values():
        if tasks_only and not kind.tasks:
            continue
        whole = cells is None or stored_peildatum(kind.naam) != today
        if whole:
            db.session.execute(delete(FiguurCel).where(FiguurCel.soort == kind.naam))
            values = kind.compute(today, Scope.everything())
        else:
            assert cells is not None
            if not cells:
                continue
            for organisatie_id, team_id in cells:
                db.session.execute(delete(FiguurCel).where(
                    FiguurCel.soort == kind.naam, _equal(FiguurCel.organisatie_id, organisatie_id),
                    _equal(FiguurCel.team_id, team_id)))
            values = kind.compute(today, Scope(cellen=cells))
        if values:
            db.session.execute(insert(FiguurCel), [
                {"soort": kind.naam, "organisatie_id": organisatie_id, "team_id": team_id,
                 "waarde": json.dumps(_plain(value), default=_encode_date, separators=(",", ":"))}
                for (organisatie_id, team_id), value in values.items()])
        if whole:
            _set_stand(kind.naam, today, reason)


def refresh_if_stale(today: date) -> bool:
    """For the worker, once a second: at the first look on a new day (states move with the calendar) or after an
    upgrade that left a soort unstored, store every soort for today in a transaction of its own."""
    stands = dict(db.session.execute(select(FiguurStand.soort, FiguurStand.peildatum)).all())
    if all(stands.get(naam) == today for naam in KINDS):
        db.session.rollback()
        return False
    refresh(today, reason="nieuwe dag")
    db.session.commit()
    return True


def install(app: Flask) -> None:
    """Make the writers' `changes.changed` calls refresh the stored figures."""
    app.extensions[EXTENSION] = _on_change


def _on_change(today: date, cells: frozenset[Cell] | None, tasks_only: bool, reason: str) -> None:
    refresh(today, cells, tasks_only, reason)


def _lock() -> None:
    """Serialise refreshes with each other and with marks: on PostgreSQL an advisory lock held to the end of
    the transaction; on SQLite a write to the stand table takes the database's single write lock now."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
    else:
        db.session.execute(update(FiguurStand).where(FiguurStand.soort == "").values(aanleiding=""))


def _set_stand(naam: str, today: date, reason: str) -> None:
    done = db.session.execute(update(FiguurStand).where(FiguurStand.soort == naam).values(
        peildatum=today, berekend_op=utcnow(), aanleiding=reason[:40]))
    if not done.rowcount:  # type: ignore[attr-defined]
        db.session.execute(insert(FiguurStand).values(soort=naam, peildatum=today, berekend_op=utcnow(),
                                                      aanleiding=reason[:40]))


def _equal(column: Any, value: int | None) -> Any:
    return column.is_(None) if value is None else column == value


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    return value


def _encode_date(value: Any) -> Any:
    if isinstance(value, date):
        return {"$datum": value.isoformat()}
    raise TypeError(f"niet op te slaan: {type(value).__name__}")


def _decode_date(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$datum" in obj:
        return date.fromisoformat(obj["$datum"])
    return obj
