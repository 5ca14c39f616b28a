"""Open-zaak figures (the team-lead backlog) and closed-zaak timeliness, as SQL over the derived columns.

A zaak is open on the peildatum P (domain.md "Dates") when it was registered by P, not closed by P and is
not destroyed: `open_on(P)`. A past peildatum moves the zaken as well as the calendar; suspension is as the
mirror holds it now (it has no history of opschorting). The state conditions below are the SQL twin of
`deadlines.open_state` (first that applies: opgeschort, onbekend, termijn_overschreden, norm_overschreden,
op_tijd), on the stored fatale datum and streefdatum.

Every zaak listed carries how its fatale datum came about (`deadlines.fatale_datum_herkomst`), computed from
the mirrored startdatum, uiterlijkeEinddatumAfdoening, verlenging and the zaaktype's doorlooptijd: the same
inputs the sync derived the stored fatale datum from.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, func, or_, select

from connectors.zgw.durations import stored_duration

from ..db import db
from ..models import Organisatie, Team, Zaak, ZaakType
from ..rules.deadlines import (
    AGEING_BUCKETS,
    NORM_OVERSCHREDEN,
    ONBEKEND,
    OP_TIJD,
    OPGESCHORT,
    STATES,
    TERMIJN_OVERSCHREDEN,
    AgeingBucket,
    Herkomst,
    dagen_over_termijn,
    doorlooptijd_stats,
    fatale_datum_herkomst,
    termijn_verstreken_tijdens_opschorting,
)
from ..rules.ibt import percentage
from .open_order import overdue_first_ids
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
from .sqlfunctions import days_between, unordered
from .stored import read, stored_cells

# Every column of the zaak list sorts (issue #19); toestand in order of urgency, organisation and team by name.
SORTS = ("dagen_over_termijn", "fatale_datum", "startdatum", "identificatie", "zaaktype", "organisatie", "team",
         "streefdatum", "toestand", "reden")


def registered_by(peildatum: date) -> ColumnElement[bool]:
    """Registered on or before the peildatum. A zaak without registratiedatum (the mirror allows none; the
    Zaken API fills it in on creation, so it is rare) counts from its startdatum: the day the zaak itself says
    it began. It is then never counted before it started, and it is not left out of every past peildatum."""
    return func.coalesce(Zaak.registratiedatum, Zaak.startdatum) <= peildatum


def open_on(peildatum: date) -> ColumnElement[bool]:
    """Open on the peildatum: registered by P, no einddatum or one after P, and not destroyed.

    The einddatum part reads as two ranges of `ix_zaak_open` (einddatum IS NULL, einddatum > P); for today's
    peildatum the second is (nearly) empty, so the figures read the same rows as before."""
    return and_(or_(Zaak.einddatum.is_(None), Zaak.einddatum > peildatum), Zaak.vernietigd_op.is_(None),
                registered_by(peildatum))


def state_condition(state: str, peildatum: date) -> ColumnElement[bool]:
    """The open zaken in this state at the peildatum (combine with `open_on(peildatum)`)."""
    running = Zaak.opgeschort.is_(False)
    if state == OPGESCHORT:
        return Zaak.opgeschort.is_(True)
    if state == ONBEKEND:
        return and_(running, Zaak.fatale_datum.is_(None))
    if state == TERMIJN_OVERSCHREDEN:
        return and_(running, Zaak.fatale_datum < peildatum)
    not_overdue = and_(running, Zaak.fatale_datum >= peildatum)
    if state == NORM_OVERSCHREDEN:
        return and_(not_overdue, Zaak.streefdatum < peildatum)
    if state == OP_TIJD:
        return and_(not_overdue, or_(Zaak.streefdatum.is_(None), Zaak.streefdatum >= peildatum))
    raise ValueError(f"onbekende toestand {state!r}")


def state_expr(peildatum: date) -> ColumnElement[Any]:
    """The state name of an open zaak at the peildatum (the first of STATES that applies)."""
    return case(*((state_condition(state, peildatum), state) for state in STATES[:-1]), else_=OP_TIJD)


def binnenkort_condition(peildatum: date, dagen: int) -> ColumnElement[bool]:
    """State op_tijd or norm_overschreden and 0 <= fatale datum - peildatum <= dagen."""
    return and_(Zaak.opgeschort.is_(False), Zaak.fatale_datum >= peildatum,
                Zaak.fatale_datum <= peildatum + timedelta(days=dagen))


def bucket_condition(bucket: AgeingBucket, peildatum: date) -> ColumnElement[bool]:
    """Overdue by `bucket.van`..`bucket.tot` days (tot None = no upper bound)."""
    condition = and_(Zaak.opgeschort.is_(False), Zaak.fatale_datum <= peildatum - timedelta(days=bucket.van))
    if bucket.tot is not None:
        condition = and_(condition, Zaak.fatale_datum >= peildatum - timedelta(days=bucket.tot))
    return condition


def binnenkort_dagen() -> int:
    """The configured "due soon" window (BINNENKORT_DAGEN)."""
    return int(current_app.config["BINNENKORT_DAGEN"])


@dataclass
class OpenFigures:
    """Counts of open zaken per state, due soon, and overdue per ageing bucket."""

    open: int = 0
    op_tijd: int = 0
    norm_overschreden: int = 0
    termijn_overschreden: int = 0
    opgeschort: int = 0
    onbekend: int = 0
    binnenkort_verlopend: int = 0
    ouderdom: dict[str, int] = field(default_factory=lambda: {b.label: 0 for b in AGEING_BUCKETS})

    def add(self, other: OpenFigures) -> None:
        for name in ("open", *STATES, "binnenkort_verlopend"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for label, count in other.ouderdom.items():
            self.ouderdom[label] += count


def _count(condition: ColumnElement[bool], label: str) -> Any:
    return func.sum(case((condition, 1), else_=0)).label(label)


def open_cells(peildatum: date, scope: Scope, zaaktype: str | None = None,
               ) -> dict[tuple[int | None, int | None], OpenFigures]:
    """Open-zaak figures per (organisatie_id, team_id); optionally of one zaaktype (identificatie, every version,
    computed on the spot)."""
    return stored_open_cells(peildatum, scope) if zaaktype is None else _open_cells(peildatum, scope, zaaktype)


def _load_open(value: dict[str, Any], peildatum: date) -> OpenFigures:
    ouderdom = value.get("ouderdom", {})
    return OpenFigures(**{**value, "ouderdom": {b.label: ouderdom.get(b.label, 0) for b in AGEING_BUCKETS}})


OPEN = "open"


@stored_cells(OPEN, load=_load_open, tasks=False)
def stored_open_cells(peildatum: date, scope: Scope) -> dict[tuple[int | None, int | None], dict[str, Any]]:
    """Open-zaak figures per (organisatie_id, team_id), stored for today."""
    return {cell: asdict(figures) for cell, figures in _open_cells(peildatum, scope, None).items()}


def _open_cells(peildatum: date, scope: Scope, zaaktype: str | None,
                ) -> dict[tuple[int | None, int | None], OpenFigures]:
    """Open-zaak figures per (organisatie_id, team_id), by the bare queries.

    Two GROUP BY queries, one per part of "not closed by P": no einddatum (read from `ix_zaak_open` in the order
    of the GROUP BY, as before a past peildatum counted) and an einddatum after P (a range of the same index:
    empty for today's peildatum). With the OR in one query, or with the range alone, SQLite's planner (which
    guesses a range to hold a quarter of the rows) rather scans all zaken in the order of
    `ix_zaak_organisatie_team` to save a sort: 4 times slower at a million zaken. The range part therefore
    groups by `unordered` columns, which no index can deliver in order."""
    cells: dict[tuple[int | None, int | None], OpenFigures] = {}
    for still_open, key in ((Zaak.einddatum.is_(None), _same), (Zaak.einddatum > peildatum, unordered)):
        query = _cells_query(peildatum, scope, still_open, key, zaaktype)
        for row in db.session.execute(query):
            figures = OpenFigures(open=row.open, binnenkort_verlopend=int(row.binnenkort))
            for state in STATES:
                setattr(figures, state, int(getattr(row, state)))
            for i, bucket in enumerate(AGEING_BUCKETS):
                figures.ouderdom[bucket.label] = int(getattr(row, f"b{i}"))
            cells.setdefault((row.organisatie_id, row.team_id), OpenFigures()).add(figures)
    return cells


def _cells_query(peildatum: date, scope: Scope, still_open: ColumnElement[bool], key: Any,
                 zaaktype: str | None) -> Any:
    buckets = [_count(bucket_condition(b, peildatum), f"b{i}") for i, b in enumerate(AGEING_BUCKETS)]
    organisatie, team = key(Zaak.organisatie_id), key(Zaak.team_id)
    query = scope.apply(
        select(organisatie.label("organisatie_id"), team.label("team_id"), func.count().label("open"),
               *(_count(state_condition(s, peildatum), s) for s in STATES),
               _count(binnenkort_condition(peildatum, binnenkort_dagen()), "binnenkort"), *buckets)
        .where(still_open, Zaak.vernietigd_op.is_(None), registered_by(peildatum)).group_by(organisatie, team))
    return query if zaaktype is None else query.where(zaaktype_condition(zaaktype))


def _same(column: Any) -> Any:
    return column


def open_figures(peildatum: date, scope: Scope, zaaktype: str | None = None) -> Breakdown[OpenFigures]:
    """Open-zaak figures in total, per organisation and per team (optionally of one zaaktype)."""
    return breakdown(open_cells(peildatum, scope, zaaktype), OpenFigures)


@dataclass(frozen=True)
class ZaakFilter:
    """Filters of the open-zaak list; None = no filter (see scope.UNKNOWN_ORG_CODE / NO_TEAM_ID)."""

    organisatie: str | None = None
    team: str | None = None
    zaaktype: str | None = None
    state: str | None = None
    binnenkort: bool = False
    zoek: str | None = None  # part of the zaak number or omschrijving, any case


@dataclass(frozen=True)
class OpenZaak:
    id: int
    identificatie: str
    url: str
    omschrijving: str
    zaaktype: str
    organisatie: OrgLabel
    team: TeamLabel
    startdatum: date
    fatale_datum: date | None
    streefdatum: date | None
    state: str
    binnenkort_verlopend: bool
    dagen_over_termijn: int | None
    verstreken_tijdens_opschorting: bool
    opschorting_reden: str
    herkomst: Herkomst

    @property
    def herkomst_wijkt_af(self) -> bool:
        """The stored fatale datum differs from the one its inputs give now (a zaak not re-derived since the
        zaaktype's doorlooptijd or the rule changed; the next sync that reads it writes the new one)."""
        return self.herkomst.datum != self.fatale_datum


WALK_ROWS = 5000


def open_zaken(peildatum: date, scope: Scope, filters: ZaakFilter = ZaakFilter(), *,
               sort: str = "dagen_over_termijn", descending: bool | None = None, page: int = 1,
               per_page: int = 50) -> Page[OpenZaak]:
    """Open zaken matching the filters, one page. Sort keys: SORTS; `descending` defaults to True for
    dagen_over_termijn (most overdue first) and False otherwise. Zaken without fatale datum sort last."""
    if sort not in SORTS:
        raise ValueError(f"onbekende sortering {sort!r}")
    dagen = binnenkort_dagen()
    conditions = [condition for condition in (scope.condition(), registered_by(peildatum)) if condition is not None]
    if filters.organisatie is not None:
        conditions.append(org_condition(filters.organisatie))
    if filters.team is not None:
        conditions.append(team_condition(filters.team))
    if filters.zaaktype is not None:
        conditions.append(zaaktype_condition(filters.zaaktype))
    if filters.state is not None:
        conditions.append(state_condition(filters.state, peildatum))
    if filters.binnenkort:
        conditions.append(binnenkort_condition(peildatum, dagen))
    if filters.zoek:
        conditions.append(or_(func.lower(Zaak.identificatie).contains(filters.zoek.lower(), autoescape=True),
                              func.lower(Zaak.omschrijving).contains(filters.zoek.lower(), autoescape=True)))
    query = (select(Zaak.id, Zaak.identificatie, Zaak.url, Zaak.omschrijving, ZaakType.omschrijving.label("zaaktype"),
                    Zaak.organisatie_id, Zaak.team_id, Zaak.startdatum, Zaak.fatale_datum, Zaak.streefdatum,
                    Zaak.opgeschort, Zaak.opschorting_reden, state_expr(peildatum).label("state"),
                    binnenkort_condition(peildatum, dagen).label("binnenkort"), Zaak.uiterlijke_einddatum_afdoening,
                    Zaak.verlenging_duur, ZaakType.doorlooptijd)
             .outerjoin(ZaakType, ZaakType.id == Zaak.zaaktype_id).where(open_on(peildatum), *conditions)
             .order_by(*_order(sort, descending, peildatum, dagen), Zaak.id))
    # The default order (most overdue first) walks an index for the first WALK_ROWS rows; any other order, and the
    # pages after those, sort the matching zaken' ids.
    walk = sort == "dagen_over_termijn" and descending in (None, True) and (page - 1) * per_page < WALK_ROWS
    rows = paginate(query, page, per_page, _stored_total(peildatum, scope, filters), key=Zaak.id,
                    keys=(lambda offset, limit: overdue_first_ids(peildatum, conditions, offset, limit)) if walk
                    else None)
    _, by_id = org_lookup()
    labels = team_labels({row.team_id for row in rows.items})
    return rows.replace([_open_zaak(row, peildatum, by_id, labels) for row in rows.items])


def _stored_total(peildatum: date, scope: Scope, filters: ZaakFilter) -> int | None:
    """The list's total from the stored open-zaak cells (counting a million zaken is the slow part of a page), when
    its filters are among theirs; None: count."""
    if filters.zaaktype or filters.zoek or (filters.binnenkort and filters.state):
        return None
    cells = read(OPEN, peildatum, scope)
    if cells is None:
        return None
    keep = cell_filter(filters.organisatie, filters.team)
    name = "binnenkort_verlopend" if filters.binnenkort else filters.state or "open"
    return sum(getattr(figures, name) for cell, figures in cells.items() if keep(cell))


def _order(sort: str, descending: bool | None, peildatum: date, dagen: int) -> list[Any]:
    if sort == "dagen_over_termijn":
        # More days over = an earlier fatale datum.
        descending = True if descending is None else descending
        key = Zaak.fatale_datum.asc() if descending else Zaak.fatale_datum.desc()
        return [Zaak.fatale_datum.is_(None), key]
    urgency = case((state_condition(TERMIJN_OVERSCHREDEN, peildatum), 0), (state_condition(NORM_OVERSCHREDEN,
                   peildatum), 1), (binnenkort_condition(peildatum, dagen), 2), (Zaak.opgeschort.is_(True), 3),
                   (Zaak.fatale_datum.is_(None), 4), else_=5)
    column = {"fatale_datum": Zaak.fatale_datum, "startdatum": Zaak.startdatum, "identificatie": Zaak.identificatie,
              "zaaktype": ZaakType.omschrijving, "streefdatum": Zaak.streefdatum, "toestand": urgency,
              "organisatie": select(Organisatie.naam).where(Organisatie.id == Zaak.organisatie_id).scalar_subquery(),
              "team": select(Team.naam).where(Team.id == Zaak.team_id).scalar_subquery(),
              "reden": case((Zaak.opgeschort.is_(True), func.nullif(Zaak.opschorting_reden, "")))}[sort]
    key = column.desc() if descending else column.asc()
    return [column.is_(None), key]


def _open_zaak(row: Any, peildatum: date, by_id: dict[int | None, OrgLabel],
               labels: dict[int | None, TeamLabel]) -> OpenZaak:
    return OpenZaak(
        id=row.id, identificatie=row.identificatie, url=row.url, omschrijving=row.omschrijving,
        zaaktype=row.zaaktype or "", organisatie=org_label(by_id, row.organisatie_id),
        team=labels.get(row.team_id, NO_TEAM), startdatum=row.startdatum, fatale_datum=row.fatale_datum,
        streefdatum=row.streefdatum, state=row.state, binnenkort_verlopend=bool(row.binnenkort),
        dagen_over_termijn=dagen_over_termijn(row.fatale_datum, peildatum),
        verstreken_tijdens_opschorting=termijn_verstreken_tijdens_opschorting(bool(row.opgeschort), row.fatale_datum,
                                                                              peildatum),
        opschorting_reden=row.opschorting_reden if row.opgeschort else "", herkomst=herkomst(row))


def herkomst(row: Any) -> Herkomst:
    """How the fatale datum of a mirrored zaak comes about, from its startdatum, uiterlijke_einddatum_afdoening,
    verlenging_duur and its zaaktype's doorlooptijd (None for an unknown zaaktype)."""
    return fatale_datum_herkomst(row.startdatum, row.uiterlijke_einddatum_afdoening,
                                 stored_duration(row.doorlooptijd), stored_duration(row.verlenging_duur))


@dataclass(frozen=True)
class ClosedFigures:
    """Zaken closed in a period: tijdigheid (of those with a fatale datum) and doorlooptijd in days."""

    gesloten: int
    met_fatale_datum: int
    tijdig: int
    tijdigheid: float | None
    doorlooptijd_mediaan: float | None
    doorlooptijd_p90: float | None


def closed_figures(van: date, tot: date, scope: Scope) -> ClosedFigures:
    """Timeliness and doorlooptijd (median, p90) of the zaken closed from `van` to `tot` inclusive."""
    closed = and_(Zaak.vernietigd_op.is_(None), Zaak.einddatum >= van, Zaak.einddatum <= tot)
    counts = db.session.execute(scope.apply(select(
        func.count().label("gesloten"), _count(Zaak.fatale_datum.is_not(None), "met_fatale"),
        _count(Zaak.einddatum <= Zaak.fatale_datum, "tijdig")).where(closed))).one()
    days = days_between(Zaak.startdatum, Zaak.einddatum)
    histogram = db.session.execute(scope.apply(
        select(days.label("dagen"), func.count().label("aantal")).where(closed).group_by(days))).all()
    stats = doorlooptijd_stats([row.dagen for row in histogram for _ in range(row.aantal)])
    tijdig, met_fatale = int(counts.tijdig or 0), int(counts.met_fatale or 0)
    return ClosedFigures(counts.gesloten, met_fatale, tijdig, percentage(tijdig, met_fatale),
                         stats.mediaan, stats.p90)

