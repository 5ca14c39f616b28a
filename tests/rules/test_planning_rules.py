"""The pure rules of the capacity planning, with dates and counts worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from duo_zaak.rules.ibt import DEFAULT_NORMS
from duo_zaak.rules.planning import (
    Cohort,
    FtePeriod,
    Spread,
    estimated_inflow,
    fte_split,
    fte_total,
    history_mondays,
    horizon,
    inflow_per_step,
    last_sunday,
    quantile,
    spread,
    step_ends,
    target_step,
    week_fte,
)
from duo_zaak.rules.projection import ALLE, PlanInputs, Planner, fte_needed, holds_from, within_norms_from

WED = date(2026, 6, 3)  # a Wednesday
SUN = date(2026, 5, 31)


def test_weeks_around_a_wednesday():
    assert last_sunday(WED) == SUN and last_sunday(SUN) == SUN
    # history: the 12 complete weeks up to Sunday 31-05: Monday 09-03 .. Monday 25-05
    mondays = history_mondays(WED)
    assert (len(mondays), mondays[0], mondays[-1]) == (12, date(2026, 3, 9), date(2026, 5, 25))
    # the first step runs Thursday 04-06 .. Sunday 07-06 (4 days), then whole weeks
    assert step_ends(WED, 3) == [date(2026, 6, 7), date(2026, 6, 14), date(2026, 6, 21)]
    # a target on Saturday 20-06 is reached by step 2 (ends 14-06); on Sunday 21-06 by step 3
    assert (target_step(WED, date(2026, 6, 20)), target_step(WED, date(2026, 6, 21))) == (2, 3)
    assert (horizon(3), horizon(20), horizon(91)) == (26, 33, 104)


def test_quantiles_interpolate_between_sorted_values():
    # 4 values 1 2 4 10: positions 0,75 / 1,5 / 2,25 -> 1 + .75 x 1 = 1,75; 2 + .5 x 2 = 3; 4 + .25 x 6 = 5,5
    assert spread([10, 1, 4, 2]) == Spread(Fraction(7, 4), Fraction(3), Fraction(11, 2))
    assert quantile([5], Fraction(3, 4)) == 5
    assert spread([]) is None


def test_fte_shared_dedicated_and_per_week():
    periods = [
        FtePeriod(None, Fraction(3), date(2026, 1, 1), None),  # shared by the four
        FtePeriod("diemen", Fraction(1), date(2026, 3, 1), date(2026, 3, 31)),  # on top: a person for Diemen in March
        FtePeriod(None, Fraction(5), date(2026, 3, 4), date(2026, 3, 10)),  # entered later: wins for those days
    ]
    day = date(2026, 3, 5)
    assert fte_split(periods, day) == (5, {"diemen": 1}) and fte_total(periods, day) == 6
    assert fte_split(periods, date(2025, 12, 31)) == (None, {}) and fte_total(periods, date(2025, 12, 31)) is None
    # Week of Monday 09-03: Mon-Tue 5 + 1, Wed-Sun 3 + 1 -> (2 x 6 + 5 x 4) / 7 = 32/7
    assert week_fte(periods, date(2026, 3, 9)) == Fraction(32, 7)
    # only dedicated periods: the total is their sum; a period starting on Thursday counts from Thursday
    own = [FtePeriod("diemen", Fraction(1), date(2026, 1, 1), None), FtePeriod("uithoorn", Fraction(1, 2), day, None)]
    assert fte_split(own, day) == (None, {"diemen": 1, "uithoorn": Fraction(1, 2)})
    # week of 02-03: Mon-Wed 1, Thu-Sun 1,5 -> (3 + 6) / 7 = 9/7
    assert week_fte(own, date(2026, 3, 2)) == Fraction(9, 7)


def test_estimated_inflow_by_cumulative_rounding():
    # 0,4 a day: round(0,4 k) for k = 1..5 = 0 1 1 2 2 (round half up: 0,4 -> 0; 0,8 -> 1; 1,2 -> 1; 1,6 -> 2; 2,0 -> 2)
    # -> closings on days 2 and 4, archiveren due 10 days later: 12 and 14 days after the peildatum
    cohorts = estimated_inflow(SUN, Fraction(2, 5), 10, date(2026, 6, 14))
    assert [(c.vervaldatum, c.aantal, c.geschat) for c in cohorts] == [
        (date(2026, 6, 12), 1, True), (date(2026, 6, 14), 1, True)]
    # due 12-06 and 14-06 are both in step 2 (08-06..14-06); due on the peildatum itself is no inflow
    steps = inflow_per_step(SUN, [*cohorts, Cohort("vernietigen", SUN, 4)], 2)
    assert steps[1]["geschat"]["archiveren"] == 2 and steps[0]["bekend"]["vernietigen"] == 0


def _inputs(backlog, inflow=()):
    """One organisation ("") with 100 zaken closed in the year: A4 holds with at most 2 archiveren tasks (2,0%)."""
    return PlanInputs(WED, tuple(backlog), tuple(inflow), {"": {date(2026, 1, 1): 100}}, {"": Fraction(0)},
                      DEFAULT_NORMS)


def test_a_short_first_step_and_chained_tasks():
    # 3 aanvullen tasks due 01-05, each followed by archiveren due 21-05; 1 archiveren due 01-06. PiA: 3,5 a week,
    # oldest due date first, whatever the kind. Step 1 is 4 days (Thu-Sun): floor(3,5 x 4/7) = 2 aanvullen done;
    # their 2 archiveren tasks (due 21-05) join the backlog at the end of the step. Step 2 (11 days):
    # floor(3,5 x 11/7) - 2 = 5 - 2 = 3: the last aanvullen (01-05), then the two archiveren of 21-05; the third
    # archiveren of 21-05 joins. Step 3 (18 days): floor(9) - 5 = 4: the remaining 21-05 and 01-06.
    backlog = [Cohort("archiefgegevens_aanvullen", date(2026, 5, 1), 3, (("archiveren", date(2026, 5, 21)),)),
               Cohort("archiveren", date(2026, 6, 1), 1)]
    states = Planner(_inputs(backlog), 3).run(Fraction(7, 2))[ALLE]
    assert [(s.achterstand["archiefgegevens_aanvullen"], s.achterstand["archiveren"]) for s in states] == [
        (3, 1), (1, 3), (0, 2), (0, 0)]
    assert [s.oudste["archiveren"] for s in states] == [date(2026, 6, 1), date(2026, 5, 21), date(2026, 5, 21), None]
    assert [s.afgehandeld["archiefgegevens_aanvullen"] + s.afgehandeld["archiveren"] for s in states] == [0, 2, 3, 2]


def test_archiving_makes_way_for_destruction_within_the_projection():
    # One zaak: archiveren due 01-05, then destruction due 10-06. Archived in step 1 (floor(7 x 4/7) = 4 a
    # capacity of four, one task); its vernietigen task is due in step 2 (08-06..14-06) and done then.
    backlog = [Cohort("archiveren", date(2026, 5, 1), 1, (("vernietigen", date(2026, 6, 10)),))]
    states = Planner(_inputs(backlog), 3).run(Fraction(7))[ALLE]
    assert [(s.afgehandeld["archiveren"], s.afgehandeld["vernietigen"]) for s in states] == [(0, 0), (1, 0), (0, 1),
                                                                                            (0, 0)]


def test_organisations_share_the_queue_and_dedicated_capacity_stays_home():
    # Diemen: 4 archiveren due 01-04; Uithoorn: 4 due 01-05. Shared 7 a week: step 1 (4 days) floor(4) = 4, all
    # Diemen's (older); with 7 a week dedicated to Uithoorn as well, Uithoorn's 4 go too.
    backlog = [Cohort("archiveren", date(2026, 4, 1), 4, organisatie="diemen"),
               Cohort("archiveren", date(2026, 5, 1), 4, organisatie="uithoorn")]
    inputs = PlanInputs(WED, tuple(backlog), (), {"diemen": {date(2026, 1, 1): 100}, "uithoorn": {}},
                        {"diemen": Fraction(0), "uithoorn": Fraction(0)}, DEFAULT_NORMS)
    shared = Planner(inputs, 1).run(Fraction(7))
    assert [shared[org][1].achterstand["archiveren"] for org in (ALLE, "diemen", "uithoorn")] == [4, 0, 4]
    both = Planner(inputs, 1).run(Fraction(7), {"uithoorn": Fraction(7)})
    assert [both[org][1].achterstand["archiveren"] for org in (ALLE, "diemen", "uithoorn")] == [0, 0, 0]
    # A4 per organisation: Diemen 4 of 100 = 4,0% now; Uithoorn closed nothing: no noemer, never met (domain.md);
    # all four: 8 of 100 together.
    assert [(shared[org][0].a4_noemer, shared[org][0].a4_waarde) for org in (ALLE, "diemen", "uithoorn")] == [
        (100, 8.0), (100, 4.0), (0, None)]
    assert not both["uithoorn"][1].voldoet["A4"] and both[ALLE][1].voldoet["A4"]


def test_a_norm_holds_from_the_step_after_its_last_failure():
    # 1 vernietigen task due 15-03: 80 days old on 03-06, then 84 (07-06), 91 (14-06), 98 (21-06). Nobody does it:
    # the norm (at most 90 days) holds at the peildatum and in step 1 but not after, so it holds "from" no step.
    backlog = [Cohort("vernietigen", date(2026, 3, 15), 1)]
    idle = Planner(_inputs(backlog), 3).run(Fraction(0))[ALLE]
    assert [s.oudste_dagen("vernietigen") for s in idle] == [80, 84, 91, 98]
    assert [s.voldoet["A2"] for s in idle] == [True, True, False, False]
    assert holds_from(idle, "A2") is None and within_norms_from(idle) is None
    # 1 a week: floor(4/7) = 0 in step 1, floor(11/7) = 1 by step 2: gone before it is 91 days old.
    states = Planner(_inputs(backlog), 3).run(Fraction(1))[ALLE]
    assert [s.oudste_dagen("vernietigen") for s in states] == [80, 84, None, None]
    assert holds_from(states, "A2") == 0


def test_fte_needed_looks_at_every_larger_fte():
    # 10 aanvullen tasks due 01-05, each followed by an archiveren task due 01-05; A4 over 100 closed zaken: met
    # with at most 2 archiveren tasks. 1 task per FTE-week, oldest first: the 10 aanvullen (entered first) go
    # before the archiveren tasks they make, so after D tasks done the archiveren backlog is D (D <= 10) or 20 - D.
    # A4 holds while D <= 2 or D >= 18. By the last step (179 days) D = floor(f x 179/7):
    # - 0,1 FTE: D = 2 at most: A4 holds throughout: the aanvullen backlog hides the archiving work;
    # - 0,2 FTE: D = 5 at the end: fails. From the target step 3 (18 days) on, D >= 18 needs f x 18/7 >= 18:
    #   7,0 FTE (6,9: floor(17,74) = 17, 3 archiveren tasks left). The answer is 7,0, not 0,1.
    backlog = [Cohort("archiefgegevens_aanvullen", date(2026, 5, 1), 10, (("archiveren", date(2026, 5, 1)),))]
    planner = Planner(_inputs(backlog), 26)

    def meets(fte):
        week = within_norms_from(planner.run(fte)[ALLE])
        return week is not None and week <= 3

    assert meets(Fraction(1, 10)) and not meets(Fraction(2, 10)) and not meets(Fraction(3))
    assert not meets(Fraction(69, 10)) and meets(Fraction(7))
    assert fte_needed(planner, Fraction(1), 3, Fraction(25)) == 7


@pytest.mark.parametrize("cap", [Fraction(0), Fraction(1, 10)])
def test_fte_needed_none_when_the_cap_does_not_make_it(cap):
    # 3 archiveren tasks over 100 closed zaken: 3,0%; a cap of 0 or 0,1 FTE clears none by step 1 (4 days).
    planner = Planner(_inputs([Cohort("archiveren", date(2026, 5, 1), 3)]), 26)
    assert fte_needed(planner, Fraction(1), 1, cap) is None
