"""Working days: Monday to Friday minus the Dutch public holidays of the `holidays` library.

Used for `verlenging.duur`, which domain.md counts in working days.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

from connectors.zgw.durations import Duration, add_months


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday as the library lists them: Goede Vrijdag included,
    Bevrijdingsdag only every fifth year."""
    return day.weekday() < 5 and day not in _holidays(day.year)


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
    month arithmetic (clamped to the month end) before the working days are counted.
    """
    return add_working_days(add_months(start, duur.years * 12 + duur.months), duur.days)
