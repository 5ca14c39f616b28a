"""The poller's wake-up runs the signalering once: `flask poll --once` syncs, then decides and delivers."""

from __future__ import annotations

from datetime import UTC, datetime

from connectors.mock_inproces.testing import running_mock
from duo_zaak.accounts import set_email
from duo_zaak.accounts.auth import create_user
from duo_zaak.db import db
from duo_zaak.formatting import AMSTERDAM
from duo_zaak.rules.signalering import PIA_WEEK, due_period

from ..conftest import PASSWORD


def test_poll_once_sends_what_is_due(app, runner, smtp):
    with app.app_context():
        set_email(create_user("petra", PASSWORD, "pia", "Petra"), "petra@duo.test", actor="test")
        db.session.commit()
    with running_mock(zaken=60, seed=5, secret="poll-test-secret-0123456789-0123456789") as mock:
        app.config.update(INPROCES_ZAKEN_URL=mock.zaken_url, INPROCES_CATALOGI_URL=mock.catalogi_url,
                          INPROCES_CLIENT_ID=mock.client_id, INPROCES_SECRET=mock.secret)
        before = datetime.now(UTC).astimezone(AMSTERDAM)
        result = runner.invoke(args=["poll", "--once"])
    assert result.exit_code == 0, result.output
    # the PiA weekly is due all week except on Monday before 07:00 (the test runs on the real clock)
    if due_period(PIA_WEEK, before) is not None:
        assert [m.rcpt_tos for m in smtp.received] == [["petra@duo.test"]]
        assert "signalering " in result.output and "bezorgd 1" in result.output
    else:
        assert smtp.received == []
