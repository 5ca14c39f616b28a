"""IBT rules: percentages, norms, KPIs, readiness and the backlog forecast (domain.md "IBT indicators")."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duo_zaak.rules.ibt import (
    DEFAULT_NORMS,
    INDICATOR_KPI,
    INDICATOREN,
    KPI_NAMEN,
    OORDELEN,
    Norm,
    gereed_voor_opheffing,
    laatste_volledige_maanden,
    norm_tekst,
    percentage,
    prognose_nul,
    voldoet,
)

# -- percentage ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teller", "noemer", "expected"),
    [
        (5, 9, 55.6),  # 55.55...
        (11, 12, 91.7),  # 91.66...
        (2, 4, 50.0),
        (1, 16, 6.3),  # 6.25 exactly: half up (float round() would give 6.2)
        (1, 80, 1.3),  # 1.25 exactly: half up
        (1, 3, 33.3),
        (0, 5, 0.0),
        (4, 4, 100.0),
        (3, 0, None),
        (3, None, None),
        (0, 0, None),
    ],
)
def test_percentage(teller: int, noemer: int | None, expected: float | None) -> None:
    assert percentage(teller, noemer) == expected


# -- indicators and norms --------------------------------------------------------------------------------

def test_indicators_and_default_norms() -> None:
    assert list(INDICATOREN) == ["Z1", "Z2", "Z3", "A1", "A2", "A3", "A4"]
    assert INDICATOR_KPI == {"Z1": None, "Z2": None, "Z3": 3, "A1": 3, "A2": 5, "A3": 6, "A4": 3}
    assert dict(DEFAULT_NORMS) == {
        "Z1": Norm(">=", 90), "Z2": Norm("<=", 10), "Z3": Norm(">=", 98), "A1": Norm(">=", 95),
        "A2": Norm("max_leeftijd", 90), "A3": Norm("max_leeftijd", 90), "A4": Norm("<=", 2)}
    assert list(DEFAULT_NORMS) == list(INDICATOREN) == list(INDICATOR_KPI)


def test_unknown_operator_is_refused() -> None:
    with pytest.raises(ValueError):
        Norm("==", 90)


@pytest.mark.parametrize(
    ("norm", "waarde", "oudste", "expected"),
    [
        (Norm(">=", 90), 90.0, None, True),  # on the norm is met
        (Norm(">=", 90), 89.9, None, False),
        (Norm(">=", 90), None, None, False),  # noemer 0: not met
        (Norm("<=", 10), 10.0, None, True),
        (Norm("<=", 10), 10.1, None, False),
        (Norm("<=", 10), None, None, False),
        (Norm("<=", 2), 0.0, None, True),
        (Norm("max_leeftijd", 90), 0, None, True),  # no backlog
        (Norm("max_leeftijd", 90), 5, 90, True),  # 90 days old is not older than 90
        (Norm("max_leeftijd", 90), 2, 91, False),
        (Norm("max_leeftijd", 90), 2, 2682, False),
        (Norm("max_leeftijd", 90), None, None, True),
    ],
)
def test_voldoet(norm: Norm, waarde: float | None, oudste: int | None, expected: bool) -> None:
    assert voldoet(norm, waarde, oudste) is expected


def test_norm_tekst() -> None:
    assert norm_tekst(Norm(">=", 90)) == "≥ 90%"
    assert norm_tekst(Norm("<=", 10.0)) == "≤ 10%"
    assert norm_tekst(Norm("<=", 2.5)) == "≤ 2,5%"
    assert norm_tekst(Norm("max_leeftijd", 90)) == "geen taak ouder dan 90 dagen"


def test_kpis() -> None:
    assert list(KPI_NAMEN) == list(range(1, 11))
    assert KPI_NAMEN[1] == "Lokale regelingen"
    assert KPI_NAMEN[5] == "Vernietiging, vervanging en vervreemding"
    assert KPI_NAMEN[10] == "Middelen en mensen"
    assert OORDELEN == ("ja", "deels", "nee")


# -- readiness -------------------------------------------------------------------------------------------

def test_laatste_volledige_maanden() -> None:
    assert laatste_volledige_maanden(date(2026, 11, 15), 3) == ["2026-08", "2026-09", "2026-10"]
    assert laatste_volledige_maanden(date(2026, 1, 31), 3) == ["2025-10", "2025-11", "2025-12"]
    assert laatste_volledige_maanden(date(2026, 10, 31), 1) == ["2026-09"]  # the peildatum's month is open
    assert laatste_volledige_maanden(date(2026, 3, 1), 14)[0] == "2025-01"
    assert laatste_volledige_maanden(date(2026, 3, 1), 0) == []


MAANDEN = ["2026-08", "2026-09", "2026-10"]
ALL_MET = {code: True for code in INDICATOREN}
ALL_JA = {nummer: "ja" for nummer in KPI_NAMEN}


def test_ready() -> None:
    assert gereed_voor_opheffing({m: ALL_MET for m in MAANDEN}, ALL_JA, MAANDEN) == (True, [])


def test_not_ready_with_reasons() -> None:
    maanden = {
        "2026-08": ALL_MET,
        "2026-09": {**ALL_MET, "Z1": False, "A2": None},
        # 2026-10 missing
    }
    kpis = {**ALL_JA, 5: "deels", 7: None}
    del kpis[9]
    assert gereed_voor_opheffing(maanden, kpis, MAANDEN) == (False, [
        "Z1 tijdigheid: norm niet gehaald in 2026-09",
        "A2 achterstand vernietigen: geen waarde in 2026-09",
        "geen gegevens voor 2026-10",
        "KPI 5 Vernietiging, vervanging en vervreemding: oordeel 'deels'",
        "KPI 7 Archiefbewaarplaatsen, archiefruimten en e-depots: nog geen oordeel",
        "KPI 9 Rampen, calamiteiten en veiligheid: nog geen oordeel",
    ])


def test_missing_indicator_in_a_month_and_empty_month() -> None:
    partial = {code: True for code in INDICATOREN if code != "A4"}
    ready, missing = gereed_voor_opheffing({"2026-08": partial, "2026-09": {}, "2026-10": ALL_MET}, ALL_JA, MAANDEN)
    assert not ready
    assert missing == ["A4 achterstand archiveren: geen waarde in 2026-08", "geen gegevens voor 2026-09"]


def test_months_outside_the_window_do_not_count() -> None:
    maanden = {m: ALL_MET for m in MAANDEN} | {"2026-07": {**ALL_MET, "Z2": False}}
    assert gereed_voor_opheffing(maanden, ALL_JA, MAANDEN) == (True, [])


def test_only_ja_is_ready() -> None:
    ready, missing = gereed_voor_opheffing({m: ALL_MET for m in MAANDEN}, {**ALL_JA, 1: "nee"}, MAANDEN)
    assert (ready, missing) == (False, ["KPI 1 Lokale regelingen: oordeel 'nee'"])


# -- forecast --------------------------------------------------------------------------------------------

D0 = date(2026, 3, 1)


def series(*counts: int, start: date = D0) -> list[tuple[date, int]]:
    return [(start + timedelta(days=i), count) for i, count in enumerate(counts)]


def test_falling_line() -> None:
    # 100, 90, 80: slope -10, intercept 100 -> zero at day 10 = 11-03
    assert prognose_nul(series(100, 90, 80)) == date(2026, 3, 11)


def test_zero_crossing_rounds_up() -> None:
    # 10, 7, 4: slope -3, intercept 10 -> zero at day 10/3 = 3.33 -> day 4 = 05-03
    assert prognose_nul(series(10, 7, 4)) == date(2026, 3, 5)


def test_noisy_falling_line() -> None:
    # x 0..3, y 10, 9, 6, 5: mean x 1.5, mean y 7.5; Sxy = -1.5*2.5 - 0.5*1.5 + 0.5*-1.5 + 1.5*-2.5 = -9;
    # Sxx = 5; slope -1.8; intercept 7.5 + 1.8*1.5 = 10.2; zero at 10.2/1.8 = 5.67 -> day 6 = 07-03
    assert prognose_nul(series(10, 9, 6, 5)) == date(2026, 3, 7)


def test_eight_weeks_unsorted_with_gaps() -> None:
    # 200 - 2x on 56 days, one day missing and shuffled: zero at day 100 = 01-03 + 100 = 09-06
    points = [p for p in series(*(200 - 2 * x for x in range(56))) if p[0] != date(2026, 3, 10)]
    assert prognose_nul(list(reversed(points))) == date(2026, 6, 9)


def test_line_already_at_zero_returns_last_day() -> None:
    # x 0..5, y 6, 0, 0, 0, 0, 0: mean x 2.5, mean y 1; Sxy = -2.5*5 + (1.5+0.5-0.5-1.5-2.5) = -15; Sxx = 17.5;
    # slope -6/7; intercept 1 + 15/7 = 22/7; zero at 3.67, but at the last day (5) the line is -8/7: day 5
    assert prognose_nul(series(6, 0, 0, 0, 0, 0)) == date(2026, 3, 6)
    assert prognose_nul(series(2, 1, 0)) == date(2026, 3, 3)  # exactly zero on the last day


@pytest.mark.parametrize("counts", [(5, 5, 5), (3, 4, 5), (5, 6, 6, 5), (7,), ()])
def test_geen_daling(counts: tuple[int, ...]) -> None:
    # flat; rising; flat with noise (mean x 1.5, mean y 5.5: Sxy = -1.5*-0.5 - 0.5*0.5 + 0.5*0.5 + 1.5*-0.5 = 0);
    # a single point; no points
    assert prognose_nul(series(*counts)) is None


def test_single_day_repeated_is_no_line() -> None:
    assert prognose_nul([(D0, 10), (D0, 5)]) is None


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=1, max_value=10_000),
       st.integers(min_value=2, max_value=56))
def test_exact_lines(step: int, start: int, days: int) -> None:
    counts = [start - step * x for x in range(days)]
    result = prognose_nul(series(*counts))
    # the zero crossing ceil(start / step), unless the line is at or below zero on the last day already
    expected = days - 1 if counts[-1] <= 0 else -(-start // step)
    assert result == D0 + timedelta(days=expected)
