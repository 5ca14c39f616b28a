"""IBT (interbestuurlijk toezicht) rules: percentages, indicators and norms, the VNG archive KPIs,
readiness to ask for lifting the verzwaard toezicht, and the backlog forecast (domain.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from connectors.zgw.durations import add_months


def percentage(teller: int, noemer: int | None) -> float | None:
    """100 x teller / noemer rounded half up to one decimal (exact, via Decimal); None when noemer is 0/None."""
    if not noemer:
        return None
    value = Decimal(100 * teller) / Decimal(noemer)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


GROTER_OF_GELIJK = ">="
KLEINER_OF_GELIJK = "<="
MAX_LEEFTIJD = "max_leeftijd"
OPERATORS = (GROTER_OF_GELIJK, KLEINER_OF_GELIJK, MAX_LEEFTIJD)


@dataclass(frozen=True)
class Norm:
    """`>=`/`<=` compare a percentage; `max_leeftijd` = no backlog task older than `waarde` days."""

    operator: str
    waarde: float

    def __post_init__(self) -> None:
        if self.operator not in OPERATORS:
            raise ValueError(f"onbekende normoperator {self.operator!r}")


INDICATOREN: dict[str, str] = {
    "Z1": "tijdigheid",
    "Z2": "aandeel termijn overschreden",
    "Z3": "volledigheid registratie",
    "A1": "archiefgegevens volledig",
    "A2": "achterstand vernietigen",
    "A3": "achterstand overbrengen",
    "A4": "achterstand archiveren",
}
INDICATOR_KPI: dict[str, int | None] = {"Z1": None, "Z2": None, "Z3": 3, "A1": 3, "A2": 5, "A3": 6, "A4": 3}
DEFAULT_NORMS: dict[str, Norm] = {
    "Z1": Norm(GROTER_OF_GELIJK, 90),
    "Z2": Norm(KLEINER_OF_GELIJK, 10),
    "Z3": Norm(GROTER_OF_GELIJK, 98),
    "A1": Norm(GROTER_OF_GELIJK, 95),
    "A2": Norm(MAX_LEEFTIJD, 90),
    "A3": Norm(MAX_LEEFTIJD, 90),
    "A4": Norm(KLEINER_OF_GELIJK, 2),
}


def voldoet(norm: Norm, waarde: float | None, oudste_dagen: int | None = None) -> bool:
    """Whether a figure meets its norm.

    Percentages: a None waarde (noemer 0) never meets the norm. `max_leeftijd` looks only at the age of
    the oldest backlog task: met when there is none (None) or it is at most `norm.waarde` days old.
    """
    if norm.operator == MAX_LEEFTIJD:
        return oudste_dagen is None or oudste_dagen <= norm.waarde
    if waarde is None:
        return False
    return waarde >= norm.waarde if norm.operator == GROTER_OF_GELIJK else waarde <= norm.waarde


def _getal(value: float) -> str:
    """A number the Dutch way: no needless decimals, decimal comma."""
    return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def norm_tekst(norm: Norm) -> str:
    """The norm in Dutch, e.g. "≥ 90%", "≤ 2,5%", "geen taak ouder dan 90 dagen"."""
    if norm.operator == MAX_LEEFTIJD:
        return f"geen taak ouder dan {_getal(norm.waarde)} dagen"
    teken = "≥" if norm.operator == GROTER_OF_GELIJK else "≤"
    return f"{teken} {_getal(norm.waarde)}%"


KPI_NAMEN: dict[int, str] = {
    1: "Lokale regelingen",
    2: "Interne kwaliteitszorg en toezicht",
    3: "Ordening, authenticiteit, context, toegankelijkheid en duurzaamheid",
    4: "Specifieke eisen aan digitale archiefbescheiden",
    5: "Vernietiging, vervanging en vervreemding",
    6: "Overbrenging naar de archiefbewaarplaats",
    7: "Archiefbewaarplaatsen, archiefruimten en e-depots",
    8: "Terbeschikkingstelling",
    9: "Rampen, calamiteiten en veiligheid",
    10: "Middelen en mensen",
}
OORDELEN = ("ja", "deels", "nee")


def laatste_volledige_maanden(peildatum: date, n: int) -> list[str]:
    """The `n` calendar months before the peildatum's month, oldest first, as 'YYYY-MM'.

    The peildatum's own month is never complete, not even on its last day.
    """
    eerste = peildatum.replace(day=1)
    return [add_months(eerste, -i).strftime("%Y-%m") for i in range(n, 0, -1)]


def gereed_voor_opheffing(maanden: Mapping[str, Mapping[str, bool | None]], kpi_oordelen: Mapping[int, str | None],
                          laatste_maanden: Sequence[str]) -> tuple[bool, list[str]]:
    """Ready to ask for lifting: every indicator met its norm in each given month and every KPI is 'ja'.

    `maanden` maps 'YYYY-MM' to indicator code -> met (True), not met (False) or no figure (None). A month
    without any data yields one line "geen gegevens voor ..."; otherwise one line per indicator not met,
    month by month, then the KPIs in number order. Returns (ready, Dutch list of what is missing).
    """
    ontbreekt: list[str] = []
    for maand in laatste_maanden:
        uitslagen = maanden.get(maand)
        if not uitslagen:
            ontbreekt.append(f"geen gegevens voor {maand}")
            continue
        for code, naam in INDICATOREN.items():
            gehaald = uitslagen.get(code)
            if gehaald is None:
                ontbreekt.append(f"{code} {naam}: geen waarde in {maand}")
            elif not gehaald:
                ontbreekt.append(f"{code} {naam}: norm niet gehaald in {maand}")
    for nummer, naam in KPI_NAMEN.items():
        oordeel = kpi_oordelen.get(nummer)
        if oordeel is None:
            ontbreekt.append(f"KPI {nummer} {naam}: nog geen oordeel")
        elif oordeel != "ja":
            ontbreekt.append(f"KPI {nummer} {naam}: oordeel '{oordeel}'")
    return not ontbreekt, ontbreekt


def prognose_nul(punten: Sequence[tuple[date, int]]) -> date | None:
    """The date the least-squares line through (day, backlog count) reaches zero; None = "geen daling".

    None when there are fewer than two distinct days or the slope is >= 0. The zero crossing is rounded up
    to the next whole day; when the line is already at or below zero on the last day, that day is returned.
    Computed in exact fractions.
    """
    if len({dag for dag, _ in punten}) < 2:
        return None
    begin = min(dag for dag, _ in punten)
    xs = [Fraction((dag - begin).days) for dag, _ in punten]
    ys = [Fraction(aantal) for _, aantal in punten]
    gem_x, gem_y = sum(xs) / len(xs), sum(ys) / len(ys)
    helling = (sum((x - gem_x) * (y - gem_y) for x, y in zip(xs, ys, strict=True))
               / sum((x - gem_x) ** 2 for x in xs))
    if helling >= 0:
        return None
    snijpunt = gem_y - helling * gem_x
    laatste = max(xs)
    if snijpunt + helling * laatste <= 0:
        return begin + timedelta(days=int(laatste))
    return begin + timedelta(days=math.ceil(-snijpunt / helling))
