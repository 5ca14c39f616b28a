"""The SQL behind PiA's capacity planning (`rules.planning`, `rules.projection`): confirmed and source-resolved
tasks per week and kind, the age structure of the backlog, the known inflow from the due dates of closed zaken,
zaken closed per day, and PiA's FTE per period (local state with history).

Zaken of an RSIN that is not configured are left out: the planning covers the four organisations (the
pseudo-organisation gets no forecast, domain.md).
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import case, func, or_, select

from ..db import db
from ..models import ArchiefTaak, Gebruiker, Organisatie, PiaFte, TaakGebeurtenis, Zaak
from ..rules.archive import ARCHIVEREN, BACKLOG_STATUSES, BEVESTIGD, KINDS, OPGELOST_IN_BRON, ArchiveSettings
from ..rules.ibt import Norm
from ..rules.planning import (
    HISTORY_WEEKS,
    HORIZON_WEEKS,
    YEAR_DAYS,
    Cohort,
    FtePeriod,
    HistoryWeek,
    estimated_inflow,
    fte_split,
    history_mondays,
    last_sunday,
    step_ends,
    week_fte,
)
from ..rules.projection import PlanInputs
from ..tasks.lifecycle import DUE_COLUMNS
from .archive import current_tasks
from .scope import Cell, Scope, organisations
from .stored import stored_cells

Verder = tuple[tuple[str, date], ...]


@dataclass(frozen=True)
class PlanningRows:
    """Everything the planning reads from the mirror for one peildatum, per organisatie_id."""

    gebeurtenissen: list[tuple[int | None, str, str, date, int]]  # organisatie, soort, naar_status, datum, aantal
    achterstand: list[tuple[int | None, str, date, Verder, int]]  # organisatie, soort, vervaldatum, verder, aantal
    instroom: list[tuple[int | None, str, date, Verder, int]]
    gesloten: list[tuple[int | None, date, int]]  # organisatie, einddatum, aantal
    # zaken closed in the history weeks that got an archiveren task or still have one coming, per organisatie
    met_archiveertaak: list[tuple[int | None, int]]


def _within(column: Any, until: date) -> Any:
    return case((column <= until, column), else_=None)


def _verder(row: Any, own: str) -> Verder:
    """The zaak's other due dates (within the projection) in KINDS order."""
    return tuple((kind, getattr(row, f"v_{i}")) for i, kind in enumerate(KINDS)
                 if kind != own and getattr(row, f"v_{i}") is not None)


def planning_rows(peildatum: date, until: date) -> PlanningRows:
    """What the planning reads, per organisatie_id: stored for today's standard horizon (every target date up to
    week 13 of the projection has it), else computed on the spot."""
    if until == step_ends(peildatum, HORIZON_WEEKS)[-1]:
        cells = stored_planning_cells(peildatum, Scope.everything())
    else:
        cells = _planning_cells(peildatum, until, Scope.everything())
    rows = PlanningRows([], [], [], [], [])
    for (organisatie_id, _), value in sorted(cells.items(), key=lambda item: (item[0][0] is None, item[0][0] or 0)):
        for key, count in value["gebeurtenissen"].items():
            soort, naar, day = key.split("|")
            rows.gebeurtenissen.append((organisatie_id, soort, naar, date.fromisoformat(day), count))
        for name in ("achterstand", "instroom"):
            for key, count in value[name].items():
                soort, day, verder = key.split("|")
                getattr(rows, name).append((organisatie_id, soort, date.fromisoformat(day), _decode(verder), count))
        rows.gesloten.extend((organisatie_id, date.fromisoformat(day), n) for day, n in value["gesloten"].items())
        rows.met_archiveertaak.append((organisatie_id, value["met_archiveertaak"]))
    return rows


def _tidy(value: dict[str, Any]) -> dict[str, Any]:
    """Leave out keys whose count came to zero."""
    return {name: {key: n for key, n in part.items() if n} if isinstance(part, dict) else part
            for name, part in value.items()}


@stored_cells("planning", load=lambda value, peildatum: value, tasks=True, tidy=_tidy)
def stored_planning_cells(peildatum: date, scope: Scope) -> dict[Cell, dict[str, Any]]:
    """The planning's counts over the standard horizon, per (organisatie_id, None)."""
    return _planning_cells(peildatum, step_ends(peildatum, HORIZON_WEEKS)[-1], scope)


def _encode(verder: Verder) -> str:
    return ",".join(f"{kind}={day.isoformat()}" for kind, day in verder)


@functools.lru_cache(maxsize=65536)
def _decode(text: str) -> Verder:
    return tuple((kind, date.fromisoformat(day)) for kind, day in (item.split("=") for item in text.split(",") if item))


def _planning_cells(peildatum: date, until: date, scope: Scope) -> dict[Cell, dict[str, Any]]:
    """Four GROUP BY queries: task events of the history weeks, the backlog by due date, the inflow due after
    the peildatum up to `until`, and the zaken closed in the 365 days up to the peildatum; counts keyed by text
    per (organisatie_id, None), so a change adds its difference as to every stored figure."""
    cells: dict[Cell, dict[str, Any]] = {}

    def cell(organisatie_id: int | None) -> dict[str, Any]:
        return cells.setdefault((organisatie_id, None), {"gebeurtenissen": {}, "achterstand": {}, "instroom": {},
                                                         "gesloten": {}, "met_archiveertaak": 0})

    mondays = history_mondays(peildatum)
    first, last = mondays[0], last_sunday(peildatum)
    events = db.session.execute(scope.apply(
        select(Zaak.organisatie_id, ArchiefTaak.soort, TaakGebeurtenis.naar_status, TaakGebeurtenis.datum,
               func.count().label("aantal"))
        .select_from(TaakGebeurtenis).join(ArchiefTaak, ArchiefTaak.id == TaakGebeurtenis.taak_id)
        .join(Zaak, Zaak.id == ArchiefTaak.zaak_id)
        .where(TaakGebeurtenis.naar_status.in_((BEVESTIGD, OPGELOST_IN_BRON)), TaakGebeurtenis.datum >= first,
               TaakGebeurtenis.datum <= last)
        .group_by(Zaak.organisatie_id, ArchiefTaak.soort, TaakGebeurtenis.naar_status, TaakGebeurtenis.datum)))
    for r in events:
        cell(r.organisatie_id)["gebeurtenissen"][f"{r.soort}|{r.naar_status}|{r.datum.isoformat()}"] = int(r.aantal)

    dues = [_within(column, until).label(f"v_{i}") for i, column in enumerate(DUE_COLUMNS.values())]
    tasks = current_tasks(peildatum, scope, columns=dues)
    due_cols = [tasks.c[f"v_{i}"] for i in range(len(KINDS))]
    backlog = db.session.execute(
        select(tasks.c.organisatie_id, tasks.c.soort, tasks.c.vervaldatum, *due_cols, func.count().label("aantal"))
        .where(tasks.c.status.in_(BACKLOG_STATUSES))
        .group_by(tasks.c.organisatie_id, tasks.c.soort, tasks.c.vervaldatum, *due_cols))
    for r in backlog:
        key = f"{r.soort}|{r.vervaldatum.isoformat()}|{_encode(_verder(r, r.soort))}"
        cell(r.organisatie_id)["achterstand"][key] = int(r.aantal)

    # A zaak without a current task whose first due date comes within the projection: its kind is the first
    # (KINDS order) whose due date is that earliest date (`archive.current_task` on that day).
    # (Grouped over a subquery: PostgreSQL does not see two copies of an expression with parameters as the same.)
    first_kind = case(*((column == Zaak.archief_vervalt, kind) for kind, column in DUE_COLUMNS.items()))
    coming = scope.apply(select(Zaak.organisatie_id, first_kind.label("soort"),
                                Zaak.archief_vervalt.label("vervaldatum"), *dues)
                         .where(Zaak.vernietigd_op.is_(None), Zaak.archief_vervalt > peildatum,
                                Zaak.archief_vervalt <= until)).subquery("komend")
    for r in db.session.execute(select(*coming.c, func.count().label("aantal")).group_by(*coming.c)):
        key = f"{r.soort}|{r.vervaldatum.isoformat()}|{_encode(_verder(r, r.soort))}"
        cell(r.organisatie_id)["instroom"][key] = int(r.aantal)

    archived_by_task = select(ArchiefTaak.zaak_id).where(ArchiefTaak.soort == ARCHIVEREN)
    tasked = db.session.execute(scope.apply(
        select(Zaak.organisatie_id, func.count().label("aantal"))
        .where(Zaak.vernietigd_op.is_(None), Zaak.einddatum >= first, Zaak.einddatum <= last,
               or_(Zaak.archiveren_vervalt.is_not(None), Zaak.id.in_(archived_by_task)))
        .group_by(Zaak.organisatie_id)))
    for r in tasked:
        cell(r.organisatie_id)["met_archiveertaak"] = int(r.aantal)

    year = peildatum - timedelta(days=YEAR_DAYS - 1)
    closed = db.session.execute(scope.apply(
        select(Zaak.organisatie_id, Zaak.einddatum, func.count().label("aantal"))
        .where(Zaak.vernietigd_op.is_(None), Zaak.einddatum >= year, Zaak.einddatum <= peildatum)
        .group_by(Zaak.organisatie_id, Zaak.einddatum)))
    for r in closed:
        cell(r.organisatie_id)["gesloten"][r.einddatum.isoformat()] = int(r.aantal)
    return cells


@dataclass(frozen=True)
class ScopeHistory:
    """The history weeks of all four organisations (key None) or one: their confirmed tasks, with PiA's FTE."""

    weken: list[HistoryWeek]
    gesloten_venster: int  # zaken closed in the history weeks (the closing rate's numerator)
    aandeel_archiveren: Fraction  # of those, the share that got (or will get) an archiveren task


@dataclass(frozen=True)
class PlanData:
    inputs: PlanInputs  # every configured organisation, by code
    scopes: dict[str | None, ScopeHistory]
    fte_gedeeld: Fraction | None  # on the peildatum
    fte_toegewezen: dict[str, Fraction]  # per organisation code, on the peildatum


def plan_data(peildatum: date, until: date, settings: ArchiveSettings, norms: dict[str, Norm],
              periods: list[FtePeriod]) -> PlanData:
    """The inputs of the projection for the four organisations (each cohort labelled with its organisation's code)
    and the history weeks per organisation and for all four. The estimated inflow of an organisation: its zaken
    close at the rate of the history weeks, and the same share of them becomes an archiveren task as of the zaken
    it closed in those weeks (all of them when none closed); the rest is archived before it is due, which is no
    task and no throughput either."""
    rows = planning_rows(peildatum, until)
    codes = {org.id: str(org.code) for org in organisations() if org.id is not None}
    mondays = history_mondays(peildatum)
    confirmed: Counter[tuple[str, date, str]] = Counter()
    resolved: Counter[tuple[str, date, str]] = Counter()
    for org_id, soort, naar, day, count in rows.gebeurtenissen:
        if org_id in codes:
            monday = day - timedelta(days=day.weekday())
            (confirmed if naar == BEVESTIGD else resolved)[(codes[org_id], monday, soort)] += count
    closings: dict[str, Counter[date]] = {code: Counter() for code in codes.values()}
    for org_id, day, count in rows.gesloten:
        if org_id in codes:
            closings[codes[org_id]][day] += count
    tasked = Counter({codes[org_id]: count for org_id, count in rows.met_archiveertaak if org_id in codes})
    ftes = [week_fte(periods, monday) for monday in mondays]

    def history(members: list[str]) -> ScopeHistory:
        weeks = [HistoryWeek(
            monday, {kind: sum(confirmed[(c, monday, kind)] for c in members) for kind in KINDS},
            {kind: sum(resolved[(c, monday, kind)] for c in members) for kind in KINDS},
            sum(closings[c][monday + timedelta(days=i)] for c in members for i in range(7)), fte)
            for monday, fte in zip(mondays, ftes, strict=True)]
        window = sum(week.gesloten for week in weeks)
        share = Fraction(sum(tasked[c] for c in members), window) if window else Fraction(1)
        return ScopeHistory(weeks, window, share)

    scopes: dict[str | None, ScopeHistory] = {code: history([code]) for code in codes.values()}
    scopes[None] = history(list(codes.values()))
    rates = {code: Fraction(scopes[code].gesloten_venster, 7 * HISTORY_WEEKS) for code in codes.values()}
    backlog = tuple(Cohort(soort, due, count, verder, organisatie=codes[org_id])
                    for org_id, soort, due, verder, count in rows.achterstand if org_id in codes)
    known = [Cohort(soort, due, count, verder, organisatie=codes[org_id])
             for org_id, soort, due, verder, count in rows.instroom if org_id in codes]
    estimated = [cohort for code in codes.values() for cohort in estimated_inflow(
        peildatum, rates[code] * scopes[code].aandeel_archiveren, settings.archiveren_dagen, until, code)]
    inputs = PlanInputs(peildatum, backlog, (*known, *estimated), {code: dict(closings[code]) for code in closings},
                        rates, norms)
    shared, dedicated = fte_split(periods, peildatum)
    return PlanData(inputs, scopes, shared, {code: fte for code, fte in dedicated.items() if code in rates})


# -- PiA's FTE per period -------------------------------------------------------------------------------------

def to_fraction(value: float | Decimal) -> Fraction:
    """An FTE as stored (a float with at most two decimals) as the exact decimal it stands for."""
    return Fraction(Decimal(str(round(float(value), 2))))


def fte_periods() -> list[FtePeriod]:
    """Every FTE row in the order entered (a later one wins for the days it covers)."""
    rows = db.session.execute(
        select(PiaFte.fte, PiaFte.van, PiaFte.tot, Organisatie.code)
        .outerjoin(Organisatie, Organisatie.id == PiaFte.organisatie_id)
        .order_by(PiaFte.gewijzigd_op, PiaFte.id)).all()
    return [FtePeriod(row.code, to_fraction(row.fte), row.van, row.tot) for row in rows]


def record_fte(organisatie_id: int | None, fte: Decimal, van: date, tot: date | None, *, gebruiker_id: int | None,
               notitie: str = "") -> PiaFte:
    """Add an FTE row (the caller commits, with its audit entry)."""
    row = PiaFte(organisatie_id=organisatie_id, fte=float(fte), van=van, tot=tot, gewijzigd_door_id=gebruiker_id,
                 notitie=notitie)
    db.session.add(row)
    return row


@dataclass(frozen=True)
class FteVersion:
    organisatie: str  # the organisation's name, or "Alle vier organisaties"
    fte: Fraction
    van: date
    tot: date | None
    door: str
    op: Any
    notitie: str


ALLE_VIER = "Alle vier organisaties"


def fte_history() -> list[FteVersion]:
    """Every FTE row, newest first, with the organisation's name and who entered it."""
    rows = db.session.execute(
        select(PiaFte, Organisatie.naam, Gebruiker.naam.label("door"))
        .outerjoin(Organisatie, Organisatie.id == PiaFte.organisatie_id)
        .outerjoin(Gebruiker, Gebruiker.id == PiaFte.gewijzigd_door_id)
        .order_by(PiaFte.gewijzigd_op.desc(), PiaFte.id.desc())).all()
    return [FteVersion(naam or ALLE_VIER, to_fraction(row.fte), row.van, row.tot, door or "onbekend", row.gewijzigd_op,
                       row.notitie) for row, naam, door in rows]
