"""Working days: Mon-Fri minus the Atw holidays (dates checked against a 2024-2026 calendar).

The holiday list itself, year by year, is in test_atw_feestdagen.py.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.zgw.durations import Duration
from duo_zaak.rules.workdays import add_working_days, add_working_duration, is_working_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 24), True),  # Friday
        (date(2026, 4, 25), False),  # Saturday
        (date(2026, 4, 26), False),  # Sunday
        (date(2026, 4, 27), False),  # Koningsdag (Monday in 2026)
        (date(2026, 4, 3), True),  # Goede Vrijdag is no Atw holiday
        (date(2026, 4, 6), False),  # Tweede Paasdag
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede Pinksterdag
        (date(2026, 12, 25), False),  # Eerste Kerstdag (Friday)
        (date(2026, 1, 1), False),  # Nieuwjaarsdag (Thursday)
        (date(2025, 5, 5), False),  # 5 mei (Monday in 2025)
        (date(2026, 5, 5), False),  # 5 mei is an Atw holiday every year, not only every fifth (Tuesday in 2026)
        (date(2026, 5, 6), True),  # Wednesday after 5 mei
        (date(2026, 12, 26), False),  # Tweede Kerstdag on a Saturday
        (date(2026, 4, 28), True),  # Tuesday after Koningsdag
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


def test_counting_starts_the_day_after_start() -> None:
    # Mon 02-03-2026 + 1 = Tue 03-03; + 5 = Mon 09-03 (Tue, Wed, Thu, Fri, Mon)
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)


def test_weekend_start() -> None:
    # Sat 07-03-2026 + 1: Sun skipped -> Mon 09-03
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_zero_days_returns_start_even_on_a_weekend() -> None:
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_negative_is_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)


def test_over_koningsdag() -> None:
    # Fri 24-04-2026 + 1: Sat 25, Sun 26, Mon 27 Koningsdag skipped -> Tue 28-04
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_over_easter() -> None:
    # Thu 02-04-2026 + 1: Fri 03 Goede Vrijdag is a working day -> Fri 03-04
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 3)
    # Fri 03-04-2026 + 1: Sat, Sun, Mon 06 Tweede Paasdag -> Tue 07-04
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)


def test_over_5_mei() -> None:
    # Mon 04-05-2026 + 1: Tue 05 5 mei -> Wed 06-05
    assert add_working_days(date(2026, 5, 4), 1) == date(2026, 5, 6)


def test_over_christmas_and_new_year() -> None:
    # Thu 24-12-2026 + 1: Fri 25 Kerstmis, Sat 26, Sun 27 -> Mon 28-12
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # Wed 31-12-2025 + 1: Thu 01-01-2026 Nieuwjaarsdag -> Fri 02-01-2026 (holidays of the next year)
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_over_pinksteren() -> None:
    # Fri 15-05-2026 + 10: 18,19,20,21,22 (5), Mon 25 Pinkstermaandag skipped, 26,27,28,29 (9), Mon 01-06 (10)
    assert add_working_days(date(2026, 5, 15), 10) == date(2026, 6, 1)


def test_weeks_count_as_working_days() -> None:
    # P6W = 42 days = 42 working days from Mon 02-03-2026:
    # 03-03..06-03 (4), 9..13 (9), 16..20 (14), 23..27 (19), 30-03..03-04 (24; Goede Vrijdag counts),
    # Mon 06-04 Paasmaandag, 07..10 (28), 13..17 (33), 20..24 (38), Mon 27-04 Koningsdag,
    # 28, 29, 30-04, Fri 01-05 (42)
    assert add_working_duration(date(2026, 3, 2), Duration(days=42)) == date(2026, 5, 1)


def test_months_are_calendar_months_then_days_are_working_days() -> None:
    # 31-01-2026 + P1M = 28-02 (Saturday, clamped), + 2 working days: Mon 02-03 (1), Tue 03-03 (2)
    assert add_working_duration(date(2026, 1, 31), Duration(months=1, days=2)) == date(2026, 3, 3)
    # Without days the calendar date stays, even on a Saturday
    assert add_working_duration(date(2026, 1, 31), Duration(months=1)) == date(2026, 2, 28)
    # P1Y from 29-02-2024 = 28-02-2025 (Friday)
    assert add_working_duration(date(2024, 2, 29), Duration(years=1)) == date(2025, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(min_value=1, max_value=300))
def test_lands_on_the_nth_working_day(start: date, n: int) -> None:
    result = add_working_days(start, n)
    assert result > start
    assert is_working_day(result)
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(is_working_day(day) for day in days) == n
