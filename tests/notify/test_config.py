"""MAIL_* checked at start-up, e-mail addresses checked before they are stored."""

from __future__ import annotations

import pytest

from duo_zaak import ConfigError
from duo_zaak.accounts.auth import AccountError
from duo_zaak.accounts.mailadres import normalise_email
from duo_zaak.notify import mailer

from ..conftest import make_app


@pytest.mark.parametrize(("tls", "port", "problem"), [("tls", None, "MAIL_USE_TLS"), ("geen", "smtp", "MAIL_PORT"),
                                                       ("ssl", 70000, "MAIL_PORT")])
def test_bad_mail_settings_stop_start_up(tls, port, problem):
    with pytest.raises(ConfigError, match=problem):
        make_app("sqlite://", MAIL_USE_TLS=tls, MAIL_PORT=port)


def test_default_ports_and_no_password_in_a_repr():
    app = make_app("sqlite://", MAIL_SERVER="smtp.duo.test", MAIL_USE_TLS="SSL", MAIL_PASSWORD="geheim-wachtwoord",
                   MAIL_USERNAME="duo")
    with app.app_context():
        settings = mailer.settings()
        assert (settings.mode, settings.port) == ("ssl", 465)
        assert "geheim" not in repr(settings)
    assert make_app("sqlite://").config["MAIL_USE_TLS"] == "starttls"


@pytest.mark.parametrize(("given", "stored"), [
    ("tessa@diemen.nl", "tessa@diemen.nl"), ("  Tessa.de-Vries@Diemen.NL ", "Tessa.de-Vries@diemen.nl"),
    ("beheer@localhost", "beheer@localhost"), ("", None), (None, None)])
def test_addresses(given, stored):
    assert normalise_email(given) == stored


@pytest.mark.parametrize("given", ["tessa", "tessa@", "@diemen.nl", "tessa@diemen", "a b@diemen.nl",
                                   "tessa@diemen.nl\r\nBcc: x@y.nl", "<x@y.nl>", "tëssa@diemen.nl",
                                   "x" * 250 + "@diemen.nl", "a@b@diemen.nl"])
def test_bad_addresses(given):
    with pytest.raises(AccountError):
        normalise_email(given)
