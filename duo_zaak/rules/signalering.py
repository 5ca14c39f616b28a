"""E-mail signalering: the kinds of message, who gets which by default, and when each one is due.

A message is due once per period: a week (`2026-W21`), a working day (`2026-05-20`) or a month (`2026-05`).
The worker asks `due_period(kind, now)` on every wake-up; the answer is the period of `now` once its moment has
come (Monday 07:00, 07:00 on a working day, 07:00 on the first working day of the month), else None. A worker
that was down catches up within the period (a weekly overview missed on Monday goes out on Tuesday); a period
that has passed is not sent afterwards, because the next one says more. Local (Europe/Amsterdam) time in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .workdays import is_working_day, next_working_day_on_or_after

TEAMLEIDER_WEEK = "teamleider_week"
TEAMLEIDER_DAG = "teamleider_dag"
PIA_WEEK = "pia_week"
PROGRAMMA_MAAND = "programma_maand"
TEST = "test"
KINDS = (TEAMLEIDER_WEEK, TEAMLEIDER_DAG, PIA_WEEK, PROGRAMMA_MAAND)

LABELS = {
    TEAMLEIDER_WEEK: "Weekoverzicht achterstand van mijn teams",
    TEAMLEIDER_DAG: "Dagelijkse signalering: zaken die binnenkort verlopen of over de fatale datum gaan",
    PIA_WEEK: "Weekoverzicht archief: niet bevestigde taken en mijn gereedmeldingen",
    PROGRAMMA_MAAND: "Maandoverzicht IBT: indicatoren per organisatie, gereedheid en wat veranderde",
    TEST: "Testbericht",
}
WHEN = {
    TEAMLEIDER_WEEK: "elke maandag om 07:00",
    TEAMLEIDER_DAG: "op werkdagen om 07:00, alleen als er iets veranderde",
    PIA_WEEK: "elke maandag om 07:00",
    PROGRAMMA_MAAND: "op de eerste werkdag van de maand om 07:00",
    TEST: "op verzoek van de beheerder",
}
WEEKLY = (TEAMLEIDER_WEEK, PIA_WEEK)
DAILY = (TEAMLEIDER_DAG,)
MONTHLY = (PROGRAMMA_MAAND,)

# The kinds a role may choose, each with its default (True = on until the user turns it off).
AVAILABLE: dict[str, dict[str, bool]] = {
    "teamleider": {TEAMLEIDER_WEEK: True, TEAMLEIDER_DAG: True},
    "pia": {PIA_WEEK: True},
    "programmateam": {PROGRAMMA_MAAND: True},
    "beheerder": {PIA_WEEK: False, PROGRAMMA_MAAND: False},
}

# The kinds of change the daily message reports, once per zaak and fatale datum.
BINNENKORT = "binnenkort"
OVERSCHREDEN = "overschreden"
DEFAULT_HOUR = 7


def available(rol: str) -> dict[str, bool]:
    """kind -> default for a role (empty for an unknown role)."""
    return dict(AVAILABLE.get(rol, {}))


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def first_working_day(year: int, month: int) -> date:
    return next_working_day_on_or_after(date(year, month, 1))


def due_period(kind: str, now: datetime, hour: int = DEFAULT_HOUR) -> str | None:
    """The period of `kind` that is due at the local moment `now`, or None (not yet, or not on this day)."""
    day = now.date()
    started = now.hour >= hour
    if kind in WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return week_key(day) if day > monday or started else None
    if kind in DAILY:
        return day.isoformat() if is_working_day(day) and started else None
    if kind in MONTHLY:
        first = first_working_day(day.year, day.month)
        return f"{day.year}-{day.month:02d}" if day > first or (day == first and started) else None
    raise ValueError(f"onbekende soort bericht {kind!r}")


def previous_working_day(day: date) -> date:
    """The last working day before `day`."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def binnenkort_entered(fatale: date, since: date, day: date, dagen: int) -> bool:
    """A zaak due on `fatale` entered the "binnenkort verlopend" window (0..dagen days ahead) after `since` and
    on or before `day`: it was not in it on `since` and is on `day`."""
    return since + timedelta(days=dagen) < fatale <= day + timedelta(days=dagen)


def overschreden_since(fatale: date, since: date, day: date) -> bool:
    """A zaak due on `fatale` passed it after `since` and on or before `day` (overdue from fatale + 1 day)."""
    return since <= fatale < day
