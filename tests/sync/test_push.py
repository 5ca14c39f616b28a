"""Push end to end: the app served on a port, subscribed at the mock's Notificaties API with
`notificaties abonneer`; a change at the source is a notification, the receiver queues the zaak and
`notificaties verwerk` (or the idle poller) re-reads it — at most three requests — without any sync run.
Lost notifications are caught by the next incremental poll."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import RunningMock, running_mock
from duo_zaak.db import db
from duo_zaak.models import ArchiefTaak, NotificatieWachtrij, SyncRun, Team, Zaak
from duo_zaak.settings import archive_settings
from duo_zaak.sync import queue
from duo_zaak.sync.locking import sync_lock
from duo_zaak.sync.run import run_sync

from ..conftest import login
from ..handbuilt import PEILDATUM, build_dataset, resultaattype_url, zaak_url, zaak_uuid
from ..serving import serving

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
AUTH = "Token push-test-geheim-0123456789-0123456789"
SECRET = "push-test-secret-0123456789-0123456789"
DAY = "2026-05-15"


class Requests:
    """Counts the ZGW API requests the mock answers (a `call` fault on every zaken and catalogi path)."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.count += 1

    def take(self) -> int:
        with self._lock:
            count, self.count = self.count, 0
            return count


@dataclass
class Push:
    app: Flask
    mock: RunningMock
    callback: str
    requests: Requests

    def delivered(self) -> None:
        """Every notification answered by the receiver (so its queue row is committed)."""
        assert self.mock.store.notificaties.wait_idle(10)

    def verwerk(self, *args: str) -> str:
        result = self.app.test_cli_runner().invoke(args=["notificaties", "verwerk", "--datum", DAY, *args])
        assert result.exit_code == 0, result.output
        return result.output

    def zaak(self, key: str) -> tuple[str | None, Zaak]:
        with self.app.app_context():
            zaak = db.session.scalar(select(Zaak).where(Zaak.uuid == zaak_uuid(key)))
            team = db.session.scalar(select(Team.identificatie).where(Team.id == zaak.team_id))
            db.session.expunge(zaak)
            db.session.remove()
            return team, zaak

    def scalar(self, query):  # type: ignore[no-untyped-def]
        with self.app.app_context():
            value = db.session.scalar(query)
            db.session.remove()
            return value


@pytest.fixture
def push(app: Flask, users) -> Iterator[Push]:  # type: ignore[no-untyped-def]
    with running_mock(data=build_dataset(), secret=SECRET) as mock:
        mock.store.notificaties.configure(backoff_factor=0.001)
        app.config.update(INPROCES_ZAKEN_URL=mock.zaken_url, INPROCES_CATALOGI_URL=mock.catalogi_url,
                          INPROCES_CLIENT_ID=mock.client_id, INPROCES_SECRET=mock.secret, NOTIFICATIES_AUTH=AUTH,
                          NOTIFICATIES_URL=f"{mock.base_url}/notificaties/api/v1")
        client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                          client_id=mock.client_id, secret=mock.secret, backoff_factor=0))
        with app.app_context():
            assert run_sync(client, full=True, today=PEILDATUM, settings=archive_settings(),
                            organisaties=app.config["ORGANISATIES"]).uitkomst == "geslaagd"
            db.session.remove()
        with serving(app) as base:
            callback = f"{base}/api/v1/notificaties"
            result = app.test_cli_runner().invoke(args=["notificaties", "abonneer", "--callback", callback])
            assert result.exit_code == 0, result.output
            counter = Requests()
            mock.store.set_faults(fail_matching={"pattern": r"^/(zaken|catalogi)/api/v1/", "fault": "call",
                                                 "call": counter})
            yield Push(app, mock, callback, counter)


def test_subscribing_passes_the_handshake_of_the_real_app(push):
    [abonnement] = push.mock.store.notificaties.abonnementen.values()
    assert abonnement["callbackUrl"] == push.callback and abonnement["auth"] == AUTH
    # one filter group per configured organisation (a filter holds one value)
    rsins = [org["rsin"] for org in push.app.config["ORGANISATIES"]]
    assert abonnement["kanalen"] == [{"naam": "zaken", "filters": {"bronorganisatie": rsin}} for rsin in rsins]
    assert push.scalar(select(func.count(NotificatieWachtrij.id))) == 0  # the test notifications queue nothing
    runner = push.app.test_cli_runner()
    again = runner.invoke(args=["notificaties", "abonneer", "--callback", push.callback])
    assert again.exit_code == 0 and "abonnement vernieuwd" in again.output
    assert len(push.mock.store.notificaties.abonnementen) == 1
    status = runner.invoke(args=["notificaties", "status"])
    assert push.callback in status.output and "wachtrij: 0 wachtend" in status.output
    # a callback that does not answer the test notifications as a receiver must (here: 404) is refused
    wrong = runner.invoke(args=["notificaties", "abonneer", "--callback",
                                push.callback.replace("/api/v1/", "/x/api/v1/")])
    assert wrong.exit_code != 0 and "weigert het abonnement: callbackUrl" in wrong.output
    assert "404" in wrong.output
    push.app.config["NOTIFICATIES_SECRET"] = "een-verkeerd-geheim-0123456789-0123456789"
    refused = runner.invoke(args=["notificaties", "abonneer", "--callback", push.callback])
    assert refused.exit_code != 0 and "HTTP 403 invalid-jwt-signature" in refused.output


@BOTH
def test_a_rol_added_at_the_source_moves_the_zaak_without_a_sync_run(push, client):
    store = push.mock.store
    assert push.zaak("O2")[0] == "OE-A"
    runs = push.scalar(select(func.count(SyncRun.id)))
    rol = store.set_behandelaar(zaak_uuid("O2"), "OE-B", "Burgerzaken")
    push.delivered()
    assert push.scalar(select(NotificatieWachtrij.zaak_url)) == push.mock.zaken_url + "/zaken/" + zaak_uuid("O2")
    push.requests.take()
    output = push.verwerk()
    assert "1 verwerkt" in output
    # GET the zaak + GET its behandelaar rollen; O2 has no resultaat, so no third request
    assert push.requests.take() == 2
    assert push.zaak("O2")[0] == "OE-B"
    assert push.scalar(select(func.count(SyncRun.id))) == runs  # no sync run did it
    login(client, "beheerder")
    page = client.get(f"/achterstand/zaken?peildatum={DAY}&team=OE-B").get_data(as_text=True)
    assert "ZAAK-2026-0000000002" in page
    assert "ZAAK-2026-0000000002" not in client.get(f"/achterstand/zaken?peildatum={DAY}&team=OE-A").get_data(
        as_text=True)
    # the rol removed again: back to the earlier behandelaar
    store.remove_rol(rol["uuid"])
    push.delivered()
    push.verwerk()
    assert push.requests.take() == 2
    assert push.zaak("O2")[0] == "OE-A"


def test_closing_a_zaak_is_one_reread_with_its_resultaat_and_tasks(push):
    # closing sends resultaat create (the handbuilt zaaktypen have no statustypen: no status create), and a
    # burst about the same zaak is still one queued row
    store = push.mock.store
    store.close_zaak(zaak_uuid("O3"), einddatum=PEILDATUM, resultaattype_url=resultaattype_url("RT1"))
    store.update_zaak(zaak_uuid("O3"), omschrijving="Afgehandeld")
    store.update_zaak(zaak_uuid("O3"), omschrijving="Afgehandeld, echt")
    push.delivered()
    with push.app.app_context():
        assert queue.status().wachtend == 1
        db.session.remove()
    push.requests.take()
    push.verwerk("--datum", "2026-06-20")
    assert push.requests.take() == 3  # zaak, rollen, resultaten
    _, zaak = push.zaak("O3")
    assert (zaak.einddatum, zaak.omschrijving) == (PEILDATUM, "Afgehandeld, echt")
    assert zaak.resultaattype_url.endswith(resultaattype_url("RT1").rsplit("/", 1)[1])
    # blijvend_bewaren, nog_te_archiveren: archiveren due 15-05 + 30 days = 14-06, past on 20-06
    task = push.scalar(select(ArchiefTaak).where(ArchiefTaak.zaak_id == zaak.id))
    assert (task.soort, task.status, task.vervaldatum) == ("archiveren", "open", date(2026, 6, 14))


def test_a_destroyed_zaak_is_recorded_destroyed(push):
    push.mock.store.destroy_zaak(zaak_uuid("C7"))
    push.delivered()
    push.requests.take()
    assert "1 vernietigd" in push.verwerk()
    assert push.requests.take() == 1  # the GET that answered 404
    _, zaak = push.zaak("C7")
    assert zaak.vernietigd_op == PEILDATUM
    # its vernietigen task is done at the source
    assert push.scalar(select(ArchiefTaak.status).where(ArchiefTaak.zaak_id == zaak.id)) == "opgelost_in_bron"


def test_a_lost_notification_is_caught_by_the_next_incremental_poll(push):
    store = push.mock.store
    store.notificaties.set_faults(drop_next=1)
    store.update_zaak(zaak_uuid("O14"), uiterlijkeEinddatumAfdoening="2026-05-29")
    push.delivered()
    assert push.scalar(select(func.count(NotificatieWachtrij.id))) == 0  # nothing arrived
    assert push.zaak("O14")[1].fatale_datum == date(2026, 5, 22)
    client = connect(InProcesSettings(zaken_url=push.mock.zaken_url, catalogi_url=push.mock.catalogi_url,
                                      client_id=push.mock.client_id, secret=push.mock.secret, backoff_factor=0))
    with push.app.app_context():
        run = run_sync(client, full=False, today=PEILDATUM, settings=archive_settings(),
                       organisaties=push.app.config["ORGANISATIES"])
        assert (run.uitkomst, run.gewijzigd) == ("geslaagd", 1)
        db.session.remove()
    assert push.zaak("O14")[1].fatale_datum == date(2026, 5, 29)


def test_a_failing_source_leaves_the_queue_for_the_next_wake_up(push):
    store = push.mock.store
    store.set_behandelaar(zaak_uuid("O6"), "OE-C", "Belastingen")
    push.delivered()
    store.set_faults(fail_matching={"pattern": r"^/zaken/api/v1/zaken/", "status": 500, "count": 1})
    result = push.app.test_cli_runner().invoke(args=["notificaties", "verwerk", "--datum", DAY])
    assert result.exit_code != 0 and "niet alles verwerkt" in result.output
    row = push.scalar(select(NotificatieWachtrij))
    assert (row.status, row.pogingen) == ("wachtend", 1)
    assert push.zaak("O6")[0] == "OE-B"
    # a sync holding the writer lock: the queue waits
    with push.app.app_context(), sync_lock(db.engine):
        assert "een synchronisatie loopt" in push.app.test_cli_runner().invoke(
            args=["notificaties", "verwerk"]).output
        db.session.remove()
    assert "1 verwerkt" in push.verwerk()
    assert push.zaak("O6")[0] == "OE-C"


def test_a_zaak_url_outside_our_zaken_api_is_never_fetched(push):
    with push.app.app_context():
        queue.enqueue(zaak_url("O1"))  # http://inproces.test/...: not the configured Zaken API
        db.session.remove()
    push.requests.take()
    assert "1 overgeslagen" in push.verwerk()
    assert push.requests.take() == 0


def test_the_idle_poller_drains_a_notification_within_its_wake_ups(push):
    """`flask poll` with an hour between syncs: after its first run, a rol added at the source reaches the
    mirror through the notification alone (no second sync run)."""
    app, store = push.app, push.mock.store
    done: dict[str, object] = {}

    def source_changes() -> None:
        try:
            deadline = time.monotonic() + 60
            while push.scalar(select(func.count(SyncRun.id)).where(SyncRun.uitkomst == "geslaagd")) < 2:
                assert time.monotonic() < deadline, "the poller's first run did not finish"
                time.sleep(0.1)
            store.set_behandelaar(zaak_uuid("O4"), "OE-D", "Publiekszaken")
            while push.zaak("O4")[0] != "OE-D" and time.monotonic() < deadline:
                time.sleep(0.1)
            done["team"] = push.zaak("O4")[0]
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            done["error"] = exc
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # the poller's stop signal

    previous = signal.getsignal(signal.SIGTERM)
    helper = threading.Thread(target=source_changes)
    helper.start()
    try:
        result = app.test_cli_runner().invoke(args=["poll", "--interval", "3600"])
    finally:
        helper.join()
        signal.signal(signal.SIGTERM, previous)
    assert "error" not in done, done.get("error")
    assert result.exit_code == 0, result.output
    assert done["team"] == "OE-D"
    assert "notificaties: 1 zaak in" in result.output and "poller gestopt" in result.output
    assert push.scalar(select(func.count(SyncRun.id))) == 2  # the full run of the fixture and the poller's first
