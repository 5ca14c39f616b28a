"""Working days: Monday to Friday minus the holidays of the Algemene termijnenwet (Atw, art. 3).

`verlenging.duur` counts in working days (domain.md "Dates"), and a legal term that ends on a Saturday,
Sunday or Atw holiday ends on the next working day (Atw art. 1). The holiday list is a rule of our own:
a general holiday library has other days (Goede Vrijdag; 5 mei only every fifth year).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

from connectors.zgw.durations import Duration, add_months

WEEKDAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def pasen(year: int) -> date:
    """Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, as in Meeus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _koningsdag(year: int) -> tuple[date, str]:
    """27 April, or 26 April when the 27th is a Sunday (Wet viering Koningsdag, since 2014).

    Before 2014 the Atw day was Koninginnedag: 30 April, or 29 April when the 30th is a Sunday (from 1980),
    so that deadlines of old zaken come out as they did then.
    """
    if year >= 2014:
        day, name = date(year, 4, 27), "Koningsdag"
    else:
        day, name = date(year, 4, 30), "Koninginnedag"
    return (day - timedelta(days=1) if day.weekday() == 6 else day), name


@cache
def _feestdagen(year: int) -> Mapping[date, str]:
    easter = pasen(year)
    koningsdag, naam = _koningsdag(year)
    days: dict[date, str] = {}
    for day, name in (
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (easter + timedelta(days=1), "tweede Paasdag"),
        (koningsdag, naam),
        (date(year, 5, 5), "5 mei"),
        (easter + timedelta(days=39), "Hemelvaartsdag"),
        (easter + timedelta(days=50), "tweede Pinksterdag"),
        (date(year, 12, 25), "eerste Kerstdag"),
        (date(year, 12, 26), "tweede Kerstdag"),
    ):
        days[day] = f"{days[day]} en {name}" if day in days else name  # 2016: 5 mei en Hemelvaartsdag
    return MappingProxyType(dict(sorted(days.items())))


def atw_feestdagen(year: int) -> dict[date, str]:
    """The algemeen erkende feestdagen of Atw art. 3 in `year`, in date order, with their Dutch names.

    Nieuwjaarsdag, tweede Paasdag, Koningsdag (27 April; 26 April when the 27th is a Sunday), 5 mei (every
    year), Hemelvaartsdag (Easter + 39), tweede Pinksterdag (Easter + 50), eerste and tweede Kerstdag.
    Goede Vrijdag is not one. (Eerste Paas- and Pinksterdag are Sundays anyway and are not listed.) Two on one
    day share an entry: 05-05-2016 is "5 mei en Hemelvaartsdag".
    """
    return dict(_feestdagen(year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an Atw holiday."""
    return day.weekday() < 5 and day not in _feestdagen(day.year)


def geen_werkdag_redenen(day: date) -> tuple[str, ...]:
    """Why `day` is not a working day, in Dutch: `("zondag",)`, `("Koningsdag",)`, `("zaterdag",
    "tweede Kerstdag")` when both apply; `()` for a working day."""
    redenen = []
    if day.weekday() >= 5:
        redenen.append(WEEKDAGEN[day.weekday()])
    feestdag = _feestdagen(day.year).get(day)
    if feestdag is not None:
        redenen.append(feestdag)
    return tuple(redenen)


def next_working_day_on_or_after(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it (Atw art. 1: a term
    ending on a Saturday, Sunday or Atw holiday ends on the next working day)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int) -> date:
    """The `n`-th working day after `start` (counting starts the day after; `start` itself never counts).

    `n == 0` returns `start` unchanged, even when it is not a working day.
    """
    if n < 0:
        raise ValueError(f"aantal werkdagen moet 0 of meer zijn, niet {n}")
    day = start
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def add_working_duration(start: date, duur: Duration) -> date:
    """`start` + a verlenging: years and months as calendar months, then the days as working days.

    A duration has no notion of weeks left (`P6W` is stored as 42 days), so `P6W` adds 42 working days,
    exactly like `P42D`. Months and years have no fixed number of working days; they are added with
    month arithmetic (clamped to the month end) before the working days are counted. Without days the
    result is that calendar date, working day or not (the caller applies Atw art. 1 where it must).
    """
    return add_working_days(add_months(start, duur.years * 12 + duur.months), duur.days)
