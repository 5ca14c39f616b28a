"""Server-rendered SVG charts, drawn here: no client script, strict-CSP safe (presentation attributes, no
style), offline, and light: no chart library or JavaScript engine in the web worker.

Every chart carries a title, a text description and its numbers as table rows, so templates can
show the same figures in a table beside it (WCAG 2.1 AA: a text alternative for every chart).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from ..formatting import getal

COLOUR = "#0b3d6e"
ACCENT = "#b00020"
INK = "#1a1a1a"
GRID = "#d0d0d0"
FONT = "system-ui, sans-serif"
WIDTH, HEIGHT = 460, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 52


@dataclass(frozen=True)
class Chart:
    titel: str
    beschrijving: str
    svg: Markup
    kolommen: tuple[str, ...]
    rijen: tuple[tuple[Any, ...], ...]


def count_ticks(top: float) -> list[int]:
    """Whole-number ticks from 0 to at least `top`: every number up to 5, else about five round steps
    (1, 2 or 5 times a power of ten), so no tick is a fraction of a zaak."""
    if top <= 5:
        return list(range(0, max(1, math.ceil(top)) + 1))
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, int(math.ceil(top / step)) * step + 1, step))


class _Canvas:
    """The plot area and the SVG elements drawn on it."""

    def __init__(self, chart_id: str, titel: str, beschrijving: str) -> None:
        self.chart_id = chart_id
        self.parts: list[str] = [
            f'<title id="{escape(chart_id)}-titel">{escape(titel)}</title>',
            f'<desc id="{escape(chart_id)}-beschrijving">{escape(beschrijving)}</desc>',
        ]
        self.x0, self.x1 = LEFT, WIDTH - RIGHT
        self.y0, self.y1 = HEIGHT - BOTTOM, TOP  # y0 is the bottom (value 0)

    def text(self, x: float, y: float, value: str, anchor: str = "middle", rotate: bool = False) -> None:
        transform = f' transform="rotate(-90 {x:.1f} {y:.1f})"' if rotate else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-family="{FONT}" '
                          f'font-size="11" fill="{INK}"{transform}>{escape(value)}</text>')

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: str = GRID) -> None:
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"/>')

    def y_axis(self, top: float, titel: str) -> float:
        """Grid lines and labels for whole counts; returns the value at the top of the plot."""
        ticks = count_ticks(top)
        high = ticks[-1] or 1
        for tick in ticks:
            y = self.y_of(tick, high)
            self.line(self.x0, y, self.x1, y)
            self.text(self.x0 - 6, y + 4, getal(tick), anchor="end")
        self.text(14, (self.y0 + self.y1) / 2, titel, rotate=True)
        return high

    def y_of(self, value: float, high: float) -> float:
        """Values outside 0..high (a fitted line running below zero) stay at the edge of the plot."""
        return self.y0 - (self.y0 - self.y1) * min(max(value, 0.0), high) / high

    def x_title(self, titel: str) -> None:
        self.text((self.x0 + self.x1) / 2, HEIGHT - 8, titel)

    def svg(self) -> Markup:
        labels = f"{escape(self.chart_id)}-titel {escape(self.chart_id)}-beschrijving"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{labels}" focusable="false" '
                f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">')
        self.line(self.x0, self.y0, self.x1, self.y0, INK)
        return Markup(head + "".join(self.parts) + "</svg>")


def bar_chart(chart_id: str, titel: str, beschrijving: str, labels: list[str], values: list[int],
              x_titel: str, y_titel: str) -> Chart:
    canvas = _Canvas(chart_id, titel, beschrijving)
    high = canvas.y_axis(max(values, default=0), y_titel)
    band = (canvas.x1 - canvas.x0) / max(1, len(values))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = canvas.x0 + band * index
        top = canvas.y_of(value, high)
        canvas.parts.append(f'<rect x="{x + band * 0.15:.1f}" y="{top:.1f}" width="{band * 0.7:.1f}" '
                            f'height="{canvas.y0 - top:.1f}" fill="{COLOUR}"><title>{escape(label)}: '
                            f'{escape(getal(value))}</title></rect>')
        canvas.text(x + band / 2, canvas.y0 + 16, label)
    canvas.x_title(x_titel)
    return Chart(titel, beschrijving, canvas.svg(), (x_titel, y_titel), tuple(zip(labels, values, strict=True)))


def _path(points: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)


def line_chart(chart_id: str, titel: str, beschrijving: str, points: list[tuple[date, float | None]],
               y_titel: str, fitted: list[tuple[date, float]] | None = None) -> Chart:
    """A line over dates (gaps where a value is None) with dots, and optionally a dashed fitted line."""
    canvas = _Canvas(chart_id, titel, beschrijving)
    values = [v for _, v in points if v is not None] + [v for _, v in fitted or []]
    high = canvas.y_axis(max(values, default=0), y_titel)
    days = [d for d, _ in points] + [d for d, _ in fitted or []]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    span = max(1, (last - first).days)

    def x_of(day: date) -> float:
        return canvas.x0 + (canvas.x1 - canvas.x0) * (day - first).days / span

    previous = -math.inf
    for day in sorted({points[i][0] for i in _tick_indexes(len(points))}):
        if x_of(day) - previous >= 44:  # no overlapping labels
            canvas.text(x_of(day), canvas.y0 + 16, day.strftime("%d-%m"))
            previous = x_of(day)
    segment: list[tuple[float, float]] = []
    for day, value in [*points, (last, None)]:
        if value is None:
            if len(segment) > 1:
                canvas.parts.append(f'<path d="{_path(segment)}" fill="none" stroke="{COLOUR}" stroke-width="2"/>')
            segment = []
            continue
        segment.append((x_of(day), canvas.y_of(value, high)))
    for day, value in points:
        if value is not None:
            canvas.parts.append(f'<circle cx="{x_of(day):.1f}" cy="{canvas.y_of(value, high):.1f}" r="3" '
                                f'fill="{COLOUR}"><title>{escape(day.strftime("%d-%m-%Y"))}: '
                                f'{escape(getal(value, 0 if float(value).is_integer() else 1))}</title></circle>')
    if fitted and len(fitted) > 1:
        canvas.parts.append(f'<path d="{_path([(x_of(d), canvas.y_of(v, high)) for d, v in fitted])}" fill="none" '
                            f'stroke="{ACCENT}" stroke-width="2" stroke-dasharray="6 4"/>')
    canvas.x_title("Datum")
    return Chart(titel, beschrijving, canvas.svg(), ("Datum", y_titel), tuple((d, v) for d, v in points))


def _tick_indexes(count: int, most: int = 6) -> list[int]:
    """At most `most` evenly spread indexes of `count` points, always the first and the last."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


BAND = "#c9dcef"


def band_chart(chart_id: str, titel: str, beschrijving: str, days: list[date], low: list[int], mid: list[int],
               high: list[int], y_titel: str, kolommen: tuple[str, ...]) -> Chart:
    """A band between `low` and `high` with the `mid` line and its dots, over dates; its rows are
    (day, low, mid, high)."""
    canvas = _Canvas(chart_id, titel, beschrijving)
    top = canvas.y_axis(max([*low, *mid, *high], default=0), y_titel)
    first, last = (days[0], days[-1]) if days else (date.today(), date.today())
    span = max(1, (last - first).days)

    def x_of(day: date) -> float:
        return canvas.x0 + (canvas.x1 - canvas.x0) * (day - first).days / span

    previous = -math.inf
    for index in _tick_indexes(len(days)):
        if x_of(days[index]) - previous >= 44:
            canvas.text(x_of(days[index]), canvas.y0 + 16, days[index].strftime("%d-%m"))
            previous = x_of(days[index])
    if len(days) > 1:
        outline = ([(x_of(d), canvas.y_of(v, top)) for d, v in zip(days, high, strict=True)]
                   + [(x_of(d), canvas.y_of(v, top)) for d, v in reversed(list(zip(days, low, strict=True)))])
        canvas.parts.append(f'<path d="{_path(outline)} Z" fill="{BAND}" stroke="none"/>')
        line = _path([(x_of(d), canvas.y_of(v, top)) for d, v in zip(days, mid, strict=True)])
        canvas.parts.append(f'<path d="{line}" fill="none" stroke="{COLOUR}" stroke-width="2"/>')
    for day, value, lo, hi in zip(days, mid, low, high, strict=True):
        canvas.parts.append(f'<circle cx="{x_of(day):.1f}" cy="{canvas.y_of(value, top):.1f}" r="2.5" fill="{COLOUR}">'
                            f'<title>{escape(day.strftime("%d-%m-%Y"))}: {escape(getal(value))} '
                            f'({escape(getal(lo))} tot {escape(getal(hi))})</title></circle>')
    canvas.x_title("Einde van de week")
    return Chart(titel, beschrijving, canvas.svg(), kolommen, tuple(zip(days, low, mid, high, strict=True)))
