"""IBT indicators Z1-Z3 and A1-A4 per organisation, their norms and the qualitative KPI judgements
(both local state with history), readiness to ask for lifting ("gereed voor opheffing") and the backlog
forecast. Windows end at the peildatum inclusive (90 days = P-89..P); destroyed zaken are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, case, func, or_, select

from connectors.zgw.durations import add_months

from ..db import db
from ..models import KpiOordeel, Snapshot, Zaak
from ..models import Norm as NormRow
from ..rules import ibt as ibt_rules
from ..rules.archive import ARCHIVEREN, OVERBRENGEN, VERNIETIGEN
from .archive import ArchiveFigures, backlog_cells
from .backlog import TERMIJN_OVERSCHREDEN, open_on, state_condition
from .history import ACHTERSTAND, ALL, org_key, series
from .quality import ONBEKENDE_BRONORGANISATIE, count_finding
from .scope import OrgLabel, Scope, org_label, org_lookup, org_order
from .sqlfunctions import unordered
from .stored import stored_cells

WINDOW_DAYS = 90
YEAR_DAYS = 365
FORECAST_DAYS = 56
GEEN_DALING = "geen daling"
GEEN_ACHTERSTAND = "geen achterstand"


@dataclass
class Inputs:
    """The summable counts behind the indicators of one organisation (or all)."""

    peildatum: date
    tijdig_90: int = 0
    met_fatale_90: int = 0
    open: int = 0
    termijn_overschreden: int = 0
    gestart_365: int = 0
    compleet_365: int = 0
    gesloten_365: int = 0
    aanvullen_niet_365: int = 0
    archief: ArchiveFigures = field(init=False)

    def __post_init__(self) -> None:
        self.archief = ArchiveFigures(self.peildatum)

    def add(self, other: Inputs) -> None:
        for name in ("tijdig_90", "met_fatale_90", "open", "termijn_overschreden", "gestart_365",
                     "compleet_365", "gesloten_365", "aanvullen_niet_365"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.archief.add(other.archief)


def _sum(condition: Any, label: str) -> Any:
    return func.sum(case((condition, 1), else_=0)).label(label)


def indicator_inputs(peildatum: date, scope: Scope) -> dict[OrgLabel, Inputs]:
    """Inputs per organisation (configuration order, then the pseudo-organisation when it has zaken)."""
    orgs, by_id = org_lookup()
    result: dict[OrgLabel, Inputs] = {}
    for (organisatie_id, _), values in mirror_inputs(peildatum, scope).items():
        result.setdefault(org_label(by_id, organisatie_id), Inputs(peildatum)).add(Inputs(peildatum, **values))
    for (organisatie_id, _), figures in backlog_cells(peildatum, scope).items():
        result.setdefault(org_label(by_id, organisatie_id), Inputs(peildatum)).archief.add(figures)
    return {org: result.get(org) or Inputs(peildatum) for org in org_order(orgs, set(result))}


@stored_cells("ibt", load=lambda value, peildatum: value, tasks=False)
def mirror_inputs(peildatum: date, scope: Scope) -> dict[tuple[int | None, int | None], dict[str, int]]:
    """The inputs read from the zaken alone (the archive part comes from backlog_cells), per
    (organisatie_id, team_id).
    Z2 counts the zaken open on the peildatum (`backlog.open_on`), so a past peildatum counts those open then.
    The WHERE keeps every zaak one of the sums can count: open now or closed since the 365-day window began
    (which covers those closed after the peildatum), or started in the window."""
    window = peildatum - timedelta(days=WINDOW_DAYS - 1)
    year = peildatum - timedelta(days=YEAR_DAYS - 1)
    closed_90 = and_(Zaak.einddatum >= window, Zaak.einddatum <= peildatum)
    closed_365 = and_(Zaak.einddatum >= year, Zaak.einddatum <= peildatum)
    started_365 = and_(Zaak.startdatum >= year, Zaak.startdatum <= peildatum)
    complete = and_(Zaak.team_id.is_not(None), Zaak.zaaktype_id.is_not(None),
                    or_(Zaak.einddatum.is_(None), func.coalesce(Zaak.resultaat_url, "") != ""))
    # `unordered`: grouped after a scan of the table, not by walking ix_zaak_organisatie_team (a table look-up
    # per zaak in index order: several times slower on SQLite)
    organisatie, team = unordered(Zaak.organisatie_id), unordered(Zaak.team_id)
    query = scope.apply(select(
        organisatie.label("organisatie_id"), team.label("team_id"),
        _sum(and_(closed_90, Zaak.einddatum <= Zaak.fatale_datum), "tijdig_90"),
        _sum(and_(closed_90, Zaak.fatale_datum.is_not(None)), "met_fatale_90"),
        _sum(open_on(peildatum), "open"),
        _sum(and_(open_on(peildatum), state_condition(TERMIJN_OVERSCHREDEN, peildatum)), "termijn_overschreden"),
        _sum(started_365, "gestart_365"),
        _sum(and_(started_365, complete), "compleet_365"),
        _sum(closed_365, "gesloten_365"),
        _sum(and_(closed_365, Zaak.aanvullen_vervalt.is_(None)), "aanvullen_niet_365"),
    ).where(Zaak.vernietigd_op.is_(None), or_(Zaak.einddatum.is_(None), Zaak.einddatum >= year, started_365))
        .group_by(organisatie, team))
    return {(row.organisatie_id, row.team_id): {name: int(value or 0) for name, value in row._mapping.items()
                                                if name not in ("organisatie_id", "team_id")}
            for row in db.session.execute(query)}


@dataclass(frozen=True)
class Indicator:
    code: str
    naam: str
    teller: int | None
    noemer: int | None
    waarde: float | None  # a percentage, or the count itself for A2/A3
    norm: str
    voldoet: bool


def compute(inputs: Inputs, norms: dict[str, ibt_rules.Norm]) -> list[Indicator]:
    """The seven indicators from their inputs and the current norms."""
    archief = inputs.archief
    fractions = {
        "Z1": (inputs.tijdig_90, inputs.met_fatale_90),
        "Z2": (inputs.termijn_overschreden, inputs.open),
        "Z3": (inputs.compleet_365, inputs.gestart_365),
        "A1": (inputs.aanvullen_niet_365, inputs.gesloten_365),
        "A4": (archief.per_soort[ARCHIVEREN], inputs.gesloten_365),
    }
    counts = {"A2": VERNIETIGEN, "A3": OVERBRENGEN}
    result = []
    for code, naam in ibt_rules.INDICATOREN.items():
        norm = norms[code]
        if code in counts:
            count = archief.per_soort[counts[code]]
            met = ibt_rules.voldoet(norm, count, oudste_dagen=archief.oudste_dagen_soort(counts[code]))
            result.append(Indicator(code, naam, count, None, count, ibt_rules.norm_tekst(norm), met))
        else:
            teller, noemer = fractions[code]
            waarde = ibt_rules.percentage(teller, noemer)
            result.append(Indicator(code, naam, teller, noemer, waarde, ibt_rules.norm_tekst(norm),
                                    ibt_rules.voldoet(norm, waarde)))
    return result


# -- norms ---------------------------------------------------------------------------------------------

def current_norms() -> dict[str, ibt_rules.Norm]:
    """The current norm per indicator code: the newest row, else the default."""
    norms = dict(ibt_rules.DEFAULT_NORMS)
    for row in db.session.scalars(select(NormRow).order_by(NormRow.gewijzigd_op, NormRow.id)):
        if row.code in norms:
            norms[row.code] = ibt_rules.Norm(row.operator, row.waarde)
    return norms


def set_norm(code: str, operator: str, waarde: float, *, gebruiker_id: int | None, toelichting: str = "") -> NormRow:
    """Record a new norm version for an indicator (the caller commits)."""
    if code not in ibt_rules.INDICATOREN:
        raise ValueError(f"onbekende indicator {code!r}")
    ibt_rules.Norm(operator, waarde)  # validates the operator
    row = NormRow(code=code, operator=operator, waarde=waarde, gewijzigd_door_id=gebruiker_id,
                  toelichting=toelichting)
    db.session.add(row)
    return row


def norm_history(code: str) -> list[NormRow]:
    """Every version of a norm, newest first."""
    return list(db.session.scalars(select(NormRow).where(NormRow.code == code)
                                   .order_by(NormRow.gewijzigd_op.desc(), NormRow.id.desc())))


# -- qualitative KPIs ----------------------------------------------------------------------------------

def current_kpis(organisatie_id: int | None) -> dict[int, KpiOordeel | None]:
    """KPI number -> its newest judgement row (None when never judged), for KPIs 1-10."""
    current: dict[int, KpiOordeel | None] = dict.fromkeys(ibt_rules.KPI_NAMEN)
    if organisatie_id is not None:
        rows = db.session.scalars(select(KpiOordeel).where(KpiOordeel.organisatie_id == organisatie_id)
                                  .order_by(KpiOordeel.gewijzigd_op, KpiOordeel.id))
        for row in rows:
            current[row.nummer] = row
    return current


def set_kpi(organisatie_id: int, nummer: int, oordeel: str | None, *, gebruiker_id: int | None, eigenaar: str = "",
            streefdatum: date | None = None, notitie: str = "", bewijs: str = "") -> KpiOordeel:
    """Record a new judgement version (the caller commits)."""
    if nummer not in ibt_rules.KPI_NAMEN:
        raise ValueError(f"onbekende KPI {nummer}")
    if oordeel not in (None, *ibt_rules.OORDELEN):
        raise ValueError(f"onbekend oordeel {oordeel!r}")
    row = KpiOordeel(organisatie_id=organisatie_id, nummer=nummer, oordeel=oordeel, eigenaar=eigenaar,
                     streefdatum=streefdatum, notitie=notitie, bewijs=bewijs, gewijzigd_door_id=gebruiker_id)
    db.session.add(row)
    return row


def kpi_history(organisatie_id: int, nummer: int) -> list[KpiOordeel]:
    """Every judgement of one KPI of one organisation, newest first."""
    return list(db.session.scalars(
        select(KpiOordeel).where(KpiOordeel.organisatie_id == organisatie_id, KpiOordeel.nummer == nummer)
        .order_by(KpiOordeel.gewijzigd_op.desc(), KpiOordeel.id.desc())))


# -- months, readiness, forecast -----------------------------------------------------------------------

def month_table(organisatie: str, months: list[str]) -> dict[str, dict[str, Snapshot]]:
    """'YYYY-MM' -> indicator code -> that month's snapshot row, for the months given (oldest first).

    A month's figure is the snapshot of its latest day that has one (normally the last day of the month):
    the "now" windows ending then. A month without snapshots maps to {}."""
    table: dict[str, dict[str, Snapshot]] = {month: {} for month in months}
    if not months:
        return table
    first = date.fromisoformat(months[0] + "-01")
    after = add_months(date.fromisoformat(months[-1] + "-01"), 1)
    rows = db.session.scalars(select(Snapshot).where(
        Snapshot.organisatie == organisatie, Snapshot.team == ALL, Snapshot.metriek.in_(list(ibt_rules.INDICATOREN)),
        Snapshot.datum >= first, Snapshot.datum < after).order_by(Snapshot.datum))
    for row in rows:
        month = row.datum.strftime("%Y-%m")
        if month in table:
            table[month][row.metriek] = row  # a later day replaces an earlier one
    return table


# The readiness window is kept as Norm rows under this code, with history like the norms.
VENSTER_CODE = "GEREED_MAANDEN"


def readiness_window() -> int:
    """The readiness window in months: the newest stored version, else the configured GEREED_MAANDEN."""
    row = db.session.scalar(select(NormRow).where(NormRow.code == VENSTER_CODE)
                            .order_by(NormRow.gewijzigd_op.desc(), NormRow.id.desc()).limit(1))
    return int(current_app.config["GEREED_MAANDEN"]) if row is None else int(row.waarde)


def set_readiness_window(maanden: int, *, gebruiker_id: int | None, toelichting: str = "") -> NormRow:
    """Record a new window version (the caller commits)."""
    row = NormRow(code=VENSTER_CODE, operator="maanden", waarde=float(maanden), gewijzigd_door_id=gebruiker_id,
                  toelichting=toelichting)
    db.session.add(row)
    return row


def readiness(organisatie: str, peildatum: date, kpis: dict[int, str | None]) -> tuple[bool, list[str]]:
    """(ready to ask for lifting, what is still missing) from the month snapshots of the last completed
    months (the readiness window) and the KPI judgements."""
    months = ibt_rules.laatste_volledige_maanden(peildatum, readiness_window())
    verdicts = {month: {code: row.voldoet for code, row in rows.items()}
                for month, rows in month_table(organisatie, months).items()}
    return ibt_rules.gereed_voor_opheffing(verdicts, kpis, months)


def forecast(organisatie: str, teams: list[str], peildatum: date, achterstand: int | None = None) -> str | None:
    """When the archive backlog reaches zero by the least-squares line over the daily snapshots of the
    last 8 weeks: a date (YYYY-MM-DD), GEEN_DALING when the line does not fall, None with fewer than two
    days of snapshots. GEEN_ACHTERSTAND when the backlog at the peildatum (`achterstand`, the live count)
    is 0 already: there is nothing to forecast, and a flat line of zeros is no "geen daling"."""
    if achterstand == 0:
        return GEEN_ACHTERSTAND
    points = series(ACHTERSTAND, organisatie, teams, peildatum - timedelta(days=FORECAST_DAYS - 1), peildatum)
    if len(points) < 2:
        return None
    result = ibt_rules.prognose_nul(points)
    return GEEN_DALING if result is None else result.isoformat()


@dataclass(frozen=True)
class OrgIndicators:
    """One organisation's figures. The pseudo-organisation "Onbekende organisatie" (`onbekend`) gets no
    readiness verdict (None), no KPIs and no forecast: it is no organisation that could ask for lifting. It
    carries instead its number of zaken (`aantal_zaken`), the count of the finding that explains it."""

    org: OrgLabel
    indicatoren: list[Indicator]
    kpis: dict[int, str | None]
    gereed_voor_opheffing: bool | None
    ontbreekt: list[str]
    prognose_achterstand_nul: str | None
    aantal_zaken: int | None = None

    @property
    def onbekend(self) -> bool:
        return self.org.code is None

    @property
    def bevinding(self) -> str | None:
        return ONBEKENDE_BRONORGANISATIE if self.onbekend else None


def indicators_now(peildatum: date, scope: Scope) -> list[OrgIndicators]:
    """Indicators, KPI judgements, readiness and forecast per organisation, as of the peildatum.

    For a team scope the figures and the forecast cover the scope's teams; readiness and KPIs are the
    organisation's."""
    norms = current_norms()
    result = []
    teams = [ALL] if scope.teams is None else sorted(scope.teams)
    for org, inputs in indicator_inputs(peildatum, scope).items():
        if org.code is None:
            result.append(OrgIndicators(org, compute(inputs, norms), {}, None, [], None,
                                        count_finding(ONBEKENDE_BRONORGANISATIE, peildatum, scope)))
            continue
        kpis = {nummer: row.oordeel if row else None for nummer, row in current_kpis(org.id).items()}
        gereed, ontbreekt = readiness(org_key(org), peildatum, kpis)
        result.append(OrgIndicators(org, compute(inputs, norms), kpis, gereed, ontbreekt,
                                    forecast(org_key(org), teams, peildatum, inputs.archief.achterstand)))
    return result


def indicators_for_snapshot(day: date) -> list[tuple[str, list[Indicator]]]:
    """(organisation key, indicators) for every organisation and for all together ('*')."""
    norms = current_norms()
    per_org = indicator_inputs(day, Scope.everything())
    total = Inputs(day)
    for inputs in per_org.values():
        total.add(inputs)
    return [*((org_key(org), compute(inputs, norms)) for org, inputs in per_org.items()), (ALL, compute(total, norms))]
