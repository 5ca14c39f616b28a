"""Dutch formatting for templates and exports: dd-mm-jjjj, 1.234, 12,5%."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def datum(value: date | datetime | None, leeg: str = "–") -> str:
    if value is None:
        return leeg
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d-%m-%Y")


def datumtijd(value: datetime | None, leeg: str = "–") -> str:
    if value is None:
        return leeg
    return local(value).strftime("%d-%m-%Y %H:%M")


def local(value: datetime) -> datetime:
    """An aware local time; naive values (SQLite) are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(AMSTERDAM)


def getal(value: int | float | None, decimalen: int = 0, leeg: str = "–") -> str:
    if value is None:
        return leeg
    text = f"{value:,.{decimalen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def procent(value: float | None, leeg: str = "–") -> str:
    if value is None:
        return leeg
    return getal(value, 1) + "%"


def today_amsterdam() -> date:
    return datetime.now(AMSTERDAM).date()
