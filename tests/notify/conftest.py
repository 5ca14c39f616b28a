"""A real SMTP server per test and the app configured to send through it (no TLS: a relay on loopback)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .smtp import SmtpServer

SENDER = "duo-zaak <signalering@duo.test>"
BASE_URL = "https://duo-zaak.test"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp: SmtpServer) -> dict[str, object]:
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": "geen", "MAIL_SENDER": SENDER,
            "BASE_URL": BASE_URL, "MAIL_TIMEOUT_SECONDS": 5}
