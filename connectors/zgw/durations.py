"""ISO 8601 durations as the ZGW APIs use them (`P56D`, `P8W`, `P1M`, `P1Y6M`).

Weeks are turned into days; years and months are added with calendar arithmetic, clamped to the
end of the month (31 January + P1M = 28 or 29 February).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_PATTERN = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)


@dataclass(frozen=True)
class Duration:
    """A calendar duration: whole years, months and days (weeks are stored as days)."""

    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def is_zero(self) -> bool:
        return self.years == 0 and self.months == 0 and self.days == 0

    def isoformat(self) -> str:
        parts = "".join(
            f"{value}{unit}" for value, unit in ((self.years, "Y"), (self.months, "M"), (self.days, "D")) if value
        )
        return f"P{parts or '0D'}"


def parse_duration(text: str) -> Duration:
    """Parse an ISO 8601 duration; raise ValueError for anything else.

    Time parts are accepted only when they add up to whole days (`PT24H`); fractions are refused.
    """
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"ongeldige ISO 8601-duur: {text!r}")
    parts = {key: int(value) if value else 0 for key, value in match.groupdict().items()}
    seconds = parts["hours"] * 3600 + parts["minutes"] * 60 + parts["seconds"]
    if seconds % 86400:
        raise ValueError(f"duur met delen van een dag wordt niet ondersteund: {text!r}")
    return Duration(
        years=parts["years"],
        months=parts["months"],
        days=parts["weeks"] * 7 + parts["days"] + seconds // 86400,
    )


def stored_duration(text: str | None) -> Duration | None:
    """A duration as the mirror stores it (ISO 8601 text): None when absent or unreadable, as the sync reads it
    (an unreadable doorlooptijd is no doorlooptijd)."""
    if not text:
        return None
    try:
        return parse_duration(text)
    except ValueError:
        return None


def add_months(start: date, months: int) -> date:
    """Add calendar months, clamping the day to the last day of the target month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_duration(start: date, duration: Duration) -> date:
    """`start` + `duration`: years and months first (month arithmetic), then days."""
    return add_months(start, duration.years * 12 + duration.months) + timedelta(days=duration.days)
