"""Every endpoint's responses (lists, details, errors) match the OpenAPI specs in ../shared/specs."""

from __future__ import annotations

import json

import pytest

from connectors.mock_inproces.testing import RunningMock

from . import spec
from .conftest import FIXTURES, get, uuid_of

LISTS = [
    "/zaken/api/v1/zaken", "/zaken/api/v1/rollen", "/zaken/api/v1/resultaten", "/zaken/api/v1/statussen",
    "/catalogi/api/v1/zaaktypen", "/catalogi/api/v1/resultaattypen", "/catalogi/api/v1/statustypen",
    "/catalogi/api/v1/roltypen", "/catalogi/api/v1/catalogussen",
]


def _assert_valid(path: str, status: int, body: object) -> None:
    problems = spec.errors(path, status, body)
    assert not problems, f"{path} ({status}): {problems[:5]}"


@pytest.mark.parametrize("name", sorted(p.name[:-10] for p in FIXTURES.glob("*.meta.json")))
def test_recorded_open_zaak_responses_pass_the_same_validation(name: str) -> None:
    meta = json.loads((FIXTURES / f"{name}.meta.json").read_text())
    body_file = FIXTURES / f"{name}.json"
    if meta["request"]["method"] != "GET" or not body_file.exists():
        pytest.skip("no GET response body")
    _assert_valid(meta["request"]["path"], meta["response"]["status"], json.loads(body_file.read_text()))


@pytest.mark.parametrize("path", LISTS)
def test_every_resource_of_every_list_matches_the_spec(mock: RunningMock, path: str) -> None:
    url: str | None = mock.base_url + path
    pages = 0
    while url:
        response = get(mock, url, {"pageSize": 500} if pages == 0 else None)
        assert response.status_code == 200
        _assert_valid(path, 200, response.json())
        url, pages = response.json()["next"], pages + 1
    assert pages >= 1


@pytest.mark.parametrize("path", LISTS)
def test_details_match_the_spec(mock: RunningMock, path: str) -> None:
    first = get(mock, path, {"pageSize": 3}).json()["results"]
    for item in first:
        response = get(mock, item["url"])
        assert response.status_code == 200
        _assert_valid(response.request.path_url, 200, response.json())
        assert response.json() == item


@pytest.mark.parametrize("scenario", ["open_opgeschort", "open_verlengd_datum_bijgewerkt", "gesloten_zonder_resultaat",
                                      "gesloten_nominatie_leeg", "overgedragen", "onbekend_zaaktype"])
def test_zaak_details_of_special_scenarios_match_the_spec(mock: RunningMock, scenario: str) -> None:
    path = f"/zaken/api/v1/zaken/{uuid_of(mock, scenario)}"
    _assert_valid(path, 200, get(mock, path).json())


@pytest.mark.parametrize(("path", "params", "kwargs", "status"), [
    ("/zaken/api/v1/zaken", {"page_size": 5}, {}, 400),
    ("/zaken/api/v1/zaken", {"archiefstatus": "foo"}, {}, 400),
    ("/zaken/api/v1/rollen", {"betrokkeneType": "foo"}, {}, 400),
    ("/catalogi/api/v1/zaaktypen", {"status": "foo"}, {}, 400),
    ("/zaken/api/v1/zaken", None, {"token": False}, 403),
    ("/catalogi/api/v1/zaaktypen", None, {"token": False}, 403),
    ("/zaken/api/v1/zaken", None, {"crs": False}, 412),
    ("/zaken/api/v1/zaken", None, {"headers": {"Accept-Crs": "EPSG:28992"}}, 406),
    ("/zaken/api/v1/zaken/0b3f79eb-9788-44a6-8e66-ced47e8963dc", None, {}, 404),
    ("/zaken/api/v1/rollen/0b3f79eb-9788-44a6-8e66-ced47e8963dc", None, {}, 404),
    ("/catalogi/api/v1/zaaktypen/0b3f79eb-9788-44a6-8e66-ced47e8963dc", None, {}, 404),
    ("/zaken/api/v1/zaken", {"page": 99}, {}, 404),
])
def test_errors_match_the_spec(mock: RunningMock, path: str, params: dict | None, kwargs: dict, status: int) -> None:
    response = get(mock, path, params, **kwargs)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json"
    _assert_valid(path, status, response.json())
