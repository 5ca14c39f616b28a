"""PiA's capacity planning for one scope (all four organisations or one): throughput, inflow, the projection in
three bands, the first week each archive norm holds, the FTE needed by a target date and the answer in one
sentence. One assembly (`planning`) feeds the page, the XLSX, the API, `flask report planning` and the section in
the IBT report, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask import current_app

from ..formatting import datum
from ..rules.archive import KINDS, ArchiveSettings
from ..rules.ibt import Norm, norm_tekst
from ..rules.planning import (
    AFTER_TARGET_WEEKS,
    BANDS,
    HISTORY_WEEKS,
    HORIZON_WEEKS,
    MAX_TARGET_WEEKS,
    NORM_CODES,
    TOTAAL,
    FtePeriod,
    HistoryWeek,
    Spread,
    horizon,
    inflow_per_step,
    iso_week,
    step_ends,
    target_step,
    throughput,
    throughput_per_fte,
)
from ..rules.projection import Planner, WeekState, fte_needed, holds_from, within_norms_from
from ..settings import archive_settings
from .indicators import current_norms
from .planning import ALLE_VIER, ScopeHistory, fte_periods, plan_data
from .scope import OrgLabel, Scope, organisations

INVOER, VASTGELEGD, GEEN = "invoer", "vastgelegd", "geen"


class PlanningError(ValueError):
    """An input the planning cannot use (`param`: doeldatum or organisatie); the message is Dutch, for the user."""

    def __init__(self, message: str, param: str = "doeldatum") -> None:
        super().__init__(message)
        self.param = param


def fte_tekst(value: Fraction) -> str:
    """An FTE the Dutch way: one decimal, two when it has them ("3,2", "0,85")."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    places = Decimal("0.1") if exact == exact.quantize(Decimal("0.1")) else Decimal("0.01")
    return str(exact.quantize(places, rounding=ROUND_HALF_UP)).replace(".", ",")


def week_tekst(day: date) -> str:
    year, week = iso_week(day)
    return f"week {week} van {year}"


def week_code(day: date) -> str:
    year, week = iso_week(day)
    return f"{year}-W{week:02d}"


def default_doeldatum(peildatum: date) -> date:
    """Without a target date: the end of week 13 of the projection, so that the 13 weeks the norms must keep
    holding after it end with the standard 26 weeks."""
    return step_ends(peildatum, HORIZON_WEEKS - AFTER_TARGET_WEEKS)[-1]


def check_doeldatum(peildatum: date, doeldatum: date) -> int:
    """The target step of a target date; PlanningError when it lies before the first step's end or too far out."""
    ends = step_ends(peildatum, MAX_TARGET_WEEKS)
    latest = ends[-1] + timedelta(days=6)
    if doeldatum < ends[0]:
        raise PlanningError(f"De doeldatum moet op of na {datum(ends[0])} liggen, het einde van de eerste week van de "
                            "prognose.")
    if doeldatum > latest:
        raise PlanningError(f"De doeldatum mag hoogstens {MAX_TARGET_WEEKS} weken vooruit liggen: uiterlijk "
                            f"{datum(latest)}.")
    return target_step(peildatum, doeldatum)


@dataclass(frozen=True)
class Planning:
    peildatum: date
    doeldatum: date
    organisatie: OrgLabel | None  # None: the four together
    fte: Fraction | None  # PiA's shared FTE projected (None: not known, the measured throughput is used)
    fte_bron: str  # INVOER (typed), VASTGELEGD (recorded for the peildatum) or GEEN
    toegewezen: dict[str, Fraction]  # FTE dedicated to an organisation (its name), recorded, that helps this scope
    weken: list[HistoryWeek]  # the scope's confirmed tasks per week, with PiA's FTE
    doorvoer: dict[str, Spread | None]  # per kind and TOTAAL, per week (the scope's tasks)
    per_fte: dict[str, Spread | None] | None  # the same per FTE-week
    capaciteit_per_fte: Spread | None  # PiA's tasks per FTE-week (all four, all kinds): the projection's capacity
    gesloten_venster: int
    sluitingen_per_dag: Fraction
    aandeel_archiveren: Fraction
    instroom: list[dict[str, dict[str, int]]]  # per step 1..n
    banden: dict[str, list[WeekState]]  # per band, states 0..n
    normen: dict[str, Norm]
    doel_stap: int
    fte_nodig: Fraction | None
    max_fte: Fraction

    @property
    def per_fte_gebruikt(self) -> bool:
        """True: capacity = FTE x throughput per FTE-week; False: the measured weekly throughput as it is."""
        return self.capaciteit_per_fte is not None and self.fte is not None

    @property
    def naam(self) -> str:
        return self.organisatie.naam if self.organisatie else ALLE_VIER

    @property
    def stappen(self) -> list[WeekState]:
        return self.banden["mediaan"]

    def vanaf(self, band: str, code: str) -> int | None:
        return holds_from(self.banden[band], code)

    def binnen(self, band: str = "mediaan") -> int | None:
        return within_norms_from(self.banden[band])

    @property
    def antwoord(self) -> str:
        return answer(self)


def planning(peildatum: date, *, organisatie: OrgLabel | None = None, fte: Fraction | None = None,
             doeldatum: date | None = None) -> Planning:
    """The planning of one scope as of the peildatum; `fte` None = PiA's shared FTE recorded for the peildatum.
    PlanningError for a target date out of range."""
    doeldatum = doeldatum or default_doeldatum(peildatum)
    check_doeldatum(peildatum, doeldatum)
    max_fte = Fraction(Decimal(str(current_app.config["PLANNING_MAX_FTE"])))
    return _planning(peildatum, organisatie, fte, doeldatum, tuple(fte_periods()), tuple(current_norms().items()),
                     archive_settings(), max_fte)


def _planning(peildatum: date, organisatie: OrgLabel | None, fte: Fraction | None, doeldatum: date,
              periods: tuple[FtePeriod, ...], norms: tuple[tuple[str, Norm], ...], settings: ArchiveSettings,
              max_fte: Fraction) -> Planning:
    target = target_step(peildatum, doeldatum)
    weeks = horizon(target)
    until = step_ends(peildatum, weeks)[-1]
    data = plan_data(peildatum, until, settings, dict(norms), list(periods))
    key = str(organisatie.code) if organisatie else None
    history = data.scopes.get(key) or ScopeHistory([], 0, Fraction(1))
    everything = data.scopes[None].weken
    pia = throughput_per_fte(everything)
    per_fte = pia[TOTAAL] if pia else None
    measured = throughput(everything)[TOTAAL]
    chosen = fte if fte is not None else data.fte_gedeeld
    if chosen is None and data.fte_toegewezen and fte is None:
        chosen = Fraction(0)  # only dedicated FTE recorded: nothing shared
    bron = INVOER if fte is not None else VASTGELEGD if chosen is not None else GEEN
    dedicated = data.fte_toegewezen if key is None else {k: v for k, v in data.fte_toegewezen.items() if k == key}
    names = {str(org.code): org.naam for org in organisations()}
    planner = Planner(data.inputs, weeks)

    def run(band: str) -> list[WeekState]:
        if per_fte is not None and chosen is not None:
            rate = per_fte.band(band)
            return planner.run(chosen * rate, {k: v * rate for k, v in data.fte_toegewezen.items()})[key]
        return planner.run(measured.band(band) if measured else Fraction(0))[key]

    return Planning(
        peildatum=peildatum, doeldatum=doeldatum, organisatie=organisatie, fte=chosen, fte_bron=bron,
        toegewezen={names.get(k, k): v for k, v in dedicated.items()},
        weken=history.weken, doorvoer=throughput(history.weken), per_fte=throughput_per_fte(history.weken),
        capaciteit_per_fte=per_fte, gesloten_venster=history.gesloten_venster,
        sluitingen_per_dag=Fraction(history.gesloten_venster, 7 * HISTORY_WEEKS),
        aandeel_archiveren=history.aandeel_archiveren,
        instroom=inflow_per_step(peildatum, [c for c in data.inputs.instroom if key in (None, c.organisatie)],
                                 weeks),
        banden={band: run(band) for band in BANDS}, normen=dict(norms), doel_stap=target,
        fte_nodig=None if per_fte is None else fte_needed(planner, per_fte.mediaan, target, max_fte, key,
                                                          data.fte_toegewezen),
        max_fte=max_fte)


def answer(p: Planning) -> str:
    """The answer in one sentence, e.g. "Met 3,2 fte is de achterstand binnen de normen in week 14 van 2027; voor
    01-07-2027 is 4,1 fte nodig." (median throughput)."""
    start = "Bij de gemeten doorvoer"
    extra = "".join(f" (en {fte_tekst(fte)} fte alleen voor {naam})" for naam, fte in p.toegewezen.items())
    if p.per_fte_gebruikt and p.fte is not None:
        start = f"Met {fte_tekst(p.fte)} fte{extra}"
    first = p.binnen()
    last = p.stappen[-1].einde
    if first is None:
        part = f"{start} is de achterstand tot en met {week_tekst(last)} niet binnen de normen"
    elif first == 0:
        part = f"{start} is de achterstand nu al binnen de normen en blijft dat tot en met {week_tekst(last)}"
    else:
        part = f"{start} is de achterstand binnen de normen in {week_tekst(p.stappen[first].einde)}"
    doel = datum(p.doeldatum)
    if p.capaciteit_per_fte is None:
        need = ("hoeveel fte nodig is, is niet te berekenen: voor de laatste 12 weken is geen fte van PiA "
                "vastgelegd")
    elif p.fte_nodig is None:
        need = f"voor {doel} is dat ook met {fte_tekst(p.max_fte)} fte niet haalbaar"
    else:
        need = f"voor {doel} is {fte_tekst(p.fte_nodig)} fte nodig"
    return f"{part}; {need}."


def scopes() -> list[OrgLabel | None]:
    """All four together, then every configured organisation that is in the mirror."""
    return [None, *(org for org in organisations() if org.id is not None)]


def summary(peildatum: date) -> list[Planning]:
    """The planning of every scope at the recorded FTE and the default target date (the IBT report's section)."""
    return [planning(peildatum, organisatie=org) for org in scopes()]


# -- the JSON document (API and `flask report planning`) ------------------------------------------------------

def _number(value: Fraction | None, places: int = 3) -> float | None:
    return None if value is None else round(float(value), places)


def _step(p: Planning, index: int | None) -> dict[str, Any] | None:
    if index is None:
        return None
    day = p.stappen[index].einde
    return {"stap": index, "week": week_code(day), "einde": day.isoformat()}


def _spread(value: Spread | None) -> dict[str, float | None]:
    return {band: _number(value.band(band) if value else None) for band in BANDS}


def document(p: Planning) -> dict[str, Any]:
    """The planning as plain JSON types (dates ISO, fractions as numbers with three decimals)."""
    projection = []
    for index, state in enumerate(p.stappen):
        inflow = p.instroom[index - 1] if index else {"bekend": {}, "geschat": {}}
        projection.append({
            "stap": index, "week": week_code(state.einde), "einde": state.einde.isoformat(),
            "instroom_bekend": {kind: inflow["bekend"].get(kind, 0) for kind in KINDS},
            "instroom_geschat": {kind: inflow["geschat"].get(kind, 0) for kind in KINDS},
            "achterstand": {band: p.banden[band][index].totaal for band in BANDS},
            "per_soort": dict(state.achterstand),
            "afgehandeld": dict(state.afgehandeld),
            "oudste_dagen": {kind: state.oudste_dagen(kind) for kind in KINDS},
            "a4": {"teller": state.achterstand["archiveren"], "noemer": state.a4_noemer, "waarde": state.a4_waarde},
            "voldoet": dict(state.voldoet),
        })
    return {
        "peildatum": p.peildatum.isoformat(),
        "doeldatum": p.doeldatum.isoformat(),
        "organisatie": None if p.organisatie is None else {"code": p.organisatie.code, "naam": p.organisatie.naam},
        "fte": _number(p.fte, 2), "fte_bron": p.fte_bron,
        "fte_toegewezen": {naam: _number(fte, 2) for naam, fte in p.toegewezen.items()},
        "capaciteit": "per_fte" if p.per_fte_gebruikt else "gemeten",
        "antwoord": p.antwoord,
        "binnen_normen": {band: _step(p, p.binnen(band)) for band in BANDS},
        "normen": [{"code": code, "norm": norm_tekst(p.normen[code]),
                    "vanaf": {band: _step(p, p.vanaf(band, code)) for band in BANDS}} for code in NORM_CODES],
        "doelweek": _step(p, p.doel_stap),
        "fte_nodig": _number(p.fte_nodig, 1), "fte_max": _number(p.max_fte, 1),
        "doorvoer": {
            "weken": [{"week": week_code(w.maandag), "maandag": w.maandag.isoformat(), "fte": _number(w.fte, 2),
                       "bevestigd": dict(w.bevestigd), "opgelost_in_bron": dict(w.opgelost_in_bron),
                       "gesloten": w.gesloten} for w in p.weken],
            "per_week": {kind: _spread(p.doorvoer[kind]) for kind in (*KINDS, TOTAAL)},
            "per_fte_week": None if p.per_fte is None else {kind: _spread(p.per_fte[kind])
                                                            for kind in (*KINDS, TOTAAL)},
            "capaciteit_per_fte_week": None if p.capaciteit_per_fte is None else _spread(p.capaciteit_per_fte),
        },
        "instroom": {
            "gesloten_12_weken": p.gesloten_venster,
            "gesloten_per_week": _number(p.sluitingen_per_dag * 7),
            "aandeel_archiveertaak": _number(p.aandeel_archiveren),
            "geschat_per_week": _number(p.sluitingen_per_dag * 7 * p.aandeel_archiveren),
        },
        "projectie": projection,
    }


def planning_document(peildatum: date, scope: Scope | None = None, *, fte: Fraction | None = None,
                      doeldatum: date | None = None, organisatie: str | None = None) -> dict[str, Any]:
    """GET /api/v1/planning and `flask report planning`: the planning of the four together or of one organisation
    (its code). Organisation-level figures, so the scope of the caller does not narrow it (the roles that may
    see it see everything)."""
    org = None
    if organisatie:
        known = [o for o in organisations() if o.id is not None]
        org = next((o for o in known if o.code == organisatie), None)
        if org is None:
            raise PlanningError(f"Onbekende organisatie '{organisatie[:40]}': kies uit "
                                f"{', '.join(str(o.code) for o in known) or 'geen (nog niet gesynchroniseerd)'}.",
                                "organisatie")
    return document(planning(peildatum, organisatie=org, fte=fte, doeldatum=doeldatum))


def aannames(max_fte: Fraction) -> list[str]:
    """The assumptions, in Dutch, for the page, the workbook and the IBT report (the README says the same)."""
    return [
        "Doorvoer: taken die PiA gereed meldde en die een latere synchronisatie bevestigde, geteld in de week van de "
        "bevestiging, over de laatste 12 volledige weken (maandag tot en met zondag). Per fte-week: gedeeld door de "
        "fte van die week; weken zonder vastgelegde fte tellen daarvoor niet mee.",
        "Taken die de teams zelf in InProces oplosten (opgelost in de bron) staan apart en tellen niet mee als "
        "capaciteit: de prognose is daardoor voorzichtig. Dat is ze ook na een week waarin PiA door het vervallen "
        "werk heen was: die week telt met wat er te doen was, niet met wat PiA had kunnen doen.",
        "Bekende instroom: gesloten zaken waarvan een archieftaak binnen de prognose vervalt, op de vervaldatum "
        "(aanvullen: einddatum + 10 dagen; vernietigen: archiefactiedatum; overbrengen: archiefactiedatum; "
        "archiveren: einddatum + 30 dagen).",
        "Geschatte instroom: zaken die nu open zijn, sluiten in het tempo van de laatste 12 weken, en hetzelfde deel "
        "ervan als van de zaken die in die weken sloten, wordt 30 dagen na sluiten een archiveertaak, met volledige "
        "archiefgegevens. De rest wordt voor die tijd gearchiveerd: geen taak, en ook geen doorvoer.",
        "Na aanvullen volgt archiveren, na archiveren vernietigen of overbrengen als die binnen de prognose "
        "vervallen. Een taak blijft van de soort waarin hij begon. Capaciteit waarvoor geen vervallen taak is, "
        "gaat verloren.",
        "Een norm geldt vanaf de eerste week waarna hij tot het einde van de prognose elke week gehaald wordt. De "
        "prognose loopt tot 13 weken na de doeldatum, minstens 26 weken.",
        "Benodigde fte: het kleinste aantal gedeelde fte in stappen van 0,1 waarmee alle drie normen (A2, A3, A4) "
        f"vanaf de week van de doeldatum gelden, ook met elk heel aantal fte daarboven tot {fte_tekst(max_fte)}; bij "
        "de mediaan van de doorvoer per fte-week. Voor alle vier samen gelden A2 en A3 over alle taken en A4 over "
        "de totalen.",
        "PiA is één team met één werkvoorraad: de capaciteit is het aantal taken per fte-week van PiA als geheel "
        "(alle soorten en organisaties samen; een taak is een taak), en PiA werkt de oudste taak eerst af, van welke "
        "soort of organisatie ook. Fte die alleen voor één organisatie is vastgelegd, werkt alleen die af, bovenop "
        "de gedeelde fte. De fte van de peildatum geldt voor de hele prognose.",
    ]
