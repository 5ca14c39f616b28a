"""What a writer changed, said to whoever keeps figures about it.

The writers (the sync, the notification worker, the task life cycle, PiA marks) may not import the figures
(one direction of imports), yet the stored figures must be brought up to date in the writer's own transaction.
So a writer calls `changed(...)` before it commits, and the figures package installs the listener at app
creation (`figures.stored.install`). Without a listener (a bare script) nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from flask import current_app, has_app_context
from sqlalchemy import select

from .db import db
from .models import ArchiefTaak, Zaak

Cell = tuple[int | None, int | None]  # (organisatie_id, team_id)
Listener = Callable[[date, "frozenset[Cell] | None", bool, str], None]
EXTENSION = "duo_zaak.figures_listener"


def cells_of_zaken(zaak_ids: Iterable[int]) -> set[Cell]:
    """The (organisatie_id, team_id) cells of these zaken and of every zaak sharing an identificatie with one
    of them (a change to one member of a duplicate pair changes the finding of the other)."""
    ids = sorted(set(zaak_ids))
    cells: set[Cell] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        same = select(Zaak.identificatie).where(Zaak.id.in_(chunk))
        cells.update((row.organisatie_id, row.team_id) for row in db.session.execute(
            select(Zaak.organisatie_id, Zaak.team_id).where(Zaak.identificatie.in_(same)).distinct()))
    return cells


def cells_of_tasks(task_ids: Iterable[int]) -> set[Cell]:
    """The cells of the zaken of these archive tasks."""
    ids = sorted(set(task_ids))
    cells: set[Cell] = set()
    for start in range(0, len(ids), 500):
        cells.update((row.organisatie_id, row.team_id) for row in db.session.execute(
            select(Zaak.organisatie_id, Zaak.team_id).join(ArchiefTaak, ArchiefTaak.zaak_id == Zaak.id)
            .where(ArchiefTaak.id.in_(ids[start:start + 500])).distinct()))
    return cells


def changed(today: date, *, cells: Iterable[Cell] | None = None, tasks_only: bool = False, reason: str) -> None:
    """Tell the listener that the data of these cells changed (None: anything may have), in the caller's
    transaction, before it commits. `tasks_only`: only archive tasks changed, not the mirrored zaken."""
    if not has_app_context():
        return
    listener: Listener | None = current_app.extensions.get(EXTENSION)
    if listener is not None:
        listener(today, None if cells is None else frozenset(cells), tasks_only, reason)
