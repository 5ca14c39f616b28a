"""The control API (Python on the store and HTTP under /_mock): change, close, destroy and add zaken."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
import requests

from connectors.mock_inproces.store import NotFound
from connectors.mock_inproces.testing import RunningMock, running_mock

from .conftest import PEILDATUM, SECRET, get

ZAKEN = "/zaken/api/v1/zaken"


@pytest.fixture
def mock() -> Iterator[RunningMock]:
    with running_mock(zaken=60, peildatum=PEILDATUM, secret=SECRET) as running:
        yield running


def _zaak(mock: RunningMock, uuid: str) -> dict[str, Any]:
    return get(mock, f"{ZAKEN}/{uuid}").json()


def _resultaattype(mock: RunningMock, identificatie: str, omschrijving: str) -> dict[str, Any]:
    types = get(mock, "/catalogi/api/v1/resultaattypen", {"zaaktype_identificatie": identificatie}).json()
    return next(t for t in types["results"] if t["omschrijving"] == omschrijving)


def test_update_zaak_changes_the_api_answer_and_the_filters(mock: RunningMock) -> None:
    uuid = mock.store.zaak_uuids("open_op_tijd", limit=1)[0]
    changed = mock.store.update_zaak(uuid, omschrijving="Gewijzigd", uiterlijkeEinddatumAfdoening=date(2026, 12, 24),
                                     opschorting={"indicatie": True, "eerdereOpschorting": True, "reden": "Advies"})
    assert changed["url"] == f"{mock.zaken_url}/zaken/{uuid}"
    zaak = _zaak(mock, uuid)
    assert (zaak["omschrijving"], zaak["uiterlijkeEinddatumAfdoening"]) == ("Gewijzigd", "2026-12-24")
    assert zaak["opschorting"]["indicatie"] is True and zaak == changed
    found = get(mock, ZAKEN, {"uiterlijkeEinddatumAfdoening": "2026-12-24"}).json()["results"]
    assert uuid in [z["uuid"] for z in found]


def test_close_zaak_like_the_server(mock: RunningMock) -> None:
    uuid = mock.store.zaak_uuids("open_termijn_1_30", limit=1)[0]
    before = _zaak(mock, uuid)
    zaaktype = get(mock, before["zaaktype"]).json()
    resultaattype = get(mock, zaaktype["resultaattypen"][0]).json()
    closed = mock.store.close_zaak(uuid, einddatum=date(2024, 2, 29), resultaattype_url=resultaattype["url"])
    assert closed["einddatum"] == "2024-02-29" and closed["startdatumBewaartermijn"] == "2024-02-29"
    assert closed["archiefnominatie"] == resultaattype["archiefnominatie"]
    years = int(resultaattype["archiefactietermijn"][1:-1])
    assert closed["archiefactiedatum"] == f"{2024 + years}-02-{29 if years % 4 == 0 else 28}"  # month arithmetic
    [resultaat] = get(mock, "/zaken/api/v1/resultaten", {"zaak": closed["url"]}).json()["results"]
    assert resultaat["url"] == closed["resultaat"] and resultaat["resultaattype"] == resultaattype["url"]
    statussen = get(mock, "/zaken/api/v1/statussen", {"zaak": closed["url"]}).json()["results"]
    eindstatus = statussen[0]  # newest created
    assert eindstatus["statustype"] == zaaktype["statustypen"][0]  # the eindstatus (highest volgnummer)
    assert eindstatus["datumStatusGezet"] == "2024-02-29T12:00:00Z"
    # Open Zaak's zaak.status is the status set latest: an eindstatus dated before the others is not it
    current = max(statussen, key=lambda s: s["datumStatusGezet"])
    assert closed["status"] == current["url"] == before["status"] != eindstatus["url"]
    assert [s["url"] for s in statussen if s["indicatieLaatstGezetteStatus"]] == [current["url"]]
    assert uuid not in [z["uuid"] for z in get(mock, ZAKEN, {"einddatum__isnull": "true", "pageSize": 500}).json()[
        "results"]]


def test_close_zaak_keeps_archive_data_that_is_already_set_and_may_go_without_resultaat(mock: RunningMock) -> None:
    uuid, other = mock.store.zaak_uuids("open_op_tijd", limit=2)
    mock.store.update_zaak(uuid, archiefnominatie="vernietigen", archiefactiedatum="2030-01-01")
    rt = _resultaattype(mock, "ZT-OMGEVINGSVERGUNNING", "Vergunning verleend")
    closed = mock.store.close_zaak(uuid, "2026-11-20", rt["url"].replace(mock.base_url, "http://elders.test"))
    assert (closed["archiefnominatie"], closed["archiefactiedatum"]) == ("vernietigen", "2030-01-01")
    bare = mock.store.close_zaak(other, PEILDATUM)
    assert bare["einddatum"] == PEILDATUM.isoformat() and bare["resultaat"] is None
    assert bare["archiefnominatie"] is None
    with pytest.raises(NotFound):
        mock.store.close_zaak(other, PEILDATUM, f"{mock.catalogi_url}/resultaattypen/onbekend")


def test_destroy_zaak_removes_it_everywhere(mock: RunningMock) -> None:
    uuid = mock.store.zaak_uuids("gearchiveerd_vernietigen_verstreken", limit=1)[0]
    zaak = _zaak(mock, uuid)
    mock.store.destroy_zaak(uuid)
    assert get(mock, zaak["url"]).status_code == 404
    for rol in zaak["rollen"]:
        assert get(mock, rol).status_code == 404
    assert get(mock, "/zaken/api/v1/rollen", {"zaak": zaak["url"]}).json()["count"] == 0
    assert get(mock, "/zaken/api/v1/resultaten", {"zaak": zaak["url"]}).json()["count"] == 0
    assert uuid not in [z["uuid"] for z in get(mock, ZAKEN, {"pageSize": 500}).json()["results"]]
    assert uuid in mock.store.destroyed_uuids()
    with pytest.raises(NotFound):
        mock.store.destroy_zaak(uuid)


def test_set_archiefstatus(mock: RunningMock) -> None:
    uuid = mock.store.zaak_uuids("vernietigen_verstreken", limit=1)[0]
    assert mock.store.set_archiefstatus(uuid, "gearchiveerd")["archiefstatus"] == "gearchiveerd"
    assert uuid in [z["uuid"] for z in get(mock, ZAKEN, {"archiefstatus": "gearchiveerd", "pageSize": 500}).json()[
        "results"]]
    with pytest.raises(ValueError):
        mock.store.set_archiefstatus(uuid, "weg")


def test_add_zaak_comes_first_with_the_next_identificatie(mock: RunningMock) -> None:
    zaaktype = get(mock, "/catalogi/api/v1/zaaktypen", {"identificatie": "ZT-KLACHT"}).json()["results"][0]
    newest = get(mock, ZAKEN, {"pageSize": 500}).json()["results"]
    last_2026 = max(int(z["identificatie"][-10:]) for z in newest if z["identificatie"].startswith("ZAAK-2026"))
    added = mock.store.add_zaak(zaaktype=zaaktype["url"], bronorganisatie="009876546", startdatum="2026-11-28",
                                behandelaar=("OE-UIT-PZ", "Publiekszaken Uithoorn"), omschrijving="Nieuwe klacht")
    assert added["identificatie"] == f"ZAAK-2026-{last_2026 + 1:010d}"
    assert get(mock, ZAKEN, {"pageSize": 1}).json()["results"][0] == added
    [rol] = get(mock, "/zaken/api/v1/rollen", {"zaak": added["url"]}).json()["results"]
    assert rol["betrokkeneIdentificatie"]["identificatie"] == "OE-UIT-PZ"
    assert rol["roltype"] in zaaktype["roltypen"]


def test_set_behandelaar_adds_the_latest_behandelaar(mock: RunningMock) -> None:
    uuid = mock.store.zaak_uuids("open_op_tijd", limit=1)[0]
    rol = mock.store.set_behandelaar(uuid, "OE-DUO-JZ", "Juridische zaken", datetime(2026, 11, 29, 9, 30))
    assert rol["registratiedatum"].startswith("2026-11-29T")
    zaak = _zaak(mock, uuid)
    assert zaak["rollen"][-1] == rol["url"]
    behandelaars = [r for r in get(mock, "/zaken/api/v1/rollen", {"zaak": zaak["url"]}).json()["results"]
                    if r["omschrijvingGeneriek"] == "behandelaar"]
    latest = max(behandelaars, key=lambda r: r["registratiedatum"])
    assert latest["betrokkeneIdentificatie"] == {"identificatie": "OE-DUO-JZ", "naam": "Juridische zaken",
                                                 "isGehuisvestIn": ""}


def test_unknown_zaken_raise_not_found(mock: RunningMock) -> None:
    for call in (lambda: mock.store.update_zaak("onbekend", omschrijving="x"),
                 lambda: mock.store.set_behandelaar("onbekend", "OE-X", "X")):
        with pytest.raises(NotFound):
            call()


def test_the_same_over_http(mock: RunningMock) -> None:
    control = f"{mock.base_url}/_mock"
    info = requests.get(f"{control}/info", timeout=10).json()
    assert info["zaken"] == 60 and info["meta"]["seed"] == "42" and "scenarios" in info["meta"]["summary"]
    [uuid] = requests.get(f"{control}/zaken", params={"scenario": "open_binnenkort", "limit": 1}, timeout=10).json()
    post = lambda path, body=None: requests.post(f"{control}{path}", json=body, timeout=10)  # noqa: E731
    assert post(f"/zaken/{uuid}", {"omschrijving": "Via HTTP"}).json()["omschrijving"] == "Via HTTP"
    rt = _resultaattype(mock, "ZT-MELDING-OPENBARE-RUIMTE", "Melding afgehandeld")
    zaak = _zaak(mock, uuid)
    closed = post(f"/zaken/{uuid}/close", {"einddatum": "2026-11-29", "resultaattype": rt["url"]}).json()
    assert (closed["einddatum"], closed["archiefactiedatum"]) == ("2026-11-29", "2027-11-29")
    assert post(f"/zaken/{uuid}/archiefstatus", {"archiefstatus": "gearchiveerd"}).json()["archiefstatus"] == (
        "gearchiveerd")
    assert post(f"/zaken/{uuid}/behandelaar", {"identificatie": "OE-A", "naam": "A"}).status_code == 200
    added = post("/zaken", {"zaaktype": zaak["zaaktype"], "bronorganisatie": "002564440",
                            "startdatum": "2026-11-29", "behandelaar": ["OE-B", "B"]}).json()
    assert get(mock, added["url"]).json() == added
    assert post(f"/zaken/{uuid}/destroy").json() == {"verwijderd": uuid}
    assert get(mock, zaak["url"]).status_code == 404
    assert post(f"/zaken/{uuid}/destroy").status_code == 404
    assert post(f"/zaken/{added['uuid']}/archiefstatus", {"archiefstatus": "weg"}).status_code == 400
    assert post(f"/zaken/{added['uuid']}/close", {}).status_code == 400
    assert requests.get(f"{control}/faults", timeout=10).status_code == 405


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_running_mock_defaults() -> None:
    with running_mock(zaken=10) as mock:
        assert (mock.client_id, mock.secret) == ("duo-zaak-test", "test-secret")
        assert mock.zaken_url == f"{mock.base_url}/zaken/api/v1" and mock.base_url.startswith("http://127.0.0.1:")
        assert mock.catalogi_url == f"{mock.base_url}/catalogi/api/v1"
        assert get(mock, ZAKEN).json()["count"] == mock.store.count_zaken() == 10
    with pytest.raises(requests.ConnectionError):
        requests.get(mock.base_url, timeout=2)
