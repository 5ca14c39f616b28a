"""The capacity planning as a band chart and as an XLSX workbook (its own, and a sheet in the IBT report's).

Every figure comes from `planning_report.Planning` (and the document the API serves), so the chart, the table
behind it, the workbook, the API and `flask report planning` show the same numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..formatting import datum, getal
from ..rules.archive import KINDS
from ..rules.planning import BANDS, NORM_CODES, TOTAAL
from .charts import Chart, band_chart
from .exports import force_text
from .ibt_report import SOORT_LABELS
from .planning_report import GEEN, INVOER, Planning, aannames, document, fte_tekst, week_tekst

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written: a web worker need not hold it
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

BAND_LABELS = {"p25": "bij lage doorvoer (p25)", "mediaan": "bij mediane doorvoer", "p75": "bij hoge doorvoer (p75)"}
BRON_LABELS = {INVOER: "ingevoerd", "vastgelegd": "vastgelegd voor de peildatum", GEEN: "niet vastgelegd"}
CHART_COLUMNS = ("Einde van de week", "Achterstand bij hoge doorvoer (p75)", "Achterstand bij mediane doorvoer",
                 "Achterstand bij lage doorvoer (p25)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def vanaf_tekst(p: Planning, index: int | None) -> str:
    """A step as text: "nu al", "week 26 van 2026" or "niet binnen de prognose"."""
    if index is None:
        return "niet binnen de prognose"
    return "nu al" if index == 0 else week_tekst(p.stappen[index].einde)


def capaciteit_tekst(p: Planning) -> str:
    if p.per_fte_gebruikt and p.fte is not None and p.capaciteit_per_fte is not None:
        extra = "".join(f" en {fte_tekst(fte)} fte alleen voor {naam}" for naam, fte in p.toegewezen.items())
        return (f"{fte_tekst(p.fte)} fte ({BRON_LABELS[p.fte_bron]}){extra} × "
                f"{getal(float(p.capaciteit_per_fte.mediaan), 2)} taken per fte-week (mediaan van PiA als geheel)")
    if p.capaciteit_per_fte is None:
        return "de gemeten doorvoer van PiA per week (er is geen fte vastgelegd voor de laatste 12 weken)"
    return "de gemeten doorvoer van PiA per week (geen fte ingevoerd of vastgelegd voor de peildatum)"


def chart(p: Planning, chart_id: str = "planning") -> Chart:
    """The archive backlog per week in a band: p75 throughput (lower backlog) to p25 (higher), median line."""
    days = [state.einde for state in p.stappen]
    series = {band: [state.totaal for state in p.banden[band]] for band in BANDS}
    first = p.binnen()
    naam = p.naam if p.organisatie else "alle vier organisaties"
    beschrijving = (f"Archiefachterstand van {naam} per week, van {datum(days[0])} ({getal(series['mediaan'][0])} "
                    f"taken) tot {datum(days[-1])}: bij mediane doorvoer {getal(series['mediaan'][-1])} taken, "
                    f"tussen {getal(series['p75'][-1])} (hoge doorvoer) en {getal(series['p25'][-1])} (lage "
                    f"doorvoer). Binnen de normen bij mediane doorvoer: {vanaf_tekst(p, first)}.")
    return band_chart(chart_id, f"Prognose archiefachterstand, {p.naam}", beschrijving, days, series["p75"],
                      series["mediaan"], series["p25"], "Taken in achterstand", CHART_COLUMNS)


# -- the workbook ---------------------------------------------------------------------------------------------

class _Writer:
    """Rows top-down: text always text (never a formula), dates real dates."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1

    def line(self, *values: Any, bold: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column)
            if isinstance(value, date):
                cell.value = datetime(value.year, value.month, value.day)
                cell.number_format = "dd-mm-yyyy"
            else:
                cell.value = value
                force_text(cell)
                if isinstance(value, float):
                    cell.number_format = "0.0##"
            if bold:
                from openpyxl.styles import Font

                cell.font = Font(bold=True)
        self.row += 1

    def heading(self, text: str, columns: Sequence[str] = ()) -> None:
        self.row += 1
        self.line(text, bold=True)
        if columns:
            self.line(*columns, bold=True)


def _summary(out: _Writer, p: Planning, doc: dict[str, Any]) -> None:
    from openpyxl.styles import Alignment

    out.line(f"Capaciteitsplanning PiA — {p.naam}", bold=True)
    out.line("Peildatum", p.peildatum)
    out.line("Doeldatum", p.doeldatum)
    out.line("Fte", doc["fte"])
    out.line("Capaciteit", capaciteit_tekst(p))
    out.line("Antwoord", p.antwoord)
    out.line(f"Fte nodig voor {datum(p.doeldatum)}", doc["fte_nodig"])
    out.heading("Eerste week waarin de norm blijft gelden",
                ["Code", "Norm", *(f"Vanaf, {BAND_LABELS[band]}" for band in BANDS)])
    for norm in doc["normen"]:
        out.line(norm["code"], norm["norm"], *(vanaf_tekst(p, p.vanaf(b, norm["code"])) for b in BANDS))
    out.line("Alle drie", "", *(vanaf_tekst(p, p.binnen(band)) for band in BANDS), bold=True)
    out.heading("Aannames")
    for text in aannames(p.max_fte):
        out.line(text)
        out.sheet.cell(row=out.row - 1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    out.sheet.column_dimensions["A"].width = 60
    for column in "BCDE":
        out.sheet.column_dimensions[column].width = 28


def _projection(out: _Writer, doc: dict[str, Any]) -> None:
    out.line(*(["Stap", "Week", "Einde van de week"]
               + [f"Instroom bekend: {SOORT_LABELS[k]}" for k in KINDS] + ["Instroom geschat: Archiveren"]
               + [f"Achterstand {BAND_LABELS[b]}" for b in BANDS]
               + [f"Mediaan: {SOORT_LABELS[k]}" for k in KINDS]
               + ["Oudste vernietigen (dagen)", "Oudste overbrengen (dagen)", "A4 teller", "A4 noemer", "A4 (%)"]
               + [f"{code} voldoet" for code in NORM_CODES]), bold=True)
    for row in doc["projectie"]:
        out.line(row["stap"], row["week"], date.fromisoformat(row["einde"]),
                 *(row["instroom_bekend"][k] for k in KINDS), row["instroom_geschat"]["archiveren"],
                 *(row["achterstand"][b] for b in BANDS), *(row["per_soort"][k] for k in KINDS),
                 row["oudste_dagen"]["vernietigen"], row["oudste_dagen"]["overbrengen"], row["a4"]["teller"],
                 row["a4"]["noemer"], row["a4"]["waarde"], *("ja" if row["voldoet"][c] else "nee" for c in NORM_CODES))


def _throughput(out: _Writer, doc: dict[str, Any]) -> None:
    throughput = doc["doorvoer"]
    out.line(*(["Week", "Maandag", "Fte"] + [f"Bevestigd: {SOORT_LABELS[k]}" for k in KINDS]
               + [f"Opgelost in de bron: {SOORT_LABELS[k]}" for k in KINDS] + ["Zaken gesloten"]), bold=True)
    for week in throughput["weken"]:
        out.line(week["week"], date.fromisoformat(week["maandag"]), week["fte"],
                 *(week["bevestigd"][k] for k in KINDS), *(week["opgelost_in_bron"][k] for k in KINDS),
                 week["gesloten"])
    out.heading("Spreiding", ["Soort", "Per week p25", "Per week mediaan", "Per week p75", "Per fte-week p25",
                              "Per fte-week mediaan", "Per fte-week p75"])
    per_fte = throughput["per_fte_week"] or {}
    for kind in (*KINDS, TOTAAL):
        out.line(SOORT_LABELS.get(kind, "Totaal"), *(throughput["per_week"][kind][b] for b in BANDS),
                 *((per_fte.get(kind) or {}).get(b) for b in BANDS))
    out.line("Capaciteit: taken per fte-week van PiA als geheel", "", "", "",
             *((throughput["capaciteit_per_fte_week"] or {}).get(b) for b in BANDS))
    inflow = doc["instroom"]
    out.heading("Geschatte instroom")
    out.line("Zaken gesloten in de 12 weken", inflow["gesloten_12_weken"])
    out.line("Zaken gesloten per week", inflow["gesloten_per_week"])
    out.line("Deel dat een archiveertaak kreeg of krijgt", inflow["aandeel_archiveertaak"])
    out.line("Geschatte archiveertaken per week", inflow["geschat_per_week"])


def workbook(p: Planning) -> bytes:
    """The planning of one scope: a summary, the projection per week and the throughput per week."""
    from openpyxl import Workbook

    doc = document(p)
    book = Workbook()
    book.active.title = "Samenvatting"
    _summary(_Writer(book.active), p, doc)
    _projection(_Writer(book.create_sheet("Prognose")), doc)
    _throughput(_Writer(book.create_sheet("Doorvoer")), doc)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_summary_sheet(book: Workbook, plans: Sequence[Planning]) -> None:
    """The IBT report's sheet: per scope the staffing, the week within the norms and the FTE needed."""
    if not plans:
        return
    out = _Writer(book.create_sheet("Capaciteitsplanning"))
    out.line("Capaciteitsplanning PiA", bold=True)
    out.line("Doeldatum", plans[0].doeldatum)
    out.heading("Per organisatie (mediane doorvoer)", ["Organisatie", "Fte", "Binnen de normen",
                                                      f"Fte nodig voor {datum(plans[0].doeldatum)}", "Antwoord"])
    for p in plans:
        doc = document(p)
        out.line(p.naam, doc["fte"], vanaf_tekst(p, p.binnen()), doc["fte_nodig"], p.antwoord)
    out.heading("Aannames")
    for text in aannames(plans[0].max_fte):
        out.line(text)
    for column, width in zip("ABCDE", (34, 8, 24, 22, 100), strict=True):
        out.sheet.column_dimensions[column].width = width
