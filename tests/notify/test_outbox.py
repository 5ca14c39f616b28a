"""Delivery from the outbox through a real SMTP server: SMTP down then up (the message waits, is retried with
back-off and sent once), a recipient refused for good, login, no password in what is stored or shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from duo_zaak.accounts import set_email
from duo_zaak.accounts.auth import create_user
from duo_zaak.db import db
from duo_zaak.models import Gebruiker
from duo_zaak.notify import outbox
from duo_zaak.notify.models import MailUitgaand
from duo_zaak.notify.signalering import run_due, send_test

from ..conftest import PASSWORD
from .smtp import SmtpServer

T0 = datetime(2026, 5, 18, 6, 0, tzinfo=UTC)  # Monday 08:00 in Amsterdam: the PiA weekly is due


@pytest.fixture
def pia(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        user = create_user("petra", PASSWORD, "pia", "Petra")
        set_email(user, "petra@duo.test", actor="test")
        db.session.commit()
        return user.id


def _rows(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = [(r.status, r.pogingen, r.laatste_fout.split(":")[0]) for r in db.session.scalars(select(MailUitgaand))]
        db.session.remove()
        return rows


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_smtp_down_then_up(app, smtp, pia):
    smtp.stop()
    with app.app_context():
        first = run_due(T0)
        # decided and waiting: the attempt failed, the next one in 1 minute
        assert (first.in_wachtrij, first.bezorging.verzonden, first.bezorging.uitgesteld) == (1, 0, 1)
        status = outbox.status(T0)
        assert (status["wachtend"], status["mislukt"], status["laatste_fout"]) == (1, 0, "SMTP-server niet bereikbaar")
        # 30 s later: the back-off has not passed, no attempt (still 1); after 1 min: attempt 2 fails, next in 2 min
        assert run_due(T0 + timedelta(seconds=30)).bezorging.uitgesteld == 0
        assert run_due(T0 + timedelta(seconds=61)).bezorging.uitgesteld == 1
        row = db.session.scalar(select(MailUitgaand))
        assert row.pogingen == 2
        assert outbox.aware(row.volgende_poging) == T0 + timedelta(seconds=61) + timedelta(minutes=2)
        db.session.remove()
    smtp.start()
    with app.app_context():
        assert run_due(T0 + timedelta(minutes=2)).bezorging.verzonden == 0  # not due yet
        later = run_due(T0 + timedelta(minutes=4))
        assert (later.in_wachtrij, later.bezorging.verzonden) == (0, 1)  # decided once, sent now
        assert run_due(T0 + timedelta(minutes=10)).bezorging.verzonden == 0
        status = outbox.status(T0 + timedelta(minutes=10))
        assert (status["wachtend"], status["verzonden_24u"]) == (0, 1)
        db.session.remove()
    assert [m.rcpt_tos for m in smtp.received] == [["petra@duo.test"]]
    assert _rows(app) == [("verzonden", 3, "SMTP-server niet bereikbaar")]


def test_a_refused_recipient_fails_for_good_and_the_rest_goes(app, smtp, pia):
    with app.app_context():
        other = create_user("piet", PASSWORD, "pia", "Piet")
        set_email(other, "piet@duo.test", actor="test")
        db.session.commit()
    smtp.handler.refuse.add("petra@duo.test")
    with app.app_context():
        result = run_due(T0)
        assert (result.in_wachtrij, result.bezorging.verzonden, result.bezorging.mislukt) == (2, 1, 1)
        assert outbox.status(T0)["mislukt"] == 1
        db.session.remove()
    assert [m.rcpt_tos for m in smtp.received] == [["piet@duo.test"]]
    assert sorted(_rows(app)) == [("mislukt", 1, "ontvanger geweigerd"), ("verzonden", 1, "")]


def test_a_message_that_cannot_go_for_a_week_is_given_up(app, smtp, pia):
    smtp.stop()
    with app.app_context():
        run_due(T0)
        assert outbox.deliver(T0 + timedelta(days=8)).mislukt == 1
        db.session.remove()
    assert _rows(app) == [("mislukt", 2, "opgegeven na 7 dagen")]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_sender_that_died_mid_delivery_is_retried(app, smtp, pia):
    with app.app_context():
        run_due(T0 - timedelta(hours=3))  # Monday 05:00 local: nothing is due yet
        user = db.session.get(Gebruiker, pia)
        assert send_test(user, "beheer", T0).verzonden == 1
        row = db.session.scalar(select(MailUitgaand))
        row.status, row.geclaimd_op = "bezig", T0  # as if a sender was killed before it could mark it sent
        db.session.commit()
        assert outbox.deliver(T0 + timedelta(minutes=5)).verzonden == 0  # it may still be busy
        assert outbox.deliver(T0 + timedelta(minutes=16)).verzonden == 1
        db.session.remove()
    first, second = smtp.received
    assert first.message["Message-ID"] == second.message["Message-ID"]  # a duplicate a client can recognise


@pytest.fixture
def app_config(smtp):  # type: ignore[no-untyped-def]
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": "geen",
            "MAIL_SENDER": "duo-zaak <signalering@duo.test>", "MAIL_TIMEOUT_SECONDS": 5}


def test_login_and_a_wrong_password_that_is_never_shown(app, pia):
    server = SmtpServer(login=("duo", "het-juiste-geheim"))
    server.start()
    try:
        app.config.update(MAIL_PORT=server.port, MAIL_USERNAME="duo", MAIL_PASSWORD="een-fout-geheim")
        with app.app_context():
            result = run_due(T0)
            assert result.bezorging.uitgesteld == 1
            assert result.bezorging.fout.startswith("inloggen bij de SMTP-server geweigerd")
            row = db.session.scalar(select(MailUitgaand))
            assert "een-fout-geheim" not in row.laatste_fout
            app.config["MAIL_PASSWORD"] = "het-juiste-geheim"
            assert run_due(T0 + timedelta(minutes=2)).bezorging.verzonden == 1
            db.session.remove()
        assert len(server.received) == 1
    finally:
        server.stop()


def test_mail_not_configured_decides_nothing(app, pia):
    app.config["MAIL_SERVER"] = None
    with app.app_context():
        result = run_due(T0)
        assert not result.geconfigureerd and result.in_wachtrij == 0
        assert "geen MAIL_SERVER" in result.summary()
        assert outbox.status(T0)["geconfigureerd"] is False
        assert db.session.scalar(select(MailUitgaand)) is None


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_two_workers_deciding_the_same_message_send_it_once(app, smtp, pia):
    """A second worker that decides the same (user, kind, period) after the first fails on the sent-log's key:
    its outbox row is rolled back with it."""
    from duo_zaak.notify.signalering import RunResult, _decide

    with app.app_context():
        user = db.session.get(Gebruiker, pia)
        first, second = RunResult(T0.date()), RunResult(T0.date())
        _decide(user, "pia_week", "2026-W21", T0.date(), T0, "duo-zaak <s@duo.test>", {}, first)
        _decide(user, "pia_week", "2026-W21", T0.date(), T0, "duo-zaak <s@duo.test>", {}, second)
        assert (first.in_wachtrij, second.in_wachtrij, second.al_besloten) == (1, 0, 1)
        assert outbox.deliver(T0).verzonden == 1
        db.session.remove()
    assert len(smtp.received) == 1
