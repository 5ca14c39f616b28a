"""The table of bench/run.py: every figure beside its target and whether each database met it.

Targets (issue #18 and the earlier ones still standing): full sync < 600 s; full sync / bare download <= 1,5
(stretch 1,2); sync peak RSS <= 300 MB; incremental with nothing changed < 60 s; the first request after a sync
<= 200 ms for every page (in a fresh worker after the full sync, and after an incremental sync while gunicorn
keeps running); steady p95 <= 100 ms; web worker RSS <= 150 MB. A figure without a target is "–" in "gehaald".
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .web import PAGES

FULL_SYNC_S = 600
RATIO, RATIO_STRETCH = 1.5, 1.2
SYNC_RSS_MB = 300
INCREMENTAL_S = 60
FIRST_MS = 200
P95_MS = 100
WORKER_RSS_MB = 150


def dec(value: float, places: int = 1) -> str:
    """Dutch decimal comma."""
    return f"{value:.{places}f}".replace(".", ",")


@dataclass(frozen=True)
class Row:
    label: str
    value: Callable[[dict[str, Any]], Any]  # the result of one database -> the figure (KeyError: not measured)
    show: Callable[[Any], str]
    target: str = ""
    met: Callable[[Any], bool] | None = None


def _get(result: dict[str, Any], *keys: str) -> Any:
    value: Any = result
    for key in keys:
        value = value[key]
    return value


def _ms(value: float) -> str:
    return f"{value:.0f}"


def rows() -> list[Row]:
    out = [
        Row("bare download (s / pagina's)", lambda r: (r["bare"]["seconden"], r["bare"]["paginas"]),
            lambda v: f"{dec(v[0])} / {v[1]}"),
        Row("volledige sync (s)", lambda r: r["full"]["seconden"], dec, f"< {FULL_SYNC_S}",
            lambda v: v < FULL_SYNC_S),
        Row("volledige sync / bare download", lambda r: r["full"]["seconden"] / r["bare"]["seconden"],
            lambda v: dec(v, 2), f"<= {dec(RATIO)}", lambda v: v <= RATIO),
        Row("volledige sync / bare download (streefdoel)", lambda r: r["full"]["seconden"] / r["bare"]["seconden"],
            lambda v: dec(v, 2), f"<= {dec(RATIO_STRETCH)}", lambda v: v <= RATIO_STRETCH),
        Row("volledige sync verzoeken", lambda r: r["full"]["verzoeken"], str),
        Row("volledige sync piek-RSS (MB)", lambda r: r["full"]["rss_mb"], str, f"<= {SYNC_RSS_MB}",
            lambda v: v <= SYNC_RSS_MB),
        Row("incrementeel, niets gewijzigd (s / verzoeken)",
            lambda r: (r["incremental_unchanged"]["seconden"], r["incremental_unchanged"]["verzoeken"]),
            lambda v: f"{dec(v[0])} / {v[1]}", f"< {INCREMENTAL_S} s", lambda v: v[0] < INCREMENTAL_S),
        Row("incrementeel, 1% gewijzigd (s / verzoeken)",
            lambda r: (r["incremental_1pct"]["seconden"], r["incremental_1pct"]["verzoeken"]),
            lambda v: f"{dec(v[0])} / {v[1]}"),
        Row("alle pagina's: eerste verzoek na een sync (max, ms)",
            lambda r: max(max(r["first_fresh"].values()), max(r["first_incremental"].values())), _ms,
            f"<= {FIRST_MS}", lambda v: v <= FIRST_MS),
        Row("alle pagina's: p95 (max, ms)", lambda r: max(p["p95"] for p in r["steady"].values()), _ms,
            f"<= {P95_MS}", lambda v: v <= P95_MS),
        Row("web worker RSS na alle pagina's (MB)", lambda r: r["worker_rss_mb"], str, f"<= {WORKER_RSS_MB}",
            lambda v: v <= WORKER_RSS_MB),
    ]
    for label, _ in PAGES:
        out.append(Row(f"{label} p50 / p95 (ms)", lambda r, k=label: (r["steady"][k]["p50"], r["steady"][k]["p95"]),
                       lambda v: f"{v[0]:.0f} / {v[1]:.0f}", f"p95 <= {P95_MS}", lambda v: v[1] <= P95_MS))
    for label, _ in PAGES:
        out.append(Row(f"{label} eerste verzoek na volledige sync, verse worker (ms)",
                       lambda r, k=label: r["first_fresh"][k], _ms, f"<= {FIRST_MS}", lambda v: v <= FIRST_MS))
    for label, _ in PAGES:
        out.append(Row(f"{label} eerste verzoek na incrementele sync, gunicorn draait door (ms)",
                       lambda r, k=label: r["first_incremental"][k], _ms, f"<= {FIRST_MS}",
                       lambda v: v <= FIRST_MS))
    for label, _ in PAGES:
        out.append(Row(f"{label} kale query (ms) / p50 ÷ kaal",
                       lambda r, k=label: (r["kaal"][k], r["steady"][k]["p50"]),
                       lambda v: f"{v[0]:.0f} / {dec(v[1] / v[0], 2) if v[0] else '–'}", "referentie"))
    return out


def _value(row: Row, result: dict[str, Any]) -> Any:
    try:
        return row.value(result)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None  # not measured in this run (--only)


def render(results: list[dict[str, Any]], zaken: int) -> str:
    lines = [f"## {zaken:,} zaken — {date.today().isoformat()} — {os.cpu_count()} cores, "
             f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
             f"{platform.python_implementation()} {platform.python_version()}", "",
             "| meting | " + " | ".join(str(r["database"]) for r in results) + " | doel | gehaald ("
             + " / ".join(str(r["database"]) for r in results) + ") |",
             "|---|" + "---|" * len(results) + "---|---|"]
    for row in rows():
        values = [_value(row, r) for r in results]
        shown = ["–" if v is None else row.show(v) for v in values]
        if row.met is None:
            verdict = "–"
        else:
            verdict = " / ".join("–" if v is None else ("ja" if row.met(v) else "nee") for v in values)
        lines.append(f"| {row.label} | " + " | ".join(shown) + f" | {row.target} | {verdict} |")
    return "\n".join(lines) + "\n"
