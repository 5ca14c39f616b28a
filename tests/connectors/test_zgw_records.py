"""Parsing ZGW JSON into records: every recorded Open Zaak object, and the edge cases the sync must survive."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from connectors.zgw import Duration, Resultaat, ResultaatType, Rol, Zaak, ZaakType, ZGWRecordError, add_duration

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "openzaak"
RECORD_TYPES: dict[str, Any] = {
    "zaken": Zaak,
    "zaak": Zaak,
    "rollen": Rol,
    "resultaten": Resultaat,
    "resultaattypen": ResultaatType,
    "zaaktypen": ZaakType,
    "zaaktype": ZaakType,
}


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def recorded_records() -> list[tuple[str, Any, dict[str, Any]]]:
    """(fixture name, record class, JSON object) of every record in a successful recording."""
    found = []
    for meta_path in sorted(FIXTURES.glob("*.meta.json")):
        name = meta_path.name.removesuffix(".meta.json")
        record_type = RECORD_TYPES.get(name.split("_")[0])
        if record_type is None or json.loads(meta_path.read_text())["response"]["status"] != 200:
            continue
        body = load(name)
        found += [(name, record_type, item) for item in body.get("results", [body])]
    return found


RECORDED = recorded_records()


def test_recordings_hold_records_of_every_type() -> None:
    assert {record_type for _, record_type, _ in RECORDED} == {Zaak, Rol, Resultaat, ResultaatType, ZaakType}
    assert len(RECORDED) >= 100


@pytest.mark.parametrize(("name", "record_type", "data"), RECORDED, ids=[f"{n}-{i}" for i, (n, _, _) in
                                                                          enumerate(RECORDED)])
def test_every_recorded_record_parses(name: str, record_type: Any, data: dict[str, Any]) -> None:
    record = record_type.from_api(data)
    assert record.url == data["url"]
    assert getattr(record, "flags", ()) == ()


def test_closed_zaak_detail() -> None:
    zaak = Zaak.from_api(load("zaak_detail"))
    assert zaak.identificatie == "ZAAK-2026-0000000025"
    assert zaak.bronorganisatie == "002564440"
    assert (zaak.startdatum, zaak.einddatum) == (date(2026, 8, 27), date(2026, 10, 6))
    assert zaak.uiterlijke_einddatum_afdoening == date(2026, 10, 22)
    assert zaak.archiefnominatie == "blijvend_bewaren" and zaak.archiefstatus == "nog_te_archiveren"
    assert zaak.archiefactiedatum == date(2036, 10, 6)
    assert zaak.resultaat is not None and zaak.status is not None
    assert zaak.hoofdzaak is None and zaak.verlenging_duur is None and zaak.verlenging_reden is None
    assert Zaak.from_api(load("zaak_detail_expand")) == zaak  # `_expand` is ignored


def test_zaak_lists_its_rollen() -> None:
    """The Zaak resource carries its own rol URLs (Open Zaak: in creation order); a team move changes only them."""
    data = load("zaak_detail")
    assert Zaak.from_api(data).rollen == tuple(data["rollen"]) and len(data["rollen"]) == 2
    assert Zaak.from_api({**data, "rollen": None}).rollen == ()
    assert Zaak.from_api({**data, "rollen": [" ", data["rollen"][0]]}).rollen == (data["rollen"][0],)
    for bad, reason in (("http://x/rollen/1", "is geen lijst maar str"), ([1], "bevat iets anders dan tekst")):
        with pytest.raises(ZGWRecordError, match="rollen") as caught:
            Zaak.from_api({**data, "rollen": bad})
        assert (caught.value.field, caught.value.reason) == ("rollen", f"veld 'rollen' {reason}")


def test_record_errors_say_what_is_wrong_without_the_url() -> None:
    """`reason` is what the sync records beside the zaak URL and the field."""
    data = {**load("zaak_detail"), "startdatum": None}
    with pytest.raises(ZGWRecordError) as caught:
        Zaak.from_api(data)
    assert (caught.value.url, caught.value.field, caught.value.reason) == (
        data["url"], "startdatum", "veld 'startdatum' ontbreekt")
    with pytest.raises(ZGWRecordError) as caught:
        Zaak.from_api(["geen", "object"])
    assert (caught.value.url, caught.value.field, caught.value.reason) == (None, None, "record is geen JSON-object")


def test_open_zaak_states() -> None:
    opgeschort = Zaak.from_api(load("zaak_detail_opgeschort"))
    assert opgeschort.opschorting_indicatie is True
    assert opgeschort.opschorting_reden == "Wacht op aanvullende gegevens van aanvrager"
    assert opgeschort.archiefnominatie is None and opgeschort.einddatum is None

    verlengd = Zaak.from_api(load("zaak_detail_verlengd_server_only"))
    assert verlengd.verlenging_duur == Duration(days=42)
    assert verlengd.verlenging_reden == "Complexe aanvraag; advies externe partij nodig"
    # the server did not move the date: it is still startdatum + doorlooptijd (P56D)
    assert verlengd.uiterlijke_einddatum_afdoening == add_duration(verlengd.startdatum, Duration(days=56))

    bijgewerkt = Zaak.from_api(load("zaak_detail_verlengd_client_updated"))
    assert bijgewerkt.verlenging_duur == Duration(days=14)
    assert bijgewerkt.uiterlijke_einddatum_afdoening == add_duration(bijgewerkt.startdatum, Duration(days=28 + 14))

    assert Zaak.from_api(load("zaak_detail_zonder_uiterlijke_einddatum")).uiterlijke_einddatum_afdoening is None
    assert Zaak.from_api(load("zaak_detail_gearchiveerd")).archiefstatus == "gearchiveerd"


def test_archiefactiedatum_is_einddatum_plus_archiefactietermijn() -> None:
    """Our duration arithmetic agrees with the server's for every closed zaak in the recordings."""
    types = [ResultaatType.from_api(item) for item in load("resultaattypen_list")["results"]]
    termijnen = {t.url: t.archiefactietermijn for t in types}
    resultaten = [Resultaat.from_api(item) for item in load("resultaten_list")["results"]]
    resultaattype = {r.url: r.resultaattype for r in resultaten}
    zaken = {z.url: z for _, kind, data in RECORDED if kind is Zaak for z in [Zaak.from_api(data)]}
    closed = [z for z in zaken.values() if z.einddatum and z.resultaat]
    assert len(closed) >= 10
    for zaak in closed:
        termijn = termijnen[resultaattype[zaak.resultaat]]
        assert zaak.archiefactiedatum == add_duration(zaak.einddatum, termijn), zaak.identificatie


def test_zaaktype_resultaattype_rol_resultaat() -> None:
    zaaktype = ZaakType.from_api(load("zaaktype_detail"))
    assert zaaktype.identificatie == "ZT-OMGEVINGSVERGUNNING" and zaaktype.omschrijving == "Omgevingsvergunning"
    assert (zaaktype.doorlooptijd, zaaktype.doorlooptijd_raw) == (Duration(days=56), "P56D")
    assert zaaktype.servicenorm == Duration(days=42) and zaaktype.verlengingstermijn == Duration(days=42)
    assert zaaktype.verlenging_mogelijk is True
    melding = next(z for z in map(ZaakType.from_api, load("zaaktypen_list")["results"])
                   if z.identificatie == "ZT-MELDING-OPENBARE-RUIMTE")
    assert melding.verlenging_mogelijk is False and melding.verlengingstermijn is None

    resultaattypen = [ResultaatType.from_api(item) for item in load("resultaattypen_list")["results"]]
    assert {t.afleidingswijze for t in resultaattypen} == {"afgehandeld"}
    verleend = next(t for t in resultaattypen if t.omschrijving == "Vergunning verleend")
    assert (verleend.archiefnominatie, verleend.archiefactietermijn) == ("blijvend_bewaren", Duration(years=10))
    assert verleend.zaaktype == zaaktype.url

    initiator, behandelaar = (Rol.from_api(item) for item in load("rollen_list_zaak")["results"])
    assert (behandelaar.betrokkene_type, behandelaar.omschrijving_generiek) == ("organisatorische_eenheid",
                                                                                "behandelaar")
    assert (behandelaar.identificatie, behandelaar.naam) == ("OE-VERG", "Vergunningen")
    assert behandelaar.registratiedatum == datetime(2026, 11, 29, 2, 9, 6, 544911, tzinfo=UTC)
    assert (initiator.betrokkene_type, initiator.identificatie, initiator.naam) == ("natuurlijk_persoon", None, None)

    resultaat = Resultaat.from_api(load("resultaten_list")["results"][0])
    assert resultaat.zaak.endswith("/zaken/5bc2fe85-80e9-4edf-aa9a-7303d92cb619") and resultaat.toelichting == ""


# Edge cases on a minimal zaak

MINIMAL_ZAAK = {
    "url": "https://inproces.example/zaken/api/v1/zaken/1",
    "identificatie": "ZAAK-1",
    "bronorganisatie": "002564440",
    "zaaktype": "https://inproces.example/catalogi/api/v1/zaaktypen/1",
    "startdatum": "2026-01-05",
    "archiefstatus": "nog_te_archiveren",
}


def zaak(**changes: Any) -> Zaak:
    return Zaak.from_api({**MINIMAL_ZAAK, **changes})


def test_minimal_zaak_defaults() -> None:
    parsed = zaak()
    assert parsed.startdatum == date(2026, 1, 5)
    assert parsed.uuid is None and parsed.registratiedatum is None and parsed.einddatum is None
    assert parsed.opschorting_indicatie is False and parsed.opschorting_reden == ""
    assert parsed.status is None and parsed.resultaat is None and parsed.archiefnominatie is None
    assert parsed.omschrijving == "" and parsed.flags == ()


def test_blank_values_are_none() -> None:
    parsed = zaak(archiefnominatie="", status="", resultaat="", hoofdzaak="", einddatum="",
                  verlenging={"reden": "", "duur": ""}, opschorting=None)
    assert (parsed.archiefnominatie, parsed.status, parsed.resultaat, parsed.hoofdzaak) == (None, None, None, None)
    assert (parsed.einddatum, parsed.verlenging_reden, parsed.verlenging_duur) == (None, None, None)
    assert parsed.flags == ()


def test_unknown_enum_values_are_kept_and_flagged() -> None:
    parsed = zaak(archiefstatus="foo", archiefnominatie="bewaren")
    assert (parsed.archiefstatus, parsed.archiefnominatie) == ("foo", "bewaren")
    assert parsed.flags == ("onbekende_archiefnominatie:bewaren", "onbekende_archiefstatus:foo")


def test_unreadable_verlenging_duur_is_flagged() -> None:
    parsed = zaak(verlenging={"reden": "advies", "duur": "zes weken"})
    assert parsed.verlenging_duur is None and parsed.verlenging_reden == "advies"
    assert parsed.flags == ("verlenging_duur_onleesbaar",)


REQUIRED_ZAAK_FIELDS = ["url", "identificatie", "bronorganisatie", "zaaktype", "startdatum", "archiefstatus"]


@pytest.mark.parametrize("field", REQUIRED_ZAAK_FIELDS)
@pytest.mark.parametrize("how", ["missing", "null", "blank"])
def test_required_zaak_field(field: str, how: str) -> None:
    data = dict(MINIMAL_ZAAK)
    if how == "missing":
        del data[field]
    else:
        data[field] = None if how == "null" else " "
    with pytest.raises(ZGWRecordError, match=f"'{field}' ontbreekt") as caught:
        Zaak.from_api(data)
    assert caught.value.field == field
    expected_url = None if field == "url" else MINIMAL_ZAAK["url"]
    assert caught.value.url == expected_url
    assert (expected_url or "zonder url") in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"startdatum": "2026-13-01"}, "startdatum"),
        ({"einddatum": "29-11-2026"}, "einddatum"),
        ({"archiefactiedatum": "2026-11-29T10:00:00Z"}, "archiefactiedatum"),
        ({"uiterlijkeEinddatumAfdoening": 20261129}, "uiterlijkeEinddatumAfdoening"),
        ({"opschorting": {"indicatie": "ja"}}, "opschorting.indicatie"),
        ({"verlenging": "P10D"}, "verlenging"),
        ({"identificatie": 12}, "identificatie"),
    ],
)
def test_unreadable_values_name_record_and_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ZGWRecordError) as caught:
        zaak(**changes)
    assert caught.value.field == field
    message = str(caught.value)
    assert MINIMAL_ZAAK["url"] in message and repr(field) in message


def test_record_that_is_no_object() -> None:
    with pytest.raises(ZGWRecordError, match="geen JSON-object"):
        Zaak.from_api(["not", "a", "zaak"])


def test_zaaktype_with_unreadable_or_missing_doorlooptijd() -> None:
    base = {"url": "https://inproces.example/catalogi/api/v1/zaaktypen/9", "identificatie": "ZT-9"}
    unreadable = ZaakType.from_api({**base, "doorlooptijd": "8 weken", "servicenorm": "P1.5D"})
    assert (unreadable.doorlooptijd, unreadable.doorlooptijd_raw) == (None, "8 weken")
    assert unreadable.flags == ("doorlooptijd_onleesbaar", "servicenorm_onleesbaar")
    missing = ZaakType.from_api({**base, "doorlooptijd": None})
    assert (missing.doorlooptijd, missing.doorlooptijd_raw, missing.flags) == (None, None, ())
    assert missing.verlenging_mogelijk is False and missing.omschrijving == ""


def test_resultaattype_flags_and_required_zaaktype() -> None:
    base = {"url": "https://inproces.example/catalogi/api/v1/resultaattypen/1",
            "zaaktype": "https://inproces.example/catalogi/api/v1/zaaktypen/1"}
    odd = ResultaatType.from_api({**base, "archiefnominatie": "foo", "archiefactietermijn": "tien jaar",
                                  "brondatumArchiefprocedure": None})
    assert odd.flags == ("onbekende_archiefnominatie:foo", "archiefactietermijn_onleesbaar")
    assert odd.afleidingswijze is None and odd.archiefactietermijn is None
    with pytest.raises(ZGWRecordError, match="'zaaktype' ontbreekt"):
        ResultaatType.from_api({"url": base["url"]})


def test_rol_datetimes_and_required_fields() -> None:
    base = {"url": "https://inproces.example/zaken/api/v1/rollen/1",
            "zaak": "https://inproces.example/zaken/api/v1/zaken/1"}
    naive = Rol.from_api({**base, "registratiedatum": "2026-11-29T10:00:00"})
    assert naive.registratiedatum == datetime(2026, 11, 29, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))
    offset = Rol.from_api({**base, "registratiedatum": "2026-11-29T10:00:00+01:00"})
    assert offset.registratiedatum == datetime(2026, 11, 29, 9, tzinfo=UTC)
    assert Rol.from_api({**base, "betrokkeneIdentificatie": None}).identificatie is None
    with pytest.raises(ZGWRecordError, match="registratiedatum"):
        Rol.from_api({**base, "registratiedatum": "gisteren"})
    with pytest.raises(ZGWRecordError, match="'zaak' ontbreekt"):
        Rol.from_api({"url": base["url"]})
    with pytest.raises(ZGWRecordError, match="'resultaattype' ontbreekt"):
        Resultaat.from_api(base)
