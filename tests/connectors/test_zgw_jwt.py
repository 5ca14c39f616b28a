"""The ZGW token: what PyJWT would make, without its InsecureKeyLengthWarning; a short secret is logged once."""

from __future__ import annotations

import logging
import subprocess
import sys
import warnings
from pathlib import Path

import jwt
import pytest
import requests

from connectors.zgw import jwt as zgw_jwt
from connectors.zgw.client import _ZGWAuth
from connectors.zgw.jwt import SHORT_SECRET_WARNING, make_token

SHORT = "kort-geheim"
LONG = "een-geheim-van-minstens-32-bytes-lang"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no token was made yet in this process."""
    monkeypatch.setattr(zgw_jwt, "_warned", False)


def _warning_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "connectors.zgw.jwt" and r.levelno == logging.WARNING]


@pytest.mark.parametrize("secret", [SHORT, LONG])
def test_the_token_is_the_one_pyjwt_makes(secret: str) -> None:
    token = make_token("duo-zaak", secret, "sync", now=1_700_000_000)
    payload = {"iss": "duo-zaak", "iat": 1_699_999_995, "client_id": "duo-zaak", "user_id": "sync",
               "user_representation": "sync"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.InsecureKeyLengthWarning)
        assert token == jwt.encode(payload, secret, algorithm="HS256")
        assert jwt.decode(token, secret, algorithms=["HS256"]) == payload


def test_a_short_secret_gives_no_warnings_and_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    auth = _ZGWAuth("duo-zaak", SHORT, "sync", "", clock=lambda: 1_700_000_000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            make_token("duo-zaak", SHORT)
            request = auth(requests.Request("GET", "http://zgw.test/zaken").prepare())
            assert request.headers["Authorization"].startswith("Bearer ")
    assert caught == []
    assert _warning_lines(caplog) == [SHORT_SECRET_WARNING]


def test_a_long_secret_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make_token("duo-zaak", LONG)
    assert caught == [] and _warning_lines(caplog) == []


def test_a_command_prints_the_line_once_and_no_warning() -> None:
    script = ("import logging; logging.basicConfig(format='%(message)s')\n"
              "from connectors.zgw.jwt import make_token\n"
              f"for _ in range(5): make_token('duo-zaak', {SHORT!r})\n")
    done = subprocess.run([sys.executable, "-W", "error", "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [SHORT_SECRET_WARNING]
