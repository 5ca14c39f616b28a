"""Where Open Zaak 1.21 differs from a plain reading of the ZGW standards (docs/domain.md, "What a real ZGW
server does"), the mock does the same."""

from __future__ import annotations

import time

import jwt
import pytest

from connectors.mock_inproces.auth import AuthError, check_authorization
from connectors.mock_inproces.testing import RunningMock

from .conftest import get

ZAKEN = "/zaken/api/v1/zaken"
CLIENTS = {"duo-zaak": "a-secret-that-is-long-enough-for-hs256-0123"}


def _header(iat: float) -> str:
    return f"Bearer {jwt.encode({'client_id': 'duo-zaak', 'iat': iat}, CLIENTS['duo-zaak'], algorithm='HS256')}"


# (a) -------------------------------------------------------------------------------------------------------
def test_an_iat_up_to_a_minute_ahead_is_accepted_further_ahead_refused() -> None:
    now = 1_800_000_000
    for ahead in (1, 30, 60):
        assert check_authorization(_header(now + ahead), CLIENTS, now=now) == "duo-zaak"
    for ahead in (61, 600):
        with pytest.raises(AuthError) as raised:
            check_authorization(_header(now + ahead), CLIENTS, now=now)
        assert (raised.value.code, raised.value.detail) == ("jwt-immaturesignatureerror",
                                                            "The token is not yet valid (iat)")
    with pytest.raises(AuthError) as raised:
        check_authorization(_header("gisteren"), CLIENTS, now=now)  # type: ignore[arg-type]
    assert raised.value.code == "jwt-invalidissuedaterror"


def test_a_client_clock_ahead_by_a_minute_gets_answers(mock: RunningMock) -> None:
    token = jwt.encode({"client_id": mock.client_id, "iat": int(time.time()) + 55}, mock.secret, algorithm="HS256")
    response = get(mock, ZAKEN, {"pageSize": 1}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
