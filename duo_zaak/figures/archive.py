"""Archive backlog and the PiA task queue: SQL over the zaak's due columns and the task rows.

The CURRENT task of a closed, not destroyed zaak at peildatum P is the first kind (archive_rules.KINDS
order) whose due column is <= P (NULL = the condition does not hold). It is in the backlog when its task
row (zaak + soort) has status open or niet_bevestigd, or when there is no row yet: a due task that the
daily step has not materialised counts as `open` (its queue `id` is then None). The peildatum moves the
calendar, not the data: statuses and marks are as they are now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from ..db import db
from ..models import ArchiefTaak, Zaak, ZaakType
from ..rules.archive import BACKLOG_STATUSES, KINDS, NIET_BEVESTIGD, OPEN
from ..tasks.lifecycle import DUE_COLUMNS
from .scope import (
    NO_TEAM,
    Breakdown,
    OrgLabel,
    Page,
    Scope,
    TeamLabel,
    breakdown,
    cell_filter,
    org_condition,
    org_label,
    org_lookup,
    paginate,
    team_condition,
    team_labels,
    zaaktype_condition,
)
from .stored import read_plain, stored_cells

SORTS = ("dagen_open", "vervaldatum")


def current_kind(peildatum: date) -> ColumnElement[Any]:
    """The kind of the current task at the peildatum (NULL when none is due)."""
    return case(*((col <= peildatum, kind) for kind, col in DUE_COLUMNS.items()), else_=None)


def current_due(peildatum: date) -> ColumnElement[Any]:
    """The due date of the current task at the peildatum."""
    return case(*((col <= peildatum, col) for col in DUE_COLUMNS.values()), else_=None)


def has_current_task(peildatum: date) -> ColumnElement[bool]:
    """A not destroyed zaak with a kind due: its earliest due date (a generated column with a partial
    index) is on or before the peildatum. The due columns are NULL for open zaken (the sync derives them
    only for closed ones), so `einddatum` is not tested."""
    return and_(Zaak.vernietigd_op.is_(None), Zaak.archief_vervalt.is_not(None), Zaak.archief_vervalt <= peildatum)


def current_tasks(peildatum: date, scope: Scope, conditions: Sequence[ColumnElement[bool]] = (),
                  columns: Sequence[Any] = ()) -> Any:
    """A subquery of current tasks: zaak_id, organisatie_id, team_id, the extra zaak `columns`, soort,
    vervaldatum, taak_id (None when not materialised) and status, of the zaken meeting `conditions`."""
    zaken = scope.apply(select(
        Zaak.id.label("zaak_id"), Zaak.organisatie_id, Zaak.team_id, *columns,
        current_kind(peildatum).label("soort"), current_due(peildatum).label("vervaldatum"),
    ).where(has_current_task(peildatum), *conditions)).subquery("huidig")
    joined = zaken.outerjoin(ArchiefTaak, and_(ArchiefTaak.zaak_id == zaken.c.zaak_id,
                                               ArchiefTaak.soort == zaken.c.soort))
    return select(*zaken.c, ArchiefTaak.id.label("taak_id"), ArchiefTaak.eerder_gemeld,
                  func.coalesce(ArchiefTaak.status, OPEN).label("status")).select_from(joined).subquery("taken")


@dataclass
class ArchiveFigures:
    """The archive backlog of a group of zaken at a peildatum."""

    peildatum: date
    achterstand: int = 0
    per_soort: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    niet_bevestigd: int = 0
    oudste_vervaldatum: date | None = None
    oudste_per_soort: dict[str, date | None] = field(default_factory=lambda: dict.fromkeys(KINDS))

    @property
    def oudste_dagen(self) -> int | None:
        """Peildatum minus the oldest due date in the backlog; None without backlog."""
        return None if self.oudste_vervaldatum is None else (self.peildatum - self.oudste_vervaldatum).days

    def oudste_dagen_soort(self, kind: str) -> int | None:
        oldest = self.oudste_per_soort[kind]
        return None if oldest is None else (self.peildatum - oldest).days

    def add(self, other: ArchiveFigures) -> None:
        self.achterstand += other.achterstand
        self.niet_bevestigd += other.niet_bevestigd
        for kind in KINDS:
            self.per_soort[kind] += other.per_soort[kind]
            self.oudste_per_soort[kind] = _min_date(self.oudste_per_soort[kind], other.oudste_per_soort[kind])
        self.oudste_vervaldatum = _min_date(self.oudste_vervaldatum, other.oudste_vervaldatum)


def _min_date(a: date | None, b: date | None) -> date | None:
    return b if a is None else a if b is None else min(a, b)


def _load_archive(value: dict[str, Any], peildatum: date) -> ArchiveFigures:
    """A stored cell (backlog tasks counted per kind and due date) as figures."""
    figures = ArchiveFigures(peildatum, niet_bevestigd=value.get("niet_bevestigd", 0))
    for kind, per_day in value.get("vervaldata", {}).items():
        days = [date.fromisoformat(day) for day, count in per_day.items() if count]
        count = sum(per_day.values())
        figures.add(ArchiveFigures(peildatum, count, {**dict.fromkeys(KINDS, 0), kind: count}, 0,
                                   min(days, default=None), {**dict.fromkeys(KINDS), kind: min(days, default=None)}))
    return figures


def _tidy_archive(value: dict[str, Any]) -> dict[str, Any]:
    """Leave out due dates (and kinds) whose count came to zero."""
    per_kind = {kind: {day: n for day, n in days.items() if n} for kind, days in value.get("vervaldata", {}).items()}
    return {**value, "vervaldata": {kind: days for kind, days in per_kind.items() if days}}


ARCHIEF = "archief"


@stored_cells(ARCHIEF, load=_load_archive, tasks=True, tidy=_tidy_archive)
def backlog_cells(peildatum: date, scope: Scope) -> dict[tuple[int | None, int | None], dict[str, Any]]:
    """The backlog per (organisatie_id, team_id): its tasks counted per kind and due date (so the oldest due
    date of a cell can be kept up to date by adding and subtracting), and those niet_bevestigd."""
    tasks = current_tasks(peildatum, scope)
    rows = db.session.execute(
        select(tasks.c.organisatie_id, tasks.c.team_id, tasks.c.soort, tasks.c.vervaldatum,
               func.count().label("aantal"),
               func.sum(case((tasks.c.status == NIET_BEVESTIGD, 1), else_=0)).label("niet_bevestigd"))
        .where(tasks.c.status.in_(BACKLOG_STATUSES))
        # soort first: grouping in (organisatie_id, team_id) order makes SQLite walk that index over all zaken
        .group_by(tasks.c.soort, tasks.c.organisatie_id, tasks.c.team_id, tasks.c.vervaldatum)
    ).all()
    cells: dict[tuple[int | None, int | None], dict[str, Any]] = {}
    for row in rows:
        cell = cells.setdefault((row.organisatie_id, row.team_id), {"niet_bevestigd": 0, "vervaldata": {}})
        cell["niet_bevestigd"] += int(row.niet_bevestigd or 0)
        cell["vervaldata"].setdefault(row.soort, {})[row.vervaldatum.isoformat()] = int(row.aantal)
    return cells


def archive_backlog(peildatum: date, scope: Scope) -> Breakdown[ArchiveFigures]:
    """The archive backlog in total, per organisation and per team."""
    return breakdown(backlog_cells(peildatum, scope), lambda: ArchiveFigures(peildatum))


@dataclass(frozen=True)
class TaskFilter:
    """Queue filters; None = no filter. `statuses` defaults to the backlog statuses."""

    soort: str | None = None
    organisatie: str | None = None
    team: str | None = None
    zaaktype: str | None = None
    min_dagen: int | None = None
    statuses: tuple[str, ...] = tuple(BACKLOG_STATUSES)


@dataclass(frozen=True)
class QueueTask:
    id: int | None
    zaak_id: int
    zaak_identificatie: str
    zaak_url: str
    zaak_omschrijving: str
    zaaktype: str
    organisatie: OrgLabel
    team: TeamLabel
    soort: str
    vervaldatum: date
    dagen_open: int
    status: str
    eerder_gemeld: bool


def _queue_query(peildatum: date, scope: Scope, filters: TaskFilter,
                 extra: list[ColumnElement[bool]]) -> Select[Any]:
    conditions = list(extra)
    if filters.organisatie is not None:
        conditions.append(org_condition(filters.organisatie))
    if filters.team is not None:
        conditions.append(team_condition(filters.team))
    if filters.zaaktype is not None:
        conditions.append(zaaktype_condition(filters.zaaktype))
    tasks = current_tasks(peildatum, scope, conditions,
                          (Zaak.identificatie, Zaak.url, Zaak.omschrijving, Zaak.zaaktype_id))
    query = (select(tasks, ZaakType.omschrijving.label("zaaktype")).select_from(tasks)
             .outerjoin(ZaakType, ZaakType.id == tasks.c.zaaktype_id).where(tasks.c.status.in_(filters.statuses)))
    if filters.soort is not None:
        query = query.where(tasks.c.soort == filters.soort)
    if filters.min_dagen is not None:
        query = query.where(tasks.c.vervaldatum <= peildatum - timedelta(days=filters.min_dagen))
    return query


def _stored_due_dates(peildatum: date, scope: Scope, filters: TaskFilter) -> Counter[date] | None:
    """The queue's tasks counted per due date, from the stored backlog cells, when its filters are among theirs;
    None: the queue is counted and sorted by the database."""
    if filters.zaaktype is not None or filters.min_dagen is not None or set(filters.statuses) != set(BACKLOG_STATUSES):
        return None
    cells = read_plain(ARCHIEF, peildatum, scope)
    if cells is None:
        return None
    keep = cell_filter(filters.organisatie, filters.team)
    counts: Counter[date] = Counter()
    for cell, value in cells.items():
        if keep(cell):
            for kind, days in value["vervaldata"].items():
                if filters.soort in (None, kind):
                    counts.update({date.fromisoformat(day): n for day, n in days.items()})
    return counts


def _due_window(counts: Counter[date], ascending: bool, offset: int, limit: int) -> tuple[date, date, int] | None:
    """The due dates (lowest, highest) holding rows offset .. offset+limit of the queue in its order, and the
    number of rows before the first of them; None for a page past the end."""
    seen, first, before, last = 0, None, 0, None
    for day in sorted((day for day, n in counts.items() if n), reverse=not ascending):
        if first is None and seen + counts[day] > offset:
            first, before = day, seen
        seen += counts[day]
        last = day
        if first is not None and seen >= offset + limit:
            break
    if first is None or last is None:
        return None
    return min(first, last), max(first, last), before


def _ordered(query: Select[Any], ascending_due: bool) -> Select[Any]:
    due = query.selected_columns.vervaldatum
    return query.order_by(due.asc() if ascending_due else due.desc(), query.selected_columns.zaak_id)


def task_queue(peildatum: date, scope: Scope, filters: TaskFilter = TaskFilter(), *, sort: str = "dagen_open",
               descending: bool = True, page: int = 1, per_page: int = 50) -> Page[QueueTask]:
    """The current tasks matching the filters, sorted by age (`dagen_open`) or `vervaldatum`, one page."""
    if sort not in SORTS:
        raise ValueError(f"onbekende sortering {sort!r}")
    # Older = earlier due date: dagen_open descending is vervaldatum ascending.
    ascending_due = descending if sort == "dagen_open" else not descending
    counts = _stored_due_dates(peildatum, scope, filters)
    if counts is None:
        query = _ordered(_queue_query(peildatum, scope, filters, []), ascending_due)
        page_result = paginate(query, page, per_page)
    else:
        # The stored counts per due date say which due dates the page's rows have: only those are read and sorted
        # (and the zaken due after the last of them are not read at all).
        total = sum(counts.values())
        page = min(page, max(1, -(-total // per_page)))
        window = _due_window(counts, ascending_due, (page - 1) * per_page, per_page)
        rows: list[Any] = []
        if window is not None:
            low, high, before = window
            query = _ordered(_queue_query(peildatum, scope, filters, [Zaak.archief_vervalt <= high]), ascending_due)
            due = query.selected_columns.vervaldatum
            rows = list(db.session.execute(query.where(due >= low, due <= high)
                                           .offset((page - 1) * per_page - before).limit(per_page)))
        page_result = Page(rows, total, page, per_page)
    _, by_id = org_lookup()
    labels = team_labels({row.team_id for row in page_result.items})
    items = []
    for row in page_result.items:
        vervaldatum: date = row.vervaldatum
        items.append(QueueTask(
            id=row.taak_id, zaak_id=row.zaak_id, zaak_identificatie=row.identificatie, zaak_url=row.url,
            zaak_omschrijving=row.omschrijving, zaaktype=row.zaaktype or "",
            organisatie=org_label(by_id, row.organisatie_id), team=labels.get(row.team_id, NO_TEAM), soort=row.soort,
            vervaldatum=vervaldatum, dagen_open=(peildatum - vervaldatum).days, status=row.status,
            eerder_gemeld=bool(row.eerder_gemeld)))
    return page_result.replace(items)
