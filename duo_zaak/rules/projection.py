"""The weekly projection of the archive backlog per kind at a capacity, the first step each IBT archive norm holds,
and the FTE needed by a target date (definitions in `planning`'s docstring and the README). Pure and exact.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from .archive import ARCHIEFGEGEVENS_AANVULLEN, ARCHIVEREN, KINDS, OVERBRENGEN, VERNIETIGEN, current_task
from .ibt import Norm, percentage, voldoet
from .planning import AGE_NORMS, FTE_STEP, NORM_CODES, YEAR_DAYS, Cohort, round_half_up, step_ends

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
    gesloten: Mapping[str, Mapping[date, int]]  # per organisation: zaken closed per day, the 365 days up to P
    sluitingen_per_dag: Mapping[str, Fraction]  # per organisation: the recent closing rate, for closings after P
    normen: Mapping[str, Norm]

    @property
    def organisaties(self) -> list[str]:
        return sorted({c.organisatie for c in (*self.achterstand, *self.instroom)} | set(self.gesloten)
                      | set(self.sluitingen_per_dag))


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


ALLE: str | None = None  # the key of the four together in a run's result


def closed_in_year(inputs: PlanInputs, organisatie: str, day: date) -> int:
    """An organisation's zaken closed in the 365 days up to `day`: known ones, plus estimated closings after P."""
    start = day - timedelta(days=YEAR_DAYS - 1)
    known = sum(n for closed, n in inputs.gesloten.get(organisatie, {}).items() if start <= closed <= inputs.peildatum)
    rate = inputs.sluitingen_per_dag.get(organisatie, Fraction(0))
    return known + round_half_up(rate * max(0, (day - inputs.peildatum).days))


def _next_task(kind: str, verder: tuple[tuple[str, date], ...], day: date) -> Cohort | None:
    """The zaak's task after a task of `kind` was done on `day` (as a cohort without count or organisation)."""
    rest = {other: due for other, due in verder if other not in ENDS[kind]}
    following = current_task(rest, day)
    if following is None:
        return None
    remaining = tuple((other, due) for other, due in verder if other in rest and other != following.soort)
    return Cohort(following.soort, following.vervaldatum, 0, remaining)


Key = tuple[str, str]  # (organisation, kind)
Runs = dict[str | None, list[WeekState]]  # per organisation and for all four (ALLE): the states of a run


class Planner:
    """The projection of one set of inputs over `weeks` steps, run for any capacity."""

    def __init__(self, inputs: PlanInputs, weeks: int) -> None:
        self.inputs = inputs
        self.orgs = inputs.organisaties
        self.ends = step_ends(inputs.peildatum, weeks)
        days = [inputs.peildatum, *self.ends]
        self.noemers: dict[str | None, list[int]] = {org: [closed_in_year(inputs, org, d) for d in days]
                                                     for org in self.orgs}
        self.noemers[ALLE] = [sum(self.noemers[org][i] for org in self.orgs) for i in range(len(days))]

    def _state(self, day: date, index: int, backlog: dict[str | None, dict[str, int]],
               oldest: dict[str | None, dict[str, date | None]], done: dict[str | None, dict[str, int]],
               scope: str | None) -> WeekState:
        noemer = self.noemers[scope][index]
        counts, first = backlog[scope], oldest[scope]
        met = {code: voldoet(self.inputs.normen[code], counts[kind],
                             None if first[kind] is None else (day - first[kind]).days)
               for code, kind in AGE_NORMS.items()}
        met["A4"] = voldoet(self.inputs.normen["A4"], percentage(counts[ARCHIVEREN], noemer))
        return WeekState(day, counts, first, done[scope], noemer, met)

    def run(self, shared: Fraction, dedicated: Mapping[str, Fraction] | None = None) -> Runs:
        """Per organisation and for all four (ALLE): states[0] the peildatum, states[j] the end of step j, after
        PiA did what `shared` tasks a week (and `dedicated` per organisation) allow."""
        result: Runs = {scope: [] for scope in [ALLE, *self.orgs]}
        for step in self.steps(shared, dedicated):
            for scope, state in step.items():
                result[scope].append(state)
        return result

    def steps(self, shared: Fraction, dedicated: Mapping[str, Fraction] | None = None,
              scopes: Sequence[str | None] | None = None) -> Iterator[dict[str | None, WeekState]]:
        """The states of `scopes` (default: all) step by step, so a caller can stop early."""
        wanted = [ALLE, *self.orgs] if scopes is None else list(scopes)
        order = itertools.count()
        keys: list[Key] = [(org, kind) for org in self.orgs for kind in KINDS]
        active: dict[Key, list] = {key: [] for key in keys}
        pending: dict[Key, list] = {key: [] for key in keys}
        totals: dict[Key, int] = dict.fromkeys(keys, 0)

        def push(heap: list, cohort: Cohort) -> None:
            heapq.heappush(heap, (cohort.vervaldatum, next(order), cohort.aantal, cohort.verder))

        for cohort in self.inputs.achterstand:
            push(active[(cohort.organisatie, cohort.soort)], cohort)
            totals[(cohort.organisatie, cohort.soort)] += cohort.aantal
        for cohort in self.inputs.instroom:
            push(pending[(cohort.organisatie, cohort.soort)], cohort)

        def arrive(day: date) -> None:
            for key, heap in pending.items():
                while heap and heap[0][0] <= day:
                    item = heapq.heappop(heap)
                    heapq.heappush(active[key], item)
                    totals[key] += item[2]

        def work(candidates: list[Key], amount: int, day: date, done: Counter[Key]) -> None:
            while amount > 0:
                key = min((k for k in candidates if active[k]), key=lambda k: active[k][0][:2], default=None)
                if key is None:
                    return
                due, number, count, verder = active[key][0]
                taken = min(count, amount)
                if taken == count:
                    heapq.heappop(active[key])
                else:
                    heapq.heapreplace(active[key], (due, number, count - taken, verder))
                totals[key] -= taken
                done[key] += taken
                amount -= taken
                following = _next_task(key[1], verder, day)
                if following is not None:
                    push(pending[(key[0], following.soort)], Cohort(following.soort, following.vervaldatum, taken,
                                                                    following.verder))

        def states(day: date, index: int, done: Counter[Key]) -> dict[str | None, WeekState]:
            backlog: dict[str | None, dict[str, int]] = {}
            oldest: dict[str | None, dict[str, date | None]] = {}
            finished: dict[str | None, dict[str, int]] = {}
            for org in self.orgs:
                backlog[org] = {kind: totals[(org, kind)] for kind in KINDS}
                oldest[org] = {kind: active[(org, kind)][0][0] if active[(org, kind)] else None for kind in KINDS}
                finished[org] = {kind: done[(org, kind)] for kind in KINDS}
            backlog[ALLE] = {kind: sum(backlog[org][kind] for org in self.orgs) for kind in KINDS}
            oldest[ALLE] = {kind: min((d for org in self.orgs if (d := oldest[org][kind])), default=None)
                            for kind in KINDS}
            finished[ALLE] = {kind: sum(finished[org][kind] for org in self.orgs) for kind in KINDS}
            return {scope: self._state(day, index, backlog, oldest, finished, scope) for scope in wanted}

        yield states(self.inputs.peildatum, 0, Counter())
        before = 0
        rates = sorted((dedicated or {}).items())
        for index, end in enumerate(self.ends, start=1):
            days = (end - self.inputs.peildatum).days
            done: Counter[Key] = Counter()
            arrive(end)
            for org, rate in rates:
                work([(org, kind) for kind in KINDS if (org, kind) in active],
                     math.floor(rate * days / 7) - math.floor(rate * before / 7), end, done)
            work(keys, math.floor(shared * days / 7) - math.floor(shared * before / 7), end, done)
            arrive(end)  # a task that follows one done this step and is already due is in the backlog
            yield states(end, index, done)
            before = days


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


def fte_needed(planner: Planner, per_fte: Fraction, target: int, max_fte: Fraction, scope: str | None = ALLE,
               dedicated: Mapping[str, Fraction] | None = None) -> Fraction | None:
    """The smallest shared FTE on the grid of FTE_STEP with the scope's norms holding from step `target` to the end,
    such that every whole FTE above it up to `max_fte` (and `max_fte` itself) makes it too; None when `max_fte`
    does not. `per_fte`: tasks per FTE-week; `dedicated`: FTE per organisation, kept as they are.

    The whole FTEs are tried from the top down to the first that fails (F); the answer is the first point above F
    that makes it. So more staff never looks worse than the answer at any whole FTE."""
    steps = math.floor(max_fte / FTE_STEP)
    per_whole = math.floor(1 / FTE_STEP)
    extra = {org: fte * per_fte for org, fte in (dedicated or {}).items()}

    def meets(n: int) -> bool:
        for index, states in enumerate(planner.steps(n * FTE_STEP * per_fte, extra, [scope])):
            if index >= target and not all(states[scope].voldoet.values()):
                return False  # from the target step on, one failure decides
        return True

    if not meets(steps):
        return None
    failing = next((n for n in range(steps - steps % per_whole, -1, -per_whole) if n < steps and not meets(n)), None)
    if failing is None:
        failing = -1
    return next(n for n in range(failing + 1, steps + 1) if meets(n)) * FTE_STEP
