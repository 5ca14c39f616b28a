"""What each generated zaak is: its scenario, modifiers, zaaktype, team and dates, relative to the peildatum.

Shares are percentages of the zaken served (destroyed zaken come on top). The first zaken of a run get
one of each scenario and modifier, so even a small dataset exercises every state, task and finding of
docs/domain.md. The active set (open + nog_te_archiveren + past archiefactiedatum and not overgedragen)
is about 15% of all zaken.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from connectors.zgw.durations import Duration, add_duration, add_months, parse_duration

from .catalogue import ONBEKENDE_RSIN, TEAMS, Resultaat, Team, ZaaktypeInfo

SCENARIOS: dict[str, float] = {
    # open zaken (einddatum null)
    "open_op_tijd": 3.2, "open_binnenkort": 0.6, "open_norm_overschreden": 0.6,
    "open_termijn_1_30": 1.0, "open_termijn_31_60": 0.5, "open_termijn_61_90": 0.4, "open_termijn_90_plus": 0.8,
    "open_opgeschort": 0.5, "open_opgeschort_verstreken": 0.25,
    "open_verlengd_datum_bijgewerkt": 0.4, "open_verlengd_datum_ongewijzigd": 0.3,
    "open_zonder_uiterste_datum": 0.3, "open_start_in_toekomst": 0.05, "open_uiterste_voor_start": 0.05,
    # closed, archiefstatus nog_te_archiveren
    "gesloten_recent": 2.0, "gesloten_zonder_resultaat": 0.5, "gesloten_nominatie_leeg": 0.3,
    "gesloten_vernietigen_zonder_actiedatum": 0.2, "gesloten_niet_gearchiveerd": 1.0, "gesloten_eind_voor_start": 0.05,
    # archiefactiedatum passed, not overgedragen
    "vernietigen_verstreken": 0.8, "gearchiveerd_vernietigen_verstreken": 1.0,
    "overbrengen_verstreken": 0.1, "gearchiveerd_overbrengen_verstreken": 0.3,
    # quiet: no task due
    "overgedragen": 0.3, "gearchiveerd_zonder_archiefgegevens": 0.1, "gearchiveerd_procestermijn_onbekend": 0.05,
}
SCENARIOS["gearchiveerd"] = 100 - sum(SCENARIOS.values())
MODIFIERS: dict[str, float] = {
    "geen_team": 1.5, "twee_behandelaars": 2.0, "onbekende_rsin": 0.5, "onbekend_zaaktype": 0.1,
    "dubbele_identificatie": 0.05,
}
DESTROYED_SHARE = 0.2
OPSCHORTING_REDENEN = ("Wacht op aanvullende gegevens van aanvrager", "Advies externe partij", "Zienswijze derden")
VERLENGING_REDENEN = ("Complexe aanvraag; advies externe partij nodig", "Zienswijzen afwachten")

_SIX_YEARS = 6 * 365 + 1
_DATE_FIRST = ("gearchiveerd", "gesloten_niet_gearchiveerd", "gearchiveerd_procestermijn_onbekend")
_OVERDUE = {"open_termijn_1_30": (1, 30), "open_termijn_31_60": (31, 60), "open_termijn_61_90": (61, 90),
            "open_termijn_90_plus": (91, 400)}
_CLOSED_STATUS = {
    "gearchiveerd": "gearchiveerd", "gearchiveerd_vernietigen_verstreken": "gearchiveerd",
    "gearchiveerd_overbrengen_verstreken": "gearchiveerd", "overgedragen": "overgedragen",
    "gearchiveerd_zonder_archiefgegevens": "gearchiveerd",
    "gearchiveerd_procestermijn_onbekend": "gearchiveerd_procestermijn_onbekend", "vernietigd": "gearchiveerd",
}


@dataclass
class Plan:
    scenario: str
    modifiers: list[str]
    zaaktype: ZaaktypeInfo
    teams: list[Team]
    rsin: str
    registratie: date
    start: date
    eind: date | None = None
    uiterste: date | None = None
    gepland: date | None = None
    opschorting: str | None = None
    verlenging: str | None = None
    resultaat: tuple[str, Resultaat] | None = None
    archiefnominatie: str | None = None
    archiefstatus: str = "nog_te_archiveren"
    archiefactiedatum: date | None = None
    status_dates: list[date] = field(default_factory=list)


@cache
def _days(text: str | None) -> int | None:
    """A duration in days, or None when it is missing or unusable (or counts months or years)."""
    try:
        duration = parse_duration(text) if text else None
    except ValueError:
        return None
    if duration is None or duration.years or duration.months:
        return None
    return duration.days


def rand_between(rng: random.Random, low: int, high: int) -> int:
    """rand_between(rng, low, high), three times faster (this runs millions of times for a big dataset)."""
    return low + int(rng.random() * (high - low + 1))


@cache
def _duration(text: str | None) -> Duration | None:
    return parse_duration(text) if text else None


@cache
def minus(day: date, duration: Duration) -> date:
    return add_months(day, -(duration.years * 12 + duration.months)) - timedelta(days=duration.days)


@cache
def _plus(day: date, duration: Duration) -> date:
    return add_duration(day, duration)


class Planner:
    """Draws the plan of one zaak; all randomness comes from the rng passed in."""

    def __init__(self, zaaktypen: list[ZaaktypeInfo], peildatum: date) -> None:
        self.peildatum = peildatum
        self.scenarios = list(SCENARIOS)
        self.cum = list(accumulate(SCENARIOS.values()))
        self.eligible: dict[str, tuple[list[ZaaktypeInfo], list[float]]] = {}
        for scenario in [*SCENARIOS, "vernietigd"]:
            fits = [zt for zt in zaaktypen if self._fits(scenario, zt)]
            self.eligible[scenario] = (fits, list(accumulate(zt.definitie.gewicht for zt in fits)))
        self.teams = {zt.definitie.domein: [t for t in TEAMS if zt.definitie.domein in t.domeinen] for zt in zaaktypen}
        # Date-first scenarios: pools of (zaaktype, resultaattype) by the oldest einddatum their retention
        # covers (newest limit first; each pool holds every pair that covers its limit).
        pairs = [(minus(peildatum, _duration(rt[1][3])), zt, rt)  # type: ignore[arg-type]
                 for zt in zaaktypen for rt in self._resultaten("gearchiveerd", zt)]
        self.retention: list[tuple[date, list[tuple[ZaaktypeInfo, tuple[str, Resultaat]]], list[float]]] = []
        for threshold in sorted({pair[0] for pair in pairs}, reverse=True):
            pool = [(zt, rt) for limit, zt, rt in pairs if limit <= threshold]
            weights = [zt.definitie.gewicht / len(self._resultaten("gearchiveerd", zt)) for zt, _ in pool]
            self.retention.append((threshold, pool, list(accumulate(weights))))

    def _fits(self, scenario: str, zt: ZaaktypeInfo) -> bool:
        d = zt.definitie
        days = _days(d.doorlooptijd)
        if scenario in ("open_op_tijd", "open_zonder_uiterste_datum", "gesloten_zonder_resultaat"):
            return True
        if scenario.startswith("open_") and days is None:
            return False
        if scenario == "open_norm_overschreden":
            return (_days(d.servicenorm) or days) < days - 8
        if scenario.startswith("open_opgeschort"):
            return d.opschorting
        if scenario.startswith("open_verlengd"):
            return _days(d.verlengingstermijn) is not None
        if scenario.startswith("open_"):
            return True
        return bool(self._resultaten(scenario, zt))

    @staticmethod
    def _resultaten(scenario: str, zt: ZaaktypeInfo) -> list[tuple[str, Resultaat]]:
        def wanted(r: Resultaat) -> bool:
            nominatie, termijn = r[2], r[3]
            if scenario == "gesloten_nominatie_leeg":
                return nominatie == ""
            if scenario == "gesloten_vernietigen_zonder_actiedatum":
                return nominatie == "vernietigen" and termijn is None
            if scenario in ("vernietigen_verstreken", "gearchiveerd_vernietigen_verstreken", "vernietigd"):
                return nominatie == "vernietigen" and termijn in ("P1Y", "P5Y")
            if "overbrengen" in scenario or scenario == "overgedragen":
                return nominatie == "blijvend_bewaren"
            return nominatie != "" and termijn is not None

        return [rt for rt in zt.resultaattypen if wanted(rt[1])]

    def plan(self, rng: random.Random, index: int, scenario: str | None = None) -> Plan:
        """The plan of zaak `index` (the first ones get every scenario and modifier once)."""
        if scenario is None:
            scenario = self.scenarios[index] if index < len(self.scenarios) else (
                self.scenarios[bisect(self.cum, rng.random() * self.cum[-1])])
        modifiers = [name for n, (name, share) in enumerate(MODIFIERS.items())
                     if index == len(self.scenarios) + n or rng.random() * 100 < share]
        eind = resultaat = None
        if scenario in _DATE_FIRST:
            eind, zaaktype, resultaat = self._date_first(rng, scenario)
        else:
            fits, cum = self.eligible[scenario]
            zaaktype = fits[bisect(cum, rng.random() * cum[-1])]
        team = rng.choice(self.teams[zaaktype.definitie.domein])
        teams = [] if "geen_team" in modifiers else [team]
        if "twee_behandelaars" in modifiers and teams:  # the earlier one is no longer responsible
            teams.insert(0, rng.choice([t for t in TEAMS if t.rsin == team.rsin and t != team]))
        rsin = ONBEKENDE_RSIN if "onbekende_rsin" in modifiers else team.rsin
        plan = Plan(scenario, modifiers, zaaktype, teams, rsin, self.peildatum, self.peildatum)
        if scenario.startswith("open_"):
            self._open(rng, plan)
        else:
            self._closed(rng, plan, eind, resultaat)
        plan.registratie = min(plan.start, self.peildatum) if scenario != "open_start_in_toekomst" else (
            self.peildatum - timedelta(days=rand_between(rng, 0, 3)))
        return plan

    def _open(self, rng: random.Random, plan: Plan) -> None:
        p, d, s = self.peildatum, plan.zaaktype.definitie, plan.scenario
        days = _days(d.doorlooptijd)
        norm = _days(d.servicenorm)
        if days is None:  # no usable doorlooptijd: the client could not compute a deadline either
            plan.start = p - timedelta(days=rand_between(rng, 0, 60))
        elif s in ("open_op_tijd", "open_opgeschort"):
            # fatale datum at least 8 days ahead and the service norm not passed
            low = max(p - timedelta(days=days - 8), p - timedelta(days=norm if norm is not None else days))
            plan.start = min(p, low + timedelta(days=rand_between(rng, 0, max(0, (p - low).days))))
        elif s == "open_binnenkort":
            plan.start = p + timedelta(days=rand_between(rng, 0, 7) - days)
        elif s == "open_norm_overschreden":
            plan.start = p + timedelta(days=rand_between(rng, 8, days - (norm or days) - 1) - days)
        elif s in _OVERDUE:
            plan.start = p - timedelta(days=rand_between(rng, *_OVERDUE[s]) + days)
        elif s == "open_opgeschort_verstreken":
            plan.start = p - timedelta(days=rand_between(rng, 1, 90) + days)
        elif s.startswith("open_verlengd"):
            # the (possibly moved) deadline lies between 25 days ago and 40 days ahead
            plan.verlenging = d.verlengingstermijn
            extra = (_days(d.verlengingstermijn) or 0) if s == "open_verlengd_datum_bijgewerkt" else 0
            plan.start = p + timedelta(days=rand_between(rng, -25, 40) - days - extra)
        elif s == "open_zonder_uiterste_datum":
            plan.start = p - timedelta(days=rand_between(rng, 0, days + 60))
        elif s == "open_start_in_toekomst":
            plan.start = p + timedelta(days=rand_between(rng, 1, 21))
        else:  # open_uiterste_voor_start
            plan.start = p - timedelta(days=rand_between(rng, 0, days // 2))
        if days is not None and s != "open_zonder_uiterste_datum":
            plan.uiterste = plan.start + timedelta(days=days)
            if s == "open_verlengd_datum_bijgewerkt":
                plan.uiterste += timedelta(days=_days(d.verlengingstermijn) or 0)
            elif s == "open_uiterste_voor_start":
                plan.uiterste = plan.start - timedelta(days=rand_between(rng, 1, 30))
        if s.startswith("open_opgeschort"):
            plan.opschorting = rng.choice(OPSCHORTING_REDENEN)
        if norm is not None and rng.random() < 0.25:
            plan.gepland = plan.start + timedelta(days=norm)
        plan.status_dates = [min(plan.start, p)]
        if p > plan.start and rng.random() < 0.5:
            plan.status_dates.append(plan.start + timedelta(days=rand_between(rng, 1, (p - plan.start).days)))

    def _date_first(
        self, rng: random.Random, scenario: str,
    ) -> tuple[date, ZaaktypeInfo, tuple[str, Resultaat]]:
        """An einddatum over the six years (more recent ones more likely), then a zaaktype and resultaat
        whose retention still covers it: old zaken of short-lived kinds have been destroyed already."""
        youngest = 76 if scenario == "gesloten_niet_gearchiveerd" else 40
        eind = self.peildatum - timedelta(days=youngest + int((_SIX_YEARS - youngest) * rng.random() ** 1.6))
        for threshold, pool, cum in self.retention:  # the widest pool whose retention covers `eind`
            if threshold < eind:
                zaaktype, resultaat = pool[bisect(cum, rng.random() * cum[-1])]
                return eind, zaaktype, resultaat
        raise AssertionError("no resultaattype keeps zaken for six years")

    def _closed(
        self, rng: random.Random, plan: Plan, eind: date | None, resultaat: tuple[str, Resultaat] | None,
    ) -> None:
        p, s, zt = self.peildatum, plan.scenario, plan.zaaktype
        if resultaat is not None:
            plan.resultaat = resultaat
        elif s != "gesloten_zonder_resultaat":
            plan.resultaat = rng.choice(self._resultaten(s, zt))
        termijn = _duration(plan.resultaat[1][3]) if plan.resultaat else None
        oldest = p - timedelta(days=_SIX_YEARS)
        if eind is not None:
            low = high = eind
        elif s == "gesloten_recent":
            low, high = p - timedelta(days=75), p
        elif s in ("gesloten_zonder_resultaat", "gesloten_nominatie_leeg", "gesloten_vernietigen_zonder_actiedatum"):
            low, high = p - timedelta(days=500), p
        elif s in ("vernietigen_verstreken", "gearchiveerd_vernietigen_verstreken", "vernietigd"):
            assert termijn is not None
            low, high = oldest, minus(p, termijn) - timedelta(days=1)
        elif "overbrengen" in s or s == "overgedragen":  # migrated from the previous system
            assert termijn is not None
            high = minus(p, termijn) - timedelta(days=1)
            low = high - timedelta(days=15 * 365)
        else:
            low = max(oldest, minus(p, termijn) + timedelta(days=1)) if termijn else oldest
            high = p - timedelta(days=76 if s == "gesloten_niet_gearchiveerd" else 40)
        eind = low + timedelta(days=rand_between(rng, 0, max(0, (high - low).days)))
        days = _days(zt.definitie.doorlooptijd)
        if days is None:
            duration = rand_between(rng, 1, 90)
        else:
            duration = rand_between(rng, 1, days) if rng.random() < 0.85 else days + rand_between(rng, 1, 60)
        plan.start = eind - timedelta(days=duration)
        if s == "gesloten_eind_voor_start":
            plan.start = eind + timedelta(days=rand_between(rng, 1, 15))
        plan.eind = eind
        plan.uiterste = plan.start + timedelta(days=days) if days is not None and rng.random() < 0.97 else None
        plan.status_dates = [plan.start, eind]
        plan.archiefstatus = _CLOSED_STATUS.get(s, "nog_te_archiveren")
        if plan.resultaat is not None:
            # What the server does on closing: nominatie from the resultaattype, date = einddatum + termijn.
            plan.archiefnominatie = plan.resultaat[1][2]
            plan.archiefactiedatum = _plus(eind, termijn) if termijn else None
        if s == "gearchiveerd_zonder_archiefgegevens":
            plan.archiefactiedatum = None
            if rng.random() < 0.5:
                plan.archiefnominatie = None
