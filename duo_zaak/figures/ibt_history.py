"""The history of the programme team's choices: every version of a KPI judgement and of a norm, with who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from ..db import db
from ..formatting import datum
from ..models import Gebruiker, KpiOordeel
from ..models import Norm as NormRow
from ..rules import ibt as ibt_rules
from .ibt_report import evidence_links
from .indicators import VENSTER_CODE, kpi_history, norm_history


@dataclass(frozen=True)
class Version:
    """One stored version (newest first in lists) with who made it and what changed."""

    row: Any
    door: str
    wijzigingen: list[str]


KPI_FIELDS = ("oordeel", "eigenaar", "streefdatum", "notitie", "bewijs")


def _user_names(ids: set[int | None]) -> dict[int | None, str]:
    wanted = [i for i in ids if i is not None]
    names: dict[int | None, str] = {None: "onbekend"}
    if wanted:
        names.update(db.session.execute(select(Gebruiker.id, Gebruiker.naam).where(Gebruiker.id.in_(wanted))).all())
    return names


def _kpi_value(row: KpiOordeel | None, name: str) -> str:
    value = getattr(row, name) if row is not None else None
    if isinstance(value, date):
        return datum(value)
    if name == "bewijs":
        return ", ".join(evidence_links(value or "")) or "–"
    return value or "–"


def kpi_changes(old: KpiOordeel | None, new: KpiOordeel) -> list[str]:
    """What changed from one judgement version to the next, in Dutch ("oordeel: deels → ja")."""
    changes = []
    for name in KPI_FIELDS:
        before, after = _kpi_value(old, name), _kpi_value(new, name)
        if before != after:
            changes.append(f"{name}: {before} → {after}")
    return changes or ["geen wijziging"]


def kpi_versions(organisatie_id: int, nummer: int) -> list[Version]:
    history = kpi_history(organisatie_id, nummer)
    names = _user_names({row.gewijzigd_door_id for row in history})
    return [Version(row, names.get(row.gewijzigd_door_id, "onbekend"),
                    kpi_changes(history[i + 1] if i + 1 < len(history) else None, row))
            for i, row in enumerate(history)]


def norm_text(row: NormRow) -> str:
    if row.code == VENSTER_CODE:
        return f"{int(row.waarde)} maanden"
    return ibt_rules.norm_tekst(ibt_rules.Norm(row.operator, row.waarde))


def norm_versions(code: str, default: str) -> list[Version]:
    """Every version of a norm (or of the window), newest first; `default` is what applied before the first."""
    history = norm_history(code)
    names = _user_names({row.gewijzigd_door_id for row in history})
    return [Version(row, names.get(row.gewijzigd_door_id, "onbekend"),
                    [f"{norm_text(history[i + 1]) if i + 1 < len(history) else default} → {norm_text(row)}"])
            for i, row in enumerate(history)]


# -- the workbook --------------------------------------------------------------------------------------
