"""Open-zaak deadlines and states, and the timeliness and doorlooptijd of closed zaken (domain.md).

All functions are pure: dates in, dates/strings/numbers out. Day differences are calendar days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import NamedTuple

from connectors.zgw.durations import Duration, add_duration

from .workdays import add_working_duration

OPGESCHORT = "opgeschort"
ONBEKEND = "onbekend"
TERMIJN_OVERSCHREDEN = "termijn_overschreden"
NORM_OVERSCHREDEN = "norm_overschreden"
OP_TIJD = "op_tijd"
STATES = (OPGESCHORT, ONBEKEND, TERMIJN_OVERSCHREDEN, NORM_OVERSCHREDEN, OP_TIJD)


def _usable(duration: Duration | None) -> Duration | None:
    """A zero duration (`P0D`) says nothing about a deadline: treat it as absent."""
    return None if duration is None or duration.is_zero else duration


def fatale_datum(startdatum: date, uiterlijke_einddatum_afdoening: date | None, doorlooptijd: Duration | None,
                 verlenging_duur: Duration | None) -> date | None:
    """The legal deadline: the stored date wins (the source already moved it for a verlenging); else
    startdatum + doorlooptijd (calendar), then + verlenging in working days; None when not derivable.

    A zero doorlooptijd counts as no doorlooptijd (the zaaktype has no usable one).
    """
    if uiterlijke_einddatum_afdoening is not None:
        return uiterlijke_einddatum_afdoening
    doorlooptijd = _usable(doorlooptijd)
    if doorlooptijd is None:
        return None
    deadline = add_duration(startdatum, doorlooptijd)
    if verlenging_duur is not None:
        deadline = add_working_duration(deadline, verlenging_duur)
    return deadline


def streefdatum(startdatum: date, einddatum_gepland: date | None, servicenorm: Duration | None,
                fatale: date | None) -> date | None:
    """The service-norm target: einddatumGepland; else startdatum + servicenorm; else the fatale datum.

    A zero servicenorm counts as none.
    """
    if einddatum_gepland is not None:
        return einddatum_gepland
    servicenorm = _usable(servicenorm)
    if servicenorm is not None:
        return add_duration(startdatum, servicenorm)
    return fatale


def open_state(opgeschort: bool, fatale: date | None, streef: date | None, peildatum: date) -> str:
    """The one state of an open zaak: the first of STATES that applies. A deadline equal to the
    peildatum is not passed."""
    if opgeschort:
        return OPGESCHORT
    if fatale is None:
        return ONBEKEND
    if peildatum > fatale:
        return TERMIJN_OVERSCHREDEN
    if streef is not None and peildatum > streef:
        return NORM_OVERSCHREDEN
    return OP_TIJD


def termijn_verstreken_tijdens_opschorting(opgeschort: bool, fatale: date | None, peildatum: date) -> bool:
    """A suspended zaak whose fatale datum has passed (flagged, not counted as overdue)."""
    return opgeschort and fatale is not None and peildatum > fatale


def binnenkort_verlopend(state: str, fatale: date | None, peildatum: date, days: int = 7) -> bool:
    """Due soon: state op_tijd or norm_overschreden and 0 <= fatale - peildatum <= days."""
    if state not in (OP_TIJD, NORM_OVERSCHREDEN) or fatale is None:
        return False
    return 0 <= (fatale - peildatum).days <= days


def dagen_over_termijn(fatale: date | None, peildatum: date) -> int | None:
    """peildatum - fatale datum in days: >= 1 when overdue, 0 on the deadline itself, negative = days
    left. None without a fatale datum."""
    return None if fatale is None else (peildatum - fatale).days


class AgeingBucket(str):
    """An ageing-bucket label ("1-30") that also knows its day range; `tot` None = no upper bound.

    A `str`, so it compares, hashes and serialises as its label.
    """

    van: int
    tot: int | None

    def __new__(cls, label: str, van: int, tot: int | None) -> AgeingBucket:
        bucket = super().__new__(cls, label)
        bucket.van = van
        bucket.tot = tot
        return bucket

    @property
    def label(self) -> str:
        return str(self)


AGEING_BUCKETS = (
    AgeingBucket("1-30", 1, 30),
    AgeingBucket("31-60", 31, 60),
    AgeingBucket("61-90", 61, 90),
    AgeingBucket("90+", 91, None),
)


def ageing_bucket(days: int) -> AgeingBucket | None:
    """The bucket of an overdue zaak by dagen over termijn; None when not overdue (days < 1)."""
    for bucket in AGEING_BUCKETS:
        if days >= bucket.van and (bucket.tot is None or days <= bucket.tot):
            return bucket
    return None


def tijdig(einddatum: date | None, fatale: date | None) -> bool | None:
    """Closed on or before the fatale datum; None when the zaak is open or has no fatale datum."""
    if einddatum is None or fatale is None:
        return None
    return einddatum <= fatale


def doorlooptijd_dagen(startdatum: date, einddatum: date) -> int:
    """einddatum - startdatum in calendar days (negative for the data error einddatum < startdatum)."""
    return (einddatum - startdatum).days


class DoorlooptijdStats(NamedTuple):
    mediaan: float | None
    p90: float | None


def _quantile(ordered: Sequence[int], q: Fraction) -> float:
    """Linear interpolation between the closest ranks (numpy's default `linear` method, Hyndman-Fan 7),
    in exact fractions so 3.7 comes out as 3.7."""
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


def doorlooptijd_stats(days: Sequence[int]) -> DoorlooptijdStats:
    """Median and 90th percentile (linear interpolation, as numpy's default); (None, None) when empty."""
    if not days:
        return DoorlooptijdStats(None, None)
    ordered = sorted(days)
    return DoorlooptijdStats(_quantile(ordered, Fraction(1, 2)), _quantile(ordered, Fraction(9, 10)))
