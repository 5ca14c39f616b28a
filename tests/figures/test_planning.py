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
    # PiA's capacity counts tasks of every kind: 5 5 7 5 3 at 2 FTE = 2,5 2,5 3,5 2,5 1,5; 11 10 15 10 7 10 15 at
    # 4 FTE = 2,75 2,5 3,75 2,5 1,75 2,5 3,75. Sorted: 1,5 1,75 2,5 2,5 2,5 2,5 2,5 2,5 2,75 3,5 3,75 3,75 ->
    # p25 = 2,5 + .75 x 0 = 2,5; median = 2,5; p75 = 2,75 + .25 x (3,5 - 2,75) = 2,9375.
    assert p.capaciteit_per_fte == Spread(Fraction(5, 2), Fraction(5, 2), Fraction(47, 16))
    assert p.per_fte["totaal"] == p.capaciteit_per_fte  # all tasks are Diemen's
    # 42 zaken closed in the 84 days: 0,5 a day, 3,5 a week
    assert (p.gesloten_venster, p.sluitingen_per_dag) == (42, Fraction(1, 2))


@BOTH
def test_inflow_known_and_estimated(built):
    p = planning(P, doeldatum=TARGET)
    known = [(step["bekend"]["vernietigen"], step["bekend"]["archiveren"]) for step in p.instroom[:6]]
    # vernietigen due 10-06 in step 2 (08-06..14-06); archiveren due 19-06 in step 3 (15-06..21-06)
    assert known == [(0, 0), (2, 0), (0, 5), (0, 0), (0, 0), (0, 0)]
    # Estimated: 0,5 closings a day (42 in 84 days), and of those 42 only the 5 closed 20-05 got an archiveren task
    # (the other 37 were archived before it was due): 5/42 of them, 0,5 x 5/42 = 5/84 a day. By closing day k
    # round(5k/84) zaken: 1 from k = 9 (0,54), 2 from k = 26 (1,55), 3 from k = 42 (2,5), 4 from k = 59 (3,51);
    # due 30 days later, on days 39, 56, 72, 89 after P: steps 6 (36..42), 8 (50..56), 11 (71..77), 13 (85..91).
    assert p.aandeel_archiveren == Fraction(5, 42)
    estimated = [step["geschat"]["archiveren"] for step in p.instroom[:13]]
    assert estimated == [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1]
    assert all(n == 0 for step in p.instroom for kind, n in step["geschat"].items() if kind != "archiveren")


@BOTH
def test_projection_at_the_recorded_fte(built):
    p = planning(P, doeldatum=TARGET)
    assert (p.fte, p.fte_bron, p.toegewezen) == (4, "vastgelegd", {})  # the open-ended period covers P
    # Median capacity at 4 FTE: 4 x 2,5 = 10 tasks a week, oldest due date first, whatever the kind:
    # the queue is 7 vernietigen (31-01), 20 archiveren (03-03), then 2 vernietigen (10-06), 5 archiveren (19-06).
    # Step 1: the 7 vernietigen and 3 archiveren -> 17 archiveren left. Step 2: 10 archiveren -> 7; the 2 new
    # vernietigen arrived. Step 3 (+5 archiveren): 7 archiveren, 2 vernietigen, 1 of the new -> 4. Step 4: 4 -> 0.
    steps = p.banden["mediaan"]
    assert [(s.achterstand["archiveren"], s.achterstand["vernietigen"]) for s in steps[:6]] == [
        (20, 7), (17, 0), (7, 2), (4, 0), (0, 0), (0, 0)]
    # Oldest vernietigen: 31-01 is 120 days before P; on 14-06 the 10-06 ones are 4 days old.
    assert [s.oudste_dagen("vernietigen") for s in steps[:4]] == [120, None, 4, None]
    # A4 = archiveren backlog / closed in 365 days: 250 known, + round(0,5 x days after P): 250, 254, 257, 261, 264
    # -> 20/250 = 8,0%; 17/254 = 6,7%; 7/257 = 2,7%; 4/261 = 1,5%; 0.
    assert [(s.a4_noemer, s.a4_waarde) for s in steps[:5]] == [
        (250, 8.0), (254, 6.7), (257, 2.7), (261, 1.5), (264, 0.0)]
    # A2 holds from step 1, A3 always (no overbrengen), A4 from step 3: within the norms from 21-06 (week 25).
    assert (p.vanaf("mediaan", "A2"), p.vanaf("mediaan", "A3"), p.vanaf("mediaan", "A4")) == (1, 0, 3)
    assert p.binnen("mediaan") == 3 and steps[3].einde == date(2026, 6, 21)
    # p25 = median (2,5 per FTE-week). p75: 4 x 2,9375 = 11,75 a week, floor(11,75 j) = 11, 23, 35 done by step j:
    # step 1: 7 vernietigen + 4 archiveren -> 16; step 2: 12 more -> 4 (1,6%) and the 2 new vernietigen; step 3:
    # 12 more clears all 11. Within the norms from step 2.
    assert p.binnen("p25") == 3 and p.binnen("p75") == 2
    assert [s.totaal for s in p.banden["p75"][:4]] == [27, 16, 6, 0]
    # The step at P is the backlog the IBT page shows now: A4 8,0% (20 of 250) and 7 vernietigen tasks for Diemen.
    diemen = next(item for item in indicators_now(P, Scope.everything()) if item.org.code == "diemen")
    now = {i.code: i for i in diemen.indicatoren}
    assert (now["A4"].teller, now["A4"].noemer, now["A4"].waarde, now["A2"].waarde) == (20, 250, 8.0, 7)


@BOTH
def test_fte_needed_and_the_answer(built):
    p = planning(P, doeldatum=TARGET)
    # By 22-06 the norms must hold from step 3 (21 days): floor(2,5 f x 3) = floor(7,5 f) tasks done by then, the
    # oldest first (7 vernietigen, 20 archiveren of 03-03, 2 vernietigen, 5 archiveren). A4 allows 5 archiveren
    # of 261 (1,9%; 6 is 2,3%): 25 archiveren arrived, so the first 27 tasks must be done: 7,5 f >= 27, f >= 3,6
    # (3,5 does 26). A2 needs only the first 7. At 3,6 PiA does 9 a week and keeps up after; more FTE only clears
    # more, up to the cap of 25.
    assert p.fte_nodig == Fraction(18, 5)
    assert p.antwoord == ("Met 4,0 fte is de achterstand binnen de normen in week 25 van 2026; voor 22-06-2026 is "
                          "3,6 fte nodig.")
    # What if 3,2 FTE: 8 a week, 8 16 24 32 done by step 1..4: archiveren 19, 11, 8 (3 old + 5 new: 3,1%), then
    # 2 (0,8%) at step 4 (28-06, week 26).
    what_if = planning(P, fte=Fraction(16, 5), doeldatum=TARGET)
    assert [s.achterstand["archiveren"] for s in what_if.stappen[:5]] == [20, 19, 11, 8, 2]
    assert (what_if.fte_bron, what_if.vanaf("mediaan", "A2"), what_if.vanaf("mediaan", "A4")) == ("invoer", 1, 4)
    assert what_if.antwoord == ("Met 3,2 fte is de achterstand binnen de normen in week 26 van 2026; voor "
                                "22-06-2026 is 3,6 fte nodig.")
    # By 07-06 (step 1, 7 days, 254 closed: at most 5 archiveren): floor(2,5 f) >= 7 + 15, f >= 8,8 (8,7: 21).
    assert planning(P, doeldatum=date(2026, 6, 7)).fte_nodig == Fraction(44, 5)


@BOTH
def test_per_organisation(built):
    orgs = {org.code: org for org in organisations()}
    # 1,5 FTE for Uithoorn alone from P on, on top of the 4,0 shared. (Week 12 then has 4 + 1,5 on its Sunday:
    # 29,5/7 FTE, 15 / (29,5/7) = 3,56 a week per FTE, which moves none of p25, median or p75.)
    record_fte(orgs["uithoorn"].id, Decimal("1.5"), P, None, gebruiker_id=None)
    db.session.commit()
    # Every zaak is Diemen's: Diemen's projection is that of the four together; the shared 4,0 FTE works for it.
    diemen = planning(P, organisatie=orgs["diemen"], doeldatum=TARGET)
    everything = planning(P, doeldatum=TARGET)
    assert document(diemen)["projectie"] == document(everything)["projectie"]
    assert (diemen.fte, diemen.toegewezen, diemen.fte_nodig) == (4, {}, Fraction(18, 5))
    assert everything.antwoord.startswith("Met 4,0 fte (en 1,5 fte alleen voor Gemeente Uithoorn) is de achterstand "
                                          "binnen de normen in week 25 van 2026")
    # Uithoorn has no zaken: no backlog, but also no zaak closed in 365 days, so A4 has no noemer and does not
    # count as met (domain.md); no FTE makes it.
    uithoorn = planning(P, organisatie=orgs["uithoorn"], doeldatum=TARGET)
    assert (uithoorn.fte, uithoorn.toegewezen, uithoorn.stappen[0].totaal) == (4, {"Gemeente Uithoorn": 1.5}, 0)
    assert (uithoorn.vanaf("mediaan", "A2"), uithoorn.vanaf("mediaan", "A4")) == (0, None)
    assert uithoorn.antwoord == ("Met 4,0 fte (en 1,5 fte alleen voor Gemeente Uithoorn) is de achterstand tot en "
                                 "met week 48 van 2026 niet binnen de normen; voor 22-06-2026 is dat ook met 25,0 fte "
                                 "niet haalbaar.")


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
