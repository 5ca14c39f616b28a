"""The Procfile's worker: `flask poll` syncs, runs the daily task step and takes the day's snapshot."""

from __future__ import annotations

from sqlalchemy import func, select

from connectors.mock_inproces.testing import running_mock
from duo_zaak.db import db
from duo_zaak.models import Snapshot, SyncRun, Zaak

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
