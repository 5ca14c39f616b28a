"""The data behind the programme team's IBT workspace, its printable report and the XLSX workbook.

One assembly (`overview`) feeds the page, the HTML report and the workbook. Figures "now" come from
`indicators.indicators_now` (the same call as /api/v1/indicatoren); months from the snapshots
(`indicators.month_table`), each with the norm text and verdict of its own day.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from .. import labels
from ..db import db
from ..formatting import datum, getal, local, procent
from ..models import KpiOordeel, Snapshot
from ..rules import ibt as ibt_rules
from ..rules.archive import KINDS
from .archive import ArchiveFigures, archive_backlog

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written: a web worker need not hold it
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
from .charts import Chart, line_chart
from .exports import force_text
from .freshness import Freshness, freshness
from .history import ACHTERSTAND, ALL, org_key, series
from .indicators import (
    FORECAST_DAYS,
    GEEN_ACHTERSTAND,
    GEEN_DALING,
    Indicator,
    OrgIndicators,
    current_kpis,
    indicators_now,
    month_table,
    readiness_window,
)
from .scope import Scope

MAANDEN = 12
COUNT_CODES = ("A2", "A3")
SOORT_LABELS = labels.TAAK_SOORTEN
MAAND_NAMEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december")
FORECAST_HORIZON_DAYS = 365


def maand_naam(maand: str) -> str:
    """'2026-04' -> 'april 2026'."""
    year, month = maand.split("-")
    return f"{MAAND_NAMEN[int(month) - 1]} {year}"


def evidence_links(text: str) -> list[str]:
    """The non-empty lines of an evidence field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def is_web_link(link: str) -> bool:
    return link.startswith(("http://", "https://"))


def waarde_tekst(code: str, waarde: float | None) -> str:
    return getal(waarde) if code in COUNT_CODES else procent(waarde)


# -- the overview --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrgView:
    item: OrgIndicators
    maanden: dict[str, dict[str, Snapshot]]
    kpis: dict[int, KpiOordeel | None]
    achterstand: ArchiveFigures
    prognose_punten: list[tuple[date, int]]

    @property
    def slug(self) -> str:
        """For HTML ids and chart ids."""
        return self.item.org.code or "onbekend"

    @property
    def kpi_telling(self) -> dict[str, int]:
        counts = dict.fromkeys((*ibt_rules.OORDELEN, "geen"), 0)
        for row in self.kpis.values():
            counts[row.oordeel if row and row.oordeel else "geen"] += 1
        return counts


@dataclass(frozen=True)
class Overview:
    """`organisaties`: the configured ones; `onbekend`: the pseudo-organisation (None without zaken), apart."""

    peildatum: date
    maanden: list[str]
    venster: int
    versheid: Freshness
    organisaties: list[OrgView]
    alles: bool
    demo: tuple[date, date] | None
    onbekend: OrgView | None = None


def overview(peildatum: date, scope: Scope) -> Overview:
    """Everything the page, the HTML report and the workbook show, as of the peildatum."""
    months = ibt_rules.laatste_volledige_maanden(peildatum, MAANDEN)
    backlog = {item.org: item.figures for item in archive_backlog(peildatum, scope).organisaties}
    teams = [ALL] if scope.teams is None else sorted(scope.teams)
    since = peildatum - timedelta(days=FORECAST_DAYS - 1)
    views, onbekend = [], None
    for item in indicators_now(peildatum, scope):
        if item.onbekend:
            onbekend = OrgView(item, {}, {}, backlog.get(item.org) or ArchiveFigures(peildatum), [])
            continue
        key = org_key(item.org)
        views.append(OrgView(item, month_table(key, months), current_kpis(item.org.id),
                             backlog.get(item.org) or ArchiveFigures(peildatum),
                             series(ACHTERSTAND, key, teams, since, peildatum)))
    first = date.fromisoformat(months[0] + "-01")
    return Overview(peildatum, months, readiness_window(), freshness(), views,
                    scope.is_all, demo_period(min(first, since), peildatum), onbekend)


def demo_period(van: date, tot: date) -> tuple[date, date] | None:
    """First and last day of demo (back-filled) snapshots between the dates, or None."""
    first, last = db.session.execute(select(func.min(Snapshot.datum), func.max(Snapshot.datum)).where(
        Snapshot.demo.is_(True), Snapshot.datum >= van, Snapshot.datum <= tot)).one()
    return None if first is None else (first, last)


# -- charts --------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _line_chart(chart_id: str, titel: str, beschrijving: str, points: tuple[tuple[date, float | None], ...],
                y_titel: str, fitted: tuple[tuple[date, float], ...] | None = None) -> Chart:
    """charts.line_chart, remembered: the page draws 28 sparklines whose data change once a day."""
    return line_chart(chart_id, titel, beschrijving, list(points), y_titel, list(fitted) if fitted else None)


def _month_end(maand: str) -> date:
    first = date.fromisoformat(maand + "-01")
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def sparkline(view: OrgView, indicator: Indicator, months: list[str]) -> Chart | None:
    """The indicator per month (the month's snapshot) over the months given; None without any snapshot
    (an empty chart says nothing, and its empty mark group fails the accessibility scan)."""
    code = indicator.code
    known = [(month, row) for month in months if (row := view.maanden[month].get(code))]
    if not known:
        return None
    points = [(row.datum, row.waarde) if (row := view.maanden[month].get(code)) else (_month_end(month), None)
              for month in months]
    (m1, r1), (m2, r2) = known[0], known[-1]
    beschrijving = (f"{code} {indicator.naam} per maand, {maand_naam(months[0])} tot en met "
                    f"{maand_naam(months[-1])}: {waarde_tekst(code, r1.waarde)} in {maand_naam(m1)}, "
                    f"{waarde_tekst(code, r2.waarde)} in {maand_naam(m2)}.")
    return _line_chart(f"spark-{view.slug}-{code}", f"{code} {indicator.naam} per maand ({view.item.org.naam})",
                       beschrijving, tuple(points), "Aantal taken" if code in COUNT_CODES else "Percentage")


def fitted_line(points: list[tuple[date, int]], zero: date | None, cap: date) -> list[tuple[date, float]]:
    """The least-squares line through the daily counts, drawn from the first day to the projected zero
    date (at most `cap`), or to the last day when the line does not fall. Only for drawing: the zero date
    itself is `indicators.forecast`'s."""
    begin = points[0][0]
    xs = [float((day - begin).days) for day, _ in points]
    ys = [float(count) for _, count in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)  # ordinary least squares, in plain Python: a web
    spread = sum((x - mean_x) ** 2 for x in xs)  # worker need not hold numpy for two numbers
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0.0
    intercept = mean_y - slope * mean_x
    end = points[-1][0] if zero is None else min(max(zero, points[-1][0]), cap)
    return [(begin, float(intercept)), (end, float(intercept + slope * (end - begin).days))]


def forecast_chart(view: OrgView, peildatum: date) -> Chart | None:
    """The archive backlog of the last 8 weeks with the fitted line; None with fewer than two days."""
    points = view.prognose_punten
    prognose = view.item.prognose_achterstand_nul
    if len(points) < 2 or prognose in (None, GEEN_ACHTERSTAND):
        return None
    zero = None if prognose == GEEN_DALING else date.fromisoformat(prognose)
    beschrijving = (f"Archiefachterstand per dag van {datum(points[0][0])} ({getal(points[0][1])} taken) tot "
                    f"{datum(points[-1][0])} ({getal(points[-1][1])} taken), met de rechte lijn door de punten "
                    "(stippellijn). ")
    if zero is None:
        beschrijving += "Geen daling: de lijn daalt niet, dus geen datum waarop de achterstand nul is."
    else:
        beschrijving += f"Prognose: de achterstand is nul op {datum(zero)}."
    fitted = fitted_line(points, zero, peildatum + timedelta(days=FORECAST_HORIZON_DAYS))
    return _line_chart(f"prognose-{view.slug}", f"Archiefachterstand {view.item.org.naam}, laatste 8 weken",
                       beschrijving, tuple((day, float(count)) for day, count in points), "Taken in achterstand",
                       tuple(fitted))


# -- history -------------------------------------------------------------------------------------------

class _Sheet:
    """Writes rows top-down: text cells are always text (never formulas), dates real dates."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1

    def put(self, column: int, value: Any, fmt: str | None = None, bold: bool = False) -> Any:
        cell = self.sheet.cell(row=self.row, column=column)
        if isinstance(value, datetime):
            value = local(value).replace(tzinfo=None)
            fmt = fmt or "dd-mm-yyyy hh:mm"
        elif isinstance(value, date):
            value = datetime(value.year, value.month, value.day)
            fmt = fmt or "dd-mm-yyyy"
        cell.value = value
        force_text(cell)  # user text starting with '=' must not become a formula
        if fmt:
            cell.number_format = fmt
        if bold:
            from openpyxl.styles import Font

            cell.font = Font(bold=True)
        return cell

    def line(self, *values: Any, bold: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            self.put(column, value, "0.0" if isinstance(value, float) else None, bold)
        self.row += 1

    def heading(self, text: str, columns: list[str]) -> None:
        self.row += 1
        from openpyxl.styles import Font

        self.put(1, text).font = Font(bold=True, size=12)
        self.row += 1
        self.line(*columns, bold=True)

    def meta(self, titel: str, view: Overview) -> None:
        from openpyxl.styles import Font

        self.put(1, titel).font = Font(bold=True, size=13)
        self.row += 1
        self.line("Peildatum", view.peildatum)
        self.line("Gegevens van (laatste synchronisatie)", view.versheid.laatste or "nooit gesynchroniseerd")
        if view.demo:
            self.line("Let op", f"demo-momentopnamen van {datum(view.demo[0])} tot {datum(view.demo[1])} "
                                "(teruggerekend uit de huidige gegevens)")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:28] or "Organisatie"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base} {number}", number + 1
    taken.add(candidate)
    return candidate


def _cell_waarde(code: str, waarde: float | None) -> float | int | None:
    """Counts (A2/A3) as whole numbers, percentages as they are."""
    return int(waarde) if code in COUNT_CODES and waarde is not None else waarde


def _ja_nee(value: bool | None) -> str:
    return "onbekend" if value is None else "ja" if value else "nee"


def workbook(view: Overview, extra: Callable[[Workbook], None] | None = None) -> bytes:
    """The report for the province: a summary sheet, a sheet per organisation, and what `extra` adds."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    summary = _Sheet(book.active)
    summary.sheet.title = "Samenvatting"
    summary.meta("IBT-rapportage zaakgericht werken en archief", view)
    summary.line("Venster gereedheid (volledige maanden)", view.venster)
    summary.heading("Gereedheid per organisatie", ["Organisatie", "Gereed voor opheffing", "Prognose achterstand nul",
                                                   "Archiefachterstand", "Wat ontbreekt"])
    for org in view.organisaties:
        summary.line(org.item.org.naam, _ja_nee(org.item.gereed_voor_opheffing),
                     org.item.prognose_achterstand_nul or "te weinig momentopnamen", org.achterstand.achterstand,
                     "\n".join(org.item.ontbreekt) or "–")
        summary.sheet.cell(row=summary.row - 1, column=5).alignment = Alignment(wrap_text=True, vertical="top")
    if (onbekend := view.onbekend) is not None:  # apart: no verdict, no forecast; the finding explains it
        summary.line(onbekend.item.org.naam, "geen oordeel", "geen prognose", onbekend.achterstand.achterstand,
                     f"{onbekend.item.aantal_zaken} zaken: bronorganisatie niet ingesteld (bevinding Onbekende "
                     "bronorganisatie, /kwaliteit/onbekende_bronorganisatie)")
    summary.heading("Indicatoren op de peildatum", ["Organisatie", "Code", "Indicator", "Teller", "Noemer", "Waarde",
                                                    "Norm", "Voldoet"])
    for org in view.organisaties:
        for i in org.item.indicatoren:
            summary.line(org.item.org.naam, i.code, i.naam, i.teller, i.noemer, _cell_waarde(i.code, i.waarde), i.norm,
                         _ja_nee(i.voldoet))
    for column, width in zip("ABCDEFGH", (34, 22, 28, 18, 60, 12, 30, 10), strict=True):
        summary.sheet.column_dimensions[column].width = width
    taken = {"Samenvatting"}
    for org in view.organisaties:
        _org_sheet(_Sheet(book.create_sheet(_sheet_name(org.item.org.naam, taken))), org, view)
    if extra is not None:
        extra(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _org_sheet(out: _Sheet, org: OrgView, view: Overview) -> None:
    out.meta(org.item.org.naam, view)
    out.line("Gereed voor opheffing", _ja_nee(org.item.gereed_voor_opheffing))
    out.heading("Indicatoren per maand (momentopname van de laatste dag met gegevens)",
                ["Maand", "Datum momentopname", "Code", "Indicator", "Teller", "Noemer", "Waarde", "Norm (toen)",
                 "Voldoet", "Demo"])
    for month in view.maanden:
        for code, naam in ibt_rules.INDICATOREN.items():
            row = org.maanden[month].get(code)
            if row is None:
                out.line(month, None, code, naam, None, None, None, None, "geen gegevens", None)
            else:
                out.line(month, row.datum, code, naam, row.teller, row.noemer, _cell_waarde(code, row.waarde), row.norm,
                         _ja_nee(row.voldoet), "ja" if row.demo else "nee")
    out.heading("Kwalitatieve KPI's", ["Nummer", "KPI", "Oordeel", "Eigenaar", "Streefdatum", "Notitie",
                                       "Gewijzigd op", "Bewijs (links)"])
    for nummer, naam in ibt_rules.KPI_NAMEN.items():
        kpi = org.kpis[nummer]
        if kpi is None:
            out.line(nummer, naam, "nog geen oordeel")
            continue
        for column, link in enumerate(evidence_links(kpi.bewijs), start=8):
            cell = out.put(column, link)
            if is_web_link(link):
                cell.hyperlink = link
                cell.style = "Hyperlink"
        out.line(nummer, naam, kpi.oordeel or "nog geen oordeel", kpi.eigenaar, kpi.streefdatum, kpi.notitie,
                 kpi.gewijzigd_op)
    out.heading("Archiefachterstand per soort", ["Soort", "Aantal", "Oudste (dagen)"])
    for kind in KINDS:
        out.line(SOORT_LABELS[kind], org.achterstand.per_soort[kind], org.achterstand.oudste_dagen_soort(kind))
    out.line("Totaal", org.achterstand.achterstand, org.achterstand.oudste_dagen, bold=True)
    for column, width in zip("ABCDEFGHIJ", (36, 20, 8, 30, 10, 10, 10, 30, 12, 8), strict=True):
        out.sheet.column_dimensions[column].width = width
