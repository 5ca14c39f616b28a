"""The per-worker figures cache: served while the data version holds, recomputed when a sync run or a task
event changes it, and a deep copy every time."""

from __future__ import annotations

from datetime import UTC, datetime

from duo_zaak.db import db
from duo_zaak.figures.archive import archive_backlog, backlog_cells, task_queue
from duo_zaak.figures.backlog import open_figures
from duo_zaak.figures.cache import figures_cache
from duo_zaak.figures.scope import Scope
from duo_zaak.models import SyncRun
from duo_zaak.tasks import marks

from .builders import P

ALL = Scope.everything()


def test_figures_follow_marks_and_sync_runs_not_direct_writes(world, app, users):
    app.config.update(FIGURES_CACHE_SECONDS=60, FIGURES_STALE_SECONDS=0)
    first = world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-01")
    task = world.task(first, "archiveren")
    db.session.commit()
    assert archive_backlog(P, ALL).totaal.achterstand == 1
    misses = figures_cache().misses

    # a row written outside a sync run or a task change does not change the version: still served
    world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-02")
    db.session.commit()
    assert archive_backlog(P, ALL).totaal.achterstand == 1
    assert figures_cache().misses == misses

    # a mark is a task event: recomputed (both zaken, one of them now gemeld_gereed)
    marks.mark_done([task.id], users["pia"], "pia", "", P, moment=datetime(2026, 5, 15, 9, 0, tzinfo=UTC))
    db.session.commit()
    assert archive_backlog(P, ALL).totaal.achterstand == 1
    assert figures_cache().misses == misses + 1

    # a new sync run, too
    world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-03")
    db.session.add(SyncRun(modus="incrementeel", uitkomst="geslaagd"))
    db.session.commit()
    assert archive_backlog(P, ALL).totaal.achterstand == 2


def test_a_moved_version_is_served_for_the_stale_seconds(world, app, users):
    app.config.update(FIGURES_CACHE_SECONDS=60, FIGURES_STALE_SECONDS=60)
    task = world.task(world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-01"), "archiveren")
    db.session.commit()
    assert archive_backlog(P, ALL).totaal.achterstand == 1
    marks.mark_done([task.id], users["pia"], "pia", "", P, moment=datetime(2026, 5, 15, 9, 0, tzinfo=UTC))
    db.session.commit()
    assert archive_backlog(P, ALL).totaal.achterstand == 1  # still the figure of a moment ago
    app.config["FIGURES_STALE_SECONDS"] = 0
    assert archive_backlog(P, ALL).totaal.achterstand == 0


def test_cached_figures_are_copies_and_switched_off_by_zero(world, app):
    app.config["FIGURES_CACHE_SECONDS"] = 60
    world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-01")
    db.session.commit()
    cells = backlog_cells(P, ALL)
    next(iter(cells.values())).achterstand = 999
    assert next(iter(backlog_cells(P, ALL).values())).achterstand == 1
    app.config["FIGURES_CACHE_SECONDS"] = 0
    hits = figures_cache().hits
    backlog_cells(P, ALL)
    assert figures_cache().hits == hits


def test_a_cached_queue_page_shows_the_fresh_status_of_its_tasks(world, app, users):
    app.config.update(FIGURES_CACHE_SECONDS=60, FIGURES_STALE_SECONDS=60)
    task = world.task(world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-01"), "archiveren")
    db.session.commit()
    assert [t.status for t in task_queue(P, ALL).items] == ["open"]
    marks.mark_done([task.id], users["pia"], "pia", "", P, moment=datetime(2026, 5, 15, 9, 0, tzinfo=UTC))
    db.session.commit()
    # the page is the cached one (the version moved less than the stale seconds ago), its status is not
    assert [(t.id, t.status) for t in task_queue(P, ALL).items] == [(task.id, "gemeld_gereed")]


def test_figures_of_the_mirror_alone_ignore_marks(world, app, users):
    app.config.update(FIGURES_CACHE_SECONDS=60, FIGURES_STALE_SECONDS=0)
    world.zaak()  # open
    task = world.task(world.zaak(einddatum="2026-03-01", archiveren_vervalt="2026-04-01"), "archiveren")
    db.session.commit()
    assert open_figures(P, ALL).totaal.open == 1
    misses = figures_cache().misses
    marks.mark_done([task.id], users["pia"], "pia", "", P, moment=datetime(2026, 5, 15, 9, 0, tzinfo=UTC))
    db.session.commit()
    assert open_figures(P, ALL).totaal.open == 1
    assert figures_cache().misses == misses  # a mark is no reason to recount the open zaken
    db.session.add(SyncRun(modus="incrementeel", uitkomst="geslaagd"))
    db.session.commit()
    open_figures(P, ALL)
    assert figures_cache().misses == misses + 1


def test_a_processed_notification_moves_the_version_past_the_stale_seconds(world, app):
    """A zaak re-read after a notification changes the figures within FIGURES_PUSH_STALE_SECONDS, not the
    (longer) stale seconds meant for marks."""
    from duo_zaak.sync import queue

    app.config.update(FIGURES_CACHE_SECONDS=60, FIGURES_STALE_SECONDS=60, FIGURES_PUSH_STALE_SECONDS=60)
    world.zaak()
    db.session.commit()
    assert open_figures(P, ALL).totaal.open == 1
    world.zaak()  # written by the worker after a notification ...
    queue.enqueue("http://inproces.test/zaken/api/v1/zaken/x")
    [(row_id, _)] = queue.claim(1)
    queue.finish(row_id, "verwerkt")  # ... which records the row processed in the same transaction
    db.session.commit()
    assert open_figures(P, ALL).totaal.open == 1  # within the push stale seconds: the figure of a moment ago
    app.config["FIGURES_PUSH_STALE_SECONDS"] = 0
    assert open_figures(P, ALL).totaal.open == 2
