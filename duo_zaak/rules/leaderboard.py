"""Team leaderboard for PiA follow-up: derived columns, ranking and the most improved team (domain.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from .ibt import percentage


@dataclass(frozen=True)
class TeamRow:
    """The counted figures of one behandelend team; `id` None is the pseudo-team "Niet toegewezen".

    gesloten: zaken closed in the period; direct_goed_teller: of those, first time right; achterstand:
    archive backlog at the peildatum; gesloten_365: closed in the 365 days up to the peildatum; opgelost:
    tasks that became bevestigd or opgelost_in_bron in the period; trend: backlog now minus backlog at the
    start of the period (None without a snapshot).
    """

    id: str | None
    naam: str
    organisatie: str | None
    gesloten: int
    direct_goed_teller: int
    achterstand: int
    gesloten_365: int
    opgelost: int
    trend: int | None


@dataclass(frozen=True)
class RankedRow(TeamRow):
    direct_goed: float | None
    achterstand_per_100: float | None
    rang: int | None


def _sort_key(row: RankedRow) -> tuple[bool, float, bool, float, str, str]:
    """direct_goed descending, achterstand_per_100 ascending (None after numbers in both), team name."""
    return (row.direct_goed is None, -(row.direct_goed or 0.0),
            row.achterstand_per_100 is None, row.achterstand_per_100 or 0.0,
            row.naam.casefold(), row.id or "")


def rank(rows: Sequence[TeamRow], min_gesloten: int = 5) -> list[RankedRow]:
    """All rows with their derived columns, in display order: the ranked teams (rang 1..n, consecutive,
    ties broken by team name so no rank is shared), then the teams with fewer than `min_gesloten` closed
    zaken (rang None) in the same order, then "Niet toegewezen" (rang None)."""
    derived = [
        RankedRow(**{field.name: getattr(row, field.name) for field in fields(TeamRow)},
                  direct_goed=percentage(row.direct_goed_teller, row.gesloten),
                  achterstand_per_100=percentage(row.achterstand, row.gesloten_365), rang=None)
        for row in rows
    ]
    derived.sort(key=lambda row: (row.id is None, row.id is not None and row.gesloten < min_gesloten,
                                  _sort_key(row)))
    result: list[RankedRow] = []
    rang = 0
    for row in derived:
        ranked = row.id is not None and row.gesloten >= min_gesloten
        rang += ranked
        result.append(replace(row, rang=rang) if ranked else row)
    return result


Row = TypeVar("Row", bound=TeamRow)


def meest_verbeterd(rows: Sequence[Row]) -> Row | None:
    """The team whose backlog fell most (most negative trend; tie: team name). None when none fell.

    "Niet toegewezen" is not a team that can improve and is never chosen.
    """
    gedaald = [row for row in rows if row.id is not None and row.trend is not None and row.trend < 0]
    return min(gedaald, key=lambda row: (row.trend, row.naam.casefold(), row.id), default=None)
