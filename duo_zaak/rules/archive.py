"""Archive tasks of closed zaken (the PiA queue): which kinds apply, when they are due, which one is
current, and the life cycle of a task (domain.md, "Archive work").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from connectors.zgw.durations import add_months

ARCHIEFGEGEVENS_AANVULLEN = "archiefgegevens_aanvullen"
VERNIETIGEN = "vernietigen"
OVERBRENGEN = "overbrengen"
ARCHIVEREN = "archiveren"
KINDS = (ARCHIEFGEGEVENS_AANVULLEN, VERNIETIGEN, OVERBRENGEN, ARCHIVEREN)

NOG_TE_ARCHIVEREN = "nog_te_archiveren"
OVERGEDRAGEN = "overgedragen"
NOMINATIE_VERNIETIGEN = "vernietigen"
BLIJVEND_BEWAREN = "blijvend_bewaren"

OPEN = "open"
GEMELD_GEREED = "gemeld_gereed"
BEVESTIGD = "bevestigd"
NIET_BEVESTIGD = "niet_bevestigd"
OPGELOST_IN_BRON = "opgelost_in_bron"
STATUSES = (OPEN, GEMELD_GEREED, BEVESTIGD, NIET_BEVESTIGD, OPGELOST_IN_BRON)
BACKLOG_STATUSES = (OPEN, NIET_BEVESTIGD)
ENDED_STATUSES = (BEVESTIGD, OPGELOST_IN_BRON)


@dataclass(frozen=True)
class ArchiveSettings:
    """Grace periods and terms; configuration, not data (10 transfer years under the new Archiefwet)."""

    aanvullen_dagen: int = 10
    archiveren_dagen: int = 30
    overbrengen_jaren: int = 20
    bevestig_dagen: int = 14


def task_due_dates(*, einddatum: date | None, archiefstatus: str, heeft_resultaat: bool,
                   archiefnominatie: str | None, archiefactiedatum: date | None, vernietigd: bool,
                   settings: ArchiveSettings) -> dict[str, date]:
    """The due date of every kind whose condition holds, in KINDS order; empty for an open or destroyed zaak.

    A blank archiefnominatie counts as none.
    """
    if einddatum is None or vernietigd:
        return {}
    nominatie = archiefnominatie or None
    te_archiveren = archiefstatus == NOG_TE_ARCHIVEREN
    due: dict[str, date] = {}
    incompleet = (not heeft_resultaat or nominatie is None
                  or (nominatie == NOMINATIE_VERNIETIGEN and archiefactiedatum is None))
    if te_archiveren and incompleet:
        due[ARCHIEFGEGEVENS_AANVULLEN] = einddatum + timedelta(days=settings.aanvullen_dagen)
    if nominatie == NOMINATIE_VERNIETIGEN and archiefactiedatum is not None:
        due[VERNIETIGEN] = archiefactiedatum
    if nominatie == BLIJVEND_BEWAREN and archiefstatus != OVERGEDRAGEN:
        due[OVERBRENGEN] = archiefactiedatum or add_months(einddatum, 12 * settings.overbrengen_jaren)
    if te_archiveren:
        due[ARCHIVEREN] = einddatum + timedelta(days=settings.archiveren_dagen)
    return due


@dataclass(frozen=True)
class CurrentTask:
    soort: str
    vervaldatum: date
    komend: bool


def current_task(due: Mapping[str, date], peildatum: date) -> CurrentTask | None:
    """The first kind (KINDS order) due on or before the peildatum; else the first kind that holds, as
    komend (upcoming, outside the backlog); None when no kind holds."""
    for soort in KINDS:
        if soort in due and due[soort] <= peildatum:
            return CurrentTask(soort, due[soort], komend=False)
    for soort in KINDS:
        if soort in due:
            return CurrentTask(soort, due[soort], komend=True)
    return None


class TaskTransitionError(ValueError):
    """A PiA action that the task's status does not allow; the message is Dutch, for the user."""


def after_sync(status: str, condition_holds: bool, gemeld_op: date | None, today: date,
               settings: ArchiveSettings) -> str:
    """The status after a sync or the daily step saw whether the task's condition still holds.

    gemeld_gereed becomes niet_bevestigd on the day the mark is `bevestig_dagen` old (marked on 1 May
    with 14 days: niet_bevestigd from 15 May). Without a mark date a gemeld_gereed task waits.
    Ended statuses never change here (re-opening is the caller's decision).
    """
    if status not in STATUSES:
        raise ValueError(f"onbekende taakstatus {status!r}")
    if status in ENDED_STATUSES:
        return status
    if status == GEMELD_GEREED:
        if not condition_holds:
            return BEVESTIGD
        if gemeld_op is not None and (today - gemeld_op).days >= settings.bevestig_dagen:
            return NIET_BEVESTIGD
        return status
    return status if condition_holds else OPGELOST_IN_BRON


def can_mark(status: str) -> bool:
    return status in (OPEN, NIET_BEVESTIGD)


def can_undo(status: str) -> bool:
    return status == GEMELD_GEREED


def mark(status: str) -> str:
    """A PiA user marks the task done."""
    if not can_mark(status):
        raise TaskTransitionError(
            f"Een taak met status '{status}' kan niet gereed gemeld worden; dat kan alleen bij status "
            f"'{OPEN}' of '{NIET_BEVESTIGD}'.")
    return GEMELD_GEREED


def undo(status: str) -> str:
    """Withdraw a mark that a sync has not confirmed yet."""
    if not can_undo(status):
        raise TaskTransitionError(
            f"Alleen een gereedmelding die nog niet bevestigd is kan worden ingetrokken; deze taak heeft "
            f"status '{status}'.")
    return OPEN
