"""PiA capacity planning: how fast PiA clears archive tasks, what comes in, when the archive backlog is within the
IBT archive norms (A2, A3, A4) at a given staffing, and how much staffing that takes by a target date.

Pure: dates, counts and FTE in, answers out, in exact fractions, so a test can work every figure out by hand.
The definitions (README "PiA capacity planning" says the same in words):

- Weeks are ISO weeks, Monday to Sunday. History: the HISTORY_WEEKS complete weeks up to the last Sunday on or
  before the peildatum. Projection: steps ending on the Sundays after the peildatum (the first step is shorter
  when the peildatum is not a Sunday); step 0 is the backlog on the peildatum itself.
- Throughput of a week: tasks that became `bevestigd` that week (PiA marked them and a sync confirmed it), per
  kind and in total. Per FTE-week: divided by PiA's FTE that week (shared plus dedicated; weeks without a
  recorded FTE, or with 0, are left out). The spread is p25, median and p75 of the weekly values (linear
  interpolation between the sorted values).
- PiA is one team with one queue: capacity in tasks a week = FTE x total throughput per FTE-week (a task is a
  task, whatever its kind), taken from the tasks of all kinds and organisations together, oldest due date first;
  capacity dedicated to an organisation takes that organisation's oldest first. Whole tasks: by day t after the
  peildatum floor(c x t / 7) are done, so the long-run rate is exact; capacity without due work is lost.
- A task joins the backlog on its due date. Finishing a task ends what it ends (archiving ends the archiving and
  completing tasks, destruction everything, transfer all but destruction); the zaak's next task is the one
  `archive.current_task` gives among its other due dates, e.g. archiveren after aanvullen.
- Norms per step and organisation (and for the four together, over their sums): A2/A3 `voldoet` on the age of
  the oldest vernietigen/overbrengen task (step end minus its due date); A4 the archiveren backlog over the
  zaken closed in the 365 days up to the step end (known closings, then estimated ones at the recent closing
  rate). A norm "holds from" the first step after which it holds in every step to the end of the projection.
- FTE needed by a target date: the smallest shared FTE (steps of 0.1, dedicated FTE as recorded) such that all
  three norms hold from the last step ending on or before the target date, and so they do with every whole FTE
  above it up to the cap (more staff can bring hidden work forward: completed data turns into archiving tasks).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from .archive import ARCHIVEREN, KINDS, OVERBRENGEN, VERNIETIGEN

HISTORY_WEEKS = 12
HORIZON_WEEKS = 26
AFTER_TARGET_WEEKS = 13  # the norms must keep holding this long after the target date (about 3 months)
MAX_HORIZON_WEEKS = 104
MAX_TARGET_WEEKS = MAX_HORIZON_WEEKS - AFTER_TARGET_WEEKS
YEAR_DAYS = 365
FTE_STEP = Fraction(1, 10)
NORM_CODES = ("A2", "A3", "A4")
AGE_NORMS = {"A2": VERNIETIGEN, "A3": OVERBRENGEN}
BANDS = ("p25", "mediaan", "p75")
QUANTILES = {"p25": Fraction(1, 4), "mediaan": Fraction(1, 2), "p75": Fraction(3, 4)}
TOTAAL = "totaal"  # all kinds together
MAX_FTE_INPUT = 100
_FTE = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")


# -- weeks ---------------------------------------------------------------------------------------------------

def last_sunday(day: date) -> date:
    """The last Sunday on or before the day."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def history_mondays(peildatum: date, weeks: int = HISTORY_WEEKS) -> list[date]:
    """The Mondays of the `weeks` complete weeks up to the last Sunday on or before the peildatum, oldest first."""
    end = last_sunday(peildatum)
    return [end - timedelta(days=7 * (weeks - i) - 1) for i in range(weeks)]


def step_ends(peildatum: date, weeks: int) -> list[date]:
    """The ends (Sundays) of the projection steps 1..weeks."""
    start = last_sunday(peildatum)
    return [start + timedelta(days=7 * k) for k in range(1, weeks + 1)]


def target_step(peildatum: date, doeldatum: date) -> int:
    """The number of steps that end on or before the target date (the step by which the norms must hold)."""
    return max(0, (doeldatum - last_sunday(peildatum)).days // 7)


def horizon(target: int) -> int:
    """Steps to project: HORIZON_WEEKS, or up to AFTER_TARGET_WEEKS past the target step, at most MAX_HORIZON_WEEKS."""
    return min(MAX_HORIZON_WEEKS, max(HORIZON_WEEKS, target + AFTER_TARGET_WEEKS))


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week number) of a day."""
    year, week, _ = day.isocalendar()
    return year, week


# -- spread and staffing -------------------------------------------------------------------------------------

def quantile(values: Sequence[Fraction | int], q: Fraction) -> Fraction:
    """The q-quantile by linear interpolation between the sorted values (numpy's default): with n values, position
    h = (n - 1) x q; x[floor h] + (h - floor h) x (x[floor h + 1] - x[floor h])."""
    ordered = sorted(Fraction(v) for v in values)
    if not ordered:
        raise ValueError("geen waarden")
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


@dataclass(frozen=True)
class Spread:
    p25: Fraction
    mediaan: Fraction
    p75: Fraction

    def band(self, name: str) -> Fraction:
        return Fraction(getattr(self, name))


def spread(values: Sequence[Fraction | int]) -> Spread | None:
    """p25, median and p75 of the values; None without values."""
    if not values:
        return None
    return Spread(*(quantile(values, QUANTILES[band]) for band in BANDS))


def parse_fte(text: str) -> Fraction:
    """An FTE as typed: a number with at most two decimals, decimal comma or point ("3,2"), 0 to MAX_FTE_INPUT.
    ValueError with a Dutch message otherwise."""
    value = text.strip()
    if not _FTE.fullmatch(value):
        raise ValueError(f"'{value[:20]}' is geen aantal fte: gebruik een getal met hoogstens twee decimalen, "
                         "bijvoorbeeld 3,2.")
    result = Fraction(value.replace(",", "."))
    if result > MAX_FTE_INPUT:
        raise ValueError(f"{value} fte is meer dan {MAX_FTE_INPUT}: controleer het getal.")
    return result


@dataclass(frozen=True)
class FtePeriod:
    """PiA's capacity in FTE from `van` up to and including `tot` (None: open-ended): shared by the four
    organisations (`organisatie` None) or dedicated to one (its code), on top of the shared capacity."""

    organisatie: str | None
    fte: Fraction
    van: date
    tot: date | None

    def covers(self, day: date) -> bool:
        return self.van <= day and (self.tot is None or day <= self.tot)


def fte_split(periods: Sequence[FtePeriod], day: date) -> tuple[Fraction | None, dict[str, Fraction]]:
    """(the shared FTE, the dedicated FTE per organisation) on a day. `periods` in the order entered: for the same
    organisation (or for the shared pool), a later entry wins for the days it covers."""
    newest: dict[str | None, Fraction] = {}
    for period in periods:
        if period.covers(day):
            newest[period.organisatie] = period.fte
    shared = newest.pop(None, None)
    return shared, {str(org): fte for org, fte in sorted(newest.items(), key=lambda item: str(item[0]))}


def fte_total(periods: Sequence[FtePeriod], day: date) -> Fraction | None:
    """All of PiA on a day: the shared FTE plus every dedicated FTE; None when nothing is recorded."""
    shared, dedicated = fte_split(periods, day)
    if shared is None and not dedicated:
        return None
    return (shared or Fraction(0)) + sum(dedicated.values(), Fraction(0))


def week_fte(periods: Sequence[FtePeriod], monday: date) -> Fraction | None:
    """PiA's FTE in a week: the average of `fte_total` over its days that have one; None when no day has."""
    known = [value for i in range(7) if (value := fte_total(periods, monday + timedelta(days=i))) is not None]
    return sum(known, Fraction(0)) / len(known) if known else None


@dataclass(frozen=True)
class HistoryWeek:
    maandag: date
    bevestigd: Mapping[str, int]
    opgelost_in_bron: Mapping[str, int]
    gesloten: int
    fte: Fraction | None  # all of PiA (shared and dedicated)

    @property
    def zondag(self) -> date:
        return self.maandag + timedelta(days=6)

    @property
    def totaal(self) -> int:
        return sum(self.bevestigd.values())


def throughput(weeks: Sequence[HistoryWeek]) -> dict[str, Spread | None]:
    """The spread of the weekly counts of confirmed tasks, per kind and in total (TOTAAL)."""
    result = {kind: spread([w.bevestigd.get(kind, 0) for w in weeks]) for kind in KINDS}
    result[TOTAAL] = spread([w.totaal for w in weeks])
    return result


def throughput_per_fte(weeks: Sequence[HistoryWeek]) -> dict[str, Spread | None] | None:
    """The same per FTE-week, over the weeks with an FTE above 0; None when there is none. The total is PiA's
    capacity in the projection; the kinds show how it was spent."""
    usable = [w for w in weeks if w.fte]
    if not usable:
        return None
    result = {kind: spread([Fraction(w.bevestigd.get(kind, 0)) / w.fte for w in usable]) for kind in KINDS}
    result[TOTAAL] = spread([Fraction(w.totaal) / w.fte for w in usable])
    return result


# -- inflow --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cohort:
    """`aantal` tasks of one kind due on one date, of one organisation (its code); `verder` the zaken's other due
    dates within the projection (kind, date) in KINDS order; `geschat` for inflow estimated from open zaken."""

    soort: str
    vervaldatum: date
    aantal: int
    verder: tuple[tuple[str, date], ...] = ()
    geschat: bool = False
    organisatie: str = ""


def round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def estimated_inflow(peildatum: date, per_dag: Fraction, archiveren_dagen: int, until: date,
                     organisatie: str = "") -> list[Cohort]:
    """Zaken still open close at `per_dag` a day from the day after the peildatum; each becomes an archiveren task
    `archiveren_dagen` after closing. Whole tasks by cumulative rounding: by day k, round(per_dag x k) closed."""
    result = []
    previous = 0
    k = 1
    while (due := peildatum + timedelta(days=k + archiveren_dagen)) <= until:
        total = round_half_up(per_dag * k)
        if total > previous:
            result.append(Cohort(ARCHIVEREN, due, total - previous, geschat=True, organisatie=organisatie))
        previous = total
        k += 1
    return result


def inflow_per_step(peildatum: date, cohorts: Sequence[Cohort], weeks: int) -> list[dict[str, dict[str, int]]]:
    """Per step 1..weeks: {"bekend": {kind: n}, "geschat": {kind: n}} of the cohorts due in that step."""
    ends = step_ends(peildatum, weeks)
    result = [{"bekend": dict.fromkeys(KINDS, 0), "geschat": dict.fromkeys(KINDS, 0)} for _ in ends]
    start = last_sunday(peildatum)
    for cohort in cohorts:
        if cohort.vervaldatum <= peildatum:
            continue
        index = ((cohort.vervaldatum - start).days - 1) // 7  # step j covers (start + 7(j-1), start + 7j]
        if index < len(ends):
            result[index]["geschat" if cohort.geschat else "bekend"][cohort.soort] += cohort.aantal
    return result
