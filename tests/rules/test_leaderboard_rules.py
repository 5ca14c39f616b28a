"""Team leaderboard: derived columns, ranking and the most improved team (domain.md "Team leaderboard")."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duo_zaak.rules.leaderboard import RankedRow, TeamRow, meest_verbeterd, rank


def team(naam: str, gesloten: int = 10, goed: int = 9, achterstand: int = 4, jaar: int = 40,
         trend: int | None = None, id: str | None = "") -> TeamRow:
    return TeamRow(id=f"OE-{naam}" if id == "" else id, naam=naam, organisatie="diemen", gesloten=gesloten,
                   direct_goed_teller=goed, achterstand=achterstand, gesloten_365=jaar, opgelost=0, trend=trend)


def test_derived_columns() -> None:
    row = rank([team("A", gesloten=3, goed=2, achterstand=3, jaar=4)], min_gesloten=1)[0]
    # 2 of 3 first time right = 66.7%; backlog 3 per 4 closed = 75.0 per 100
    assert (row.direct_goed, row.achterstand_per_100, row.rang) == (66.7, 75.0, 1)
    assert isinstance(row, RankedRow) and isinstance(row, TeamRow)
    assert (row.naam, row.gesloten, row.achterstand) == ("A", 3, 3)


def test_nulls() -> None:
    # nothing closed in the period: direct_goed null; nothing in 365 days: per 100 null
    row = rank([team("B", gesloten=0, goed=0, achterstand=2, jaar=0)])[0]
    assert (row.direct_goed, row.achterstand_per_100, row.rang) == (None, None, None)
    # 0 backlog over 1 closed = 0.0, not null
    assert rank([team("D", gesloten=1, goed=1, achterstand=0, jaar=1)])[0].achterstand_per_100 == 0.0


ROWS = [
    team("Zorg"),  # 9/10 = 90.0; 4/40 = 10.0
    team("Klein", gesloten=4, goed=4),  # 100.0 but fewer than 5 closed: unranked
    team("Niet toegewezen", gesloten=12, goed=12, id=None),  # 100.0 but never ranked
    team("Belastingen", gesloten=20, goed=18, achterstand=2),  # 90.0; 2/40 = 5.0
    team("Wonen", jaar=0),  # 90.0; per 100 null: after the numbers
    team("Stil", gesloten=0, goed=0),  # direct_goed null, unranked
    team("Vergunningen", goed=10),  # 100.0; 10.0
    team("afval"),  # 90.0; 10.0, tie with Zorg: name decides (case-insensitive)
    team("Grens", gesloten=5, goed=4, achterstand=1, jaar=50),  # exactly 5 closed: ranked; 80.0; 2.0
]


def test_ranking() -> None:
    ranked = rank(ROWS)
    assert [(r.naam, r.direct_goed, r.achterstand_per_100, r.rang) for r in ranked] == [
        ("Vergunningen", 100.0, 10.0, 1),
        ("Belastingen", 90.0, 5.0, 2),
        ("afval", 90.0, 10.0, 3),
        ("Zorg", 90.0, 10.0, 4),
        ("Wonen", 90.0, None, 5),
        ("Grens", 80.0, 2.0, 6),
        ("Klein", 100.0, 10.0, None),
        ("Stil", None, 10.0, None),
        ("Niet toegewezen", 100.0, 10.0, None),
    ]


def test_null_direct_goed_ranks_after_numbers() -> None:
    # with min_gesloten 0 the team without closed zaken is ranked, last
    ranked = rank([team("Stil", gesloten=0, goed=0), team("Laag", goed=1)], min_gesloten=0)
    assert [(r.naam, r.direct_goed, r.rang) for r in ranked] == [("Laag", 10.0, 1), ("Stil", None, 2)]


def test_configured_minimum() -> None:
    ranked = rank([team("Klein", gesloten=4, goed=4), team("Zorg")], min_gesloten=3)
    assert [(r.naam, r.rang) for r in ranked] == [("Klein", 1), ("Zorg", 2)]


def test_empty() -> None:
    assert rank([]) == []


@given(st.randoms())
def test_input_order_does_not_matter(rnd: random.Random) -> None:
    shuffled = list(ROWS)
    rnd.shuffle(shuffled)
    assert rank(shuffled) == rank(ROWS)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 20), st.integers(0, 60)),
                max_size=12))
def test_ranks_are_consecutive_and_ordered(figures: list[tuple[int, int, int, int]]) -> None:
    rows = [team(f"T{i}", gesloten=g, goed=min(goed, g), achterstand=a, jaar=j)
            for i, (g, goed, a, j) in enumerate(figures)]
    ranked = [r for r in rank(rows) if r.rang is not None]
    assert [r.rang for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(r.gesloten >= 5 for r in ranked)
    rates = [r.direct_goed for r in ranked]
    assert rates == sorted(rates, reverse=True)  # gesloten >= 5, so never null


# -- meest verbeterd -------------------------------------------------------------------------------------

def test_meest_verbeterd() -> None:
    rows = [team("Zorg", trend=-5), team("Afval", trend=-5), team("Wonen", trend=-3),
            team("Niet toegewezen", trend=-10, id=None), team("Stil", trend=None), team("Groei", trend=4)]
    best = meest_verbeterd(rows)
    assert best is not None and best.naam == "Afval"  # -5 tie: name decides; the pseudo-team is no candidate
    assert meest_verbeterd(rank(rows)).naam == "Afval"  # works on ranked rows too


@pytest.mark.parametrize("trends", [[0, 2, None], [], [None]])
def test_none_fell(trends: list[int | None]) -> None:
    assert meest_verbeterd([team(f"T{i}", trend=t) for i, t in enumerate(trends)]) is None


def test_exactly_zero_direct_goed_ranks_below_a_fraction_of_a_percent() -> None:
    """0 of 10 first time right is 0.0% (a number, ranked last), not null; 1 of 200 is 0.5%."""
    ranked = rank([team("Nul", gesloten=10, goed=0, achterstand=0), team("Half", gesloten=200, goed=1)])
    assert [(r.naam, r.direct_goed, r.rang) for r in ranked] == [("Half", 0.5, 1), ("Nul", 0.0, 2)]


def test_no_backlog_ranks_above_half_a_task_per_100_with_equal_direct_goed() -> None:
    """Both 90.0% direct goed; 0 backlog over 200 closed = 0.0 per 100, 1 over 200 = 0.5 per 100. The team
    whose name sorts first has the worse figure, so only the per-100 column can put "Zonder" first."""
    ranked = rank([team("Met", achterstand=1, jaar=200), team("Zonder", achterstand=0, jaar=200)])
    assert [(r.naam, r.achterstand_per_100, r.rang) for r in ranked] == [("Zonder", 0.0, 1), ("Met", 0.5, 2)]


def test_same_name_in_two_organisations_is_ordered_by_team_id() -> None:
    """Equal figures and equal names: the final tie-break is the team identificatie, whatever the input order."""
    diemen = TeamRow(id="OE-B", naam="Burgerzaken", organisatie="diemen", gesloten=10, direct_goed_teller=9,
                     achterstand=4, gesloten_365=40, opgelost=0, trend=None)
    uithoorn = TeamRow(id="OE-A", naam="Burgerzaken", organisatie="uithoorn", gesloten=10, direct_goed_teller=9,
                       achterstand=4, gesloten_365=40, opgelost=0, trend=None)
    for rows in ([diemen, uithoorn], [uithoorn, diemen]):
        assert [(r.id, r.organisatie, r.rang) for r in rank(rows)] == [("OE-A", "uithoorn", 1), ("OE-B", "diemen", 2)]
