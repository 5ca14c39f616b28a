"""Where Open Zaak 1.21 differs from a plain reading of the ZGW standards (docs/domain.md, "What a real ZGW
server does"), the mock does the same."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests

from connectors.mock_inproces.auth import AuthError, check_authorization
from connectors.mock_inproces.resources import served_duration
from connectors.mock_inproces.testing import RunningMock, running_mock

from .conftest import SECRET, fixture, get

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


# (b) -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["archiefstatus__in", "archiefnominatie__in"])
def test_an_unknown_value_inside_an_in_filter_is_ignored(mock: RunningMock, name: str) -> None:
    known = "gearchiveerd" if name == "archiefstatus__in" else "blijvend_bewaren"
    expected = get(mock, ZAKEN, {name: known, "pageSize": 500}).json()
    assert expected["count"] > 0
    response = get(mock, ZAKEN, {name: f"{known},weg", "pageSize": 500})
    assert response.status_code == 200 and response.json() == expected
    assert get(mock, ZAKEN, {name: "weg"}).json()["count"] == 0
    assert get(mock, ZAKEN, {name.removesuffix("__in"): "weg"}).status_code == 400  # the exact filter checks


# (c) -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("params", "name", "code", "reason"), [
    ({"bronorganisatie": "12345678"}, "bronorganisatie", "invalid-length", "Waarde moet 9 tekens lang zijn"),
    ({"bronorganisatie": "0025644400"}, "bronorganisatie", "invalid-length", "Waarde moet 9 tekens lang zijn"),
    ({"bronorganisatie__in": "002564440,1234"}, "bronorganisatie__in", "invalid-length",
     "Waarde moet 9 tekens lang zijn"),
    ({"bronorganisatie": "00256444x"}, "bronorganisatie", "only-digits", "Voer een numerieke waarde in"),
    ({"bronorganisatie": "001234567"}, "bronorganisatie", "invalid", "Onjuist RSIN nummer"),
])
def test_a_bronorganisatie_that_is_no_rsin_is_refused(mock: RunningMock, params: dict[str, str], name: str,
                                                      code: str, reason: str) -> None:
    response = get(mock, ZAKEN, params)
    assert response.status_code == 400 and response.headers["Content-Type"] == "application/json"
    body = response.json()
    shape = fixture("error_400_invalid_rsin")  # a 400 of the recorded Open Zaak
    assert {k: body[k] for k in ("type", "code", "title", "status", "detail")} == {
        **{k: shape[k] for k in ("code", "title", "status", "detail")}, "type": f"{mock.base_url}/ref/fouten/"
                                                                              "ValidationError/"}
    assert body["invalidParams"] == [{"name": name, "code": code, "reason": reason}]


def test_valid_and_empty_bronorganisaties_filter_as_before(mock: RunningMock) -> None:
    everything = get(mock, ZAKEN, {"pageSize": 1}).json()["count"]
    assert get(mock, ZAKEN, {"bronorganisatie": ""}).json()["count"] == everything
    assert 0 < get(mock, ZAKEN, {"bronorganisatie": "002564440"}).json()["count"] < everything


# (d) -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "served"), [
    ("P8W", "P56D"), ("P1W3D", "P10D"), ("P1M", "P1M"), ("P2M", "P2M"), ("P14M", "P1Y2M"), ("P1Y2M3W", "P1Y2M21D"),
    ("P10Y", "P10Y"), ("P56D", "P56D"), ("PT36H", "P1DT12H"), ("P0D", "P0D"), ("geen duur", "geen duur"),
])
def test_durations_are_served_as_open_zaak_stores_them(given: str, served: str) -> None:
    assert served_duration(given) == served


def test_weeks_in_the_catalogue_are_served_as_days() -> None:
    zaaktype = fixture("zaaktype_detail")
    zaaktype.update(doorlooptijd="P8W", servicenorm="P6W", verlengingstermijn="P2M")
    resultaattype: dict[str, Any] = fixture("resultaattypen_list")["results"][0]
    resultaattype.update(archiefactietermijn="P12M", brondatumArchiefprocedure={
        **resultaattype["brondatumArchiefprocedure"], "procestermijn": "P4W"})
    with running_mock(data={"zaaktypen": [zaaktype], "resultaattypen": [resultaattype]}, secret=SECRET) as mock:
        [served] = get(mock, "/catalogi/api/v1/zaaktypen").json()["results"]
        assert (served["doorlooptijd"], served["servicenorm"], served["verlengingstermijn"]) == (
            "P56D", "P42D", "P2M")
        [served_rt] = get(mock, "/catalogi/api/v1/resultaattypen", {"status": "alles"}).json()["results"]
        assert served_rt["archiefactietermijn"] == "P1Y"
        assert served_rt["brondatumArchiefprocedure"]["procestermijn"] == "P28D"


# (e) -------------------------------------------------------------------------------------------------------
def test_the_api_roots_list_their_resources_without_a_jwt(mock: RunningMock) -> None:
    zaken_root = f"{mock.base_url}/zaken/api/v1"
    for url in (f"{zaken_root}/", zaken_root):
        response = requests.get(url, timeout=10)
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
        assert response.headers["API-version"] == "1.5.1"
        assert response.json() == {kind: f"{zaken_root}/{kind}"
                                   for kind in ("zaken", "statussen", "rollen", "resultaten")}
    for link in response.json().values():
        assert get(mock, link, {"pageSize": 1}).status_code == 200
    catalogi = requests.get(f"{mock.base_url}/catalogi/api/v1/", headers=mock.headers(), timeout=10)
    assert catalogi.status_code == 200 and catalogi.headers["API-version"] == "1.3.1"
    assert list(catalogi.json()) == ["catalogussen", "zaaktypen", "statustypen", "roltypen", "resultaattypen"]
    assert requests.post(f"{zaken_root}/", timeout=10).status_code == 405
