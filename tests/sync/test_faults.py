"""Faults during a sync (issue #8): the mock InProces misbehaves, or the database does, in the middle of a run.

Every test starts from the hand-built dataset mirrored by a full run, with local state seeded on top
(two tasks marked gereed with a note, a KPI judgement, a norm version, a snapshot, an audit entry) and a
clean incremental run as the baseline (16 requests: 2 catalogue pages, 5 pages of 5 nog_te_archiveren
zaken, 1 page of archived zaken past their date, and the 8 completeness counts: all and open zaken of the
4 configured organisations). Then one fault hits the next incremental run, which
either completes after retries or fails cleanly: recorded `mislukt` with a message that says what
happened, the watermark (last successful run) unchanged, every committed page consistent. The run after
that, with the fault gone, makes the mirror equal the source. Local state is compared row by row before
and after (tests/sync/state.py): nothing local is ever lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import RunningMock, running_mock
from connectors.zgw.client import ZGWClient
from duo_zaak.accounts import audit
from duo_zaak.db import db
from duo_zaak.figures import indicators
from duo_zaak.figures.snapshots import take_snapshot
from duo_zaak.formatting import today_amsterdam
from duo_zaak.models import ArchiefTaak, Gebruiker, GebruikerTeam, Organisatie, SyncOvergeslagen, SyncRun, Team, Zaak
from duo_zaak.settings import archive_settings
from duo_zaak.sync.run import SyncFailed, run_sync
from duo_zaak.tasks import marks

from ..handbuilt import PEILDATUM, build_dataset, resultaattype_url, zaak_uuid, zaaktype_url
from .state import State, capture, last_run, lost, mirror_differences

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
# Faults on the HTTP side that the client absorbs, or that fail before anything is written, take the same
# database path as the failures run on both databases below (503 burst, vanished page, locks): SQLite only.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
REPO = Path(__file__).resolve().parents[2]
SECRET = "faults-test-secret-0123456789-0123456789"
PAGE = 5
TODAY = today_amsterdam()
NOTE = "vernietigd volgens lijst 12"
COUNTS = 2 * 4  # completeness at the end of a run: all and open zaken of each of the 4 organisations


@dataclass
class Seeded:
    mock: RunningMock
    clean: SyncRun  # the clean incremental run: requests and pages without faults
    before: State
    marked: list[int]


def client(mock: RunningMock, **settings: Any) -> ZGWClient:
    options = {"page_size": PAGE, "backoff_factor": 0, "retries": 3, **settings}
    return connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                    client_id=mock.client_id, secret=mock.secret, **options))


def sync(app, zgw: ZGWClient, *, full: bool = False,
         progress: Callable[[str, int, int | None], None] | None = None) -> tuple[SyncRun, Exception | None]:
    """One run; returns its record and what it raised (None: it returned)."""
    error = None
    with app.app_context():
        try:
            run_sync(zgw, full=full, today=TODAY, settings=archive_settings(),
                     organisaties=app.config["ORGANISATIES"], progress=progress)
        except Exception as exc:  # noqa: BLE001 - the tests look at what it was
            error = exc
        db.session.remove()
    return last_run(app), error


def page_pattern(number: int) -> str:
    """The request for page `number` of the nog_te_archiveren list (the `next` URL of the page before)."""
    return rf"/zaken/api/v1/zaken\?archiefstatus=nog_te_archiveren&page={number}&"


def on_page(number: int, *, count: int | None = 1, **rule: Any) -> dict[str, Any]:
    """A mock fault rule for the request of that page: the sync reads pages ahead (duo_zaak/prefetch.py),
    so a rule on the request, not a progress callback, says exactly which page a fault hits."""
    return {"pattern": page_pattern(number), "count": count, **rule}


def after_page(number: int, action: Callable[[], None]) -> Callable[[str, int, int | None], None]:
    """A progress callback that runs `action` once, after list page `number` of the run was committed (for
    faults on the database side: which pages the reader has fetched ahead by then is not fixed)."""
    pages = {"done": 0}

    def progress(stage: str, done: int, total: int | None) -> None:
        pages["done"] += 1
        if pages["done"] == number:
            action()

    return progress


def seed_local_state() -> list[int]:
    """What users add on top of the mirror; returns the ids of the two marked tasks."""
    pia, prog = Gebruiker(gebruikersnaam="pia", rol="pia"), Gebruiker(gebruikersnaam="prog", rol="programmateam")
    prog.teams.append(GebruikerTeam(team_identificatie="OE-A"))
    db.session.add_all([pia, prog])
    db.session.flush()

    def task(key: str, soort: str) -> int:
        return db.session.scalar(select(ArchiefTaak.id).join(Zaak).where(Zaak.uuid == zaak_uuid(key),
                                                                         ArchiefTaak.soort == soort))

    marked = [task("C7", "vernietigen"), task("C1", "archiveren")]
    result = marks.mark_done(marked, pia.id, "pia", NOTE, TODAY)
    assert sorted(result.gelukt) == sorted(marked)
    diemen = db.session.scalar(select(Organisatie.id).filter_by(code="diemen"))
    indicators.set_kpi(diemen, 1, "deels", gebruiker_id=prog.id, eigenaar="Paul",
                       notitie="helft van de teams werkt zaakgericht")
    indicators.set_norm("Z1", ">=", 85, gebruiker_id=prog.id, toelichting="tijdelijk verlaagd")
    audit.record("gebruiker_gewijzigd", "gebruiker tl", actor="admin")
    db.session.commit()
    assert take_snapshot(PEILDATUM) > 0  # a past day: never rewritten
    return marked


@pytest.fixture
def seeded(app) -> Iterator[Seeded]:
    with running_mock(data=build_dataset(), secret=SECRET) as mock:
        full, error = sync(app, client(mock), full=True)
        assert error is None and full.uitkomst == "geslaagd" and full.nieuw == 29
        with app.app_context():
            marked = seed_local_state()
            db.session.remove()
        clean, error = sync(app, client(mock))
        assert error is None and (clean.uitkomst, clean.verzoeken, clean.paginas) == ("geslaagd", 8 + COUNTS, 6)
        assert (clean.nieuw, clean.gewijzigd, clean.vernietigd) == (0, 0, 0)
        before = capture(app)
        assert before.local.counts["taak_gebeurtenis"] >= 4 and len(before.local.marks) == 2
        yield Seeded(mock, clean, before, marked)


def mark_statuses(app, task_ids: list[int]) -> list[str]:
    with app.app_context():
        statuses = [db.session.get(ArchiefTaak, task_id).status for task_id in task_ids]
        db.session.remove()
        return statuses


def assert_failed_cleanly(app, seeded: Seeded, run: SyncRun, error: Exception | None, *message: str) -> None:
    """Recorded mislukt with the message, raised as SyncFailed; mirror, local state and watermark as before."""
    assert isinstance(error, SyncFailed), repr(error)
    assert run.uitkomst == "mislukt" and run.geeindigd_op is not None
    for part in message:
        assert part in run.melding, run.melding
    assert str(error) == run.melding
    after = capture(app)
    assert after.watermark == seeded.before.watermark
    assert after.mirror == seeded.before.mirror  # the source did not change: committed pages changed nothing
    assert after.local == seeded.before.local
    assert after.runs[-1] == ("incrementeel", "mislukt")


def assert_repaired(app, seeded: Seeded, *, full: bool = False) -> SyncRun:
    """The next run without the fault: geslaagd, mirror equal to the source, nothing local lost."""
    seeded.mock.store.faults.clear()
    run, error = sync(app, client(seeded.mock), full=full)
    assert error is None and run.uitkomst == "geslaagd", run.melding
    assert mirror_differences(app, seeded.mock) == {}
    after = capture(app)
    assert after.watermark is not None and after.watermark[0] == run.id
    assert lost(seeded.before.local, after.local) == {}
    assert mark_statuses(app, seeded.marked) == ["gemeld_gereed", "gemeld_gereed"]  # 14 days to confirm
    return run


def assert_completed(app, seeded: Seeded, run: SyncRun, error: Exception | None, *, extra_requests: int) -> None:
    """The run completed after retries: same pages as the clean run, `extra_requests` more requests."""
    assert error is None and run.uitkomst == "geslaagd", run.melding
    assert run.paginas == seeded.clean.paginas
    assert run.verzoeken == seeded.clean.verzoeken + extra_requests
    after = capture(app)
    assert after.watermark is not None and after.watermark[0] == run.id
    assert after.mirror == seeded.before.mirror and after.local == seeded.before.local
    assert mirror_differences(app, seeded.mock) == {}


# -- 1. 5xx bursts -------------------------------------------------------------------------------------------

@SQLITE
def test_503_burst_shorter_than_the_retries_completes(app, seeded):
    seeded.mock.store.set_faults(fail_matching=on_page(2, status=503, count=3), retry_after=0)
    run, error = sync(app, client(seeded.mock, retries=3))
    assert_completed(app, seeded, run, error, extra_requests=3)


@BOTH
def test_503_burst_longer_than_the_retries_fails_cleanly_and_the_next_run_repairs(app, seeded):
    seeded.mock.store.set_faults(fail_matching=on_page(2, status=503, count=4), retry_after=0)
    run, error = sync(app, client(seeded.mock, retries=3))
    assert_failed_cleanly(app, seeded, run, error, "ZGWServerError", "page=2", "HTTP 503 service_unavailable",
                          "(na 4 pogingen)")
    assert (run.paginas, run.verzoeken) == (1, 2 + 1 + 4)  # catalogue, page 1, page 2 four times
    assert_repaired(app, seeded)


@SQLITE
def test_500_is_not_retried_fails_cleanly_and_the_next_run_repairs(app, seeded):
    """The client retries 429/502/503/504 and connection errors only (connectors/zgw/client.py
    RETRY_STATUSES): one 500 ends the run."""
    seeded.mock.store.set_faults(fail_matching=on_page(2, status=500, count=1))
    run, error = sync(app, client(seeded.mock, retries=3))
    assert_failed_cleanly(app, seeded, run, error, "HTTP 500 error: Er is een serverfout opgetreden.")
    assert (run.paginas, run.verzoeken) == (1, 4)
    assert_repaired(app, seeded)


# -- 2. 429 with Retry-After -----------------------------------------------------------------------------------

@SQLITE
def test_429_retry_after_is_honoured(app, seeded):
    mock = seeded.mock
    mock.store.set_faults(fail_matching=on_page(2, status=429, count=2), retry_after=1)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    zgw = ZGWClient(mock.zaken_url, mock.catalogi_url, mock.client_id, mock.secret, page_size=PAGE, retries=3,
                    backoff_factor=0, sleep=sleep)  # without Retry-After it would not wait at all
    started = time.monotonic()
    run, error = sync(app, zgw)
    assert waits == [1.0, 1.0] and time.monotonic() - started >= 2.0
    assert_completed(app, seeded, run, error, extra_requests=2)


# -- 3. read timeouts ----------------------------------------------------------------------------------------

@SQLITE
def test_read_timeouts_shorter_than_the_retries_complete(app, seeded):
    seeded.mock.store.set_faults(fail_matching=on_page(2, fault="slow", ms=600, count=2))
    run, error = sync(app, client(seeded.mock, timeout_read=0.3, retries=3))
    assert_completed(app, seeded, run, error, extra_requests=2)


@SQLITE
def test_a_source_slower_than_the_timeout_fails_cleanly_and_the_next_run_repairs(app, seeded):
    seeded.mock.store.set_faults(fail_matching=on_page(2, fault="slow", ms=600, count=None))
    run, error = sync(app, client(seeded.mock, timeout_read=0.3, retries=1))
    assert_failed_cleanly(app, seeded, run, error, "ZGWConnectionError", "page=2", "geen antwoord na 2 pogingen",
                          "Read timed out. (read timeout=0.3)")
    assert (run.paginas, run.verzoeken) == (1, 2 + 1 + 2)
    assert_repaired(app, seeded)


# -- 4. truncated bodies ---------------------------------------------------------------------------------------

@SQLITE
def test_truncated_json_fails_cleanly_and_the_next_run_repairs(app, seeded):
    """A complete answer whose JSON is cut off (Content-Length matches) is not retried: garbage from the
    source is not a network hiccup."""
    seeded.mock.store.set_faults(fail_matching=on_page(2, fault="truncate"))
    run, error = sync(app, client(seeded.mock))
    assert_failed_cleanly(app, seeded, run, error, "ZGWResponseError", "page=2", "onleesbare of afgebroken JSON")
    assert (run.paginas, run.verzoeken) == (1, 4)
    assert_repaired(app, seeded)


@SQLITE
def test_a_connection_dropped_mid_body_is_retried_and_the_run_completes(app, seeded):
    seeded.mock.store.set_faults(fail_matching=on_page(2, fault="drop", count=2))
    run, error = sync(app, client(seeded.mock))
    assert_completed(app, seeded, run, error, extra_requests=2)


# -- 5. a record missing a required field ------------------------------------------------------------------------

@SQLITE
def test_a_record_missing_a_required_field_skips_that_zaak_and_the_next_run_reads_it(app, seeded):
    """The first zaak of page 2 comes without startdatum: that zaak is skipped, not the run. The run ends
    geslaagd with 1 overgeslagen, lists the zaak's URL, the field and why, asks nothing extra (the zaak is
    not fetched by URL: that would read the same record), and leaves the zaak's row as it was but for the
    finding onleesbaar_in_bron. The next run reads the record and clears the finding."""
    mock = seeded.mock
    skipped_url = f"{mock.zaken_url}/zaken/{_nog_te_archiveren_newest_first(mock)[PAGE]}"  # first of page 2
    mock.store.set_faults(omit_field={"field": "startdatum", "pattern": page_pattern(2), "pages": 1})
    run, error = sync(app, client(mock))
    assert error is None and run.uitkomst == "geslaagd", run.melding
    assert (run.overgeslagen, run.paginas, run.verzoeken) == (1, 6, 8 + COUNTS)
    assert (run.nieuw, run.gewijzigd, run.vernietigd) == (0, 0, 0)
    assert mock.store.faults.settings()["omit_field"][0]["pages"] == 0
    with app.app_context():
        rows = db.session.execute(select(SyncOvergeslagen.run_id, SyncOvergeslagen.zaak_url,
                                         SyncOvergeslagen.veld, SyncOvergeslagen.reden)).all()
        assert rows == [(run.id, skipped_url, "startdatum", "veld 'startdatum' ontbreekt")]
        flagged = db.session.execute(select(Zaak.url, Zaak.onleesbaar_in_bron)
                                     .where(Zaak.onleesbaar_in_bron.is_not(None))).all()
        assert flagged == [(skipped_url, "veld 'startdatum' ontbreekt")]
        db.session.remove()
    after = capture(app)
    assert after.watermark[0] == run.id and after.local == seeded.before.local
    assert after.mirror != seeded.before.mirror  # the finding only:
    assert mirror_differences(app, mock) == {}  # every field the figures use is as it was, and as the source has it
    repaired = assert_repaired(app, seeded)
    assert (repaired.overgeslagen, repaired.gewijzigd) == (0, 0)
    assert capture(app).mirror == seeded.before.mirror  # the finding cleared, the row untouched otherwise


# -- 6. pages that move or disappear while we page ------------------------------------------------------------

def _nog_te_archiveren_newest_first(mock: RunningMock) -> list[str]:
    return [u for u in mock.store.zaak_uuids() if mock.store.get_zaak(u)["archiefstatus"] == "nog_te_archiveren"]


def _destroy(mock: RunningMock, uuids: list[str]) -> Callable[[], None]:
    return lambda: [mock.store.destroy_zaak(uuid) for uuid in uuids]


@BOTH
def test_a_page_that_disappears_mid_run_fails_cleanly_and_the_next_run_repairs(app, seeded):
    """23 zaken in pages of 5; just before page 5 is asked, three zaken of page 1 are destroyed: 20 left,
    page 5 is gone (404 "Ongeldige pagina.", as Open Zaak answers) and the last 3 zaken moved onto page 4,
    already read."""
    mock = seeded.mock
    listed = _nog_te_archiveren_newest_first(mock)
    assert len(listed) == 23
    destroyed = [u for u in listed[:PAGE] if u not in (zaak_uuid("C1"), zaak_uuid("C7"))][:3]
    mock.store.set_faults(fail_matching=on_page(5, fault="call", call=_destroy(mock, destroyed)))
    run, error = sync(app, client(mock))
    assert_failed_cleanly(app, seeded, run, error, "ZGWNotFound", "page=5", "HTTP 404 not_found: Ongeldige pagina.")
    assert (run.paginas, run.verzoeken) == (4, 2 + 4 + 1)
    repaired = assert_repaired(app, seeded)
    # 4 + 1 pages, plus one GET per destroyed zaken: 404, recorded as destroyed
    assert (repaired.vernietigd, repaired.verzoeken, repaired.paginas) == (3, 2 + 5 + 3 + COUNTS, 5)
    assert capture(app).mirror.destroyed == 3


@SQLITE
def test_pages_that_shift_mid_run_complete_and_missed_zaken_are_fetched_by_url(app, seeded):
    """Just before page 2 is asked, two zaken of page 1 are destroyed: the two zaken that then move onto
    page 1 are never listed in this run; the run asks for them by URL. The destroyed ones were already
    seen: the next run records them."""
    mock = seeded.mock
    listed = _nog_te_archiveren_newest_first(mock)
    destroyed = [u for u in listed[:PAGE] if u not in (zaak_uuid("C1"), zaak_uuid("C7"))][:2]
    mock.store.set_faults(fail_matching=on_page(2, fault="call", call=_destroy(mock, destroyed)))
    run, error = sync(app, client(mock))
    assert error is None and run.uitkomst == "geslaagd"
    assert (run.paginas, run.verzoeken, run.vernietigd) == (6, 8 + 2 + COUNTS, 0)  # 2 GETs: the zaken that moved
    assert set(mirror_differences(app, mock)) == {"destroyed_not_recorded"}
    assert lost(seeded.before.local, capture(app).local) == {}
    repaired = assert_repaired(app, seeded)
    assert (repaired.vernietigd, repaired.verzoeken) == (2, 2 + 6 + 2 + COUNTS)  # 21 zaken: still 5 + 1 pages


# -- 7. the source restarts mid-run ------------------------------------------------------------------------------

@SQLITE
def test_a_source_restart_mid_request_is_retried_and_the_run_completes(app, seeded):
    """Page 2 is being answered (slowly) when the mock goes down for 0.4 s: that connection is cut, the
    retries meet refused connections, then the restarted mock; backoff 0.2, 0.4, 0.8 s covers it."""
    mock = seeded.mock

    def restart_soon() -> None:
        threading.Timer(0.15, mock.restart, kwargs={"down_seconds": 0.4}).start()

    mock.store.set_faults(fail_matching=[on_page(2, fault="call", call=restart_soon),
                                         on_page(2, fault="slow", ms=500)])
    started = time.monotonic()
    run, error = sync(app, client(mock, backoff_factor=0.2, retries=5))
    assert time.monotonic() - started >= 0.55
    assert error is None and run.uitkomst == "geslaagd", run.melding
    extra = run.verzoeken - seeded.clean.verzoeken
    assert 2 <= extra <= 3  # the cut request and one or two refused connections
    assert_completed(app, seeded, run, error, extra_requests=extra)


@SQLITE
def test_a_source_down_longer_than_the_retries_fails_cleanly_and_the_next_run_repairs(app, seeded):
    mock = seeded.mock
    mock.store.set_faults(fail_matching=on_page(2, fault="call", call=mock.stop))
    run, error = sync(app, client(mock, retries=2))
    assert_failed_cleanly(app, seeded, run, error, "ZGWConnectionError", "geen antwoord na 3 pogingen",
                          "Connection refused")
    assert (run.paginas, run.verzoeken) == (1, 2 + 1 + 3)
    mock.start()
    assert_repaired(app, seeded)


# -- 8. the database locked mid-batch ----------------------------------------------------------------------------

class _Locker:
    """Another connection locks the database (SQLite) or a table (PostgreSQL) from the end of a page until
    one of the sync's statements has waited its busy/lock timeout and failed; then it lets go."""

    def __init__(self, engine: Any, url: str, table: str) -> None:
        self.engine, self.url, self.table = engine, url, table
        self.holding, self.release, self.released = threading.Event(), threading.Event(), threading.Event()
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        if self.url.startswith("sqlite"):
            import sqlite3

            con: Any = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            con.execute("BEGIN EXCLUSIVE")
        else:
            con = psycopg.connect(self.url.replace("postgresql+psycopg", "postgresql"))
            con.execute(f"LOCK TABLE {self.table} IN ACCESS EXCLUSIVE MODE")
        self.holding.set()
        self.release.wait(30)
        con.rollback()
        con.close()
        self.released.set()

    def start(self) -> None:
        self.thread.start()
        assert self.holding.wait(10)

    def on_error(self, context: Any) -> None:
        """A statement of the sync failed: let go (and wait until we did)."""
        self.errors.append(str(context.original_exception).splitlines()[0])
        self.release.set()
        self.released.wait(10)

    def __enter__(self) -> _Locker:
        event.listen(self.engine, "handle_error", self.on_error)
        return self

    def __exit__(self, *exc_info: object) -> None:
        event.remove(self.engine, "handle_error", self.on_error)
        self.release.set()
        if self.thread.is_alive():
            self.thread.join(10)

    @property
    def expected(self) -> str:
        return "database is locked" if self.url.startswith("sqlite") else "canceling statement due to lock timeout"


def locker(app, milliseconds: int, table: str = "zaak") -> _Locker:
    """A _Locker, with the app's new connections waiting at most `milliseconds` for a lock: SQLite's
    busy_timeout (duo_zaak/db.py sets 10 s on every connection and no config key changes it) or
    PostgreSQL's lock_timeout (configurable as SQLALCHEMY_ENGINE_OPTIONS connect_args options)."""
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _lower(dbapi_connection: Any, record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute(f"PRAGMA busy_timeout={milliseconds}")
            else:
                cursor.execute(f"SET lock_timeout = {milliseconds}")
                dbapi_connection.commit()
            cursor.close()

        engine.dispose()
    return _Locker(engine, app.config["SQLALCHEMY_DATABASE_URI"], table)


def change_active_zaken(mock: RunningMock) -> list[str]:
    """Change the omschrijving of the 23 zaken of the nog_te_archiveren list: every page has writes."""
    active = _nog_te_archiveren_newest_first(mock)
    for uuid in active:
        mock.store.update_zaak(uuid, omschrijving=f"Gewijzigd {uuid[-4:]}")
    return active


CHANGED = select(func.count(Zaak.id)).where(Zaak.omschrijving.like("Gewijzigd%"))


def changed_in_mirror(app) -> int:
    with app.app_context():
        count = db.session.scalar(CHANGED)
        db.session.remove()
        return count


@BOTH
def test_the_database_locked_mid_run_fails_cleanly_and_the_next_run_repairs(app, seeded):
    active = change_active_zaken(seeded.mock)
    with locker(app, 500) as lock:
        started = time.monotonic()
        run, error = sync(app, client(seeded.mock), progress=after_page(1, lock.start))
    assert len(lock.errors) == 1 and lock.expected in lock.errors[0]
    assert time.monotonic() - started >= 0.5
    assert isinstance(error, SyncFailed) and str(error) == run.melding
    assert run.uitkomst == "mislukt" and lock.expected in run.melding and "[SQL:" not in run.melding
    # page 1 committed whole, page 2 was read and its write gave up; pages read ahead are not counted
    assert run.paginas == 2 and 4 <= run.verzoeken <= seeded.clean.verzoeken
    assert run.gewijzigd == changed_in_mirror(app) == PAGE
    after = capture(app)
    assert after.watermark == seeded.before.watermark and lost(seeded.before.local, after.local) == {}
    repaired = assert_repaired(app, seeded)
    assert repaired.gewijzigd == len(active) - PAGE and changed_in_mirror(app) == len(active)


@BOTH
def test_the_database_locked_while_the_run_records_its_outcome_fails_cleanly(app, seeded):
    """All pages are written; then the run's own record is locked (SQLite: the database; PostgreSQL: the
    sync_run table) until the recording statement gave up."""
    with locker(app, 500, table="sync_run") as lock:
        run, error = sync(app, client(seeded.mock), progress=after_page(seeded.clean.paginas, lock.start))
    assert len(lock.errors) == 1 and lock.expected in lock.errors[0]
    assert capture(app).watermark == seeded.before.watermark
    assert isinstance(error, SyncFailed), repr(error)
    assert run.uitkomst == "mislukt" and lock.expected in run.melding, (run.uitkomst, run.melding)


# -- 9. the database gone mid-batch --------------------------------------------------------------------------
# PostgreSQL restarts or fails over: every connection of the app is terminated. (SQLite is a file in the
# process: there is no server to lose, and an unwritable file is no test when the suite runs as root.)

def _terminate_all(app) -> list[int]:
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url, autocommit=True) as con:
        return [pid for pid, done in con.execute(
            "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()") if done]


@POSTGRESQL
def test_the_database_connections_killed_mid_batch_fail_cleanly_and_the_next_run_repairs(app, seeded):
    """Killed while page 2's changes are being written (its transaction is lost); page 1 stays committed."""
    active = change_active_zaken(seeded.mock)
    killed: list[int] = []
    armed = threading.Event()

    def kill_on_page_2_write(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if armed.is_set() and not killed and statement.startswith("UPDATE zaak"):
            killed.extend(_terminate_all(app))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", kill_on_page_2_write)
    try:
        run, error = sync(app, client(seeded.mock), progress=after_page(1, armed.set))
    finally:
        event.remove(engine, "before_cursor_execute", kill_on_page_2_write)
    assert len(killed) >= 2  # the sync's session and the connection holding the advisory lock
    # recorded on a fresh connection (pool_pre_ping): mislukt, with the server's reason
    assert run.uitkomst == "mislukt" and "OperationalError" in run.melding, run.melding
    assert any(reason in run.melding for reason in ("server closed the connection unexpectedly",
                                                    "terminating connection due to administrator command"))
    assert run.paginas == 2 and run.gewijzigd == changed_in_mirror(app) == PAGE
    assert isinstance(error, SyncFailed), repr(error)
    after = capture(app)
    assert after.watermark == seeded.before.watermark and lost(seeded.before.local, after.local) == {}
    repaired = assert_repaired(app, seeded)
    assert repaired.gewijzigd == len(active) - PAGE


@POSTGRESQL
def test_the_database_connections_killed_between_batches_are_reconnected_and_the_run_completes(app, seeded):
    killed: list[int] = []
    run, error = sync(app, client(seeded.mock), progress=after_page(1, lambda: killed.extend(_terminate_all(app))))
    assert len(killed) >= 2
    # between two batches no transaction is open: the next checkout reconnects (pool_pre_ping)
    assert (run.uitkomst, run.paginas, run.verzoeken) == ("geslaagd", 6, 8 + COUNTS)
    after = capture(app)
    assert after.watermark[0] == run.id and after.mirror == seeded.before.mirror
    assert after.local == seeded.before.local
    assert error is None, repr(error)


# -- 10. SIGTERM to the poller mid-run ------------------------------------------------------------------------

def _poller_env(app, mock: RunningMock) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DUO_ZAAK_")}
    env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               DUO_ZAAK_SECRET_KEY="poller-test-secret-key-0123456789abcdef",  # production mode: 32+ characters
               DUO_ZAAK_INPROCES_ZAKEN_URL=mock.zaken_url, DUO_ZAAK_INPROCES_CATALOGI_URL=mock.catalogi_url,
               DUO_ZAAK_INPROCES_CLIENT_ID=mock.client_id, DUO_ZAAK_INPROCES_SECRET=mock.secret,
               DUO_ZAAK_INPROCES_PAGE_SIZE=str(PAGE), PYTHONUNBUFFERED="1")
    return env


@BOTH
def test_sigterm_to_the_poller_mid_run_stops_after_the_page_and_the_next_run_repairs(app, seeded):
    mock = seeded.mock
    active = change_active_zaken(mock)
    mock.store.set_faults(slow_ms=150)
    poller = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "poll", "--interval", "3600"],
                              cwd=REPO, env=_poller_env(app, mock), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and poller.poll() is None:
            committed = changed_in_mirror(app)
            if committed:
                break
            time.sleep(0.02)
        assert committed, "the poller did not commit its first page in time"
        stopping = time.monotonic()
        poller.send_signal(signal.SIGTERM)
        out, err = poller.communicate(timeout=20)
        stopped_in = time.monotonic() - stopping
    finally:
        if poller.poll() is None:
            poller.kill()
            poller.communicate()
    assert poller.returncode == 0, err
    assert stopped_in < 3, f"the poller took {stopped_in:.1f} s to stop"
    assert "stopsignaal ontvangen" in err and "poller gestopt" in out
    assert "sync incrementeel afgebroken" in out and "taken bijgewerkt" not in out  # no daily step after a stop
    run = last_run(app)
    assert run.uitkomst == "afgebroken" and run.melding == f"gestopt op verzoek na {run.paginas} pagina's"
    assert run.paginas < seeded.clean.paginas and run.geeindigd_op is not None  # stopped before the list ended
    # committed pages are whole: exactly the zaken of the pages read are updated, no others
    assert changed_in_mirror(app) == run.gewijzigd == PAGE * run.paginas
    after = capture(app)
    assert after.watermark == seeded.before.watermark
    assert lost(seeded.before.local, after.local) == {}
    repaired = assert_repaired(app, seeded)
    assert repaired.gewijzigd == len(active) - run.gewijzigd


# -- changes committed by a run that then fails -------------------------------------------------------------------

@BOTH
def test_changes_committed_before_a_failure_are_completed_by_the_next_incremental_run(app, seeded):
    mock = seeded.mock
    new = mock.store.add_zaak(zaaktype=zaaktype_url("ZT2"), bronorganisatie="001234560", startdatum=date(2026, 11, 2),
                              behandelaar=("OE-A", "Vergunningen"))
    rt1 = resultaattype_url("RT1").replace("http://inproces.test", mock.base_url)
    mock.store.close_zaak(zaak_uuid("O3"), einddatum=date(2026, 11, 20), resultaattype_url=rt1)
    # the pages go through; the behandelaar and resultaat requests of the two changed zaken do not
    mock.store.set_faults(fail_matching={"pattern": r"/(rollen|resultaten)\?", "status": 503, "count": 2},
                          retry_after=0)
    run, error = sync(app, client(mock, retries=1))
    assert isinstance(error, SyncFailed) and run.uitkomst == "mislukt" and (run.nieuw, run.gewijzigd) == (1, 1)
    assert "rollen?zaak=" in run.melding and capture(app).watermark == seeded.before.watermark
    mock.store.faults.clear()
    repaired, error = sync(app, client(mock))
    assert error is None and repaired.uitkomst == "geslaagd"
    with app.app_context():
        team = db.session.scalar(select(Team.identificatie).join(Zaak, Zaak.team_id == Team.id)
                                 .where(Zaak.url == new["url"]))
        o3 = db.session.scalar(select(Zaak.resultaattype_url).where(Zaak.uuid == zaak_uuid("O3")))
        db.session.remove()
    assert (team, o3) == ("OE-A", rt1)  # today: (None, None) until the next full run
    assert mirror_differences(app, mock) == {}
