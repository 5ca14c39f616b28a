"""The mock answers like the recorded Open Zaak: the same request (adapted to the mock's data) gives the
same status, headers, keys (in order), value types, links and error bodies as each recorded response."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import quote

import jwt
import pytest
import requests

from connectors.mock_inproces.testing import RunningMock

from .conftest import FIXTURES, SECRET, fixture, fixture_meta, uuid_of

RECORDED = "http://127.0.0.1:8800"
# recorded zaak -> the generated scenario in the same state
SCENARIO_OF = {
    "zaak_detail": "gesloten_recent", "zaak_detail_if_none_match_304": "gesloten_recent",
    "zaak_detail_opgeschort": "open_opgeschort", "zaak_detail_verlengd_server_only": "open_verlengd_datum_ongewijzigd",
    "zaak_detail_verlengd_client_updated": "open_verlengd_datum_bijgewerkt",
    "zaak_detail_archiefactiedatum_verstreken": "vernietigen_verstreken", "zaak_detail_gearchiveerd": "gearchiveerd",
    "zaak_detail_zonder_uiterlijke_einddatum": "open_zonder_uiterste_datum", "rollen_list_zaak": "gesloten_recent",
    "statussen_list": "gesloten_recent",
}
COMPARED_HEADERS = ("Content-Type", "API-version", "Content-Crs", "Allow", "Vary")
NAMES = sorted(p.name[: -len(".meta.json")] for p in FIXTURES.glob("*.meta.json"))


def _token(mock: RunningMock, name: str) -> str | None:
    now = int(time.time())
    claims: dict[str, Any] = {"client_id": mock.client_id, "iat": now - 5}
    key = mock.secret
    if name == "error_403_no_token":
        return None
    if name == "error_403_bad_signature":
        key = "a-wrong-secret-that-is-long-enough-for-hs256"
    elif name == "error_403_expired_iat":
        claims["iat"] = now - 7200
    elif name == "error_403_unknown_client":
        claims["client_id"] = "onbekende-client"
    elif name == "error_403_missing_iat":
        del claims["iat"]
    return jwt.encode(claims, key, algorithm="HS256")


def _replay(mock: RunningMock, name: str) -> requests.Response:
    meta = fixture_meta(name)
    path = meta["request"]["path"]
    if name in SCENARIO_OF:
        zaak = uuid_of(mock, SCENARIO_OF[name])
        path = re.sub(r"[0-9a-f-]{36}$", zaak, path)
    if name == "error_404_deleted_zaak":
        path = re.sub(r"[0-9a-f-]{36}$", mock.store.destroyed_uuids()[0], path)
    if name == "zaaktype_detail":
        path = get_zaaktype(mock, "ZT-OMGEVINGSVERGUNNING").replace(mock.base_url, "")
    if "zaaktype=" in path:
        omgevingsvergunning = get_zaaktype(mock, "ZT-OMGEVINGSVERGUNNING")
        path = re.sub(r"zaaktype=[^&]+", "zaaktype=" + quote(omgevingsvergunning, safe=""), path)
    headers = {key: value for key, value in meta["request"]["headers"].items() if key != "Authorization"}
    token = _token(mock, name)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if name == "zaak_detail_if_none_match_304":
        headers["If-None-Match"] = requests.get(mock.base_url + path, headers=headers, timeout=10).headers["ETag"]
    return requests.get(mock.base_url + path, headers=headers, timeout=10)


def get_zaaktype(mock: RunningMock, identificatie: str) -> str:
    response = requests.get(mock.catalogi_url + "/zaaktypen", params={"identificatie": identificatie},
                            headers=mock.headers(), timeout=10)
    return response.json()["results"][0]["url"]


def _same_shape(recorded: Any, ours: Any, where: str = "") -> None:
    """Same keys in the same order and the same JSON types; null may stand for any type."""
    if recorded is None or ours is None:
        return
    assert type(recorded) is type(ours), f"{where}: {type(recorded).__name__} != {type(ours).__name__}"
    if isinstance(recorded, dict):
        assert list(recorded) == list(ours), f"{where}: keys differ: {list(recorded)} != {list(ours)}"
        for key in recorded:
            _same_shape(recorded[key], ours[key], f"{where}.{key}")
    elif isinstance(recorded, list) and recorded and ours:
        _same_shape(recorded[0], ours[0], f"{where}[0]")


def _without_host(value: str | None, host: str) -> str | None:
    return None if value is None else value.replace(host, "")


@pytest.mark.parametrize("name", NAMES)
def test_the_mock_answers_like_open_zaak(mock: RunningMock, name: str) -> None:
    meta = fixture_meta(name)
    if meta["request"]["method"] != "GET":
        pytest.skip("the mock is read-only: POST fixtures document the real server's write validation")
    if "expand=" in meta["request"]["path"]:
        pytest.skip("`expand` is not supported by the mock (refused as an unknown parameter)")
    response = _replay(mock, name)
    expected = meta["response"]
    assert response.status_code == expected["status"]
    for header in COMPARED_HEADERS:
        assert response.headers.get(header) == expected["headers"].get(header), header
    assert ("ETag" in response.headers) == ("ETag" in expected["headers"])
    if response.status_code == 304:
        assert response.content == b""
        return
    recorded, ours = fixture(name), response.json()
    if response.status_code >= 400:  # error bodies: identical but for the per-request instance and the host
        for body, host in ((recorded, RECORDED), (ours, mock.base_url)):
            body["type"] = body["type"].replace(host, "")
            body.pop("instance")
        assert ours == recorded
        return
    if "results" not in recorded:
        _same_shape(recorded, ours)
        return
    assert list(ours) == ["count", "next", "previous", "results"]
    for link in ("next", "previous"):
        if recorded[link] is not None:  # the mock may hold more zaken than the recording
            assert _without_host(ours[link], mock.base_url) == _without_host(recorded[link], RECORDED)
    by_kind: dict[Any, Any] = {}
    for item in ours["results"]:
        by_kind.setdefault(item.get("betrokkeneType"), item)
    assert ours["results"], "the mock returned no results to compare"
    for item in recorded["results"]:
        _same_shape(item, by_kind[item.get("betrokkeneType")], name)


def test_the_secret_of_the_shared_mock_is_the_tests_secret(mock: RunningMock) -> None:
    assert mock.secret == SECRET
