"""Archive tasks in the database: creating them when due and moving them through their life cycle.

Every status change is a conditional UPDATE (`WHERE status = <what we saw>`) followed by an event, so a
sync and a PiA user changing the same task at the same moment cannot overwrite each other: exactly one
of them wins and only the winner records an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, or_, select, update

from .. import changes as data_changes
from ..db import bulk_insert, db
from ..formatting import local
from ..models import ArchiefTaak, TaakGebeurtenis, Zaak
from ..rules.archive import ENDED_STATUSES, GEMELD_GEREED, KINDS, OPEN, ArchiveSettings, after_sync, current_task

DUE_COLUMNS = {
    "archiefgegevens_aanvullen": Zaak.aanvullen_vervalt,
    "vernietigen": Zaak.vernietigen_vervalt,
    "overbrengen": Zaak.overbrengen_vervalt,
    "archiveren": Zaak.archiveren_vervalt,
}
assert tuple(DUE_COLUMNS) == KINDS
CHUNK = 2000


@dataclass
class TaskChanges:
    aangemaakt: int = 0
    gewijzigd: int = 0
    per_status: dict[str, int] = field(default_factory=dict)

    def add(self, other: TaskChanges) -> None:
        self.aangemaakt += other.aangemaakt
        self.gewijzigd += other.gewijzigd
        for status, count in other.per_status.items():
            self.per_status[status] = self.per_status.get(status, 0) + count


def change_status(task_id: int, van: str, naar: str, *, gebeurtenis: str, datum: date,
                  gebruiker_id: int | None = None, notitie: str = "",
                  extra: dict[str, object] | None = None) -> bool:
    """Move a task from `van` to `naar` if it is still in `van`; record the event. True when we won."""
    values: dict[str, object] = {"status": naar, "status_sinds": datetime.now(UTC),
                                 "versie": ArchiefTaak.versie + 1, **(extra or {})}
    result = db.session.execute(
        update(ArchiefTaak).where(ArchiefTaak.id == task_id, ArchiefTaak.status == van).values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.execute(insert(TaakGebeurtenis).values(
        taak_id=task_id, gebruiker_id=gebruiker_id, gebeurtenis=gebeurtenis, van_status=van,
        naar_status=naar, notitie=notitie, datum=datum))
    return True


def _due_map(row: object) -> dict[str, date]:
    return {kind: getattr(row, kind) for kind in KINDS if getattr(row, kind) is not None}


def due_of(values: Mapping[str, Any]) -> dict[str, date]:
    """The due dates per task kind of a zaak row as the sync writes it (its `*_vervalt` columns, by key)."""
    return {kind: values[column.key] for kind, column in DUE_COLUMNS.items() if values[column.key] is not None}


def refresh_tasks(zaak_ids: Sequence[int], today: date, settings: ArchiveSettings,
                  due: Mapping[int, Mapping[str, date]] | None = None) -> TaskChanges:
    """Re-evaluate the tasks of these zaken on `today`: life-cycle steps, and a new task when due.

    `due`: the due dates of every one of these zaken as just written (live zaken), which saves reading them
    back; without it they are read from the mirror."""
    changes = TaskChanges()
    for start in range(0, len(zaak_ids), CHUNK):
        changes.add(_refresh_chunk(list(zaak_ids[start:start + CHUNK]), today, settings, due))
    return changes


def _zaken_due(ids: list[int],
               known: Mapping[int, Mapping[str, date]] | None) -> list[tuple[int, Mapping[str, date]]]:
    if known is not None:
        return [(zaak_id, known[zaak_id]) for zaak_id in sorted(ids)]  # in id order, as the mirror reads them
    rows = db.session.execute(
        select(Zaak.id, Zaak.vernietigd_op, *(col.label(kind) for kind, col in DUE_COLUMNS.items()))
        .where(Zaak.id.in_(ids))
    ).all()
    return [(row.id, {} if row.vernietigd_op else _due_map(row)) for row in rows]


def _refresh_chunk(ids: list[int], today: date, settings: ArchiveSettings,
                   known: Mapping[int, Mapping[str, date]] | None = None) -> TaskChanges:
    changes = TaskChanges()
    zaken = _zaken_due(ids, known)
    tasks: dict[int, dict[str, ArchiefTaak]] = {}
    for task in db.session.scalars(select(ArchiefTaak).where(ArchiefTaak.zaak_id.in_(ids))):
        tasks.setdefault(task.zaak_id, {})[task.soort] = task
    new_rows = []
    for zaak_id, due in zaken:
        current = current_task(due, today)
        existing = tasks.get(zaak_id, {})
        for kind, task in existing.items():
            holds = kind in due
            gemeld = local(task.gemeld_op).date() if task.gemeld_op else None
            new_status = after_sync(task.status, holds, gemeld, today, settings)
            reopen = (task.status in ENDED_STATUSES and holds and current is not None
                      and not current.komend and current.soort == kind)
            if reopen:
                new_status = OPEN
            extra: dict[str, object] = {}
            if holds and due[kind] != task.vervaldatum:
                extra["vervaldatum"] = due[kind]
            if new_status != task.status:
                if new_status == "niet_bevestigd":
                    extra["eerder_gemeld"] = True
                event = "heropend" if reopen else new_status
                if change_status(task.id, task.status, new_status, gebeurtenis=event, datum=today, extra=extra):
                    changes.gewijzigd += 1
                    changes.per_status[new_status] = changes.per_status.get(new_status, 0) + 1
            elif extra:
                db.session.execute(update(ArchiefTaak).where(ArchiefTaak.id == task.id).values(**extra)
                                   .execution_options(synchronize_session=False))
        if current is not None and not current.komend and current.soort not in existing:
            new_rows.append({"zaak_id": zaak_id, "soort": current.soort, "status": OPEN,
                             "vervaldatum": current.vervaldatum})
    if new_rows:
        # No RETURNING: ordered RETURNING over many rows is slower than reading the ids back by identity.
        bulk_insert(ArchiefTaak.__table__, new_rows)
        wanted = {(row["zaak_id"], row["soort"]) for row in new_rows}
        created = sorted(task_id for task_id, zaak_id, soort in db.session.execute(
            select(ArchiefTaak.id, ArchiefTaak.zaak_id, ArchiefTaak.soort)
            .where(ArchiefTaak.zaak_id.in_([row["zaak_id"] for row in new_rows]))) if (zaak_id, soort) in wanted)
        bulk_insert(TaakGebeurtenis.__table__, [
            {"taak_id": task_id, "gebeurtenis": "aangemaakt", "van_status": None, "naar_status": OPEN,
             "datum": today, "notitie": ""}
            for task_id in created
        ])
        changes.aangemaakt += len(created)
    return changes


def zaken_needing_refresh(today: date) -> Iterable[int]:
    """Ids of zaken whose tasks the calendar alone may change today: a kind due, or a task not ended."""
    due_now = or_(*(col <= today for col in DUE_COLUMNS.values()))
    with_task = select(ArchiefTaak.zaak_id).where(ArchiefTaak.status.not_in(ENDED_STATUSES))
    query = (select(Zaak.id).where(Zaak.einddatum.is_not(None), or_(due_now, Zaak.id.in_(with_task)))
             .order_by(Zaak.id))
    return db.session.scalars(query).all()


def refresh_all(today: date, settings: ArchiveSettings) -> TaskChanges:
    """The daily step: tasks that become due, or niet_bevestigd, by the calendar alone."""
    changes = TaskChanges()
    ids = list(zaken_needing_refresh(today))
    for start in range(0, len(ids), CHUNK):
        changes.add(_refresh_chunk(ids[start:start + CHUNK], today, settings))
        db.session.commit()
    # The calendar moved the tasks (and the states of open zaken): every stored figure, for today.
    data_changes.everything_changed(today, "dagelijkse stap")
    db.session.commit()
    return changes


def gemeld_gereed_zaak_ids() -> select:
    return select(ArchiefTaak.zaak_id).where(ArchiefTaak.status == GEMELD_GEREED)
