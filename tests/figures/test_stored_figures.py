"""Stored figures (issue 18): the cells every page reads are written where the data changes, and after every kind
of change they equal the bare queries they replace.

The hand-built dataset is served by the mock InProces over HTTP; "today" is its peildatum 15-05-2026 for every
writer (the sync, the notification worker, a mark, an undo), as it is the real date in production. After each
change every soort is compared cell by cell with its bare query, for everything and for two team-lead scopes, and
one figure per change is checked by hand so the comparison cannot pass on two equally wrong tables.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import running_mock
from duo_zaak.db import db
from duo_zaak.figures import backlog, stored
from duo_zaak.figures.archive import TaskFilter, archive_backlog, task_queue
from duo_zaak.figures.backlog import ZaakFilter, open_figures, open_zaken
from duo_zaak.figures.quality import findings
from duo_zaak.figures.scope import NO_TEAM_ID, UNKNOWN_ORG_CODE, Scope
from duo_zaak.models import ArchiefTaak, FiguurCel, FiguurStand, Team, Zaak
from duo_zaak.rules.archive import OPEN
from duo_zaak.settings import archive_settings
from duo_zaak.sync import push, queue
from duo_zaak.sync.run import run_sync
from duo_zaak.tasks.marks import mark_done, undo_mark

from ..conftest import login
from ..handbuilt import PEILDATUM, build_dataset, zaak_url, zaak_uuid

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
SCOPES = (Scope.everything(), Scope(frozenset({"OE-A"})), Scope(frozenset({"OE-B", "OE-C"})))  # all, team leads


def assert_stored_equals_bare(app: Any) -> None:
    """Every soort is stored for the peildatum and equals its bare query, cell by cell, in every scope."""
    with app.app_context():
        assert set(stored.KINDS) == {"open", "archief", "ibt", "kwaliteit", "ranglijst", "planning"}
        for naam, kind in stored.KINDS.items():
            assert stored.stored_peildatum(naam) == PEILDATUM, naam
            for scope in SCOPES if naam != "planning" else SCOPES[:1]:  # the planning is per organisation
                kept = stored.read_plain(naam, PEILDATUM, scope)
                bare = kind.compute(PEILDATUM, scope)
                assert kept is not None and bare, (naam, scope)
                assert kept == bare, (naam, scope)
        db.session.remove()


def client_for(mock: Any, page_size: int = 500) -> Any:
    return connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                    client_id=mock.client_id, secret=mock.secret, page_size=page_size,
                                    backoff_factor=0))


def sync(app: Any, mock: Any, *, full: bool) -> None:
    with app.app_context():
        run = run_sync(client_for(mock), full=full, today=PEILDATUM, settings=archive_settings(),
                       organisaties=app.config["ORGANISATIES"])
        assert run.uitkomst == "geslaagd", run.melding
        db.session.remove()


def notify(app: Any, mock: Any, key: str) -> None:
    """The worker re-reads one zaak after a notification, as `notificaties verwerk` does."""
    with app.app_context():
        queue.enqueue(zaak_url(key).replace("http://inproces.test", mock.base_url))
        result = push.drain(client_for(mock), today=PEILDATUM, settings=archive_settings(),
                            organisaties=app.config["ORGANISATIES"])
        assert result.zaken == 1 and not result.melding, result.summary()
        db.session.remove()


def team_open(app: Any, team: str) -> tuple[int, int]:
    """(open, termijn_overschreden) of one team, as the pages read it (stored)."""
    with app.app_context():
        figures = open_figures(PEILDATUM, Scope(frozenset({team}))).totaal
        db.session.remove()
        return figures.open, figures.termijn_overschreden


def backlog_of(app: Any, team: str) -> int:
    with app.app_context():
        total = archive_backlog(PEILDATUM, Scope(frozenset({team}))).totaal.achterstand
        db.session.remove()
        return total


def duplicates(app: Any) -> int:
    with app.app_context():
        count = next(f.aantal for f in findings(PEILDATUM, Scope.everything()) if f.code == "dubbele_identificatie")
        db.session.remove()
        return count


@BOTH
def test_stored_figures_equal_the_bare_queries_after_every_kind_of_change(app, users):
    with running_mock(data=build_dataset()) as mock:
        # 1. A full run stores every soort.
        sync(app, mock, full=True)
        assert_stored_equals_bare(app)
        # OE-A holds O1, O2, O3, O16, O17 open; O3 (fatale datum 26-04) and O17 (01-04) are over it
        assert team_open(app, "OE-A") == (5, 2)

        # 2. An incremental run: O3 (overdue) moves from OE-A to OE-B at the source.
        mock.store.set_behandelaar(zaak_uuid("O3"), "OE-B", "Burgerzaken")
        sync(app, mock, full=False)
        assert_stored_equals_bare(app)
        assert team_open(app, "OE-A") == (4, 1)

        # 3. A notification: O2 (due today, norm overschreden) moves from OE-A to OE-C; the worker re-reads it.
        mock.store.set_behandelaar(zaak_uuid("O2"), "OE-C", "Belastingen")
        notify(app, mock, "O2")
        assert_stored_equals_bare(app)
        assert team_open(app, "OE-A") == (3, 1)

        # 4. A mark: one open archive task of OE-A done; OE-A's backlog drops by one.
        before = backlog_of(app, "OE-A")
        with app.app_context():
            task_id = db.session.scalar(
                select(ArchiefTaak.id).join(Zaak, Zaak.id == ArchiefTaak.zaak_id).join(Team, Team.id == Zaak.team_id)
                .where(Team.identificatie == "OE-A", ArchiefTaak.status == OPEN).order_by(ArchiefTaak.id).limit(1))
            result = mark_done([task_id], users["pia"], "pia", "", PEILDATUM)
            assert result.gelukt == [task_id]
            db.session.remove()
        assert_stored_equals_bare(app)
        assert backlog_of(app, "OE-A") == before - 1

        # 5. Its undo: back to where it was.
        with app.app_context():
            assert undo_mark(task_id, users["pia"], "pia", PEILDATUM) is None
            db.session.remove()
        assert_stored_equals_bare(app)
        assert backlog_of(app, "OE-A") == before

        # 6. A destroyed zaak: O1 (OE-A, open, on time) is gone at the source; the re-read gets a 404. It shared
        # its identificatie with O18 (OE-B): both were dubbele_identificatie, now neither is.
        assert duplicates(app) == 2
        mock.store.destroy_zaak(zaak_uuid("O1"))
        notify(app, mock, "O1")
        assert_stored_equals_bare(app)
        assert team_open(app, "OE-A") == (2, 1)
        assert duplicates(app) == 0
        # the notifications, the mark and the undo added their differences: no soort was recomputed whole
        with app.app_context():
            assert set(db.session.scalars(select(FiguurStand.aanleiding))) == {"sync 2"}
            db.session.remove()


@BOTH
def test_pages_read_the_stored_rows_and_a_new_day_stores_again(app, users, handbuilt):
    """The API answers from the stored cells (a changed row shows), and `refresh_if_stale` stores today's
    figures at the worker's first look on a new day."""
    web = app.test_client()
    login(web, "programmateam")
    p = PEILDATUM.isoformat()
    before = web.get(f"/api/v1/backlog?peildatum={p}").json["totaal"]["open"]
    with app.app_context():
        db.session.execute(update(FiguurCel).where(FiguurCel.soort == "open", FiguurCel.team_id.is_(None))
                           .values(waarde='{"open":1000}'))  # a row nobody would compute
        db.session.commit()
    # a cell without a team held a few open zaken; now it says 1000
    changed = web.get(f"/api/v1/backlog?peildatum={p}").json["totaal"]["open"]
    assert before < 100 and changed > before + 900
    # a past peildatum is computed on the spot
    yesterday = (PEILDATUM - timedelta(days=1)).isoformat()
    assert web.get(f"/api/v1/backlog?peildatum={yesterday}").json["totaal"]["open"] < 100

    next_day = PEILDATUM + timedelta(days=1)
    with app.app_context():
        assert stored.refresh_if_stale(next_day) is True
        assert stored.refresh_if_stale(next_day) is False
        assert set(db.session.scalars(select(FiguurStand.peildatum))) == {next_day}
        for naam, kind in stored.KINDS.items():
            assert stored.read_plain(naam, next_day, Scope.everything()) == kind.compute(next_day, Scope.everything())
        open_next_day = sum(cell.open for cell in stored.read("open", next_day, Scope.everything()).values())
        db.session.remove()
    assert web.get(f"/api/v1/backlog?peildatum={next_day.isoformat()}").json["totaal"]["open"] == open_next_day


@BOTH
def test_list_totals_from_the_stored_cells_equal_the_rows_listed(app, users, handbuilt):
    """The zaak list and the task queue take their total from the stored cells when their filters are the cells'
    own; it equals the number of rows the list holds, for every such filter (and with a team lead's scope)."""
    with app.app_context():
        for scope in SCOPES:
            for filters in (ZaakFilter(), ZaakFilter(organisatie="diemen"), ZaakFilter(team="OE-A"),
                            ZaakFilter(team=NO_TEAM_ID), ZaakFilter(organisatie=UNKNOWN_ORG_CODE),
                            ZaakFilter(state="termijn_overschreden"), ZaakFilter(binnenkort=True),
                            ZaakFilter(organisatie="diemen", team="OE-B", state="norm_overschreden")):
                page = open_zaken(PEILDATUM, scope, filters, per_page=1000)
                assert page.total == len(page.items), (scope, filters)
            for task_filter in (TaskFilter(), TaskFilter(soort="vernietigen"), TaskFilter(organisatie="diemen"),
                                TaskFilter(team="OE-B"), TaskFilter(team=NO_TEAM_ID)):
                page = task_queue(PEILDATUM, scope, task_filter, per_page=1000)
                assert page.total == len(page.items), (scope, task_filter)
        # not vacuous: the hand-built data has 18 open zaken (O1-O18) and a backlog
        assert open_zaken(PEILDATUM, Scope.everything(), per_page=1000).total == 18
        assert task_queue(PEILDATUM, Scope.everything(), per_page=1000).total > 0
        db.session.remove()


@BOTH
def test_a_zaak_that_fails_in_a_drained_batch_is_undone_alone(app, users, handbuilt):
    """Three notifications drained in one transaction; the source fails on the middle one after its record was
    written (its rollen answer 500): that zaak is undone alone (its savepoint), the first one is kept with its
    stored figures, the middle and the last go back to the queue. The next drain brings them."""
    mock = handbuilt
    for key in ("O4", "O5", "O6"):  # all three open in OE-B (Diemen)
        mock.store.set_behandelaar(zaak_uuid(key), "OE-C", "Belastingen")
    mock.store.set_faults(fail_matching={"pattern": rf"^/zaken/api/v1/rollen\?.*{zaak_uuid('O5')}", "status": 500,
                                         "count": 1})
    keys = [zaak_uuid(k) for k in ("O4", "O5", "O6")]

    def teams() -> list[str]:
        found = dict(db.session.execute(select(Zaak.uuid, Team.identificatie).join(Team, Team.id == Zaak.team_id)
                                        .where(Zaak.uuid.in_(keys))).all())
        return [found[key] for key in keys]

    with app.app_context():
        for key in ("O4", "O5", "O6"):
            queue.enqueue(zaak_url(key).replace("http://inproces.test", mock.base_url))
        result = push.drain(client_for(mock), today=PEILDATUM, settings=archive_settings(),
                            organisaties=app.config["ORGANISATIES"])
        assert (result.uitkomsten, result.teruggezet) == ({"verwerkt": 1}, 2), result.summary()
        assert teams() == ["OE-C", "OE-B", "OE-B"]
        db.session.remove()
    assert_stored_equals_bare(app)
    assert team_open(app, "OE-B")[0] == 3  # of O4, O5, O6 and O18: O4 left
    with app.app_context():
        assert push.drain(client_for(mock), today=PEILDATUM, settings=archive_settings(),
                          organisaties=app.config["ORGANISATIES"]).uitkomsten == {"verwerkt": 2}
        assert teams() == ["OE-C", "OE-C", "OE-C"]
        db.session.remove()
    assert_stored_equals_bare(app)
    assert team_open(app, "OE-B")[0] == 1


def backlog_tasks(cells: dict) -> int:
    """The tasks in stored archief cells (counted per kind and due date)."""
    return sum(n for cell in cells.values() for days in cell["vervaldata"].values() for n in days.values())


@BOTH
def test_a_mark_between_a_syncs_computing_and_storing_is_kept(app, users, handbuilt):
    """A sync run computes its figures outside the lock, then stores them; a task marked in between makes the
    soorten that read tasks be computed again under the lock, so the mark is not lost."""
    with app.app_context():
        prepared = stored.prepare(PEILDATUM)
        db.session.rollback()
        task_id = db.session.scalar(select(ArchiefTaak.id).where(ArchiefTaak.status == OPEN).order_by(ArchiefTaak.id))
        assert mark_done([task_id], users["pia"], "pia", "", PEILDATUM).gelukt == [task_id]
        before = prepared.values["archief"]
        stored.store(prepared, "test")
        db.session.commit()
        after = stored.read_plain("archief", PEILDATUM, Scope.everything())
        assert backlog_tasks(after) == backlog_tasks(before) - 1  # one fewer than what was prepared
        db.session.remove()
    assert_stored_equals_bare(app)


@BOTH
def test_pages_read_by_index_walk_and_stored_due_dates_equal_the_sorted_lists(app, users, handbuilt, monkeypatch):
    """The zaak list's default order walks an index, and the task queue reads only the due dates its page holds
    (from the stored counts per due date): every page, at two page sizes and with filters, equals the list sorted
    by the database."""
    with app.app_context():
        for per_page in (2, 5):
            for filters in (ZaakFilter(), ZaakFilter(team="OE-A"), ZaakFilter(state="termijn_overschreden")):
                for page in range(1, 11):
                    walked = open_zaken(PEILDATUM, Scope.everything(), filters, page=page, per_page=per_page)
                    monkeypatch.setattr(backlog, "WALK_ROWS", 0)
                    sorted_ = open_zaken(PEILDATUM, Scope.everything(), filters, page=page, per_page=per_page)
                    monkeypatch.undo()
                    assert [z.id for z in walked.items] == [z.id for z in sorted_.items], (filters, page)
                    assert (walked.total, walked.page) == (sorted_.total, sorted_.page)
            for task_filter in (TaskFilter(), TaskFilter(soort="vernietigen"), TaskFilter(team="OE-B")):
                for descending in (True, False):
                    for page in range(1, 6):
                        windowed = task_queue(PEILDATUM, Scope.everything(), task_filter, descending=descending,
                                              page=page, per_page=per_page)
                        db.session.execute(delete(FiguurStand))  # hidden, never committed: counted and sorted
                        counted = task_queue(PEILDATUM, Scope.everything(), task_filter, descending=descending,
                                             page=page, per_page=per_page)
                        db.session.rollback()
                        key = [(t.zaak_id, t.soort) for t in windowed.items]
                        assert key == [(t.zaak_id, t.soort) for t in counted.items], (task_filter, page)
                        assert (windowed.total, windowed.page) == (counted.total, counted.page)
        # not vacuous: more than one page of each
        assert open_zaken(PEILDATUM, Scope.everything(), per_page=2).pages > 5
        assert task_queue(PEILDATUM, Scope.everything(), per_page=2).pages > 1
        db.session.remove()
