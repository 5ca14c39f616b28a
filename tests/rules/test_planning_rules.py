"""The pure rules of the capacity planning, with dates and counts worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from duo_zaak.rules.ibt import DEFAULT_NORMS
from duo_zaak.rules.planning import (
    Cohort,
    FtePeriod,
    estimated_inflow,
    fte_on,
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
from duo_zaak.rules.projection import PlanInputs, Planner, Spread, fte_needed, holds_from, within_norms_from

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


def test_fte_for_a_scope_and_a_week():
    periods = [
        FtePeriod(None, Fraction(3), date(2026, 1, 1), None),  # PiA as a whole
        FtePeriod("diemen", Fraction(1), date(2026, 3, 1), date(2026, 3, 31)),  # a person for Diemen in March
        FtePeriod(None, Fraction(5), date(2026, 3, 4), date(2026, 3, 10)),  # entered later: wins for those days
    ]
    day = date(2026, 3, 5)
    assert (fte_on(periods, day), fte_on(periods, day, "diemen"), fte_on(periods, day, "uithoorn")) == (5, 1, 5)
    assert fte_on(periods, date(2025, 12, 31)) is None
    # Week of Monday 09-03: Mon-Tue 5, Wed-Sun 3 -> (2 x 5 + 5 x 3) / 7 = 25/7
    assert week_fte(periods, date(2026, 3, 9)) == Fraction(25, 7)
    # all four without a period of their own: the sum of the organisations' periods
    own = [FtePeriod("diemen", Fraction(1), date(2026, 1, 1), None), FtePeriod("uithoorn", Fraction(1, 2), day, None)]
    assert fte_on(own, day) == Fraction(3, 2)
    # a period starting on Thursday: the week's FTE is the average over the days that have one
    assert week_fte(own, date(2026, 3, 2), "uithoorn") == Fraction(1, 2)


def test_estimated_inflow_by_cumulative_rounding():
    # 0,4 a day: round(0,4 k) for k = 1..5 = 0 1 1 2 2 (round half up: 0,4 -> 0; 0,8 -> 1; 1,2 -> 1; 1,6 -> 2; 2,0 -> 2)
    # -> closings on days 2 and 4, archiveren due 10 days later: 12 and 14 days after the peildatum
    cohorts = estimated_inflow(SUN, Fraction(2, 5), 10, date(2026, 6, 14))
    assert [(c.vervaldatum, c.aantal, c.geschat) for c in cohorts] == [
        (date(2026, 6, 12), 1, True), (date(2026, 6, 14), 1, True)]
    # due 12-06 and 14-06 are both in step 2 (08-06..14-06); due on the peildatum itself is no inflow
    steps = inflow_per_step(SUN, [*cohorts, Cohort("vernietigen", SUN, 4)], 2)
    assert steps[1]["geschat"]["archiveren"] == 2 and steps[0]["bekend"]["vernietigen"] == 0


def _inputs(backlog, inflow=(), gesloten=None, norms=None):
    return PlanInputs(WED, tuple(backlog), tuple(inflow), gesloten or {date(2026, 1, 1): 100}, Fraction(0),
                      norms or DEFAULT_NORMS)


def test_a_short_first_step_and_chained_tasks():
    # 3 aanvullen tasks due 01-05, each followed by archiveren due 21-05; 1 archiveren due 01-06.
    backlog = [Cohort("archiefgegevens_aanvullen", date(2026, 5, 1), 3, (("archiveren", date(2026, 5, 21)),)),
               Cohort("archiveren", date(2026, 6, 1), 1)]
    # aanvullen 3,5 a week, archiveren 1 a week. Step 1 is 4 days (Thu-Sun): floor(3,5 x 4/7) = 2 aanvullen done,
    # their 2 archiveren tasks (due 21-05, older) join the archiveren queue at once; floor(1 x 4/7) = 0 archiveren.
    # Step 2 (11 days): floor(3,5 x 11/7) - 2 = 5 - 2 = 3, but 1 left: 1 done; archiveren floor(11/7) - 0 = 1: the
    # oldest (21-05) goes.
    states = Planner(_inputs(backlog), 3).run({"archiefgegevens_aanvullen": Fraction(7, 2), "archiveren": Fraction(1)})
    assert [(s.achterstand["archiefgegevens_aanvullen"], s.achterstand["archiveren"]) for s in states] == [
        (3, 1), (1, 3), (0, 3), (0, 2)]
    assert [s.oudste["archiveren"] for s in states] == [
        date(2026, 6, 1), date(2026, 5, 21), date(2026, 5, 21), date(2026, 5, 21)]
    assert states[2].afgehandeld == {"archiefgegevens_aanvullen": 1, "vernietigen": 0, "overbrengen": 0,
                                     "archiveren": 1}


def test_archiving_makes_way_for_destruction_within_the_projection():
    # One zaak: archiveren due 01-05, destruction due 10-06. Archived in step 1 -> its vernietigen task is due in
    # step 2 (08-06..14-06) and is in the backlog from then.
    backlog = [Cohort("archiveren", date(2026, 5, 1), 1, (("vernietigen", date(2026, 6, 10)),))]
    states = Planner(_inputs(backlog), 2).run({"archiveren": Fraction(7)})
    assert [(s.achterstand["archiveren"], s.achterstand["vernietigen"]) for s in states] == [(1, 0), (0, 0), (0, 1)]


def test_a_norm_holds_from_the_step_after_its_last_failure():
    # 1 vernietigen task due 15-03: 80 days old on 03-06, then 84 (07-06), 91 (14-06), 98 (21-06). Nobody does it:
    # the norm (at most 90 days) holds at the peildatum and in step 1 but not after, so it holds "from" no step.
    backlog = [Cohort("vernietigen", date(2026, 3, 15), 1)]
    idle = Planner(_inputs(backlog), 3).run({})
    assert [s.oudste_dagen("vernietigen") for s in idle] == [80, 84, 91, 98]
    assert [s.voldoet["A2"] for s in idle] == [True, True, False, False]
    assert holds_from(idle, "A2") is None and within_norms_from(idle) is None
    # 1 a week: floor(4/7) = 0 in step 1, floor(11/7) = 1 by step 2: gone before it is 91 days old.
    states = Planner(_inputs(backlog), 3).run({"vernietigen": Fraction(1)})
    assert [s.oudste_dagen("vernietigen") for s in states] == [80, 84, None, None]
    assert holds_from(states, "A2") == 0


def test_fte_needed_looks_at_every_larger_fte():
    # 10 aanvullen tasks, each followed by archiveren (due 01-05); A4 over 100 closed zaken: met with at most 2
    # archiveren tasks (2,0%). Per FTE-week: aanvullen 1, archiveren 0,5. Target step 3 (ends 21-06, 18 days).
    # - 0,1 FTE: by the last step (179 days) floor(0,1 x 179/7) = 2 aanvullen done, floor(0,05 x 179/7) = 1 archived:
    #   never more than 2 archiveren tasks, A4 holds throughout: the aanvullen backlog hides the archiving work.
    # - 0,2 FTE: 5 surface, 2 archived -> 3 at the end: fails. 3 FTE: by step 3 floor(3 x 18/7) = 7 surface,
    #   floor(1,5 x 18/7) = 3 archived -> 4: fails.
    # - From 6,3 FTE all 10 surface by step 3 and floor(0,5 f x 18/7) >= 8 (f >= 6,23) are archived: 2 left, and
    #   PiA keeps up after. 6,2 archives floor(7,97) = 7 by step 3: 3 left. The answer is 6,3, not 0,1.
    backlog = [Cohort("archiefgegevens_aanvullen", date(2026, 5, 1), 10, (("archiveren", date(2026, 5, 1)),))]
    per_fte = {"archiefgegevens_aanvullen": Spread(*[Fraction(1)] * 3), "archiveren": Spread(*[Fraction(1, 2)] * 3)}
    planner = Planner(_inputs(backlog), 26)

    def meets(fte):
        week = within_norms_from(planner.run({k: fte * v.mediaan for k, v in per_fte.items()}))
        return week is not None and week <= 3

    assert meets(Fraction(1, 10)) and not meets(Fraction(2, 10)) and not meets(Fraction(3))
    assert not meets(Fraction(62, 10)) and meets(Fraction(63, 10))
    assert fte_needed(planner, per_fte, 3, Fraction(25)) == Fraction(63, 10)


@pytest.mark.parametrize("cap", [Fraction(0), Fraction(1, 10)])
def test_fte_needed_none_when_the_cap_does_not_make_it(cap):
    # 2 archiveren tasks over 100 closed zaken = 2,0%: met; make it 3 (3,0%) with a cap that clears none in time.
    planner = Planner(_inputs([Cohort("archiveren", date(2026, 5, 1), 3)]), 26)
    assert fte_needed(planner, {"archiveren": Spread(*[Fraction(1)] * 3)}, 1, cap) is None
