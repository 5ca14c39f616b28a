"""Authentication like Open Zaak: every failure a 403 with its own code (never 401); Accept-Crs on zaken."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests

from connectors.mock_inproces.auth import AuthError, check_authorization
from connectors.mock_inproces.testing import RunningMock

from .conftest import get

ZAKEN = "/zaken/api/v1/zaken"
CLIENTS = {"duo-zaak": "a-secret-that-is-long-enough-for-hs256-0123"}


def _token(claims: dict[str, Any], secret: str = CLIENTS["duo-zaak"]) -> str:
    return jwt.encode(claims, secret, algorithm="HS256")


def _header(**claims: Any) -> str:
    return f"Bearer {_token({'client_id': 'duo-zaak', 'iat': int(time.time()) - 5, **claims})}"


@pytest.mark.parametrize(("header", "code", "detail"), [
    (None, "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren."),
    ("Token abc", "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren."),
    ("Bearer ", "permission_denied", "Je hebt geen toestemming om deze actie uit te voeren."),
    ("Bearer dit-is-geen-jwt", "jwt-decode-error", None),
    (f"Bearer {_token({'client_id': 'duo-zaak', 'iat': int(time.time())}, 'een-ander-secret-0123456789abcdef')}",
     "invalid-jwt-signature", "Client credentials zijn niet geldig"),
    (_header(client_id="onbekend"), "invalid-client-identifier", "Client identifier bestaat niet"),
    (_header(client_id=None), "invalid-client-identifier", "Client identifier bestaat niet"),
    (f"Bearer {_token({'client_id': 'duo-zaak'})}", "jwt-missing-iat-claim",
     "De 'iat' claim is niet gevonden in het JWT."),
    (_header(iat=int(time.time()) - 3700), "jwt-expired", "Het JWT voor deze request is vervallen"),
    (_header(iat=int(time.time()) + 600), "jwt-immaturesignatureerror", None),
    (_header(exp=int(time.time()) - 10), "jwt-expiredsignatureerror", None),
])
def test_every_authentication_failure_has_its_own_code(header: str | None, code: str, detail: str | None) -> None:
    with pytest.raises(AuthError) as raised:
        check_authorization(header, CLIENTS)
    assert raised.value.code == code
    if detail is not None:
        assert raised.value.detail == detail


def test_a_missing_client_id_claim() -> None:
    with pytest.raises(AuthError) as raised:
        check_authorization(f"Bearer {_token({'iat': int(time.time())})}", CLIENTS)
    assert raised.value.code == "missing-client-identifier"


def test_tokens_up_to_an_hour_old_pass_without_leeway() -> None:
    now = time.time()
    assert check_authorization(_header(iat=int(now) - 3600), CLIENTS, now=int(now)) == "duo-zaak"
    with pytest.raises(AuthError, match="vervallen"):
        check_authorization(_header(iat=int(now) - 3601), CLIENTS, now=int(now))


@pytest.mark.parametrize("path", [ZAKEN, "/zaken/api/v1/rollen", "/zaken/api/v1/resultaten",
                                  "/catalogi/api/v1/zaaktypen", "/catalogi/api/v1/resultaattypen"])
def test_every_api_endpoint_requires_a_token_and_never_answers_401(mock: RunningMock, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer x.y.z"}, {"Authorization": "Basic dXNlcjpwdw=="}):
        response = requests.get(mock.base_url + path, headers={**headers, "Accept-Crs": "EPSG:4326"}, timeout=10)
        assert response.status_code == 403
        assert response.json()["title"] == "Je hebt geen toestemming om deze actie uit te voeren."
    assert get(mock, path).status_code == 200


def test_accept_crs_is_required_on_zaken_only_and_checked_after_the_token(mock: RunningMock) -> None:
    zaak = get(mock, ZAKEN, {"pageSize": 1}).json()["results"][0]["url"]
    for url in (mock.base_url + ZAKEN, zaak):
        response = get(mock, url, crs=False)
        assert response.status_code == 412
        assert response.json()["detail"] == "'Accept-Crs' header ontbreekt"
        assert response.headers["Content-Crs"] == "EPSG:4326"
        assert get(mock, url, headers={"Accept-Crs": "EPSG:28992"}).status_code == 406
    assert get(mock, ZAKEN, token=False, crs=False).status_code == 403
    assert get(mock, "/zaken/api/v1/rollen", crs=False).status_code == 200
    assert get(mock, "/catalogi/api/v1/zaaktypen", crs=False).status_code == 200


def test_writes_are_not_allowed(mock: RunningMock) -> None:
    response = requests.post(mock.base_url + ZAKEN, json={}, headers=mock.headers(), timeout=10)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert requests.post(mock.base_url + ZAKEN, json={}, timeout=10).status_code == 403
