"""The Algemene termijnenwet holidays (art. 3), year by year, and Atw art. 1 (next working day).

Every date below is written out by hand from a calendar: Easter Sunday per year, then tweede Paasdag =
Easter + 1, Hemelvaartsdag = Easter + 39 (a Thursday), tweede Pinksterdag = Easter + 50 (a Monday).
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duo_zaak.rules.workdays import (
    atw_feestdagen,
    geen_werkdag_redenen,
    is_working_day,
    next_working_day_on_or_after,
    pasen,
)

PASEN = {
    2024: date(2024, 3, 31),
    2025: date(2025, 4, 20),
    2026: date(2026, 4, 5),
    2027: date(2027, 3, 28),
    2028: date(2028, 4, 16),
    2029: date(2029, 4, 1),
    2030: date(2030, 4, 21),
}

ATW = {
    2024: {
        date(2024, 1, 1): "Nieuwjaarsdag",  # Monday
        date(2024, 4, 1): "tweede Paasdag",
        date(2024, 4, 27): "Koningsdag",  # Saturday
        date(2024, 5, 5): "5 mei",  # Sunday
        date(2024, 5, 9): "Hemelvaartsdag",  # 31-03 + 39: 30 days to 30-04, 9 more
        date(2024, 5, 20): "tweede Pinksterdag",
        date(2024, 12, 25): "eerste Kerstdag",
        date(2024, 12, 26): "tweede Kerstdag",
    },
    2025: {
        date(2025, 1, 1): "Nieuwjaarsdag",
        date(2025, 4, 21): "tweede Paasdag",
        date(2025, 4, 26): "Koningsdag",  # 27-04-2025 is a Sunday -> Saturday 26-04
        date(2025, 5, 5): "5 mei",  # Monday
        date(2025, 5, 29): "Hemelvaartsdag",  # 20-04 + 10 = 30-04, + 29
        date(2025, 6, 9): "tweede Pinksterdag",
        date(2025, 12, 25): "eerste Kerstdag",
        date(2025, 12, 26): "tweede Kerstdag",
    },
    2026: {
        date(2026, 1, 1): "Nieuwjaarsdag",  # Thursday
        date(2026, 4, 6): "tweede Paasdag",
        date(2026, 4, 27): "Koningsdag",  # Monday
        date(2026, 5, 5): "5 mei",  # Tuesday
        date(2026, 5, 14): "Hemelvaartsdag",
        date(2026, 5, 25): "tweede Pinksterdag",
        date(2026, 12, 25): "eerste Kerstdag",  # Friday
        date(2026, 12, 26): "tweede Kerstdag",  # Saturday
    },
    2027: {
        date(2027, 1, 1): "Nieuwjaarsdag",
        date(2027, 3, 29): "tweede Paasdag",
        date(2027, 4, 27): "Koningsdag",  # Tuesday
        date(2027, 5, 5): "5 mei",  # Wednesday
        date(2027, 5, 6): "Hemelvaartsdag",  # 28-03 + 3 = 31-03, + 30 = 30-04, + 6
        date(2027, 5, 17): "tweede Pinksterdag",
        date(2027, 12, 25): "eerste Kerstdag",  # Saturday
        date(2027, 12, 26): "tweede Kerstdag",  # Sunday
    },
    2028: {
        date(2028, 1, 1): "Nieuwjaarsdag",  # Saturday
        date(2028, 4, 17): "tweede Paasdag",
        date(2028, 4, 27): "Koningsdag",  # Thursday
        date(2028, 5, 5): "5 mei",  # Friday
        date(2028, 5, 25): "Hemelvaartsdag",
        date(2028, 6, 5): "tweede Pinksterdag",
        date(2028, 12, 25): "eerste Kerstdag",
        date(2028, 12, 26): "tweede Kerstdag",
    },
    2029: {
        date(2029, 1, 1): "Nieuwjaarsdag",
        date(2029, 4, 2): "tweede Paasdag",
        date(2029, 4, 27): "Koningsdag",  # Friday
        date(2029, 5, 5): "5 mei",  # Saturday
        date(2029, 5, 10): "Hemelvaartsdag",
        date(2029, 5, 21): "tweede Pinksterdag",
        date(2029, 12, 25): "eerste Kerstdag",
        date(2029, 12, 26): "tweede Kerstdag",
    },
    2030: {
        date(2030, 1, 1): "Nieuwjaarsdag",
        date(2030, 4, 22): "tweede Paasdag",
        date(2030, 4, 27): "Koningsdag",  # Saturday (not a Sunday: stays on the 27th)
        date(2030, 5, 5): "5 mei",  # Sunday
        date(2030, 5, 30): "Hemelvaartsdag",
        date(2030, 6, 10): "tweede Pinksterdag",
        date(2030, 12, 25): "eerste Kerstdag",
        date(2030, 12, 26): "tweede Kerstdag",
    },
}


@pytest.mark.parametrize("year", sorted(PASEN))
def test_easter(year: int) -> None:
    assert pasen(year) == PASEN[year]
    assert pasen(year).weekday() == 6


@pytest.mark.parametrize("year", sorted(ATW))
def test_full_atw_list(year: int) -> None:
    assert atw_feestdagen(year) == ATW[year]
    assert list(atw_feestdagen(year)) == sorted(ATW[year])  # in date order


@pytest.mark.parametrize("year", sorted(ATW))
def test_derived_days_follow_easter(year: int) -> None:
    # a second look at the hand-written list: the moving days sit where they must relative to Easter
    names = {name: day for day, name in ATW[year].items()}
    assert names["tweede Paasdag"] - PASEN[year] == timedelta(days=1)
    assert names["Hemelvaartsdag"] - PASEN[year] == timedelta(days=39)
    assert names["tweede Pinksterdag"] - PASEN[year] == timedelta(days=50)
    assert names["Hemelvaartsdag"].weekday() == 3  # Thursday
    assert names["tweede Pinksterdag"].weekday() == 0  # Monday


@pytest.mark.parametrize("year", sorted(PASEN))
def test_goede_vrijdag_is_a_working_day(year: int) -> None:
    goede_vrijdag = PASEN[year] - timedelta(days=2)
    assert goede_vrijdag.weekday() == 4
    assert goede_vrijdag not in atw_feestdagen(year)
    assert is_working_day(goede_vrijdag)


def test_the_returned_list_is_a_copy() -> None:
    days = atw_feestdagen(2026)
    days.clear()
    assert len(atw_feestdagen(2026)) == 8


@pytest.mark.parametrize(
    ("year", "koningsdag"),
    [
        (2025, date(2025, 4, 26)),  # 27-04-2025 is a Sunday -> Saturday 26-04
        (2031, date(2031, 4, 26)),  # 27-04-2031 is a Sunday -> Saturday 26-04
        (2036, date(2036, 4, 26)),  # 27-04-2036 is a Sunday
        (2026, date(2026, 4, 27)),  # Monday
        (2030, date(2030, 4, 27)),  # Saturday: no move, only a Sunday moves
        (2014, date(2014, 4, 26)),  # the first Koningsdag: 27-04-2014 was a Sunday
    ],
)
def test_koningsdag(year: int, koningsdag: date) -> None:
    assert (date(year, 4, 27).weekday() == 6) is (koningsdag.day == 26)  # moved only when the 27th is a Sunday
    assert atw_feestdagen(year)[koningsdag] == "Koningsdag"
    assert [day for day, name in atw_feestdagen(year).items() if name == "Koningsdag"] == [koningsdag]


def test_koninginnedag_before_2014() -> None:
    # 30 April, or Saturday 29 April when the 30th is a Sunday (2006)
    assert atw_feestdagen(2013)[date(2013, 4, 30)] == "Koninginnedag"
    assert atw_feestdagen(2006)[date(2006, 4, 29)] == "Koninginnedag"
    assert date(2013, 4, 27) not in atw_feestdagen(2013)


@given(st.integers(min_value=1990, max_value=2100))
def test_5_mei_every_year(year: int) -> None:
    day = date(year, 5, 5)
    assert atw_feestdagen(year)[day] in ("5 mei", "5 mei en Hemelvaartsdag")
    assert not is_working_day(day)


def test_two_holidays_on_one_day() -> None:
    # Easter 27-03-2016 -> Hemelvaartsdag 27-03 + 39 = 05-05-2016 (Thursday), the day of 5 mei
    assert pasen(2016) == date(2016, 3, 27)
    assert atw_feestdagen(2016)[date(2016, 5, 5)] == "5 mei en Hemelvaartsdag"
    assert len(atw_feestdagen(2016)) == 7
    assert geen_werkdag_redenen(date(2016, 5, 5)) == ("5 mei en Hemelvaartsdag",)


@given(st.integers(min_value=1583, max_value=4099))
def test_easter_matches_dateutil(year: int) -> None:
    easter = pytest.importorskip("dateutil.easter")
    assert pasen(year) == easter.easter(year)


@given(st.integers(min_value=1900, max_value=2200))
def test_easter_is_a_sunday_between_22_march_and_25_april(year: int) -> None:
    day = pasen(year)
    assert day.weekday() == 6
    assert date(year, 3, 22) <= day <= date(year, 4, 25)


# -- why a day is no working day --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "redenen"),
    [
        (date(2026, 4, 25), ("zaterdag",)),
        (date(2026, 4, 26), ("zondag",)),
        (date(2026, 4, 27), ("Koningsdag",)),
        (date(2026, 5, 5), ("5 mei",)),
        (date(2026, 12, 26), ("zaterdag", "tweede Kerstdag")),
        (date(2031, 4, 26), ("zaterdag", "Koningsdag")),
        (date(2026, 4, 3), ()),  # Goede Vrijdag: a working day
        (date(2026, 4, 28), ()),
    ],
)
def test_geen_werkdag_redenen(day: date, redenen: tuple[str, ...]) -> None:
    assert geen_werkdag_redenen(day) == redenen
    assert is_working_day(day) is (redenen == ())


# -- Atw art. 1: the next working day ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 28), date(2026, 4, 28)),  # Tue: a working day stays
        (date(2026, 4, 3), date(2026, 4, 3)),  # Goede Vrijdag stays
        (date(2026, 4, 4), date(2026, 4, 7)),  # Sat -> Sun -> Mon tweede Paasdag -> Tue 07-04
        (date(2026, 4, 26), date(2026, 4, 28)),  # Sun -> Mon Koningsdag -> Tue 28-04
        (date(2026, 4, 27), date(2026, 4, 28)),  # Koningsdag -> Tue 28-04
        (date(2026, 5, 5), date(2026, 5, 6)),  # 5 mei (Tue) -> Wed 06-05
        (date(2026, 5, 14), date(2026, 5, 15)),  # Hemelvaartsdag (Thu) -> Fri 15-05
        (date(2026, 5, 23), date(2026, 5, 26)),  # Sat -> Sun -> Mon tweede Pinksterdag -> Tue 26-05
        (date(2026, 12, 25), date(2026, 12, 28)),  # Fri Kerst, Sat tweede Kerstdag, Sun -> Mon 28-12
        (date(2027, 12, 25), date(2027, 12, 27)),  # Sat eerste, Sun tweede Kerstdag -> Mon 27-12
        (date(2027, 12, 31), date(2027, 12, 31)),  # Fri 31-12-2027 is a working day
        (date(2028, 1, 1), date(2028, 1, 3)),  # Sat Nieuwjaarsdag, Sun -> Mon 03-01-2028
        (date(2025, 12, 31), date(2025, 12, 31)),  # Wed
        (date(2026, 1, 1), date(2026, 1, 2)),  # Thu Nieuwjaarsdag -> Fri
    ],
)
def test_next_working_day_on_or_after(day: date, expected: date) -> None:
    assert next_working_day_on_or_after(day) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_next_working_day_skips_only_non_working_days(day: date) -> None:
    result = next_working_day_on_or_after(day)
    assert is_working_day(result)
    assert (result == day) is is_working_day(day)
    assert all(geen_werkdag_redenen(day + timedelta(days=i)) for i in range((result - day).days))
    assert (result - day).days <= 4  # longest run: Christmas on Thu and Fri, then Sat and Sun
