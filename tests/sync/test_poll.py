"""The Procfile's worker: `flask poll` syncs, runs the daily task step and takes the day's snapshot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from connectors.mock_inproces.testing import running_mock
from duo_zaak.db import db
from duo_zaak.models import Snapshot, SyncRun, SyncVerzoek, Zaak
from duo_zaak.sync import requests as sync_requests

from ..handbuilt import build_dataset

REPO = Path(__file__).resolve().parents[2]

INDICATOR_CODES = {"Z1", "Z2", "Z3", "A1", "A2", "A3", "A4"}


def test_poll_once_syncs_and_snapshots(app, runner):
    with running_mock(zaken=150, seed=3, secret="poll-test-secret-0123456789-0123456789") as mock:
        app.config.update(INPROCES_ZAKEN_URL=mock.zaken_url, INPROCES_CATALOGI_URL=mock.catalogi_url,
                          INPROCES_CLIENT_ID=mock.client_id, INPROCES_SECRET=mock.secret)
        result = runner.invoke(args=["poll", "--once"])
        assert result.exit_code == 0, result.output
        assert "sync volledig geslaagd" in result.output  # the first run of a poller is a full one
        assert "poller gestopt" in result.output
        with app.app_context():
            assert db.session.scalar(select(func.count(Zaak.id))) == mock.store.count_zaken()
            assert db.session.scalar(select(SyncRun.uitkomst)) == "geslaagd"
            # today's snapshot: every indicator per organisation and for all together, and the counts of all
            # zaken ('*' x '*') equal to the mirror's
            today = db.session.scalar(select(func.max(Snapshot.datum)))
            rows = db.session.execute(select(Snapshot.organisatie, Snapshot.team, Snapshot.metriek, Snapshot.teller)
                                      .where(Snapshot.datum == today)).all()
            indicators = {(org, metric) for org, team, metric, _ in rows if metric in INDICATOR_CODES}
            orgs = {org for org, _ in indicators}
            assert {code for _, code in indicators} == INDICATOR_CODES
            assert len(indicators) == len(orgs) * len(INDICATOR_CODES) and "*" in orgs
            open_now = db.session.scalar(select(func.count(Zaak.id)).where(Zaak.einddatum.is_(None),
                                                                           Zaak.vernietigd_op.is_(None)))
            assert {(team, teller) for org, team, metric, teller in rows
                    if org == "*" and team == "*" and metric == "open"} == {("*", open_now)}


def test_sync_command_reports_a_clear_error_when_inproces_is_down(app, runner):
    app.config.update(INPROCES_ZAKEN_URL="http://127.0.0.1:9/zaken/api/v1",
                      INPROCES_CATALOGI_URL="http://127.0.0.1:9/catalogi/api/v1")
    result = runner.invoke(args=["sync"])
    assert result.exit_code != 0
    assert "synchronisatie mislukt" in result.output
    with app.app_context():
        run = db.session.scalar(select(SyncRun))
        assert run.uitkomst == "mislukt" and "127.0.0.1:9" in run.melding


def _finished_runs(app) -> list[tuple[str, str]]:
    with app.app_context():
        runs = db.session.execute(select(SyncRun.modus, SyncRun.uitkomst).where(SyncRun.uitkomst != "bezig")
                                  .order_by(SyncRun.id)).all()
        db.session.remove()
    return [tuple(run) for run in runs]


def _wait_for_runs(app, poller: subprocess.Popen, count: int) -> list[tuple[str, str]]:
    """Until `count` runs have finished (60 s is a bound for a stuck poller, not a speed requirement)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and poller.poll() is None:
        runs = _finished_runs(app)
        if len(runs) >= count:
            return runs
        time.sleep(0.2)
    raise AssertionError(f"the poller finished {len(_finished_runs(app))} runs, not {count}")


def test_the_poller_serves_a_run_asked_for_on_bron_without_waiting_for_its_interval(app):
    """`poll --interval 3600` runs once, then waits an hour; a request written as the page does makes it run at
    its next check (every few seconds), incremental or full as asked, and the request is marked taken up."""
    with running_mock(data=build_dataset(), secret="poll-test-secret-0123456789-0123456789") as mock:
        env = {key: value for key, value in os.environ.items() if not key.startswith("DUO_ZAAK_")}
        env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
                   DUO_ZAAK_SECRET_KEY="poller-test-secret-key-0123456789-0123456789",
                   DUO_ZAAK_INPROCES_ZAKEN_URL=mock.zaken_url, DUO_ZAAK_INPROCES_CATALOGI_URL=mock.catalogi_url,
                   DUO_ZAAK_INPROCES_CLIENT_ID=mock.client_id, DUO_ZAAK_INPROCES_SECRET=mock.secret,
                   PYTHONUNBUFFERED="1")
        poller = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "poll", "--interval", "3600"],
                                  cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert _wait_for_runs(app, poller, 1) == [("volledig", "geslaagd")]  # a first run is a full one
            for volledig in (False, True):
                with app.app_context():
                    sync_requests.request_run("admin", volledig=volledig)
                    db.session.commit()
                    db.session.remove()
                runs = _wait_for_runs(app, poller, 3 if volledig else 2)
                assert runs[-1] == ("volledig" if volledig else "incrementeel", "geslaagd")
        finally:
            poller.send_signal(signal.SIGTERM)
            out, err = poller.communicate(timeout=30)
        assert poller.returncode == 0, err
        assert "poller gestopt" in out
        with app.app_context():
            assert db.session.scalar(select(func.count(SyncVerzoek.id)).where(SyncVerzoek.opgepakt_op.is_(None))) == 0
            assert db.session.scalar(select(func.count(SyncVerzoek.id))) == 2
            db.session.remove()
