"""Server-rendered SVG charts (Altair + vl-convert): no client script, strict-CSP safe, offline.

Every chart carries a title, a text description and its numbers as table rows, so templates can
show the same figures in a table beside it (WCAG 2.1 AA: a text alternative for every chart).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc
from markupsafe import Markup

COLOUR = "#0b3d6e"
ACCENT = "#b00020"
FONT = "system-ui, sans-serif"


@dataclass(frozen=True)
class Chart:
    titel: str
    beschrijving: str
    svg: Markup
    kolommen: tuple[str, ...]
    rijen: tuple[tuple[Any, ...], ...]


@functools.lru_cache(maxsize=256)
def _render(spec_json: str) -> str:
    svg = vlc.vegalite_to_svg(json.loads(spec_json))
    # Drop the XML prolog if any, keep the <svg> element only.
    return svg[svg.index("<svg"):]


def _finish(chart: alt.Chart, titel: str, beschrijving: str, chart_id: str) -> Markup:
    spec = chart.properties(width=420, height=220).configure_axis(labelFont=FONT, titleFont=FONT) \
        .configure_title(font=FONT).configure_view(stroke=None).to_dict()
    svg = _render(json.dumps(spec, sort_keys=True, default=str))
    title_id, desc_id = f"{chart_id}-titel", f"{chart_id}-beschrijving"
    svg = re.sub(r"^<svg ", f'<svg role="img" aria-labelledby="{title_id} {desc_id}" focusable="false" ', svg, count=1)
    inner = Markup('<title id="{}">{}</title><desc id="{}">{}</desc>').format(title_id, titel, desc_id, beschrijving)
    head, rest = svg.split(">", 1)
    return Markup(head + ">") + inner + Markup(rest)


def _count_axis(values: list[float | None], titel: str) -> alt.Y:
    """A y axis for whole counts: no 0,5 ticks (which render as duplicate labels) on small numbers."""
    top = max((v for v in values if v is not None), default=0)
    ticks = list(range(0, int(top) + 1)) if top <= 5 else None
    axis = alt.Axis(format="d", values=ticks) if ticks else alt.Axis(format="d", tickMinStep=1)
    return alt.Y("waarde:Q", title=titel, axis=axis, scale=alt.Scale(domainMin=0))


def bar_chart(chart_id: str, titel: str, beschrijving: str, labels: list[str], values: list[int],
              x_titel: str, y_titel: str) -> Chart:
    frame = pd.DataFrame({"label": labels, "waarde": values})
    chart = alt.Chart(frame).mark_bar(color=COLOUR).encode(
        x=alt.X("label:N", sort=None, title=x_titel, axis=alt.Axis(labelAngle=0)),
        y=_count_axis(list(values), y_titel),
    )
    return Chart(titel, beschrijving, _finish(chart, titel, beschrijving, chart_id), (x_titel, y_titel),
                 tuple(zip(labels, values, strict=True)))


def line_chart(chart_id: str, titel: str, beschrijving: str, points: list[tuple[date, float | None]],
               y_titel: str, fitted: list[tuple[date, float]] | None = None) -> Chart:
    frame = pd.DataFrame({"datum": [p[0].isoformat() for p in points], "waarde": [p[1] for p in points],
                          "reeks": "gemeten"})
    layers = [alt.Chart(frame).mark_line(color=COLOUR, point=True).encode(
        x=alt.X("datum:T", title="Datum", axis=alt.Axis(format="%d-%m")),
        y=_count_axis([p[1] for p in points], y_titel))]
    if fitted:
        fit = pd.DataFrame({"datum": [p[0].isoformat() for p in fitted], "waarde": [p[1] for p in fitted]})
        layers.append(alt.Chart(fit).mark_line(color=ACCENT, strokeDash=[6, 4]).encode(
            x="datum:T", y="waarde:Q"))
    chart = alt.layer(*layers)
    rows = tuple((p[0], p[1]) for p in points)
    return Chart(titel, beschrijving, _finish(chart, titel, beschrijving, chart_id), ("Datum", y_titel), rows)
