"""The links Open Zaak keeps on a zaak (`rollen`, `status`, `resultaat`) and rol registration times, on every
path that adds or removes a rol, status or resultaat: generated data, a dataset and the control API."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests

from connectors.mock_inproces import generator
from connectors.mock_inproces.db import Database
from connectors.mock_inproces.store import NotFound
from connectors.mock_inproces.testing import RunningMock, running_mock

from .conftest import PEILDATUM, SECRET, fixture, get

ZAKEN = "/zaken/api/v1/zaken"
ROLLEN = "/zaken/api/v1/rollen"


def _all(mock: RunningMock, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    url: str | None = path
    query: dict[str, Any] | None = {**(params or {}), "pageSize": 500}
    while url:
        page = get(mock, url, query).json()
        results.extend(page["results"])
        url, query = page["next"], None
    return results


def _assert_links(mock: RunningMock, registered_in_order: bool = True) -> None:
    """Every zaak lists exactly its rollen (oldest first), the status set latest and its resultaat; its rollen
    are registered in creation order unless a test registered one as older."""
    rollen: dict[str, list[dict[str, Any]]] = {}
    for rol in reversed(_all(mock, ROLLEN)):  # lists are newest-created first
        rollen.setdefault(rol["zaak"], []).append(rol)
    statussen: dict[str, list[dict[str, Any]]] = {}
    for status in reversed(_all(mock, "/zaken/api/v1/statussen")):
        statussen.setdefault(status["zaak"], []).append(status)
    resultaten = {r["zaak"]: r["url"] for r in _all(mock, "/zaken/api/v1/resultaten")}
    for zaak in _all(mock, ZAKEN):
        own = rollen.get(zaak["url"], [])
        assert zaak["rollen"] == [r["url"] for r in own], zaak["uuid"]
        moments = [r["registratiedatum"] for r in own]
        assert moments == sorted(moments) or not registered_in_order, zaak["uuid"]  # registered when created
        own_statussen = statussen.get(zaak["url"], [])
        # the one set latest; of equal moments the last created
        latest = max(reversed(own_statussen), key=lambda s: s["datumStatusGezet"], default=None)
        assert zaak["status"] == (latest["url"] if latest else None), zaak["uuid"]
        assert [s["url"] for s in own_statussen if s["indicatieLaatstGezetteStatus"]] == (
            [latest["url"]] if latest else [])
        assert zaak["resultaat"] == resultaten.get(zaak["url"]), zaak["uuid"]


@pytest.fixture
def small() -> Iterator[RunningMock]:
    with running_mock(zaken=40, peildatum=PEILDATUM, secret=SECRET) as running:
        yield running


def test_open_zaak_lists_a_zaaks_rollen_oldest_first_and_the_rollen_list_newest_first() -> None:
    zaak, listed = fixture("zaak_detail"), fixture("rollen_list_zaak")["results"]
    assert zaak["rollen"] == [rol["url"] for rol in reversed(listed)]
    assert listed[0]["registratiedatum"] > listed[1]["registratiedatum"]


def test_generated_zaken_carry_their_links(mock: RunningMock) -> None:
    _assert_links(mock)


def test_a_generated_rol_is_never_registered_after_now(tmp_path: Any) -> None:
    now = datetime.combine(PEILDATUM, datetime.min.time(), UTC) + timedelta(hours=9)
    db = Database(tmp_path / "vandaag.sqlite3")
    db.create()
    generator.generate(db, seed=3, zaken=150, peildatum=PEILDATUM, now=now)
    with db.connection() as con:
        latest = con.execute("SELECT MAX(json_extract(body, '$.registratiedatum')) FROM rollen").fetchone()[0]
    assert latest == now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # rollen of the peildatum stop at `now`
    db.close()


def test_add_set_and_remove_rollen_keep_the_zaak_up_to_date(small: RunningMock) -> None:
    zaaktype = get(small, "/catalogi/api/v1/zaaktypen", {"identificatie": "ZT-KLACHT"}).json()["results"][0]
    before = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    added = small.store.add_zaak(zaaktype=zaaktype["url"], bronorganisatie="002564440", startdatum="2026-11-28",
                                 behandelaar=("OE-A", "A"))
    first = get(small, added["rollen"][0]).json()
    assert before <= first["registratiedatum"] <= datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    second = small.store.set_behandelaar(added["uuid"], "OE-B", "B", registratiedatum=first["registratiedatum"])
    third = small.store.set_behandelaar(added["uuid"], "OE-C", "C", registratiedatum="2026-11-01T08:00:00Z")
    assert get(small, added["url"]).json()["rollen"] == [first["url"], second["url"], third["url"]]
    # newest created first, whatever the registratiedatum: a tie resolves to the rol created last
    listed = get(small, ROLLEN, {"zaak": added["url"]}).json()["results"]
    assert [r["url"] for r in listed] == [third["url"], second["url"], first["url"]]
    assert [r["url"] for r in _all(small, ROLLEN)][:3] == [third["url"], second["url"], first["url"]]
    assert third["registratiedatum"] == "2026-11-01T08:00:00.000000Z"
    zaak = small.store.remove_rol(second["uuid"])
    assert zaak is not None and zaak["rollen"] == [first["url"], third["url"]]
    assert get(small, added["url"]).json() == zaak
    assert get(small, second["url"]).status_code == 404
    assert [r["url"] for r in get(small, ROLLEN, {"zaak": added["url"]}).json()["results"]] == [
        third["url"], first["url"]]
    with pytest.raises(NotFound):
        small.store.remove_rol(second["url"])
    _assert_links(small, registered_in_order=False)


def test_a_rol_is_never_registered_in_the_future(small: RunningMock) -> None:
    uuid = small.store.zaak_uuids("open_op_tijd", limit=1)[0]
    start = datetime.now(UTC)
    future = small.store.set_behandelaar(uuid, "OE-X", "X", registratiedatum=start + timedelta(days=3))
    moment = datetime.fromisoformat(future["registratiedatum"])
    assert start <= moment <= datetime.now(UTC)
    naive = small.store.set_behandelaar(uuid, "OE-Y", "Y", registratiedatum=datetime(2026, 11, 2, 9, 30))
    assert naive["registratiedatum"] == "2026-11-02T09:30:00.000000Z"  # naive = UTC
    day = small.store.set_behandelaar(uuid, "OE-Z", "Z", registratiedatum=date(2026, 11, 3))
    assert day["registratiedatum"] == "2026-11-03T00:00:00.000000Z"


def test_close_zaak_sets_the_status_and_resultaat_links(small: RunningMock) -> None:
    uuid = small.store.zaak_uuids("open_op_tijd", limit=1)[0]
    zaak = get(small, f"{ZAKEN}/{uuid}").json()
    zaaktype = get(small, zaak["zaaktype"]).json()
    closed = small.store.close_zaak(uuid, datetime.now(UTC).date() + timedelta(days=1), zaaktype["resultaattypen"][0])
    [eindstatus] = get(small, "/zaken/api/v1/statussen", {"zaak": zaak["url"],
                                                           "indicatieLaatstGezetteStatus": "true"}).json()["results"]
    assert closed["status"] == eindstatus["url"] != zaak["status"]
    assert eindstatus["statustype"] == zaaktype["statustypen"][0]
    [resultaat] = get(small, "/zaken/api/v1/resultaten", {"zaak": zaak["url"]}).json()["results"]
    assert closed["resultaat"] == resultaat["url"]
    _assert_links(small)


@pytest.mark.parametrize("field", ["rollen", "status", "resultaat", "url"])
def test_the_links_the_server_keeps_cannot_be_set(small: RunningMock, field: str) -> None:
    uuid = small.store.zaak_uuids(limit=1)[0]
    with pytest.raises(ValueError, match=field):
        small.store.update_zaak(uuid, **{field: None})
    response = requests.post(f"{small.base_url}/_mock/zaken/{uuid}", json={field: None}, timeout=10)
    assert response.status_code == 400


def test_remove_a_rol_over_http(small: RunningMock) -> None:
    uuid = small.store.zaak_uuids("open_op_tijd", limit=1)[0]
    zaak = get(small, f"{ZAKEN}/{uuid}").json()
    gone = zaak["rollen"][0]
    response = requests.delete(f"{small.base_url}/_mock/rollen/{gone.rsplit('/', 1)[1]}", timeout=10)
    assert response.status_code == 200 and response.json()["rollen"] == zaak["rollen"][1:]
    assert get(small, gone).status_code == 404
    again = requests.delete(f"{small.base_url}/_mock/rollen/{gone.rsplit('/', 1)[1]}", timeout=10)
    assert again.status_code == 404 and "rol niet gevonden" in again.json()["detail"]
    assert requests.post(f"{small.base_url}/_mock/rollen/{gone.rsplit('/', 1)[1]}", timeout=10).status_code == 405


def test_a_dataset_gets_its_links_and_the_status_set_latest() -> None:
    host = "http://inproces.test/zaken/api/v1"
    zaak = copy.deepcopy(fixture("zaak_detail"))
    zaak.update(url=f"{host}/zaken/00000000-0000-4000-8000-000000000001", uuid="00000000-0000-4000-8000-000000000001",
                rollen=[], status=None, resultaat=None)
    rollen = copy.deepcopy(list(reversed(fixture("rollen_list_zaak")["results"])))  # creation order
    statussen = copy.deepcopy(list(reversed(fixture("statussen_list")["results"])))
    for body in (*rollen, *statussen):
        body["zaak"] = zaak["url"]
        body.pop("indicatieLaatstGezetteStatus", None)
    statussen[0]["datumStatusGezet"] = "2026-12-01T10:00:00+01:00"  # the first one created was set latest
    with running_mock(data={"zaken": [zaak], "rollen": rollen, "statussen": statussen}, secret=SECRET) as mock:
        served = get(mock, f"{ZAKEN}/00000000-0000-4000-8000-000000000001").json()
        assert served["rollen"] == [r["url"].replace("http://127.0.0.1:8800", mock.base_url) for r in rollen]
        assert served["status"] == statussen[0]["url"].replace("http://127.0.0.1:8800", mock.base_url)
        _assert_links(mock)
