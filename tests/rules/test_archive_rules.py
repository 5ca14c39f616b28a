"""Archive task conditions, due dates, the current task and the task life cycle (domain.md "Archive work")."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duo_zaak.rules.archive import (
    ARCHIEFGEGEVENS_AANVULLEN,
    ARCHIVEREN,
    BACKLOG_STATUSES,
    BEVESTIGD,
    ENDED_STATUSES,
    GEMELD_GEREED,
    KINDS,
    NIET_BEVESTIGD,
    OPEN,
    OPGELOST_IN_BRON,
    OVERBRENGEN,
    STATUSES,
    VERNIETIGEN,
    ArchiveSettings,
    CurrentTask,
    TaskTransitionError,
    after_sync,
    can_mark,
    can_undo,
    current_task,
    mark,
    task_due_dates,
    undo,
)

S = ArchiveSettings()
EIND = date(2026, 4, 10)


def due(**overrides: object) -> dict[str, date]:
    """A closed, complete zaak to be destroyed on 10-04-2027, still nog_te_archiveren, unless overridden."""
    fields: dict[str, object] = dict(einddatum=EIND, archiefstatus="nog_te_archiveren", heeft_resultaat=True,
                                     archiefnominatie="vernietigen", archiefactiedatum=date(2027, 4, 10),
                                     vernietigd=False, settings=S)
    fields.update(overrides)
    return task_due_dates(**fields)  # type: ignore[arg-type]


def test_constants() -> None:
    assert KINDS == ("archiefgegevens_aanvullen", "vernietigen", "overbrengen", "archiveren")
    assert (ARCHIEFGEGEVENS_AANVULLEN, VERNIETIGEN, OVERBRENGEN, ARCHIVEREN) == KINDS
    assert STATUSES == ("open", "gemeld_gereed", "bevestigd", "niet_bevestigd", "opgelost_in_bron")
    assert BACKLOG_STATUSES == (OPEN, NIET_BEVESTIGD)
    assert set(ENDED_STATUSES) == {BEVESTIGD, OPGELOST_IN_BRON}
    assert ArchiveSettings() == ArchiveSettings(aanvullen_dagen=10, archiveren_dagen=30, overbrengen_jaren=20,
                                                bevestig_dagen=14)


# -- conditions and due dates ----------------------------------------------------------------------------

def test_open_zaak_has_no_tasks() -> None:
    assert due(einddatum=None) == {}


def test_destroyed_zaak_has_no_tasks() -> None:
    assert due(vernietigd=True) == {}
    assert due(vernietigd=True, heeft_resultaat=False, archiefnominatie=None) == {}


def test_complete_zaak_to_destroy() -> None:
    # archiveren: 10-04 + 30 = 10-05; vernietigen on the archiefactiedatum
    assert due() == {VERNIETIGEN: date(2027, 4, 10), ARCHIVEREN: date(2026, 5, 10)}


def test_key_order_follows_kinds() -> None:
    assert list(due(heeft_resultaat=False)) == [ARCHIEFGEGEVENS_AANVULLEN, VERNIETIGEN, ARCHIVEREN]


@pytest.mark.parametrize(
    "overrides",
    [
        {"heeft_resultaat": False},
        {"archiefnominatie": None, "archiefactiedatum": None},
        {"archiefnominatie": "", "archiefactiedatum": None},  # blank counts as none
        {"archiefactiedatum": None},  # vernietigen without archiefactiedatum
    ],
)
def test_aanvullen_when_data_incomplete(overrides: dict[str, object]) -> None:
    # 10-04 + 10 = 20-04
    assert due(**overrides)[ARCHIEFGEGEVENS_AANVULLEN] == date(2026, 4, 20)


def test_aanvullen_only_while_nog_te_archiveren() -> None:
    assert ARCHIEFGEGEVENS_AANVULLEN not in due(archiefstatus="gearchiveerd", heeft_resultaat=False)


def test_no_nomination_means_no_destruction_or_transfer() -> None:
    assert due(archiefnominatie="", archiefactiedatum=None) == {
        ARCHIEFGEGEVENS_AANVULLEN: date(2026, 4, 20), ARCHIVEREN: date(2026, 5, 10)}


def test_vernietigen_regardless_of_archiefstatus() -> None:
    # archived, archiefactiedatum 10-01-2020 passed: only vernietigen
    assert due(archiefstatus="gearchiveerd", archiefactiedatum=date(2020, 1, 10)) == {VERNIETIGEN: date(2020, 1, 10)}


def test_overbrengen_uses_archiefactiedatum() -> None:
    assert due(archiefnominatie="blijvend_bewaren", archiefactiedatum=date(2046, 4, 10),
               archiefstatus="gearchiveerd") == {OVERBRENGEN: date(2046, 4, 10)}


def test_overbrengen_falls_back_to_einddatum_plus_years() -> None:
    # 29-02-2024 + 20 years = 29-02-2044 (leap year); + 10 years = 28-02-2034 (clamped)
    kwargs = dict(einddatum=date(2024, 2, 29), archiefnominatie="blijvend_bewaren", archiefactiedatum=None,
                  archiefstatus="gearchiveerd")
    assert due(**kwargs) == {OVERBRENGEN: date(2044, 2, 29)}
    assert due(**kwargs, settings=ArchiveSettings(overbrengen_jaren=10)) == {OVERBRENGEN: date(2034, 2, 28)}


def test_transferred_zaak_is_done() -> None:
    assert due(archiefnominatie="blijvend_bewaren", archiefstatus="overgedragen") == {}


def test_blijvend_bewaren_nog_te_archiveren() -> None:
    # complete data (blijvend bewaren needs no archiefactiedatum to be complete): overbrengen and archiveren
    assert due(archiefnominatie="blijvend_bewaren", archiefactiedatum=None) == {
        OVERBRENGEN: date(2046, 4, 10), ARCHIVEREN: date(2026, 5, 10)}


def test_configured_grace_periods() -> None:
    settings = ArchiveSettings(aanvullen_dagen=5, archiveren_dagen=60)
    # 10-04 + 5 = 15-04; 10-04 + 60 = 09-06
    assert due(heeft_resultaat=False, settings=settings) == {
        ARCHIEFGEGEVENS_AANVULLEN: date(2026, 4, 15), VERNIETIGEN: date(2027, 4, 10), ARCHIVEREN: date(2026, 6, 9)}


# -- current task ----------------------------------------------------------------------------------------

def test_worked_example_of_domain_md() -> None:
    # closed two months ago (15-03), complete data, vernietigen in five years, still nog_te_archiveren:
    # archiveren due 15-03 + 30 = 14-04, a month before the peildatum 15-05
    peildatum = date(2026, 5, 15)
    closed = dict(einddatum=date(2026, 3, 15), archiefactiedatum=date(2031, 3, 15))
    assert current_task(due(**closed), peildatum) == CurrentTask(ARCHIVEREN, date(2026, 4, 14), komend=False)
    # once archived: no current task, vernietigen komend
    archived = due(**closed, archiefstatus="gearchiveerd")
    assert current_task(archived, peildatum) == CurrentTask(VERNIETIGEN, date(2031, 3, 15), komend=True)


def test_due_on_the_peildatum_is_due() -> None:
    assert current_task({ARCHIVEREN: date(2026, 5, 10)}, date(2026, 5, 10)).komend is False
    assert current_task({ARCHIVEREN: date(2026, 5, 10)}, date(2026, 5, 9)).komend is True


def test_first_due_kind_wins() -> None:
    both = {ARCHIEFGEGEVENS_AANVULLEN: date(2026, 4, 20), ARCHIVEREN: date(2026, 5, 10)}
    assert current_task(both, date(2026, 5, 15)).soort == ARCHIEFGEGEVENS_AANVULLEN
    # a later kind that is due beats an earlier kind that is not due yet
    later = {ARCHIEFGEGEVENS_AANVULLEN: date(2026, 5, 20), ARCHIVEREN: date(2026, 5, 10)}
    assert current_task(later, date(2026, 5, 15)) == CurrentTask(ARCHIVEREN, date(2026, 5, 10), komend=False)
    # nothing due: the first kind that holds is komend, even when a later kind falls due sooner
    assert current_task(later, date(2026, 5, 1)) == CurrentTask(ARCHIEFGEGEVENS_AANVULLEN, date(2026, 5, 20),
                                                               komend=True)


def test_no_condition_no_task() -> None:
    assert current_task({}, date(2026, 5, 15)) is None


@given(st.dictionaries(st.sampled_from(KINDS), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_current_task_is_never_komend_when_something_is_due(due_dates: dict[str, date], peildatum: date) -> None:
    task = current_task(due_dates, peildatum)
    if not due_dates:
        assert task is None
        return
    assert task is not None and task.vervaldatum == due_dates[task.soort]
    due_now = [kind for kind in KINDS if kind in due_dates and due_dates[kind] <= peildatum]
    if due_now:
        assert not task.komend and task.soort == due_now[0]
    else:
        assert task.komend and task.soort == next(kind for kind in KINDS if kind in due_dates)


# -- life cycle ------------------------------------------------------------------------------------------

GEMELD = date(2026, 5, 1)


def test_confirmed_when_condition_gone() -> None:
    assert after_sync(GEMELD_GEREED, False, GEMELD, date(2026, 5, 2), S) == BEVESTIGD
    assert after_sync(GEMELD_GEREED, False, GEMELD, date(2026, 6, 30), S) == BEVESTIGD  # also after 14 days


def test_niet_bevestigd_exactly_on_the_configured_day() -> None:
    # marked 01-05: day 14 is 15-05
    assert after_sync(GEMELD_GEREED, True, GEMELD, date(2026, 5, 14), S) == GEMELD_GEREED  # 13 days
    assert after_sync(GEMELD_GEREED, True, GEMELD, date(2026, 5, 15), S) == NIET_BEVESTIGD  # 14 days
    assert after_sync(GEMELD_GEREED, True, GEMELD, date(2026, 5, 8), ArchiveSettings(bevestig_dagen=7)) \
        == NIET_BEVESTIGD


def test_gemeld_without_date_waits() -> None:
    assert after_sync(GEMELD_GEREED, True, None, date(2030, 1, 1), S) == GEMELD_GEREED


@pytest.mark.parametrize("status", [OPEN, NIET_BEVESTIGD])
def test_resolved_in_source_without_mark(status: str) -> None:
    assert after_sync(status, False, None, GEMELD, S) == OPGELOST_IN_BRON
    assert after_sync(status, True, None, GEMELD, S) == status


@pytest.mark.parametrize("status", [BEVESTIGD, OPGELOST_IN_BRON])
@pytest.mark.parametrize("holds", [True, False])
def test_ended_statuses_stay(status: str, holds: bool) -> None:
    assert after_sync(status, holds, GEMELD, date(2026, 6, 1), S) == status


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        after_sync("weg", True, None, GEMELD, S)


@given(st.sampled_from(STATUSES), st.booleans(), st.integers(min_value=0, max_value=60))
def test_after_sync_is_idempotent(status: str, holds: bool, age: int) -> None:
    today = GEMELD + timedelta(days=age)
    once = after_sync(status, holds, GEMELD, today, S)
    assert after_sync(once, holds, GEMELD, today, S) == once


def test_mark_and_undo() -> None:
    assert [s for s in STATUSES if can_mark(s)] == [OPEN, NIET_BEVESTIGD]
    assert [s for s in STATUSES if can_undo(s)] == [GEMELD_GEREED]
    assert mark(OPEN) == GEMELD_GEREED
    assert mark(NIET_BEVESTIGD) == GEMELD_GEREED  # marking again after a failed confirmation
    assert undo(GEMELD_GEREED) == OPEN


@pytest.mark.parametrize("status", [GEMELD_GEREED, BEVESTIGD, OPGELOST_IN_BRON])
def test_mark_refused(status: str) -> None:
    with pytest.raises(TaskTransitionError, match="kan niet gereed gemeld worden"):
        mark(status)


@pytest.mark.parametrize("status", [OPEN, BEVESTIGD, NIET_BEVESTIGD, OPGELOST_IN_BRON])
def test_undo_refused(status: str) -> None:
    with pytest.raises(TaskTransitionError, match="ingetrokken"):
        undo(status)
    assert issubclass(TaskTransitionError, ValueError)
