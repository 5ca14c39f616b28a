"""When each kind of message is due (local time), and the day windows of the daily message."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from duo_zaak.rules.signalering import (
    PIA_WEEK,
    PROGRAMMA_MAAND,
    TEAMLEIDER_DAG,
    TEAMLEIDER_WEEK,
    available,
    binnenkort_entered,
    due_period,
    first_working_day,
    overschreden_since,
    previous_working_day,
    week_key,
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-05-18T06:59", None),  # Monday before 07:00: week 21 not yet
    ("2026-05-18T07:00", "2026-W21"),  # Monday 07:00
    ("2026-05-20T03:00", "2026-W21"),  # Wednesday night: catch-up within the week
    ("2026-05-24T23:59", "2026-W21"),  # Sunday: still week 21
    ("2026-12-28T07:30", "2026-W53"),  # 2026 has an ISO week 53
    ("2027-01-03T12:00", "2026-W53"),  # Sunday 03-01-2027 belongs to week 53 of 2026
])
def test_weekly(moment, expected):
    assert due_period(TEAMLEIDER_WEEK, at(moment)) == expected
    assert due_period(PIA_WEEK, at(moment)) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-05-15T07:00", "2026-05-15"),  # Friday
    ("2026-05-15T06:30", None),  # before 07:00
    ("2026-05-16T09:00", None),  # Saturday
    ("2026-05-25T09:00", None),  # tweede Pinksterdag 2026 (Pasen 05-04 + 50 days)
    ("2026-05-05T09:00", None),  # 5 mei is an Atw holiday every year
    ("2026-04-03T09:00", "2026-04-03"),  # Goede Vrijdag is not one
])
def test_daily_on_working_days(moment, expected):
    assert due_period(TEAMLEIDER_DAG, at(moment)) == expected


@pytest.mark.parametrize(("moment", "expected"), [
    ("2026-01-01T09:00", None),  # Nieuwjaarsdag: the first working day of 2026 is Friday 02-01
    ("2026-01-02T06:00", None),
    ("2026-01-02T07:00", "2026-01"),
    ("2026-01-31T23:00", "2026-01"),  # catch-up all month
    ("2026-08-01T09:00", None),  # Saturday 01-08: the first working day is Monday 03-08
    ("2026-08-03T07:15", "2026-08"),
])
def test_monthly_on_the_first_working_day(moment, expected):
    assert due_period(PROGRAMMA_MAAND, at(moment)) == expected


def test_first_and_previous_working_days():
    assert first_working_day(2026, 8) == date(2026, 8, 3)
    assert first_working_day(2026, 5) == date(2026, 5, 1)  # Friday 01-05 (only 05-05 is an Atw holiday)
    assert previous_working_day(date(2026, 5, 18)) == date(2026, 5, 15)  # Monday -> Friday
    assert previous_working_day(date(2026, 5, 26)) == date(2026, 5, 22)  # Tuesday after Pinkstermaandag
    assert week_key(date(2026, 1, 1)) == "2026-W01"


def test_the_daily_windows():
    # since Friday 15-05, on Wednesday 20-05, window 7 days: binnenkort is entered when the fatale datum moves
    # into 20-05..27-05 and was not in 15-05..22-05: fatale 23-05 up to 27-05.
    assert [binnenkort_entered(date(2026, 5, d), date(2026, 5, 15), date(2026, 5, 20), 7)
            for d in (22, 23, 27, 28)] == [False, True, True, False]
    # overdue from fatale + 1: fatale 15-05 up to 19-05 passed between Friday and Wednesday
    assert [overschreden_since(date(2026, 5, d), date(2026, 5, 15), date(2026, 5, 20))
            for d in (14, 15, 19, 20)] == [False, True, True, False]


def test_who_gets_what_by_default():
    assert available("teamleider") == {TEAMLEIDER_WEEK: True, TEAMLEIDER_DAG: True}
    assert available("pia") == {PIA_WEEK: True}
    assert available("programmateam") == {PROGRAMMA_MAAND: True}
    assert available("beheerder") == {PIA_WEEK: False, PROGRAMMA_MAAND: False}
    assert available("koning") == {}
