"""Capacity planning on the hand-built history of planning_world: throughput, inflow, the projected weeks and the
FTE answer, every figure worked out by hand below (P = Sunday 31-05-2026)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from duo_zaak.db import db
from duo_zaak.figures.indicators import indicators_now
from duo_zaak.figures.planning import record_fte
from duo_zaak.figures.planning_report import PlanningError, document, planning
from duo_zaak.figures.scope import Scope, organisations
from duo_zaak.rules.planning import Spread

from . import planning_world
from .planning_world import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
TARGET = date(2026, 6, 22)  # a Monday: the last step ending on or before it is step 3 (21-06-2026)


@pytest.fixture
def built(world):
    planning_world.build(world)
    return world


@BOTH
def test_throughput_per_week_and_per_fte(built):
    p = planning(P, doeldatum=TARGET)
    assert [w.maandag for w in p.weken][:2] == [date(2026, 3, 9), date(2026, 3, 16)]
    assert p.weken[-1].maandag == date(2026, 5, 25)
    # confirmed in the week of confirmation; the event of Sunday 08-03 and the unconfirmed mark are not counted
    assert [w.bevestigd["archiveren"] for w in p.weken] == [4, 4, 6, 4, 2, 8, 8, 12, 8, 4, 8, 12]
    assert [w.bevestigd["vernietigen"] for w in p.weken] == [1, 1, 1, 1, 1, 3, 2, 3, 2, 3, 2, 3]
    assert [w.opgelost_in_bron["archiveren"] for w in p.weken] == [0] * 11 + [3]  # counted apart
    assert [w.fte for w in p.weken] == [2] * 5 + [4] * 7  # the two FTE periods
    # closings: 37 on 15-04 (week 6), 5 on 20-05 (week 11)
    assert [w.gesloten for w in p.weken] == [0] * 5 + [37] + [0] * 4 + [5, 0]

    # Archiveren per week sorted: 2 4 4 4 4 6 8 8 8 8 12 12. Positions (n-1)q = 2.75, 5.5, 8.25:
    # p25 = 4 + .75 x (4-4) = 4; median = (6+8)/2 = 7; p75 = 8 + .25 x (8-8) = 8.
    assert p.doorvoer["archiveren"] == Spread(4, 7, 8)
    # Per FTE-week: 4/2 4/2 6/2 4/2 2/2 = 2 2 3 2 1; 8/4 8/4 12/4 8/4 4/4 8/4 12/4 = 2 2 3 2 1 2 3.
    # Sorted: 1 1 2 2 2 2 2 2 2 3 3 3 -> p25 = 2 + .75 x 0 = 2; median = (2+2)/2 = 2; p75 = 2 + .25 x (3-2) = 2,25.
    assert p.per_fte["archiveren"] == Spread(2, 2, Fraction(9, 4))
    # Vernietigen per FTE: 1/2 x5, then 3/4 2/4 3/4 2/4 3/4 2/4 3/4 -> sorted eight times 0,5, four times 0,75:
    # p25 = 0,5; median = 0,5; p75 = x[8] + .25 x (x[9]-x[8]) = 0,75.
    assert p.per_fte["vernietigen"] == Spread(Fraction(1, 2), Fraction(1, 2), Fraction(3, 4))
    assert p.per_fte["overbrengen"] == Spread(0, 0, 0)
    # 42 zaken closed in the 84 days: 0,5 a day, 3,5 a week
    assert (p.gesloten_venster, p.sluitingen_per_dag) == (42, Fraction(1, 2))


@BOTH
def test_inflow_known_and_estimated(built):
    p = planning(P, doeldatum=TARGET)
    known = [(step["bekend"]["vernietigen"], step["bekend"]["archiveren"]) for step in p.instroom[:6]]
    # vernietigen due 10-06 in step 2 (08-06..14-06); archiveren due 19-06 in step 3 (15-06..21-06)
    assert known == [(0, 0), (2, 0), (0, 5), (0, 0), (0, 0), (0, 0)]
    # Estimated: closing day k after P (k = 1, 2, ...) gets round(0,5 k) - round(0,5 (k-1)) = 1 for odd k, 0 for
    # even k; its archiveren task is due 30 days later, on day 30 + k. Step j covers days 7j-6..7j:
    # step 5 (29..35): 31 33 35 -> 3; step 6 (36..42): 37 39 41 -> 3; step 7 (43..49): 43 45 47 49 -> 4; step 8: 3.
    estimated = [step["geschat"]["archiveren"] for step in p.instroom[:9]]
    assert estimated == [0, 0, 0, 0, 3, 3, 4, 3, 4]


@BOTH
def test_projection_at_the_recorded_fte(built):
    p = planning(P, doeldatum=TARGET)
    assert (p.fte, p.fte_bron) == (4, "vastgelegd")  # the open-ended period covers P
    # Median capacity at 4 FTE: archiveren 4 x 2 = 8 a week, vernietigen 4 x 0,5 = 2 a week.
    # Archiveren: 20 -> 12 -> 4 -> (+5) 1 -> 0 -> (+3) 0 ...
    # Vernietigen (7 due 31-01, 2 due 10-06, oldest first): 7 -> 5 -> (+2) 3 old + 2 new = 5 -> 1 old + 2 new = 3
    #   -> 1 new = 1 -> 0.
    steps = p.banden["mediaan"]
    assert [(s.achterstand["archiveren"], s.achterstand["vernietigen"]) for s in steps[:6]] == [
        (20, 7), (12, 5), (4, 5), (1, 3), (0, 1), (0, 0)]
    # Oldest vernietigen: 31-01 is 120 days before P, then 127, 134, 141; at 28-06 only the 10-06 one: 18 days.
    assert [s.oudste_dagen("vernietigen") for s in steps[:6]] == [120, 127, 134, 141, 18, None]
    # A4 = archiveren backlog / closed in 365 days: 250 known, + round(0,5 x days after P): 250, 254, 257, 261, 264
    # -> 20/250 = 8,0%; 12/254 = 4,7%; 4/257 = 1,6%; 1/261 = 0,4%; 0.
    assert [(s.a4_noemer, s.a4_waarde) for s in steps[:5]] == [
        (250, 8.0), (254, 4.7), (257, 1.6), (261, 0.4), (264, 0.0)]
    # A2 holds from step 4 (no vernietigen task over 90 days), A3 always (none), A4 from step 2.
    assert (p.vanaf("mediaan", "A2"), p.vanaf("mediaan", "A3"), p.vanaf("mediaan", "A4")) == (4, 0, 2)
    assert p.binnen("mediaan") == 4 and steps[4].einde == date(2026, 6, 28)  # ISO week 26
    # p25 = median here (2 and 0,5 per FTE). p75: archiveren 9, vernietigen 3 a week: vernietigen 7 -> 4 ->
    # (+2) 1 old + 2 new -> 0 at step 3; archiveren 20 -> 11 (4,3%) -> 2 (0,8%): within the norms from step 3.
    assert p.binnen("p25") == 4 and p.binnen("p75") == 3
    assert [s.totaal for s in p.banden["p75"][:4]] == [27, 15, 5, 0]
    # The step at P is the backlog the IBT page shows now: A4 8,0% (20 of 250) and 7 vernietigen tasks for Diemen.
    diemen = next(item for item in indicators_now(P, Scope.everything()) if item.org.code == "diemen")
    now = {i.code: i for i in diemen.indicatoren}
    assert (now["A4"].teller, now["A4"].noemer, now["A4"].waarde, now["A2"].waarde) == (20, 250, 8.0, 7)


@BOTH
def test_fte_needed_and_the_answer(built):
    p = planning(P, doeldatum=TARGET)
    # By 22-06 the norms must hold from step 3 (21 days). A2: all 7 old vernietigen done by day 21:
    # floor(0,5 f x 21/7) = floor(1,5 f) >= 7 -> f >= 4,67 -> 4,7 (1,5 x 4,6 = 6,9: one old task left, 141 days).
    # A4 at 4,7: archiveren 9,4 a week: floor(9,4), floor(18,8), floor(28,2) = 9, 18, 28 -> 20 - 9 = 11, 2,
    # (+5) 0 from step 3: met. More FTE only clears more, up to the cap of 25.
    assert p.fte_nodig == Fraction(47, 10)
    assert p.antwoord == ("Met 4,0 fte is de achterstand binnen de normen in week 26 van 2026; voor 22-06-2026 is "
                          "4,7 fte nodig.")
    # What if 3,2 FTE: archiveren 6,4 a week (floor 6,4 j: 6 12 19 25 -> 6 6 7 6), vernietigen 1,6 (1 3 4 6 8 ->
    # 1 2 1 2 2): vernietigen 7 -> 6 -> (+2) 4 old -> 3 -> 1 -> 1 new: A2 from step 5 (05-07, week 27);
    # archiveren 20 -> 14 -> 8 -> (+5) 6 (2,3%) -> 0: A4 from step 4.
    what_if = planning(P, fte=Fraction(16, 5), doeldatum=TARGET)
    assert (what_if.fte_bron, what_if.vanaf("mediaan", "A2"), what_if.vanaf("mediaan", "A4")) == ("invoer", 5, 4)
    assert what_if.antwoord == ("Met 3,2 fte is de achterstand binnen de normen in week 27 van 2026; voor "
                                "22-06-2026 is 4,7 fte nodig.")
    # A target the cap cannot make: by 07-06 (step 1) A2 needs floor(0,5 f) >= 7, f >= 14; 13,9 is too little.
    assert planning(P, doeldatum=date(2026, 6, 7)).fte_nodig == 14


@BOTH
def test_per_organisation(built):
    orgs = {org.code: org for org in organisations()}
    record_fte(orgs["uithoorn"].id, Decimal("1.5"), date(2026, 5, 1), None, gebruiker_id=None)
    db.session.commit()
    # Every zaak is Diemen's: Diemen's planning is that of the four together. Diemen has no FTE of its own and
    # shares in the 4,0 FTE for all four; Uithoorn has its own 1,5.
    diemen = planning(P, organisatie=orgs["diemen"], doeldatum=TARGET)
    assert document(diemen)["projectie"] == document(planning(P, doeldatum=TARGET))["projectie"]
    assert diemen.fte == 4 and diemen.fte_nodig == Fraction(47, 10)
    # Uithoorn has no zaken: no backlog, but also no zaak closed in 365 days, so A4 has no noemer and does not
    # count as met (domain.md); no FTE makes it.
    uithoorn = planning(P, organisatie=orgs["uithoorn"], doeldatum=TARGET)
    assert uithoorn.fte == Fraction(3, 2) and uithoorn.stappen[0].totaal == 0
    assert (uithoorn.vanaf("mediaan", "A2"), uithoorn.vanaf("mediaan", "A4")) == (0, None)
    assert uithoorn.antwoord == ("Met 1,5 fte is de achterstand tot en met week 48 van 2026 niet binnen de normen; "
                                 "voor 22-06-2026 is dat ook met 25,0 fte niet haalbaar.")


def test_without_any_fte_recorded(world):
    world.zaak(einddatum="2026-02-01", archiveren_vervalt="2026-03-03")
    p = planning(P)
    assert p.fte_bron == "geen" and p.per_fte is None and not p.per_fte_gebruikt
    assert p.antwoord == ("Bij de gemeten doorvoer is de achterstand tot en met week 48 van 2026 niet binnen de "
                          "normen; hoeveel fte nodig is, is niet te berekenen: voor de laatste 12 weken is geen fte "
                          "van PiA vastgelegd.")


@pytest.mark.parametrize(("doeldatum", "message"), [
    (date(2026, 6, 6), "op of na 07-06-2026"), (date(2028, 3, 5), "uiterlijk 04-03-2028")])
def test_target_date_out_of_range(world, doeldatum, message):
    # The first step ends 07-06-2026. Step 91 ends 31-05-2026 + 637 days = 27-02-2028 (2028 has 29 February); a
    # target up to the Saturday after it, 04-03-2028, has step 91 as its last step; 05-03 would need step 92.
    with pytest.raises(PlanningError, match=message):
        planning(P, doeldatum=doeldatum)
