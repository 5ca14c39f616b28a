"""List filters and ordering: each answer equals the same selection made in Python over all resources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from connectors.mock_inproces.testing import RunningMock

from .conftest import PEILDATUM, get

TOMORROW = (PEILDATUM + timedelta(days=1)).isoformat()
Zaak = dict[str, Any]


def _all(mock: RunningMock, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    response = get(mock, path, {**(params or {}), "pageSize": 500})
    while True:
        assert response.status_code == 200, response.text
        results.extend(response.json()["results"])
        if not response.json()["next"]:
            return results
        response = get(mock, response.json()["next"])


@pytest.fixture(scope="module")
def zaken(mock: RunningMock) -> list[Zaak]:
    return _all(mock, "/zaken/api/v1/zaken")


@pytest.fixture(scope="module")
def rollen(mock: RunningMock) -> list[dict[str, Any]]:
    return _all(mock, "/zaken/api/v1/rollen")


def _team(rollen: list[dict[str, Any]], zaak: Zaak) -> set[str]:
    return {r["betrokkeneIdentificatie"]["identificatie"] for r in rollen
            if r["zaak"] == zaak["url"] and r["betrokkeneType"] == "organisatorische_eenheid"}


ZAAK_FILTERS: list[tuple[dict[str, str], Callable[[Zaak], bool]]] = [
    ({"archiefstatus": "nog_te_archiveren"}, lambda z: z["archiefstatus"] == "nog_te_archiveren"),
    ({"archiefstatus__in": "gearchiveerd,overgedragen"},
     lambda z: z["archiefstatus"] in ("gearchiveerd", "overgedragen")),
    ({"archiefstatus__in": "gearchiveerd,gearchiveerd_procestermijn_onbekend", "archiefactiedatum__lt": TOMORROW},
     lambda z: z["archiefstatus"].startswith("gearchiveerd") and (z["archiefactiedatum"] or "9") < TOMORROW),
    ({"archiefactiedatum__lt": PEILDATUM.isoformat()}, lambda z: (z["archiefactiedatum"] or "9") < str(PEILDATUM)),
    ({"archiefactiedatum__gt": "2030-01-01"}, lambda z: (z["archiefactiedatum"] or "0") > "2030-01-01"),
    ({"archiefactiedatum__isnull": "true"}, lambda z: z["archiefactiedatum"] is None),
    ({"archiefactiedatum__isnull": "false"}, lambda z: z["archiefactiedatum"] is not None),
    ({"archiefnominatie": "blijvend_bewaren"}, lambda z: z["archiefnominatie"] == "blijvend_bewaren"),
    ({"einddatum__isnull": "true"}, lambda z: z["einddatum"] is None),
    ({"einddatum__isnull": "False"}, lambda z: z["einddatum"] is not None),
    ({"einddatum__isnull": "misschien"}, lambda z: True),  # django-filter: not a boolean, no filter
    ({"einddatum__gt": "2026-01-01"}, lambda z: (z["einddatum"] or "0") > "2026-01-01"),
    ({"einddatum__lt": "2024-01-01"}, lambda z: (z["einddatum"] or "9") < "2024-01-01"),
    ({"bronorganisatie": "001234560"}, lambda z: z["bronorganisatie"] == "001234560"),
    ({"bronorganisatie__in": "007654327,123456782"}, lambda z: z["bronorganisatie"] in ("007654327", "123456782")),
    ({"startdatum__gte": "2026-06-01", "startdatum__lt": "2026-09-01"},
     lambda z: "2026-06-01" <= z["startdatum"] < "2026-09-01"),
    ({"uiterlijkeEinddatumAfdoening__lt": PEILDATUM.isoformat(), "einddatum__isnull": "true"},
     lambda z: z["einddatum"] is None and (z["uiterlijkeEinddatumAfdoening"] or "9") < str(PEILDATUM)),
]


@pytest.mark.parametrize(("params", "wanted"), ZAAK_FILTERS, ids=[str(p) for p, _ in ZAAK_FILTERS])
def test_zaken_filters(mock: RunningMock, zaken: list[Zaak], params: dict[str, str],
                       wanted: Callable[[Zaak], bool]) -> None:
    expected = [z["url"] for z in zaken if wanted(z)]
    assert expected, "the generated data should exercise this filter"
    assert [z["url"] for z in _all(mock, "/zaken/api/v1/zaken", params)] == expected


def test_zaken_filter_on_identificatie_zaaktype_and_absolute_urls(mock: RunningMock, zaken: list[Zaak]) -> None:
    zaak = zaken[17]
    assert [z["url"] for z in _all(mock, "/zaken/api/v1/zaken", {"identificatie": zaak["identificatie"]})] == [
        z["url"] for z in zaken if z["identificatie"] == zaak["identificatie"]]
    same_type = [z["url"] for z in zaken if z["zaaktype"] == zaak["zaaktype"]]
    assert [z["url"] for z in _all(mock, "/zaken/api/v1/zaken", {"zaaktype": zaak["zaaktype"]})] == same_type
    # another host in a filter URL points at the same resource
    other_host = zaak["zaaktype"].replace(mock.base_url, "http://inproces.elders.nl")
    assert len(_all(mock, "/zaken/api/v1/zaken", {"zaaktype": other_host})) == len(same_type)


def test_zaken_filters_on_rollen(mock: RunningMock, zaken: list[Zaak], rollen: list[dict[str, Any]]) -> None:
    with_team = [z["url"] for z in zaken if _team(rollen, z)]
    params = {"rol__betrokkeneType": "organisatorische_eenheid", "rol__omschrijvingGeneriek": "behandelaar"}
    assert [z["url"] for z in _all(mock, "/zaken/api/v1/zaken", params)] == with_team
    assert 0 < len(with_team) < len(zaken)
    team = sorted(_team(rollen, zaken[3]))[0]
    params = {"rol__betrokkeneIdentificatie__organisatorischeEenheid__identificatie": team}
    assert [z["url"] for z in _all(mock, "/zaken/api/v1/zaken", params)] == [
        z["url"] for z in zaken if team in _team(rollen, z)]


@pytest.mark.parametrize(("ordering", "key", "reverse"), [
    ("startdatum", "startdatum", False), ("-archiefactiedatum", "archiefactiedatum", True),
    ("identificatie", "identificatie", False), ("-einddatum", "einddatum", True),
])
def test_ordering(mock: RunningMock, zaken: list[Zaak], ordering: str, key: str, reverse: bool) -> None:
    ordered = _all(mock, "/zaken/api/v1/zaken", {"ordering": ordering})
    values = [z[key] for z in ordered]
    filled = [v for v in values if v is not None]
    assert filled == sorted(filled, reverse=reverse)
    # PostgreSQL's placement of nulls: last ascending, first descending
    nulls = [i for i, v in enumerate(values) if v is None]
    assert nulls == (list(range(len(nulls))) if reverse else list(range(len(values) - len(nulls), len(values))))
    assert sorted(z["url"] for z in ordered) == sorted(z["url"] for z in zaken)


@pytest.mark.parametrize(("params", "name", "code", "reason"), [
    ({"archiefactiedatum__lt": "29-11-2026"}, "archiefactiedatum__lt", "invalid", "Voer een geldige datum in."),
    ({"zaaktype": "geen-url"}, "zaaktype", "invalid", "Voer een geldige URL in."),
    ({"archiefstatus": "weg"}, "archiefstatus", "invalid_choice",
     "Selecteer een geldige keuze. weg is geen beschikbare keuze."),
    ({"bronorganisatie": "12345678"}, "bronorganisatie", "invalid-length", "Waarde moet 9 tekens lang zijn"),
    ({"ordering": "omschrijving"}, "ordering", "invalid_choice",
     "Selecteer een geldige keuze. omschrijving is geen beschikbare keuze."),
])
def test_invalid_filter_values(mock: RunningMock, params: dict[str, str], name: str, code: str, reason: str) -> None:
    response = get(mock, "/zaken/api/v1/zaken", params)
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [{"name": name, "code": code, "reason": reason}]


def test_unknown_parameters_are_refused_all_at_once(mock: RunningMock) -> None:
    response = get(mock, "/zaken/api/v1/zaken", {"page_size": 5, "expand": "zaaktype"})
    assert response.status_code == 400
    assert response.json()["invalidParams"] == [{"name": "nonFieldErrors", "code": "unknown-parameters",
                                                 "reason": "Onbekende query parameters: page_size, expand"}]


def test_rollen_resultaten_and_statussen_filters(mock: RunningMock, zaken: list[Zaak],
                                                 rollen: list[dict[str, Any]]) -> None:
    zaak = next(z for z in zaken if z["resultaat"] and len(z["rollen"]) == 2)
    assert {r["url"] for r in _all(mock, "/zaken/api/v1/rollen", {"zaak": zaak["url"]})} == set(zaak["rollen"])
    behandelaars = _all(mock, "/zaken/api/v1/rollen", {"betrokkeneType": "organisatorische_eenheid",
                                                       "omschrijvingGeneriek": "behandelaar"})
    assert [r["url"] for r in behandelaars] == [r["url"] for r in rollen
                                                if r["omschrijvingGeneriek"] == "behandelaar"]
    team = behandelaars[0]["betrokkeneIdentificatie"]["identificatie"]
    by_team = _all(mock, "/zaken/api/v1/rollen",
                   {"betrokkeneIdentificatie__organisatorischeEenheid__identificatie": team})
    assert by_team and {r["betrokkeneIdentificatie"]["identificatie"] for r in by_team} == {team}
    [resultaat] = _all(mock, "/zaken/api/v1/resultaten", {"zaak": zaak["url"]})
    assert resultaat["url"] == zaak["resultaat"]
    same_type = _all(mock, "/zaken/api/v1/resultaten", {"resultaattype": resultaat["resultaattype"]})
    assert resultaat in same_type and {r["resultaattype"] for r in same_type} == {resultaat["resultaattype"]}
    statussen = _all(mock, "/zaken/api/v1/statussen", {"zaak": zaak["url"]})
    assert len(statussen) == 2
    assert [s["url"] for s in statussen if s["indicatieLaatstGezetteStatus"]] == [zaak["status"]]
    laatste = _all(mock, "/zaken/api/v1/statussen", {"zaak": zaak["url"], "indicatieLaatstGezetteStatus": "true"})
    assert [s["url"] for s in laatste] == [zaak["status"]]
    assert _all(mock, "/zaken/api/v1/rollen", {"zaak": "http://inproces.test/zaken/api/v1/zaken/onbekend"}) == []


def test_catalogi_filters(mock: RunningMock) -> None:
    [zaaktype] = _all(mock, "/catalogi/api/v1/zaaktypen", {"identificatie": "ZT-WOO-VERZOEK"})
    resultaattypen = _all(mock, "/catalogi/api/v1/resultaattypen", {"zaaktype": zaaktype["url"]})
    assert {r["url"] for r in resultaattypen} == set(zaaktype["resultaattypen"])
    roltypen = _all(mock, "/catalogi/api/v1/roltypen",
                    {"zaaktype": zaaktype["url"], "omschrijvingGeneriek": "behandelaar"})
    assert [r["omschrijving"] for r in roltypen] == ["Behandelaar"]
    statustypen = _all(mock, "/catalogi/api/v1/statustypen", {"zaaktypeIdentificatie": "ZT-WOO-VERZOEK"})
    assert sorted(s["volgnummer"] for s in statustypen) == [1, 2, 3, 4]
    assert len(_all(mock, "/catalogi/api/v1/zaaktypen", {"status": "concept"})) == 0
    assert len(_all(mock, "/catalogi/api/v1/zaaktypen", {"status": "alles", "datumGeldigheid": "2020-01-01"})) == 31
    response = get(mock, "/catalogi/api/v1/zaaktypen", {"datumGeldigheid": "vandaag"})
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "datumGeldigheid"
