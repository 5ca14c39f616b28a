"""Open-zaak deadlines and states, and the timeliness and doorlooptijd of closed zaken (domain.md).

All functions are pure: dates in, dates/strings/numbers out. Day differences are calendar days; working days
and the Atw are in `workdays`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, NamedTuple

from connectors.zgw.durations import Duration, add_duration

from .workdays import WEEKDAGEN, add_working_duration, geen_werkdag_redenen, next_working_day_on_or_after

OPGESCHORT = "opgeschort"
ONBEKEND = "onbekend"
TERMIJN_OVERSCHREDEN = "termijn_overschreden"
NORM_OVERSCHREDEN = "norm_overschreden"
OP_TIJD = "op_tijd"
STATES = (OPGESCHORT, ONBEKEND, TERMIJN_OVERSCHREDEN, NORM_OVERSCHREDEN, OP_TIJD)


def _usable(duration: Duration | None) -> Duration | None:
    """A zero duration (`P0D`) says nothing about a deadline: treat it as absent."""
    return None if duration is None or duration.is_zero else duration


# -- fatale datum and how it came about ------------------------------------------------------------------

OPGESLAGEN = "opgeslagen"
AFGELEID = "afgeleid"
ATW_VERSCHOVEN = "atw_verschoven"
VERLENGING = "verlenging"
VERLENGING_NIET_VERWERKT = "verlenging_niet_verwerkt"
VERLENGING_AL_VERWERKT = "verlenging_al_verwerkt"
VERLENGING_NIET_TE_TOETSEN = "verlenging_niet_te_toetsen"
NIET_AF_TE_LEIDEN = "niet_af_te_leiden"
STAP_CODES = (OPGESLAGEN, AFGELEID, ATW_VERSCHOVEN, VERLENGING, VERLENGING_NIET_VERWERKT, VERLENGING_AL_VERWERKT,
              VERLENGING_NIET_TE_TOETSEN, NIET_AF_TE_LEIDEN)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def datum_tekst(day: date) -> str:
    """dd-mm-jjjj, the way a Dutch reader writes a date."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def dag_tekst(day: date) -> str:
    """Weekday and date: "dinsdag 28-04-2026"."""
    return f"{WEEKDAGEN[day.weekday()]} {datum_tekst(day)}"


def _opsomming(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} en {parts[-1]}"


def _maanden_delen(duur: Duration) -> list[str]:
    parts = []
    if duur.years:
        parts.append(f"{duur.years} jaar")
    if duur.months:
        parts.append(f"{duur.months} {'maand' if duur.months == 1 else 'maanden'}")
    return parts


def duur_tekst(duur: Duration) -> str:
    """A calendar duration in Dutch: "8 weken" (days divisible by 7), "10 dagen", "1 maand", "2 maanden",
    "1 jaar", "1 jaar, 2 maanden en 3 dagen"; "0 dagen" for a zero duration.

    A Duration keeps no weeks (`P8W` and `P56D` are the same value), so 56 days read as "8 weken".
    """
    parts = _maanden_delen(duur)
    if duur.days and duur.days % 7 == 0:
        weeks = duur.days // 7
        parts.append(f"{weeks} {'week' if weeks == 1 else 'weken'}")
    elif duur.days or not parts:
        parts.append(f"{duur.days} {'dag' if duur.days == 1 else 'dagen'}")
    return _opsomming(parts)


def verlenging_tekst(duur: Duration) -> str:
    """A verlenging in Dutch: its days are working days ("15 werkdagen", "1 maand en 5 werkdagen"); weeks
    are not used, as `P6W` adds 42 working days."""
    parts = _maanden_delen(duur)
    if duur.days or not parts:
        parts.append(f"{duur.days} {'werkdag' if duur.days == 1 else 'werkdagen'}")
    return _opsomming(parts)


@dataclass(frozen=True)
class Stap:
    """One step in how a fatale datum came about.

    `code` is one of STAP_CODES; `datum` is the date after the step (None only for `niet_af_te_leiden`);
    `tekst` says it in Dutch for a team lead. The other fields hold what the step used:
    `van` the date it started from (startdatum, the date before an Atw move or a verlenging),
    `duur` the doorlooptijd (`afgeleid`) or the verlenging, `afgeleide_termijn` the A a stored date was
    compared with, `redenen` why the days skipped by an Atw move are no working days.
    """

    code: str
    datum: date | None
    tekst: str
    van: date | None = None
    duur: Duration | None = None
    afgeleide_termijn: date | None = None
    redenen: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: ISO dates, ISO 8601 duration, a list of reasons."""
        return {"code": self.code, "datum": _iso(self.datum), "tekst": self.tekst, "van": _iso(self.van),
                "duur": None if self.duur is None else self.duur.isoformat(),
                "afgeleide_termijn": _iso(self.afgeleide_termijn), "redenen": list(self.redenen)}


@dataclass(frozen=True)
class Herkomst:
    """A fatale datum (None when not derivable) and the steps that produced it, in order."""

    datum: date | None
    stappen: tuple[Stap, ...]

    @property
    def tekst(self) -> str:
        return "; ".join(stap.tekst for stap in self.stappen)

    def as_dict(self) -> dict[str, Any]:
        return {"datum": _iso(self.datum), "tekst": self.tekst, "stappen": [stap.as_dict() for stap in self.stappen]}


_NIET_AF_TE_LEIDEN = Herkomst(None, (Stap(NIET_AF_TE_LEIDEN, None,
                                          "niet af te leiden: geen opgeslagen datum en geen doorlooptijd"),))


def _atw(day: date) -> tuple[Stap, ...]:
    """Atw art. 1 on a derived date: no step when `day` is a working day, else one `atw_verschoven` step."""
    moved = next_working_day_on_or_after(day)
    if moved == day:
        return ()
    redenen: dict[str, None] = {}  # ordered and without repeats
    skipped = day
    while skipped < moved:
        redenen.update(dict.fromkeys(geen_werkdag_redenen(skipped)))
        skipped += timedelta(days=1)
    return (Stap(ATW_VERSCHOVEN, moved, f"naar {dag_tekst(moved)} geschoven (Atw: {', '.join(redenen)})",
                 van=day, redenen=tuple(redenen)),)


def _afgeleid(startdatum: date, doorlooptijd: Duration | None) -> tuple[Stap, ...]:
    """The steps of the afgeleide termijn; () when the doorlooptijd is unknown or zero."""
    doorlooptijd = _usable(doorlooptijd)
    if doorlooptijd is None:
        return ()
    day = add_duration(startdatum, doorlooptijd)
    return (Stap(AFGELEID, day, f"afgeleid: startdatum + {duur_tekst(doorlooptijd)}", van=startdatum,
                 duur=doorlooptijd),) + _atw(day)


def _verlengd(stappen: tuple[Stap, ...], start: date, verlenging: Duration) -> Herkomst:
    day = add_working_duration(start, verlenging)
    stappen += (Stap(VERLENGING, day, f"+ {verlenging_tekst(verlenging)} verlenging", van=start, duur=verlenging),)
    stappen += _atw(day)
    return Herkomst(stappen[-1].datum, stappen)


def afgeleide_termijn(startdatum: date, doorlooptijd: Duration | None) -> date | None:
    """A = startdatum + doorlooptijd (calendar arithmetic), moved to the next working day when it falls on a
    Saturday, Sunday or Atw holiday (Atw art. 1); None when the doorlooptijd is unknown or zero."""
    stappen = _afgeleid(startdatum, doorlooptijd)
    return stappen[-1].datum if stappen else None


def fatale_datum_herkomst(startdatum: date, uiterlijke_einddatum_afdoening: date | None,
                          doorlooptijd: Duration | None, verlenging_duur: Duration | None) -> Herkomst:
    """The fatale datum (domain.md "Open zaken") and how it came about.

    With S = the stored uiterlijkeEinddatumAfdoening, A = `afgeleide_termijn` and N = the verlenging
    (a zero or absent verlenging is N = 0):
    - N = 0: S; when S is null: A.
    - N > 0 and S null: A + N working days.
    - N > 0 and S <= A: S was not moved for the verlenging: S + N working days.
    - N > 0 and S > A, or A unknown: S.
    None when neither S nor A is known.

    "+ N working days" is `add_working_duration`: years and months of the verlenging with month arithmetic,
    then its days as working days, counted from the day after A or S. Every *derived* result (A, and A or
    S plus a verlenging) gets Atw art. 1: moved to the next working day when it is none. After a verlenging
    with days it always is one already; a verlenging of whole months only can end on a weekend or holiday.
    A stored S taken as it is (N = 0, S > A, A unknown) is never moved: the source's date is kept as stored.
    S is compared with A after A's Atw move, and a verlenging on A counts from the moved A.
    """
    s = uiterlijke_einddatum_afdoening
    verlenging = _usable(verlenging_duur)
    if verlenging is None:
        if s is not None:
            return Herkomst(s, (Stap(OPGESLAGEN, s, "opgeslagen"),))  # A is not needed: not derived
        afgeleid = _afgeleid(startdatum, doorlooptijd)
        return Herkomst(afgeleid[-1].datum, afgeleid) if afgeleid else _NIET_AF_TE_LEIDEN
    afgeleid = _afgeleid(startdatum, doorlooptijd)
    a = afgeleid[-1].datum if afgeleid else None
    if s is None:
        return _NIET_AF_TE_LEIDEN if a is None else _verlengd(afgeleid, a, verlenging)
    opgeslagen = Stap(OPGESLAGEN, s, "opgeslagen")
    if a is None:
        return Herkomst(s, (opgeslagen, Stap(
            VERLENGING_NIET_TE_TOETSEN, s, f"verlenging van {verlenging_tekst(verlenging)} als verwerkt "
            "aangenomen: geen afgeleide termijn om mee te vergelijken", duur=verlenging)))
    if s > a:
        return Herkomst(s, (opgeslagen, Stap(
            VERLENGING_AL_VERWERKT, s, f"verlenging van {verlenging_tekst(verlenging)} al verwerkt: opgeslagen "
            f"datum na de afgeleide termijn ({datum_tekst(a)})", duur=verlenging, afgeleide_termijn=a)))
    niet_verwerkt = Stap(VERLENGING_NIET_VERWERKT, s, f"opgeslagen datum niet na de afgeleide termijn "
                         f"({datum_tekst(a)}): verlenging nog niet verwerkt", duur=verlenging, afgeleide_termijn=a)
    return _verlengd((opgeslagen, niet_verwerkt), s, verlenging)


def fatale_datum(startdatum: date, uiterlijke_einddatum_afdoening: date | None, doorlooptijd: Duration | None,
                 verlenging_duur: Duration | None) -> date | None:
    """The legal deadline by the rule of `fatale_datum_herkomst`, without the explanation."""
    return fatale_datum_herkomst(startdatum, uiterlijke_einddatum_afdoening, doorlooptijd, verlenging_duur).datum


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
