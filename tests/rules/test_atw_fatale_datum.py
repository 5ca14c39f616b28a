"""The fatale datum rule of domain.md "Open zaken" with the Atw, and how each date came about (herkomst).

S = stored uiterlijkeEinddatumAfdoening, A = afgeleide termijn (startdatum + doorlooptijd, moved to the next
working day by Atw art. 1), N = verlenging in working days. Every expected date is worked out by hand in a
comment; 2026 holidays: tweede Paasdag Mon 06-04, Koningsdag Mon 27-04, 5 mei Tue, Hemelvaartsdag Thu 14-05,
tweede Pinksterdag Mon 25-05, Kerst Fri 25-12 and Sat 26-12. Goede Vrijdag (03-04) is a working day.
"""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.zgw.durations import Duration, add_duration
from duo_zaak.rules.deadlines import (
    AFGELEID,
    ATW_VERSCHOVEN,
    NIET_AF_TE_LEIDEN,
    OPGESLAGEN,
    STAP_CODES,
    VERLENGING,
    VERLENGING_AL_VERWERKT,
    VERLENGING_NIET_TE_TOETSEN,
    VERLENGING_NIET_VERWERKT,
    Herkomst,
    Stap,
    afgeleide_termijn,
    dag_tekst,
    datum_tekst,
    duur_tekst,
    fatale_datum,
    fatale_datum_herkomst,
    verlenging_tekst,
)
from duo_zaak.rules.workdays import is_working_day

P4W = Duration(days=28)
P8W = Duration(days=56)
P10D = Duration(days=10)
P1M = Duration(months=1)


def herkomst(start: date, s: date | None, doorlooptijd: Duration | None, verlenging: Duration | None) -> Herkomst:
    """The herkomst, checked against `fatale_datum` (one rule, two entry points)."""
    result = fatale_datum_herkomst(start, s, doorlooptijd, verlenging)
    assert fatale_datum(start, s, doorlooptijd, verlenging) == result.datum
    return result


def steps(result: Herkomst) -> list[tuple[str, date | None]]:
    return [(stap.code, stap.datum) for stap in result.stappen]


# -- afgeleide termijn (A) ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("start", "doorlooptijd", "expected"),
    [
        # 06-02 + 56 days: 22 to 28-02, 28 to 28-03, 6 more = Fri 03-04 Goede Vrijdag: a working day, stays
        (date(2026, 2, 6), P8W, date(2026, 4, 3)),
        # 07-02 + P8W = Sat 04-04; Sun 05-04; Mon 06-04 tweede Paasdag -> Tue 07-04
        (date(2026, 2, 7), P8W, date(2026, 4, 7)),
        # 30-03 + P4W = Mon 27-04 Koningsdag -> Tue 28-04
        (date(2026, 3, 30), P4W, date(2026, 4, 28)),
        # 01-03 + P8W = Sun 26-04; Mon 27-04 Koningsdag -> Tue 28-04
        (date(2026, 3, 1), P8W, date(2026, 4, 28)),
        # 07-04 + P4W = Tue 05-05 (5 mei) -> Wed 06-05
        (date(2026, 4, 7), P4W, date(2026, 5, 6)),
        # 16-04 + P4W = Thu 14-05 Hemelvaartsdag -> Fri 15-05
        (date(2026, 4, 16), P4W, date(2026, 5, 15)),
        # 27-11 + P4W = Fri 25-12 eerste Kerstdag, Sat 26-12 tweede Kerstdag, Sun -> Mon 28-12
        (date(2026, 11, 27), P4W, date(2026, 12, 28)),
        # 31-01 + P1M = Sat 28-02 (clamped) -> Mon 02-03
        (date(2026, 1, 31), P1M, date(2026, 3, 2)),
        # 20-03 + P4W = Fri 17-04, a working day
        (date(2026, 3, 20), P4W, date(2026, 4, 17)),
        # unknown or zero doorlooptijd: no A
        (date(2026, 3, 20), None, None),
        (date(2026, 3, 20), Duration(), None),
    ],
)
def test_afgeleide_termijn(start: date, doorlooptijd: Duration | None, expected: date | None) -> None:
    assert afgeleide_termijn(start, doorlooptijd) == expected


# -- N = 0 -------------------------------------------------------------------------------------------------

def test_saturday_before_a_holiday_monday() -> None:
    # S null, N = 0: A. 07-02 + P8W = Sat 04-04 -> Sun -> Mon 06-04 tweede Paasdag -> Tue 07-04
    result = herkomst(date(2026, 2, 7), None, P8W, None)
    assert result.datum == date(2026, 4, 7)
    assert result.stappen == (
        Stap(AFGELEID, date(2026, 4, 4), "afgeleid: startdatum + 8 weken", van=date(2026, 2, 7), duur=P8W),
        Stap(ATW_VERSCHOVEN, date(2026, 4, 7),
             "naar dinsdag 07-04-2026 geschoven (Atw: zaterdag, zondag, tweede Paasdag)",
             van=date(2026, 4, 4), redenen=("zaterdag", "zondag", "tweede Paasdag")),
    )


def test_derived_on_koningsdag() -> None:
    # 30-03 + P4W = Mon 27-04 Koningsdag -> Tue 28-04
    result = herkomst(date(2026, 3, 30), None, P4W, None)
    assert steps(result) == [(AFGELEID, date(2026, 4, 27)), (ATW_VERSCHOVEN, date(2026, 4, 28))]
    assert result.stappen[1].tekst == "naar dinsdag 28-04-2026 geschoven (Atw: Koningsdag)"
    assert result.stappen[1].redenen == ("Koningsdag",)


def test_derived_on_a_sunday_before_koningsdag() -> None:
    # 01-03 + P8W = Sun 26-04 -> Mon 27-04 Koningsdag -> Tue 28-04
    result = herkomst(date(2026, 3, 1), None, P8W, None)
    assert result.datum == date(2026, 4, 28)
    assert result.tekst == "afgeleid: startdatum + 8 weken; naar dinsdag 28-04-2026 geschoven (Atw: zondag, Koningsdag)"


def test_derived_on_a_working_day_has_no_atw_step() -> None:
    # 06-02 + P8W = Fri 03-04 Goede Vrijdag: a working day
    result = herkomst(date(2026, 2, 6), None, P8W, None)
    assert steps(result) == [(AFGELEID, date(2026, 4, 3))]


def test_stored_date_is_taken_as_stored_without_verlenging() -> None:
    # S = Sun 26-04 is not moved: the source's date is kept as is, and A is not looked at
    for verlenging in (None, Duration()):  # a zero verlenging is N = 0
        result = herkomst(date(2026, 3, 1), date(2026, 4, 26), P8W, verlenging)
        assert result.datum == date(2026, 4, 26)
        assert result.stappen == (Stap(OPGESLAGEN, date(2026, 4, 26), "opgeslagen"),)
    # also without any doorlooptijd
    assert herkomst(date(2026, 3, 1), date(2026, 4, 26), None, None).datum == date(2026, 4, 26)


# -- N > 0 and S null: A + N working days ------------------------------------------------------------------

def test_verlenging_over_hemelvaart_and_pinksteren() -> None:
    # 15-04 + P4W = Wed 13-05 (A, a working day); + 10 working days: Thu 14-05 Hemelvaartsdag, Fri 15 (1),
    # 18, 19, 20, 21, 22 (6), Mon 25-05 tweede Pinksterdag, 26, 27, 28, Fri 29-05 (10)
    result = herkomst(date(2026, 4, 15), None, P4W, P10D)
    assert result.datum == date(2026, 5, 29)
    assert result.stappen == (
        Stap(AFGELEID, date(2026, 5, 13), "afgeleid: startdatum + 4 weken", van=date(2026, 4, 15), duur=P4W),
        Stap(VERLENGING, date(2026, 5, 29), "+ 10 werkdagen verlenging", van=date(2026, 5, 13), duur=P10D),
    )


def test_verlenging_counts_from_the_moved_afgeleide_termijn() -> None:
    # 16-04 + P4W = Thu 14-05 Hemelvaartsdag -> A = Fri 15-05; + 5 working days: 18, 19, 20, 21, Fri 22-05
    # (counting from the unmoved 14-05 would give Thu 21-05)
    result = herkomst(date(2026, 4, 16), None, P4W, Duration(days=5))
    assert steps(result) == [(AFGELEID, date(2026, 5, 14)), (ATW_VERSCHOVEN, date(2026, 5, 15)),
                             (VERLENGING, date(2026, 5, 22))]
    assert result.stappen[1].redenen == ("Hemelvaartsdag",)
    assert result.stappen[2].van == date(2026, 5, 15)
    # Saturday A: 07-02 + P8W = Sat 04-04 -> Tue 07-04; + 1 working day = Wed 08-04
    assert herkomst(date(2026, 2, 7), None, P8W, Duration(days=1)).datum == date(2026, 4, 8)


def test_verlenging_of_whole_months_is_moved_by_the_atw() -> None:
    # 27-03 + P4W = Fri 24-04 (A); + P1M = Sun 24-05; Mon 25-05 tweede Pinksterdag -> Tue 26-05
    result = herkomst(date(2026, 3, 27), None, P4W, P1M)
    assert result.datum == date(2026, 5, 26)
    assert result.stappen[1:] == (
        Stap(VERLENGING, date(2026, 5, 24), "+ 1 maand verlenging", van=date(2026, 4, 24), duur=P1M),
        Stap(ATW_VERSCHOVEN, date(2026, 5, 26),
             "naar dinsdag 26-05-2026 geschoven (Atw: zondag, tweede Pinksterdag)",
             van=date(2026, 5, 24), redenen=("zondag", "tweede Pinksterdag")),
    )


def test_verlenging_of_months_and_days() -> None:
    # A = Fri 24-04 as above; + P1M = Sun 24-05, then 5 working days: Mon 25 tweede Pinksterdag, 26 (1), 27,
    # 28, 29 (4), Mon 01-06 (5); a working day, so no Atw step
    result = herkomst(date(2026, 3, 27), None, P4W, Duration(months=1, days=5))
    assert steps(result) == [(AFGELEID, date(2026, 4, 24)), (VERLENGING, date(2026, 6, 1))]
    assert result.stappen[1].tekst == "+ 1 maand en 5 werkdagen verlenging"


# -- N > 0 and S known: compared with A ---------------------------------------------------------------------
# start 30-03-2026 + P4W = Mon 27-04 Koningsdag -> A = Tue 28-04-2026

A_START = date(2026, 3, 30)
A = date(2026, 4, 28)


def test_stored_date_equal_to_the_afgeleide_termijn() -> None:
    # S = A = 28-04: S <= A, the verlenging is not in S yet: + 10 working days: 29 (1), 30 (2), Fri 01-05 (3),
    # Mon 04-05 (4), Tue 05-05 5 mei, 06 (5), 07, 08 (7), 11, 12, Wed 13-05 (10)
    result = herkomst(A_START, A, P4W, P10D)
    assert result.datum == date(2026, 5, 13)
    assert result.stappen == (
        Stap(OPGESLAGEN, A, "opgeslagen"),
        Stap(VERLENGING_NIET_VERWERKT, A,
             "opgeslagen datum niet na de afgeleide termijn (28-04-2026): verlenging nog niet verwerkt",
             duur=P10D, afgeleide_termijn=A),
        Stap(VERLENGING, date(2026, 5, 13), "+ 10 werkdagen verlenging", van=A, duur=P10D),
    )


def test_stored_date_before_the_afgeleide_termijn() -> None:
    # S = Fri 24-04 <= A: + 10 working days: Sat, Sun, Mon 27 Koningsdag, 28 (1), 29, 30, Fri 01-05 (4),
    # Mon 04-05 (5), Tue 5 mei, 06, 07, 08 (8), 11, Tue 12-05 (10)
    result = herkomst(A_START, date(2026, 4, 24), P4W, P10D)
    assert result.datum == date(2026, 5, 12)
    assert [stap.code for stap in result.stappen] == [OPGESLAGEN, VERLENGING_NIET_VERWERKT, VERLENGING]


def test_stored_date_on_the_unmoved_afgeleide_termijn_is_before_a() -> None:
    # S = Mon 27-04 (start + doorlooptijd before the Atw move) < A = 28-04: S + 10 working days,
    # counted from the day after 27-04 as above -> Tue 12-05
    assert herkomst(A_START, date(2026, 4, 27), P4W, P10D).datum == date(2026, 5, 12)


@pytest.mark.parametrize("s", [date(2026, 4, 29), date(2026, 5, 13)])
def test_stored_date_after_the_afgeleide_termijn(s: date) -> None:
    # S > A = 28-04 (by one day, and by the full verlenging): the source moved it already -> S
    result = herkomst(A_START, s, P4W, P10D)
    assert result.datum == s
    assert result.stappen == (
        Stap(OPGESLAGEN, s, "opgeslagen"),
        Stap(VERLENGING_AL_VERWERKT, s,
             "verlenging van 10 werkdagen al verwerkt: opgeslagen datum na de afgeleide termijn (28-04-2026)",
             duur=P10D, afgeleide_termijn=A),
    )


def test_stored_date_before_a_with_a_month_verlenging() -> None:
    # S = Fri 24-04 <= A = 28-04; + P1M = Sun 24-05; Mon 25-05 tweede Pinksterdag -> Tue 26-05
    result = herkomst(A_START, date(2026, 4, 24), P4W, P1M)
    assert steps(result) == [(OPGESLAGEN, date(2026, 4, 24)), (VERLENGING_NIET_VERWERKT, date(2026, 4, 24)),
                             (VERLENGING, date(2026, 5, 24)), (ATW_VERSCHOVEN, date(2026, 5, 26))]


def test_stored_date_over_hemelvaart_and_pinksteren() -> None:
    # start 15-04 + P4W = A = Wed 13-05; S = 13-05 = A -> S + 10 working days = Fri 29-05 (as the S null case)
    result = herkomst(date(2026, 4, 15), date(2026, 5, 13), P4W, P10D)
    assert result.datum == date(2026, 5, 29)


# -- A unknown -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("doorlooptijd", [None, Duration()])
def test_a_unknown_with_stored_date_and_verlenging(doorlooptijd: Duration | None) -> None:
    # nothing to tell by: S as stored
    result = herkomst(A_START, date(2026, 5, 13), doorlooptijd, P10D)
    assert result.datum == date(2026, 5, 13)
    assert result.stappen == (
        Stap(OPGESLAGEN, date(2026, 5, 13), "opgeslagen"),
        Stap(VERLENGING_NIET_TE_TOETSEN, date(2026, 5, 13),
             "verlenging van 10 werkdagen als verwerkt aangenomen: geen afgeleide termijn om mee te vergelijken",
             duur=P10D),
    )


@pytest.mark.parametrize("verlenging", [None, P10D])
@pytest.mark.parametrize("doorlooptijd", [None, Duration()])
def test_nothing_to_derive_from(doorlooptijd: Duration | None, verlenging: Duration | None) -> None:
    result = herkomst(A_START, None, doorlooptijd, verlenging)
    assert result.datum is None
    assert steps(result) == [(NIET_AF_TE_LEIDEN, None)]
    assert result.tekst == "niet af te leiden: geen opgeslagen datum en geen doorlooptijd"


# -- as data ---------------------------------------------------------------------------------------------------

def test_as_dict_is_json_friendly() -> None:
    result = herkomst(date(2026, 3, 27), None, P4W, P1M)
    as_dict = result.as_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict == {
        "datum": "2026-05-26",
        "tekst": "afgeleid: startdatum + 4 weken; + 1 maand verlenging; "
                 "naar dinsdag 26-05-2026 geschoven (Atw: zondag, tweede Pinksterdag)",
        "stappen": [
            {"code": "afgeleid", "datum": "2026-04-24", "tekst": "afgeleid: startdatum + 4 weken",
             "van": "2026-03-27", "duur": "P28D", "afgeleide_termijn": None, "redenen": []},
            {"code": "verlenging", "datum": "2026-05-24", "tekst": "+ 1 maand verlenging",
             "van": "2026-04-24", "duur": "P1M", "afgeleide_termijn": None, "redenen": []},
            {"code": "atw_verschoven", "datum": "2026-05-26",
             "tekst": "naar dinsdag 26-05-2026 geschoven (Atw: zondag, tweede Pinksterdag)",
             "van": "2026-05-24", "duur": None, "afgeleide_termijn": None,
             "redenen": ["zondag", "tweede Pinksterdag"]},
        ],
    }
    assert herkomst(A_START, A, P4W, P10D).as_dict()["stappen"][1]["afgeleide_termijn"] == "2026-04-28"
    assert herkomst(A_START, None, None, None).as_dict()["datum"] is None


def test_herkomst_is_frozen() -> None:
    result = herkomst(A_START, None, P4W, None)
    with pytest.raises(AttributeError):
        result.datum = date(2026, 1, 1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.stappen[0].code = "x"  # type: ignore[misc]


# -- Dutch texts -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("duur", "tekst"),
    [
        (Duration(days=56), "8 weken"),  # P8W and P56D are one value
        (Duration(days=7), "1 week"),
        (Duration(days=10), "10 dagen"),
        (Duration(days=1), "1 dag"),
        (Duration(months=1), "1 maand"),
        (Duration(months=2), "2 maanden"),
        (Duration(years=1), "1 jaar"),
        (Duration(years=2), "2 jaar"),
        (Duration(months=1, days=14), "1 maand en 2 weken"),
        (Duration(years=1, months=2, days=3), "1 jaar, 2 maanden en 3 dagen"),
        (Duration(), "0 dagen"),
    ],
)
def test_duur_tekst(duur: Duration, tekst: str) -> None:
    assert duur_tekst(duur) == tekst


@pytest.mark.parametrize(
    ("duur", "tekst"),
    [
        (Duration(days=15), "15 werkdagen"),
        (Duration(days=1), "1 werkdag"),
        (Duration(days=42), "42 werkdagen"),  # P6W: 42 working days, not "6 weken"
        (Duration(months=1), "1 maand"),
        (Duration(months=1, days=5), "1 maand en 5 werkdagen"),
        (Duration(years=1, months=2), "1 jaar en 2 maanden"),
    ],
)
def test_verlenging_tekst(duur: Duration, tekst: str) -> None:
    assert verlenging_tekst(duur) == tekst


def test_dates_in_dutch() -> None:
    assert datum_tekst(date(2026, 1, 5)) == "05-01-2026"
    assert dag_tekst(date(2026, 4, 28)) == "dinsdag 28-04-2026"
    assert dag_tekst(date(2026, 5, 3)) == "zondag 03-05-2026"


# -- properties ------------------------------------------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
doorlooptijden = st.none() | st.builds(Duration, years=st.integers(0, 1), months=st.integers(0, 12),
                                       days=st.integers(0, 400))
verlengingen = st.none() | st.builds(Duration, months=st.integers(0, 3), days=st.integers(0, 60))


@given(dates, st.none() | dates, doorlooptijden, verlengingen)
def test_rule_properties(start: date, s: date | None, doorlooptijd: Duration | None,
                         verlenging: Duration | None) -> None:
    result = herkomst(start, s, doorlooptijd, verlenging)
    a = afgeleide_termijn(start, doorlooptijd)
    n = verlenging is not None and not verlenging.is_zero
    assert result.stappen and all(stap.code in STAP_CODES for stap in result.stappen)
    assert result.stappen[-1].datum == result.datum
    if a is not None:
        assert a >= add_duration(start, doorlooptijd)  # type: ignore[arg-type]
        assert is_working_day(a)
    if s is not None:
        assert result.datum is not None and result.datum >= s
        if not n or a is None or s > a:
            assert result.datum == s
    elif a is None:
        assert result.datum is None
    else:
        assert result.datum is not None and result.datum >= a
        assert is_working_day(result.datum)  # every derived result obeys Atw art. 1
    if s is not None and n and a is not None and s <= a:
        assert is_working_day(result.datum)  # S + N is derived too
