"""Archive backlog: the current-task rule, task statuses, the peildatum moving the calendar, the queue."""

from __future__ import annotations

from datetime import date

import pytest

from duo_zaak.db import db
from duo_zaak.figures.archive import TaskFilter, archive_backlog, task_queue
from duo_zaak.figures.scope import NO_TEAM_ID, Scope

from .builders import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ALL = Scope.everything()
CLOSED = "2026-01-01"


def _archive_world(world):
    k = {}
    # Diemen OE-A
    # 1: aanvullen due 15 days (no task row yet); 2: aanvullen not due yet, so archiveren (5 days) is current
    k[1] = world.zaak(einddatum=CLOSED, aanvullen_vervalt="2026-04-30", archiveren_vervalt="2026-05-20")
    k[2] = world.zaak(einddatum=CLOSED, aanvullen_vervalt="2026-05-22", archiveren_vervalt="2026-05-10")
    world.task(k[2], "archiveren")
    k[3] = world.zaak(einddatum=CLOSED, vernietigen_vervalt="2026-01-10", archiveren_vervalt="2026-05-01")  # 125 d
    world.task(k[3], "vernietigen", "niet_bevestigd")
    k[4] = world.zaak(einddatum=CLOSED, overbrengen_vervalt="2020-06-01")
    world.task(k[4], "overbrengen", "gemeld_gereed")  # marked: not in the backlog
    k[5] = world.zaak(einddatum=CLOSED, archiveren_vervalt="2026-04-15")
    world.task(k[5], "archiveren", "bevestigd")  # as it is now: ended
    k[6] = world.zaak(einddatum=CLOSED, aanvullen_vervalt="2026-04-01", archiveren_vervalt="2026-04-02")
    world.task(k[6], "archiefgegevens_aanvullen", "opgelost_in_bron")  # the current kind's row counts...
    world.task(k[6], "archiveren", "open")  # ...not another kind's
    # Diemen OE-B
    k[7] = world.zaak(team="OE-B", einddatum=CLOSED, vernietigen_vervalt="2026-05-15", zaaktype="zonder")  # 0 d
    k[8] = world.zaak(team="OE-B", einddatum=CLOSED, overbrengen_vervalt="2046-01-01")  # komend
    k[9] = world.zaak(team="OE-B", einddatum=CLOSED, vernietigen_vervalt="2020-01-01", vernietigd_op="2026-05-01")
    # Uithoorn, no team; Duo+ OE-C
    k[11] = world.zaak(org="uithoorn", team=None, einddatum=CLOSED, archiveren_vervalt="2026-05-14")  # 1 d
    world.task(k[11], "archiveren")
    k[12] = world.zaak(org="duoplus", team="OE-C", einddatum=CLOSED, overbrengen_vervalt="2026-02-14")  # 90 d
    db.session.commit()
    return k


def _a(figures):
    return (figures.achterstand, dict(figures.per_soort), figures.niet_bevestigd, figures.oudste_dagen)


def _soort(aanvullen=0, vernietigen=0, overbrengen=0, archiveren=0):
    return {"archiefgegevens_aanvullen": aanvullen, "vernietigen": vernietigen, "overbrengen": overbrengen,
            "archiveren": archiveren}


@BOTH
def test_archive_backlog_current_task_rule(world):
    _archive_world(world)
    result = archive_backlog(P, ALL)
    # backlog: 1 aanvullen (15 d), 2 archiveren (5 d), 3 vernietigen niet_bevestigd (125 d), 7 vernietigen (0 d),
    # 11 archiveren (1 d), 12 overbrengen (90 d); not: 4 gemeld_gereed, 5 bevestigd, 6 opgelost, 8 komend,
    # 9 destroyed (open zaken have no due dates: the sync derives them for closed zaken only)
    assert _a(result.totaal) == (6, _soort(1, 2, 1, 2), 1, 125)
    duoplus, diemen, ouder_amstel, uithoorn = result.organisaties
    assert _a(diemen.figures) == (4, _soort(1, 2, 0, 1), 1, 125)
    assert [t.team.id for t in diemen.teams] == ["OE-A", "OE-B"]
    assert _a(diemen.teams[0].figures) == (3, _soort(1, 1, 0, 1), 1, 125)
    assert _a(diemen.teams[1].figures) == (1, _soort(0, 1, 0, 0), 0, 0)
    assert _a(duoplus.figures) == (1, _soort(overbrengen=1), 0, 90)
    assert _a(ouder_amstel.figures) == (0, _soort(), 0, None) and ouder_amstel.teams == []
    assert [(t.team.id, t.team.naam) for t in uithoorn.teams] == [(None, "Niet toegewezen")]
    assert _a(uithoorn.figures) == (1, _soort(archiveren=1), 0, 1)
    assert len(result.organisaties) == 4  # no zaken of an unknown organisation in the backlog


@BOTH
def test_the_peildatum_moves_the_calendar_not_the_data(world):
    _archive_world(world)
    # 22-05: zaak 2's aanvullen is due now and comes first (no row yet: open); 3 is 132 days old
    later = archive_backlog(date(2026, 5, 22), ALL).totaal
    assert _a(later) == (6, _soort(2, 2, 1, 1), 1, 132)
    # 01-05: only 1 (aanvullen 30-04), 3 (vernietigen) and 12 (overbrengen) are due; 2, 7 and 11 not yet
    earlier = archive_backlog(date(2026, 5, 1), ALL).totaal
    assert _a(earlier) == (3, _soort(1, 1, 1, 0), 1, 111)


def test_archive_backlog_scope(world):
    _archive_world(world)
    assert archive_backlog(P, Scope(frozenset({"OE-B", "OE-C"}))).totaal.achterstand == 2
    assert archive_backlog(P, Scope(frozenset({"OE-X"}))).totaal.achterstand == 0


@BOTH
def test_task_queue_filters_sort_and_pages(world):
    k = _archive_world(world)
    ids = {zaak.id: n for n, zaak in k.items()}

    def numbers(page):
        return [ids[task.zaak_id] for task in page.items]

    queue = task_queue(P, ALL)
    assert numbers(queue) == [3, 12, 1, 2, 11, 7]  # oldest first
    assert [t.dagen_open for t in queue.items] == [125, 90, 15, 5, 1, 0]
    first = queue.items[2]
    assert (first.id, first.status, first.soort, first.vervaldatum) == (None, "open", "archiefgegevens_aanvullen",
                                                                        date(2026, 4, 30))
    assert queue.items[0].id is not None and queue.items[0].status == "niet_bevestigd"
    assert queue.items[0].zaak_url == k[3].url and queue.items[0].organisatie.code == "diemen"
    assert numbers(task_queue(P, ALL, sort="vervaldatum", descending=True)) == [7, 11, 2, 1, 12, 3]
    assert numbers(task_queue(P, ALL, TaskFilter(soort="vernietigen"))) == [3, 7]
    assert numbers(task_queue(P, ALL, TaskFilter(statuses=("gemeld_gereed",)))) == [4]
    assert numbers(task_queue(P, ALL, TaskFilter(statuses=("bevestigd",)))) == [5]
    assert numbers(task_queue(P, ALL, TaskFilter(organisatie="diemen", team="OE-A"))) == [3, 1, 2]
    assert numbers(task_queue(P, ALL, TaskFilter(team=NO_TEAM_ID))) == [11]
    assert numbers(task_queue(P, ALL, TaskFilter(min_dagen=90))) == [3, 12]
    assert numbers(task_queue(P, ALL, TaskFilter(zaaktype="ZT-2"))) == [7]
    second = task_queue(P, ALL, page=2, per_page=4)
    assert (second.total, second.has_next, numbers(second)) == (6, False, [11, 7])
    assert numbers(task_queue(P, Scope(frozenset({"OE-C"})))) == [12]
