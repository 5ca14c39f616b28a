"""The weekly projection of the archive backlog per kind at a capacity, the first step each IBT archive norm holds,
and the FTE needed by a target date (definitions in `planning`'s docstring and the README). Pure and exact.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from .archive import ARCHIEFGEGEVENS_AANVULLEN, ARCHIVEREN, KINDS, OVERBRENGEN, VERNIETIGEN, current_task
from .ibt import Norm, percentage, voldoet
from .planning import AGE_NORMS, FTE_STEP, NORM_CODES, YEAR_DAYS, Cohort, Spread, round_half_up, step_ends

# What finishing a task of a kind ends: completed data; archived; destroyed; transferred (no longer to archive).
ENDS: dict[str, frozenset[str]] = {
    ARCHIEFGEGEVENS_AANVULLEN: frozenset({ARCHIEFGEGEVENS_AANVULLEN}),
    VERNIETIGEN: frozenset(KINDS),
    OVERBRENGEN: frozenset({ARCHIEFGEGEVENS_AANVULLEN, OVERBRENGEN, ARCHIVEREN}),
    ARCHIVEREN: frozenset({ARCHIEFGEGEVENS_AANVULLEN, ARCHIVEREN}),
}


@dataclass(frozen=True)
class PlanInputs:
    peildatum: date
    achterstand: tuple[Cohort, ...]  # due on or before the peildatum and in the backlog now
    instroom: tuple[Cohort, ...]  # due after the peildatum: known and estimated
    gesloten: Mapping[date, int]  # zaken closed per day in the 365 days up to the peildatum (not destroyed)
    sluitingen_per_dag: Fraction  # the recent closing rate, for closings after the peildatum
    normen: Mapping[str, Norm]


@dataclass(frozen=True)
class WeekState:
    einde: date
    achterstand: Mapping[str, int]
    oudste: Mapping[str, date | None]
    afgehandeld: Mapping[str, int]
    a4_noemer: int
    voldoet: Mapping[str, bool]

    @property
    def totaal(self) -> int:
        return sum(self.achterstand.values())

    def oudste_dagen(self, kind: str) -> int | None:
        oldest = self.oudste[kind]
        return None if oldest is None else (self.einde - oldest).days

    @property
    def a4_waarde(self) -> float | None:
        return percentage(self.achterstand[ARCHIVEREN], self.a4_noemer)


def closed_in_year(inputs: PlanInputs, day: date) -> int:
    """Zaken closed in the 365 days up to `day`: the known ones, plus estimated closings after the peildatum."""
    start = day - timedelta(days=YEAR_DAYS - 1)
    known = sum(n for closed, n in inputs.gesloten.items() if start <= closed <= inputs.peildatum)
    return known + round_half_up(inputs.sluitingen_per_dag * max(0, (day - inputs.peildatum).days))


def _next_task(kind: str, verder: tuple[tuple[str, date], ...], day: date) -> Cohort | None:
    """The zaak's task after a task of `kind` was done on `day` (as one-task cohort, count set by the caller)."""
    rest = {other: due for other, due in verder if other not in ENDS[kind]}
    following = current_task(rest, day)
    if following is None:
        return None
    remaining = tuple((other, due) for other, due in verder if other in rest and other != following.soort)
    return Cohort(following.soort, following.vervaldatum, 0, remaining)


class Planner:
    """The projection of one set of inputs over `weeks` steps, run for any capacity."""

    def __init__(self, inputs: PlanInputs, weeks: int) -> None:
        self.inputs = inputs
        self.ends = step_ends(inputs.peildatum, weeks)
        self.noemers = [closed_in_year(inputs, inputs.peildatum), *(closed_in_year(inputs, e) for e in self.ends)]

    def _state(self, index: int, day: date, active: dict[str, list], done: dict[str, int]) -> WeekState:
        backlog = {kind: sum(item[2] for item in active[kind]) for kind in KINDS}
        oldest = {kind: min((item[0] for item in active[kind]), default=None) for kind in KINDS}
        noemer = self.noemers[index]
        met = {code: voldoet(self.inputs.normen[code], backlog[kind],
                             None if oldest[kind] is None else (day - oldest[kind]).days)
               for code, kind in AGE_NORMS.items()}
        met["A4"] = voldoet(self.inputs.normen["A4"], percentage(backlog[ARCHIVEREN], noemer))
        return WeekState(day, backlog, oldest, done, noemer, met)

    def run(self, capaciteit: Mapping[str, Fraction]) -> list[WeekState]:
        """states[0]: the peildatum; states[j]: the end of step j, after PiA did what the capacity allows."""
        order = itertools.count()
        active: dict[str, list] = {kind: [] for kind in KINDS}
        pending: dict[str, list] = {kind: [] for kind in KINDS}

        def push(heap: list, cohort: Cohort) -> None:
            heapq.heappush(heap, (cohort.vervaldatum, next(order), cohort.aantal, cohort.verder))

        for cohort in self.inputs.achterstand:
            push(active[cohort.soort], cohort)
        for cohort in self.inputs.instroom:
            push(pending[cohort.soort], cohort)

        def arrive(kind: str, day: date) -> None:
            while pending[kind] and pending[kind][0][0] <= day:
                heapq.heappush(active[kind], heapq.heappop(pending[kind]))

        def work(kind: str, amount: int, day: date) -> int:
            done = 0
            queue = active[kind]
            while amount > done and queue:
                due, number, count, verder = queue[0]
                taken = min(count, amount - done)
                if taken == count:
                    heapq.heappop(queue)
                else:
                    heapq.heapreplace(queue, (due, number, count - taken, verder))
                done += taken
                following = _next_task(kind, verder, day)
                if following is not None:
                    push(pending[following.soort], Cohort(following.soort, following.vervaldatum, taken,
                                                          following.verder))
            return done

        states = [self._state(0, self.inputs.peildatum, active, dict.fromkeys(KINDS, 0))]
        before = 0
        for index, end in enumerate(self.ends, start=1):
            days = (end - self.inputs.peildatum).days
            done = {}
            for kind in KINDS:
                rate = capaciteit.get(kind, Fraction(0))
                arrive(kind, end)
                done[kind] = work(kind, math.floor(rate * days / 7) - math.floor(rate * before / 7), end)
            for kind in KINDS:  # a task that follows one done this step and is already due is in the backlog
                arrive(kind, end)
            states.append(self._state(index, end, active, done))
            before = days
        return states


def capacity(per_fte: Mapping[str, Spread], band: str, fte: Fraction) -> dict[str, Fraction]:
    """Tasks per week per kind at `fte` with the throughput per FTE-week of the band."""
    return {kind: fte * value.band(band) for kind, value in per_fte.items()}


def holds_from(states: Sequence[WeekState], code: str) -> int | None:
    """The first step from which the norm holds in every step to the end; None when it fails at the end."""
    first = None
    for index in range(len(states) - 1, -1, -1):
        if not states[index].voldoet[code]:
            break
        first = index
    return first


def within_norms_from(states: Sequence[WeekState]) -> int | None:
    """The first step from which all three norms hold to the end (the latest of the three); None if one never does."""
    firsts = [holds_from(states, code) for code in NORM_CODES]
    return None if any(f is None for f in firsts) else max(f for f in firsts if f is not None)


def fte_needed(planner: Planner, per_fte: Mapping[str, Spread], target: int, max_fte: Fraction,
               band: str = "mediaan") -> Fraction | None:
    """The smallest FTE (steps of FTE_STEP) with all norms holding from step `target` on, for it and every larger FTE
    up to `max_fte`; None when `max_fte` itself does not make it. Scans down from the cap to the first failure."""
    steps = math.floor(max_fte / FTE_STEP)

    def meets(n: int) -> bool:
        week = within_norms_from(planner.run(capacity(per_fte, band, n * FTE_STEP)))
        return week is not None and week <= target

    for n in range(steps, -1, -1):
        if not meets(n):
            return None if n == steps else (n + 1) * FTE_STEP
    return Fraction(0)
