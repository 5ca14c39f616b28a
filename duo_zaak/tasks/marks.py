"""PiA marks an archive task done, or takes the mark back; both commit with their audit entries.

A mark is a conditional status change (see `lifecycle.change_status`): of two concurrent marks exactly one wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select

from .. import changes
from ..accounts import audit
from ..db import db
from ..models import ArchiefTaak
from ..rules.archive import GEMELD_GEREED, OPEN, can_mark
from .lifecycle import change_status


@dataclass
class MarkResult:
    gelukt: list[int] = field(default_factory=list)
    geweigerd: list[tuple[int, str]] = field(default_factory=list)


def mark_done(task_ids: Sequence[int], gebruiker_id: int, actor: str, notitie: str, today: date,
              moment: datetime | None = None) -> MarkResult:
    """PiA marks tasks `gemeld_gereed` (bulk allowed). A task someone else changed first is refused."""
    result = MarkResult()
    now = moment or datetime.now(UTC)
    current = dict(db.session.execute(select(ArchiefTaak.id, ArchiefTaak.status)
                                      .where(ArchiefTaak.id.in_(list(task_ids)))).all())
    with changes.changing(today, changes.zaken_of_tasks(current), tasks_only=True, reason="melding"):
        for task_id in task_ids:
            status = current.get(task_id)
            if status is None:
                result.geweigerd.append((task_id, "taak bestaat niet"))
            elif not can_mark(status):
                result.geweigerd.append((task_id, f"taak heeft status '{status}' en kan niet gemeld worden"))
            elif change_status(task_id, status, GEMELD_GEREED, gebeurtenis="gemeld_gereed", datum=today,
                               gebruiker_id=gebruiker_id, notitie=notitie,
                               extra={"gemeld_door_id": gebruiker_id, "gemeld_op": now, "notitie": notitie}):
                result.gelukt.append(task_id)
            else:
                result.geweigerd.append((task_id, "taak is zojuist door iemand anders gewijzigd"))
    for task_id in result.gelukt:
        audit.record("taak_gemeld_gereed", f"archief_taak {task_id}", "ok", actor=actor, details=notitie[:500])
    for task_id, reason in result.geweigerd:
        audit.record("taak_gemeld_gereed", f"archief_taak {task_id}", "geweigerd", actor=actor, details=reason)
    db.session.commit()
    return result


def undo_mark(task_id: int, gebruiker_id: int, actor: str, today: date) -> str | None:
    """Undo a mark while the task is still `gemeld_gereed`; returns None or the Dutch reason it failed."""
    task = db.session.get(ArchiefTaak, task_id)
    # A PiA user may withdraw another's mark; whose mark it was goes into the audit entry.
    marked_by = task.gemeld_door.gebruikersnaam if task is not None and task.gemeld_door is not None else "onbekend"
    if task is None:
        reason = "taak bestaat niet"
    elif task.status != GEMELD_GEREED:
        reason = f"taak heeft status '{task.status}'; alleen een melding die nog niet bevestigd is kan terug"
    elif not _withdraw(task_id, gebruiker_id, today):
        reason = "taak is zojuist door iemand anders gewijzigd"
    else:
        audit.record("taak_melding_ingetrokken", f"archief_taak {task_id}", "ok", actor=actor,
                     details=f"melding van {marked_by}", commit=True)
        return None
    audit.record("taak_melding_ingetrokken", f"archief_taak {task_id}", "geweigerd", actor=actor, details=reason,
                 commit=True)
    return reason


def _withdraw(task_id: int, gebruiker_id: int, today: date) -> bool:
    with changes.changing(today, changes.zaken_of_tasks([task_id]), tasks_only=True, reason="intrekking"):
        return change_status(task_id, GEMELD_GEREED, OPEN, gebeurtenis="melding_ingetrokken", datum=today,
                             gebruiker_id=gebruiker_id, extra={"gemeld_door_id": None, "gemeld_op": None})
