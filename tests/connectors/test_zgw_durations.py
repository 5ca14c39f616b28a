"""Property-based tests of ISO 8601 durations, duration arithmetic and the records' date parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.zgw import Duration, Zaak, ZGWRecordError, add_duration, parse_duration
from connectors.zgw.durations import add_months
from connectors.zgw.records import parse_date, parse_datetime

small = st.integers(min_value=0, max_value=500)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
durations = st.builds(Duration, years=st.integers(0, 50), months=st.integers(0, 600), days=st.integers(0, 5000))


@given(durations)
def test_isoformat_round_trips(duration: Duration) -> None:
    assert parse_duration(duration.isoformat()) == duration


@given(small, small)
def test_weeks_are_days(weeks: int, days: int) -> None:
    assert parse_duration(f"P{weeks}W") == Duration(days=7 * weeks)
    assert parse_duration(f"P{weeks}W{days}D") == Duration(days=7 * weeks + days)
    assert parse_duration(f"PT{24 * days}H") == Duration(days=days)


@given(st.text(max_size=20))
def test_anything_else_is_a_value_error(text: str) -> None:
    try:
        parsed = parse_duration(text)
    except ValueError:
        return
    assert parse_duration(parsed.isoformat()) == parsed


@given(dates, st.integers(0, 10_000))
def test_days_add_like_timedelta(start: date, days: int) -> None:
    assert add_duration(start, Duration(days=days)) == start + timedelta(days=days)


@given(dates, st.integers(0, 1200))
def test_months_land_in_the_right_month_clamped(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and (result + timedelta(days=1)).day == 1)


@given(dates, st.integers(0, 100))
def test_a_year_is_twelve_months(start: date, years: int) -> None:
    assert add_duration(start, Duration(years=years)) == add_duration(start, Duration(months=12 * years))


@given(dates, durations)
def test_adding_never_goes_back(start: date, duration: Duration) -> None:
    assert add_duration(start, duration) >= start


@given(dates)
def test_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    zaak = Zaak.from_api({"url": "u", "identificatie": "Z", "bronorganisatie": "1", "zaaktype": "t",
                          "archiefstatus": "gearchiveerd", "startdatum": day.isoformat()})
    assert zaak.startdatum == day


@given(st.text(max_size=12))
def test_non_dates_are_refused(text: str) -> None:
    try:
        parsed = parse_date(text)
    except ValueError:
        with pytest.raises(ZGWRecordError):
            Zaak.from_api({"url": "u", "identificatie": "Z", "bronorganisatie": "1", "zaaktype": "t",
                           "archiefstatus": "gearchiveerd", "startdatum": text or "x"})
        return
    assert parsed.isoformat() == text


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
       st.integers(-12 * 60, 14 * 60))
def test_datetimes_are_aware_and_exact(moment: datetime, offset_minutes: int) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    assert parse_datetime(aware.isoformat()) == aware
    utc = moment.replace(tzinfo=UTC)
    assert parse_datetime(utc.isoformat().replace("+00:00", "Z")) == utc
    assert parse_datetime(moment.isoformat()).tzinfo is not None
