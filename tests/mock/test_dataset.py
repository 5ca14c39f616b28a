"""A given dataset (`--data`): served as given, URLs on the mock's own host, `verwijderd` zaken gone."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from connectors.mock_inproces.dataset import DatasetError
from connectors.mock_inproces.testing import running_mock

from .conftest import SECRET, fixture, get

HOST = "http://inproces.test"


def _dataset() -> dict[str, Any]:
    """Three zaken built from the recorded fixtures, on another host; the second one is destroyed."""
    zaaktype = fixture("zaaktype_detail")
    resultaattype = fixture("resultaattypen_list")["results"][-1]  # Vergunning verleend (Omgevingsvergunning)
    zaken, rollen = [], []
    for n in range(1, 4):
        zaak = fixture("zaak_detail")
        zaak.update(url=f"{HOST}/zaken/api/v1/zaken/00000000-0000-4000-8000-00000000000{n}",
                    uuid=f"00000000-0000-4000-8000-00000000000{n}", identificatie=f"ZAAK-2026-000000000{n}",
                    rollen=[], status=None, resultaat=None)
        zaken.append(zaak)
        rol = copy.deepcopy(fixture("rollen_list_zaak")["results"][1])
        rol.update(url=f"{HOST}/zaken/api/v1/rollen/00000000-0000-4000-8000-00000000001{n}",
                   uuid=f"00000000-0000-4000-8000-00000000001{n}", zaak=zaak["url"])
        rollen.append(rol)
    resultaat = {"url": f"{HOST}/zaken/api/v1/resultaten/00000000-0000-4000-8000-000000000021",
                 "uuid": "00000000-0000-4000-8000-000000000021", "zaak": zaken[0]["url"],
                 "resultaattype": resultaattype["url"], "toelichting": ""}
    for body in (zaaktype, resultaattype):
        body["url"] = body["url"].replace("http://127.0.0.1:8800", HOST)
    for zaak in zaken:
        zaak["zaaktype"] = zaaktype["url"]
    return {"zaaktypen": [zaaktype], "resultaattypen": [resultaattype], "zaken": zaken, "rollen": rollen,
            "resultaten": [resultaat], "verwijderd": [zaken[1]["url"]]}


def test_the_dataset_is_served_on_the_mocks_host() -> None:
    data = _dataset()
    with running_mock(data=data, secret=SECRET) as mock:
        listed = get(mock, "/zaken/api/v1/zaken").json()
        assert "inproces.test" not in str(listed)
        # newest created (last in the file) first; the destroyed one is listed nowhere
        assert [z["uuid"] for z in listed["results"]] == [data["zaken"][2]["uuid"], data["zaken"][0]["uuid"]]
        first = get(mock, f"/zaken/api/v1/zaken/{data['zaken'][0]['uuid']}").json()
        assert first["url"] == f"{mock.zaken_url}/zaken/{data['zaken'][0]['uuid']}"
        assert first["zaaktype"] == data["zaaktypen"][0]["url"].replace(HOST, mock.base_url)
        # links the server keeps are filled in from the other lists
        assert first["rollen"] == [f"{mock.zaken_url}/rollen/00000000-0000-4000-8000-000000000011"]
        assert first["resultaat"] == f"{mock.zaken_url}/resultaten/00000000-0000-4000-8000-000000000021"
        expected = {key: value for key, value in data["zaken"][0].items()
                    if key not in ("url", "zaaktype", "rollen", "resultaat")}
        assert {key: first[key] for key in expected} == expected
        rollen = get(mock, "/zaken/api/v1/rollen").json()["results"]
        assert len(rollen) == 2 and rollen[0]["zaak"].startswith(mock.zaken_url)
        zaaktype = get(mock, data["zaaktypen"][0]["url"].replace(HOST, mock.base_url))
        assert zaaktype.status_code == 200 and zaaktype.json()["identificatie"] == "ZT-OMGEVINGSVERGUNNING"
        assert get(mock, "/catalogi/api/v1/resultaattypen").json()["count"] == 1


def test_destroyed_zaken_and_their_rollen_answer_404() -> None:
    data = _dataset()
    data["verwijderd"].append(f"{HOST}/zaken/api/v1/zaken/00000000-0000-4000-8000-0000000000ff")
    with running_mock(data=data, secret=SECRET) as mock:
        for path in ("/zaken/api/v1/zaken/00000000-0000-4000-8000-000000000002",
                     "/zaken/api/v1/rollen/00000000-0000-4000-8000-000000000012",
                     "/zaken/api/v1/zaken/00000000-0000-4000-8000-0000000000ff"):
            response = get(mock, path)
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert sorted(mock.store.destroyed_uuids()) == ["00000000-0000-4000-8000-000000000002",
                                                        "00000000-0000-4000-8000-0000000000ff"]


def test_zaken_given_with_their_links_keep_them() -> None:
    data = _dataset()
    data["zaken"][2]["rollen"] = [f"{HOST}/zaken/api/v1/rollen/00000000-0000-4000-8000-000000000099"]
    with running_mock(data=data, secret=SECRET) as mock:
        zaak = get(mock, "/zaken/api/v1/zaken/00000000-0000-4000-8000-000000000003").json()
        assert zaak["rollen"] == [f"{mock.zaken_url}/rollen/00000000-0000-4000-8000-000000000099"]


@pytest.mark.parametrize("data", [[], {"zaken": [{"identificatie": "zonder url"}]}])
def test_an_unusable_dataset_is_refused(data: Any) -> None:
    with pytest.raises(DatasetError), running_mock(data=data):
        pass
