"""CSV and XLSX exports (pandas + openpyxl): Dutch headers, real dates in Excel, active filters on top.

CSV uses `;` and a UTF-8 byte order mark, which Dutch Excel opens correctly; dates there are dd-mm-jjjj.

Text comes from InProces and from the URL, so it is data, never a formula: an XLSX text cell is always a string
cell, and a CSV text cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
`'` (`neutralise`). Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import Response

from ..accounts import audit
from ..formatting import datum

if TYPE_CHECKING:  # pandas is imported on the first export, not in every worker at start-up
    import pandas as pd


# What a spreadsheet reads as the start of a formula (or of a DDE call) when a CSV cell begins with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """CSV text that a spreadsheet would evaluate, made inert with a leading `'`; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def force_text(cell: Any) -> Any:
    """An openpyxl cell holding text: always a string cell (openpyxl makes `=...` a formula otherwise)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text | int | date | pct


def _frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> pd.DataFrame:
    data = [[row.get(c.key) for c in columns] for row in rows]
    import pandas as pd

    return pd.DataFrame(data, columns=[c.header for c in columns])


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> bytes:
    frame = _frame(rows, columns)
    for column in columns:
        if column.kind == "date":
            frame[column.header] = frame[column.header].map(lambda v: datum(v, leeg=""))
        elif column.kind == "pct":
            frame[column.header] = frame[column.header].map(lambda v: "" if v is None else f"{v:.1f}".replace(".", ","))
        elif column.kind == "text":
            frame[column.header] = frame[column.header].map(neutralise)
    return ("\ufeff" + frame.to_csv(sep=";", index=False, lineterminator="\r\n")).encode("utf-8")


def to_xlsx(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], *, titel: str,
            filters: Sequence[tuple[str, str]], sheet: str = "Gegevens") -> bytes:
    """One sheet: the title, the active filters, a blank line, then the table with a header row."""
    frame = _frame(rows, columns)
    for column in columns:
        if column.kind == "date":
            frame[column.header] = frame[column.header].map(
                lambda v: datetime(v.year, v.month, v.day) if isinstance(v, date) else None)
    start = len(filters) + 2
    buffer = io.BytesIO()
    import pandas as pd
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False, startrow=start)
        worksheet = writer.sheets[sheet[:31]]
        worksheet.cell(row=1, column=1, value=titel).font = Font(bold=True, size=13)
        for offset, (name, value) in enumerate(filters, start=2):
            worksheet.cell(row=offset, column=1, value=name)
            worksheet.cell(row=offset, column=2, value=value)
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            width = max(len(column.header), 12)
            worksheet.column_dimensions[letter].width = min(width + 2, 50)
            if column.kind in ("date", "pct"):
                fmt = "dd-mm-yyyy" if column.kind == "date" else "0.0"
                for cell in worksheet[letter][start + 1:]:
                    cell.number_format = fmt
        worksheet.freeze_panes = worksheet.cell(row=start + 2, column=1)
        for row in worksheet.iter_rows():  # title, filters (from the URL), headers and data: text stays text
            for cell in row:
                force_text(cell)
    return buffer.getvalue()


def filename(*parts: str | date | None, ext: str) -> str:
    """A safe file name from the parts that are set, e.g. achterstand_diemen_2026-11-29.xlsx."""
    cleaned = [re.sub(r"[^A-Za-z0-9._-]+", "-", p.isoformat() if isinstance(p, date) else str(p)).strip("-")
               for p in parts if p]
    return "_".join(c for c in cleaned if c) + "." + ext


def download(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], fmt: str, *, name: str,
             titel: str, filters: Sequence[tuple[str, str]]) -> Response:
    """A CSV or XLSX download response; the download is in the audit log (who, which list, how many rows)."""
    rows = list(rows)
    if fmt == "xlsx":
        body = to_xlsx(rows, columns, titel=titel, filters=filters)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = to_csv(rows, columns)
        mimetype = "text/csv; charset=utf-8"
    shown = "; ".join(f"{key}: {value}" for key, value in filters)
    audit.record("downloaden", name, "ok", details=f"{len(rows)} rijen; {titel}" + (f"; {shown}" if shown else ""),
                 commit=True)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
