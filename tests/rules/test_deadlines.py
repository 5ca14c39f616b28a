"""Open-zaak deadlines, states, ageing and closed-zaak figures (domain.md "Open zaken").

The fatale datum rule case by case, with its herkomst, is in test_atw_fatale_datum.py.
"""

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.zgw.durations import Duration
from duo_zaak.rules.deadlines import (
    AGEING_BUCKETS,
    NORM_OVERSCHREDEN,
    ONBEKEND,
    OP_TIJD,
    OPGESCHORT,
    STATES,
    TERMIJN_OVERSCHREDEN,
    ageing_bucket,
    binnenkort_verlopend,
    dagen_over_termijn,
    doorlooptijd_dagen,
    doorlooptijd_stats,
    fatale_datum,
    open_state,
    streefdatum,
    termijn_verstreken_tijdens_opschorting,
    tijdig,
)

P = date(2026, 5, 15)


def test_state_values_and_order() -> None:
    assert STATES == ("opgeschort", "onbekend", "termijn_overschreden", "norm_overschreden", "op_tijd")
    assert (OPGESCHORT, ONBEKEND, TERMIJN_OVERSCHREDEN, NORM_OVERSCHREDEN, OP_TIJD) == STATES


# -- fatale datum ----------------------------------------------------------------------------------------

def test_stored_date_wins() -> None:
    # without a verlenging the stored date is returned as stored, even on a Sunday (no Atw move)
    assert fatale_datum(date(2026, 3, 1), date(2026, 4, 26), Duration(days=56), None) == date(2026, 4, 26)
    # with one, a stored date after the afgeleide termijn was moved by the source already:
    # 01-03 + P56D = Sun 26-04 -> Tue 28-04 (Atw); 12-05 > 28-04 -> 12-05 as is
    assert fatale_datum(date(2026, 3, 1), date(2026, 5, 12), Duration(days=56), Duration(days=10)) == date(2026, 5, 12)


def test_stored_date_not_after_the_afgeleide_termijn_gets_the_verlenging() -> None:
    # A = 28-04-2026 as above; S = Sun 26-04 <= A, so S + 10 working days: Mon 27 Koningsdag, 28, 29, 30,
    # Fri 01-05, Mon 04 (5), Tue 05 5 mei, 06, 07, 08, 11, Tue 12-05 (10)
    assert fatale_datum(date(2026, 3, 1), date(2026, 4, 26), Duration(days=56), Duration(days=10)) == date(2026, 5, 12)


def test_derived_from_doorlooptijd() -> None:
    # 20-03-2026 + P4W (28 days) = 17-04-2026
    assert fatale_datum(date(2026, 3, 20), None, Duration(days=28), None) == date(2026, 4, 17)


def test_month_end() -> None:
    # 31-01 + P1M clamps to the month end: Sat 28-02-2026, moved by the Atw to Mon 02-03-2026;
    # Thu 29-02-2024 (leap year) stays
    assert fatale_datum(date(2026, 1, 31), None, Duration(months=1), None) == date(2026, 3, 2)
    assert fatale_datum(date(2024, 1, 31), None, Duration(months=1), None) == date(2024, 2, 29)


def test_verlenging_over_pinksteren() -> None:
    # 20-03 + P56D = 15-05 (Fri); + 10 working days skipping Pinkstermaandag 25-05 = 01-06
    assert fatale_datum(date(2026, 3, 20), None, Duration(days=56), Duration(days=10)) == date(2026, 6, 1)


def test_verlenging_over_koningsdag() -> None:
    # 24-03 + P4W = 21-04 (Tue); + 5 working days: 22, 23, 24 (3), Mon 27 Koningsdag skipped, 28 (4), 29 (5)
    assert fatale_datum(date(2026, 3, 24), None, Duration(days=28), Duration(days=5)) == date(2026, 4, 29)


def test_verlenging_over_christmas() -> None:
    # 26-11 + P4W = 24-12 (Thu); + 3 working days: Fri 25 Kerstmis, weekend, Mon 28 (1), 29 (2), 30 (3)
    assert fatale_datum(date(2026, 11, 26), None, Duration(days=28), Duration(days=3)) == date(2026, 12, 30)


def test_not_derivable() -> None:
    assert fatale_datum(date(2026, 3, 20), None, None, None) is None
    assert fatale_datum(date(2026, 3, 20), None, None, Duration(days=10)) is None
    # a zero doorlooptijd is no usable doorlooptijd
    assert fatale_datum(date(2026, 3, 20), None, Duration(), None) is None


# -- streefdatum -----------------------------------------------------------------------------------------

def test_streefdatum_order_of_sources() -> None:
    start, fatale = date(2026, 4, 1), date(2026, 5, 27)
    assert streefdatum(start, date(2026, 5, 6), Duration(days=42), fatale) == date(2026, 5, 6)
    # 01-04 + P42D = 13-05
    assert streefdatum(start, None, Duration(days=42), fatale) == date(2026, 5, 13)
    assert streefdatum(start, None, None, fatale) == fatale
    assert streefdatum(start, None, Duration(), fatale) == fatale  # zero servicenorm counts as none
    assert streefdatum(start, None, None, None) is None


# -- states ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("opgeschort", "fatale", "streef", "expected"),
    [
        (True, date(2026, 3, 7), date(2026, 3, 1), OPGESCHORT),  # suspended past the deadline: not overdue
        (True, None, None, OPGESCHORT),
        (False, None, date(2026, 5, 1), ONBEKEND),
        (False, date(2026, 5, 14), date(2026, 5, 1), TERMIJN_OVERSCHREDEN),  # one day over
        (False, date(2026, 5, 15), date(2026, 5, 6), NORM_OVERSCHREDEN),  # deadline == peildatum: not overdue
        (False, date(2026, 5, 15), date(2026, 5, 15), OP_TIJD),  # both on the peildatum
        (False, date(2026, 5, 27), date(2026, 5, 14), NORM_OVERSCHREDEN),
        (False, date(2026, 5, 27), None, OP_TIJD),
    ],
)
def test_open_state(opgeschort: bool, fatale: date | None, streef: date | None, expected: str) -> None:
    assert open_state(opgeschort, fatale, streef, P) == expected


def test_termijn_verstreken_tijdens_opschorting() -> None:
    assert termijn_verstreken_tijdens_opschorting(True, date(2026, 3, 7), P) is True
    assert termijn_verstreken_tijdens_opschorting(True, P, P) is False  # on the day itself not yet passed
    assert termijn_verstreken_tijdens_opschorting(True, date(2026, 6, 26), P) is False
    assert termijn_verstreken_tijdens_opschorting(True, None, P) is False
    assert termijn_verstreken_tijdens_opschorting(False, date(2026, 3, 7), P) is False


@pytest.mark.parametrize(
    ("state", "fatale", "days", "expected"),
    [
        (NORM_OVERSCHREDEN, date(2026, 5, 15), 7, True),  # 0 days left
        (OP_TIJD, date(2026, 5, 22), 7, True),  # exactly 7 days
        (OP_TIJD, date(2026, 5, 23), 7, False),  # 8 days
        (OP_TIJD, date(2026, 5, 19), 3, False),  # 4 days with a configured 3
        (OP_TIJD, date(2026, 5, 18), 3, True),
        (TERMIJN_OVERSCHREDEN, date(2026, 5, 14), 7, False),
        (OPGESCHORT, date(2026, 5, 16), 7, False),
        (ONBEKEND, None, 7, False),
    ],
)
def test_binnenkort_verlopend(state: str, fatale: date | None, days: int, expected: bool) -> None:
    assert binnenkort_verlopend(state, fatale, P, days) is expected


def test_binnenkort_default_is_seven_days() -> None:
    assert binnenkort_verlopend(OP_TIJD, date(2026, 5, 22), P) is True
    assert binnenkort_verlopend(OP_TIJD, date(2026, 5, 23), P) is False


def test_dagen_over_termijn() -> None:
    assert dagen_over_termijn(date(2026, 4, 26), P) == 19  # 26-04 -> 15-05: 4 + 15
    assert dagen_over_termijn(date(2026, 1, 15), P) == 120  # 16 + 28 + 31 + 30 + 15
    assert dagen_over_termijn(P, P) == 0
    assert dagen_over_termijn(date(2026, 5, 22), P) == -7  # days left
    assert dagen_over_termijn(None, P) is None


@pytest.mark.parametrize(
    ("days", "expected"),
    [(-3, None), (0, None), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"),
     (90, "61-90"), (91, "90+"), (2317, "90+")],
)
def test_ageing_bucket(days: int, expected: str | None) -> None:
    assert ageing_bucket(days) == expected


def test_ageing_buckets_are_labels_with_ranges() -> None:
    assert AGEING_BUCKETS == ("1-30", "31-60", "61-90", "90+")
    assert [(b.label, b.van, b.tot) for b in AGEING_BUCKETS] == [
        ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None)]
    assert {AGEING_BUCKETS[0]: 1} == {"1-30": 1}


@given(st.integers(min_value=1, max_value=100_000))
def test_every_overdue_zaak_has_exactly_one_bucket(days: int) -> None:
    matches = [b for b in AGEING_BUCKETS if b.van <= days and (b.tot is None or days <= b.tot)]
    assert matches == [ageing_bucket(days)]


# -- closed zaken ----------------------------------------------------------------------------------------

def test_tijdig() -> None:
    assert tijdig(date(2026, 4, 15), date(2026, 4, 15)) is True  # on the deadline is on time
    assert tijdig(date(2026, 4, 10), date(2026, 4, 15)) is True
    assert tijdig(date(2026, 4, 20), date(2026, 3, 15)) is False
    assert tijdig(date(2026, 4, 20), None) is None
    assert tijdig(None, date(2026, 4, 15)) is None


def test_doorlooptijd_dagen() -> None:
    assert doorlooptijd_dagen(date(2026, 4, 1), date(2026, 4, 10)) == 9
    assert doorlooptijd_dagen(date(2026, 4, 1), date(2026, 4, 1)) == 0
    assert doorlooptijd_dagen(date(2026, 4, 10), date(2026, 4, 1)) == -9  # data error stays visible


def test_doorlooptijd_stats() -> None:
    assert doorlooptijd_stats([]) == (None, None)
    assert doorlooptijd_stats([5]) == (5.0, 5.0)
    # sorted 1,2,3,4: median between ranks 1 and 2 = 2.5; p90 at rank 3 x 0.9 = 2.7 -> 3 + 0.7 x (4 - 3) = 3.7
    assert doorlooptijd_stats([4, 1, 3, 2]) == (2.5, 3.7)
    # 11 values 10..110: median rank 5 = 60, p90 rank 9 = 100
    stats = doorlooptijd_stats(list(range(110, 0, -10)))
    assert (stats.mediaan, stats.p90) == (60.0, 100.0)


@given(st.lists(st.integers(min_value=-50, max_value=5000), min_size=1, max_size=200))
def test_stats_match_numpy_linear(days: list[int]) -> None:
    mediaan, p90 = doorlooptijd_stats(days)
    assert mediaan == pytest.approx(float(np.percentile(days, 50)), abs=1e-9)
    assert p90 == pytest.approx(float(np.percentile(days, 90)), abs=1e-9)
