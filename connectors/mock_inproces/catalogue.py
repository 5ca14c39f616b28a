"""The demo's organisations, teams and zaaktypen, and the Catalogi API resources built from them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .resources import CATALOGI_PREFIX

ORGANISATIES: tuple[tuple[str, str], ...] = (
    ("002564440", "Duo+"),
    ("001234560", "Gemeente Diemen"),
    ("007654327", "Gemeente Ouder-Amstel"),
    ("009876546", "Gemeente Uithoorn"),
)
ONBEKENDE_RSIN = "123456782"
SELECTIELIJST = "https://selectielijst.openzaak.nl/api/v1"
_DUO, _DIE, _OA, _UIT = (rsin for rsin, _ in ORGANISATIES)


@dataclass(frozen=True)
class Team:
    identificatie: str
    naam: str
    rsin: str
    domeinen: tuple[str, ...]


TEAMS: tuple[Team, ...] = (
    Team("OE-DUO-PIA", "PiA (Postintake en Archief)", _DUO, ("archief",)),
    Team("OE-DUO-BEL", "Belastingen", _DUO, ("belastingen",)),
    Team("OE-DUO-WOZ", "WOZ en heffingen", _DUO, ("belastingen",)),
    Team("OE-DUO-JZ", "Juridische zaken", _DUO, ("juridisch",)),
    Team("OE-DUO-SD", "Sociaal domein", _DUO, ("sociaal",)),
    Team("OE-DUO-WMO", "Wmo-loket", _DUO, ("sociaal",)),
    Team("OE-DUO-PI", "Participatie en inkomen", _DUO, ("inkomen",)),
    Team("OE-DUO-INK", "Inkoop en contractbeheer", _DUO, ("bedrijfsvoering",)),
    Team("OE-DUO-IB", "Informatiebeheer", _DUO, ("archief", "bedrijfsvoering")),
    Team("OE-DIE-VERG", "Vergunningen Diemen", _DIE, ("vergunningen",)),
    Team("OE-DIE-OR", "Openbare ruimte Diemen", _DIE, ("openbare_ruimte",)),
    Team("OE-DIE-BZ", "Burgerzaken Diemen", _DIE, ("burgerzaken",)),
    Team("OE-DIE-PZ", "Publiekszaken Diemen", _DIE, ("publiek",)),
    Team("OE-DIE-HH", "Handhaving Diemen", _DIE, ("handhaving",)),
    Team("OE-DIE-BS", "Bestuurszaken Diemen", _DIE, ("bestuur",)),
    Team("OE-OA-VERG", "Vergunningen Ouder-Amstel", _OA, ("vergunningen",)),
    Team("OE-OA-OR", "Openbare ruimte Ouder-Amstel", _OA, ("openbare_ruimte", "handhaving")),
    Team("OE-OA-BZ", "Burgerzaken Ouder-Amstel", _OA, ("burgerzaken", "publiek")),
    Team("OE-OA-RO", "Ruimtelijke ordening Ouder-Amstel", _OA, ("vergunningen",)),
    Team("OE-OA-BS", "Bestuurszaken Ouder-Amstel", _OA, ("bestuur",)),
    Team("OE-UIT-VERG", "Vergunningen Uithoorn", _UIT, ("vergunningen",)),
    Team("OE-UIT-OR", "Openbare ruimte Uithoorn", _UIT, ("openbare_ruimte",)),
    Team("OE-UIT-BZ", "Burgerzaken Uithoorn", _UIT, ("burgerzaken",)),
    Team("OE-UIT-PZ", "Publiekszaken Uithoorn", _UIT, ("publiek",)),
    Team("OE-UIT-HH", "Handhaving Uithoorn", _UIT, ("handhaving", "bestuur")),
)

# (omschrijving, omschrijvingGeneriek, archiefnominatie ("" = blank), archiefactietermijn or None)
Resultaat = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class ZaaktypeDef:
    identificatie: str
    omschrijving: str
    doorlooptijd: str | None
    servicenorm: str | None
    verlengingstermijn: str | None  # None: verlenging not possible
    opschorting: bool
    domein: str
    gewicht: float
    vertrouwelijkheid: str
    resultaten: tuple[Resultaat, ...]
    statussen: tuple[str, ...]
    onderwerpen: tuple[str, ...]
    trefwoorden: tuple[str, ...] = field(default=())


_AWB = ("Aanvraag ontvangen", "In behandeling", "Besluit genomen", "Afgehandeld")
_MELDING = ("Melding ontvangen", "In behandeling", "Afgehandeld")
_BEZWAAR = ("Bezwaar ontvangen", "Hoorzitting gepland", "Advies commissie ontvangen", "Beslissing op bezwaar verzonden")
_ZT = ZaaktypeDef
ZAAKTYPEN: tuple[ZaaktypeDef, ...] = (
    _ZT("ZT-OMGEVINGSVERGUNNING", "Omgevingsvergunning", "P56D", "P42D", "P42D", True, "vergunningen", 6,
        "zaakvertrouwelijk", (("Vergunning verleend", "Toegekend", "blijvend_bewaren", "P20Y"),
                              ("Vergunning geweigerd", "Geweigerd", "vernietigen", "P5Y"),
                              ("Aanvraag ingetrokken", "Ingetrokken", "vernietigen", "P1Y")), _AWB,
        ("Verbouw woning {a}", "Dakkapel {a}", "Kappen boom {a}", "Uitbouw achtergevel {a}"),
        ("bouwen", "Omgevingswet")),
    _ZT("ZT-OMGEVINGSVERGUNNING-UITGEBREID", "Omgevingsvergunning uitgebreide procedure", "P182D", "P140D", None, True,
        "vergunningen", 0.8, "zaakvertrouwelijk", (("Vergunning verleend", "Toegekend", "blijvend_bewaren", "P20Y"),
                                                    ("Vergunning geweigerd", "Geweigerd", "vernietigen", "P10Y")),
        _AWB, ("Nieuwbouw appartementen {a}", "Transformatie kantoor {a}")),
    _ZT("ZT-MELDING-ACTIVITEIT", "Melding activiteit Omgevingswet", "P28D", "P14D", None, False, "vergunningen", 1.5,
        "openbaar", (("Melding geaccepteerd", "Afgehandeld", "vernietigen", "P5Y"),
                     ("Melding niet ontvankelijk", "Afgebroken", "vernietigen", "P1Y")), _MELDING,
        ("Sloopmelding {a}", "Melding brandveilig gebruik {a}")),
    _ZT("ZT-MELDING-OPENBARE-RUIMTE", "Melding openbare ruimte", "P14D", "P5D", None, False, "openbare_ruimte", 14,
        "openbaar", (("Melding afgehandeld", "Afgehandeld", "vernietigen", "P1Y"),
                     ("Niet in behandeling genomen", "Afgebroken", "vernietigen", "P1Y")), _MELDING,
        ("Losliggende stoeptegels {a}", "Kapotte lantaarnpaal {a}", "Zwerfafval {a}", "Overhangende takken {a}")),
    _ZT("ZT-MELDING-OVERLAST", "Melding overlast", "P14D", "P7D", None, False, "handhaving", 3, "beperkt_openbaar",
        (("Melding afgehandeld", "Afgehandeld", "vernietigen", "P1Y"),), _MELDING,
        ("Geluidsoverlast {a}", "Parkeeroverlast {a}")),
    _ZT("ZT-HANDHAVINGSVERZOEK", "Handhavingsverzoek", "P56D", None, "P42D", True, "handhaving", 1,
        "zaakvertrouwelijk", (("Last onder dwangsom opgelegd", "Toegekend", "vernietigen", "P10Y"),
                              ("Verzoek afgewezen", "Geweigerd", "vernietigen", "P10Y"),
                              ("Geseponeerd", "Afgebroken", "vernietigen", None)), _AWB,
        ("Handhavingsverzoek illegale bouw {a}", "Handhavingsverzoek bedrijfsactiviteiten {a}")),
    _ZT("ZT-WOO-VERZOEK", "Woo-verzoek", "P28D", "P28D", "P14D", True, "juridisch", 2, "beperkt_openbaar",
        (("Informatie openbaar gemaakt", "Verleend", "vernietigen", "P5Y"),
         ("Verzoek afgewezen", "Geweigerd", "vernietigen", "P5Y")),
        ("Verzoek ontvangen", "Documenten verzameld", "Zienswijze derden", "Besluit verzonden"),
        ("Woo-verzoek {o}", "Woo-verzoek correspondentie {o}")),
    _ZT("ZT-BEZWAARSCHRIFT", "Bezwaarschrift", "P84D", "P70D", "P42D", True, "juridisch", 2, "vertrouwelijk",
        (("Bezwaar gegrond", "Gegrond", "vernietigen", "P10Y"),
         ("Bezwaar ongegrond", "Ongegrond", "vernietigen", "P10Y"),
         ("Bezwaar ingetrokken", "Ingetrokken", "vernietigen", "P1Y")), _BEZWAAR,
        ("Bezwaar tegen besluit {o}", "Bezwaar tegen vergunning {a}")),
    _ZT("ZT-KLACHT", "Klacht", "P42D", "P28D", "P28D", False, "publiek", 2, "vertrouwelijk",
        (("Klacht gegrond", "Gegrond", "vernietigen", "P1Y"), ("Klacht ongegrond", "Ongegrond", "vernietigen", "P1Y"),
         ("Informeel afgehandeld", "Afgehandeld", "", None)), _MELDING,
        ("Klacht over bejegening", "Klacht over afhandeling melding {a}")),
    _ZT("ZT-AANSPRAKELIJKSTELLING", "Aansprakelijkstelling", "P56D", None, "P28D", True, "juridisch", 0.8,
        "vertrouwelijk", (("Aansprakelijkheid erkend", "Toegekend", "vernietigen", "P10Y"),
                          ("Aansprakelijkheid afgewezen", "Geweigerd", "vernietigen", "P10Y")), _AWB,
        ("Schade aan auto door gat in weg {a}", "Valpartij {a}")),
    _ZT("ZT-EVENEMENTENVERGUNNING", "Evenementenvergunning", "P56D", "P42D", "P42D", True, "vergunningen", 2,
        "openbaar", (("Vergunning verleend", "Toegekend", "vernietigen", "P5Y"),
                     ("Vergunning geweigerd", "Geweigerd", "vernietigen", "P5Y")), _AWB,
        ("Buurtfeest {a}", "Sportevenement {o}", "Koningsdagmarkt {a}")),
    _ZT("ZT-APV-VERGUNNING", "APV-vergunning", "P56D", None, "P42D", False, "vergunningen", 1, "openbaar",
        (("Vergunning verleend", "Toegekend", "vernietigen", "P5Y"),
         ("Vergunning geweigerd", "Geweigerd", "vernietigen", "P5Y")), _AWB,
        ("Standplaats {a}", "Ontheffing sluitingstijd {a}")),
    _ZT("ZT-DRANK-HORECA", "Alcoholwetvergunning", "P56D", None, "P56D", True, "vergunningen", 0.6, "openbaar",
        (("Vergunning verleend", "Toegekend", "vernietigen", "P10Y"),), _AWB, ("Alcoholwetvergunning {a}",)),
    _ZT("ZT-PARKEERVERGUNNING", "Parkeervergunning", "P56D", "P14D", None, False, "publiek", 3, "openbaar",
        (("Vergunning verleend", "Toegekend", "vernietigen", "P1Y"),
         ("Vergunning geweigerd", "Geweigerd", "vernietigen", "P1Y")), _AWB,
        ("Bewonersparkeervergunning {a}", "Bedrijfsparkeervergunning {a}")),
    _ZT("ZT-GEHANDICAPTENPARKEERKAART", "Gehandicaptenparkeerkaart", "P56D", "P28D", "P28D", True, "sociaal", 1,
        "vertrouwelijk", (("Kaart verstrekt", "Toegekend", "vernietigen", "P5Y"), ("Aanvraag afgewezen", "Geweigerd",
                                                                                "vernietigen", "P5Y")), _AWB,
        ("Gehandicaptenparkeerkaart {o}",)),
    _ZT("ZT-WMO-MAATWERK", "Wmo-maatwerkvoorziening", "P56D", "P42D", "P14D", True, "sociaal", 4, "vertrouwelijk",
        (("Voorziening toegekend", "Toegekend", "vernietigen", "P20Y"),
         ("Voorziening afgewezen", "Geweigerd", "vernietigen", "P10Y")),
        ("Melding ontvangen", "Onderzoek", "Besluit genomen", "Afgehandeld"),
        ("Huishoudelijke ondersteuning {o}", "Woningaanpassing {a}", "Scootmobiel {o}")),
    _ZT("ZT-BIJSTAND", "Aanvraag bijstand (Participatiewet)", "P56D", "P28D", "P28D", True, "inkomen", 3,
        "vertrouwelijk", (("Bijstand toegekend", "Toegekend", "vernietigen", "P10Y"),
                          ("Bijstand afgewezen", "Geweigerd", "vernietigen", "P5Y")), _AWB,
        ("Levensonderhoud {o}",)),
    _ZT("ZT-BIJZONDERE-BIJSTAND", "Bijzondere bijstand", "P56D", "P28D", None, False, "inkomen", 2, "vertrouwelijk",
        (("Bijzondere bijstand toegekend", "Toegekend", "vernietigen", "P5Y"),
         ("Bijzondere bijstand afgewezen", "Geweigerd", "vernietigen", "P5Y")), _AWB,
        ("Bewindvoeringskosten {o}", "Duurzame gebruiksgoederen {o}")),
    _ZT("ZT-SCHULDHULP", "Schuldhulpverlening", "P56D", None, None, True, "inkomen", 1, "geheim",
        (("Traject gestart", "Toegekend", "vernietigen", "P5Y"), ("Aanvraag ingetrokken", "Ingetrokken", "vernietigen",
                                                                   "P1Y")), _AWB, ("Schuldhulpverlening {o}",)),
    _ZT("ZT-LEERLINGENVERVOER", "Leerlingenvervoer", "P56D", "P42D", None, False, "sociaal", 0.8, "vertrouwelijk",
        (("Vervoer toegekend", "Toegekend", "vernietigen", "P5Y"),), _AWB, ("Leerlingenvervoer schooljaar {o}",)),
    _ZT("ZT-BEZWAAR-WOZ", "Bezwaar WOZ-beschikking", "P42D", "P28D", "P42D", True, "belastingen", 4,
        "zaakvertrouwelijk", (("WOZ-waarde verlaagd", "Gegrond", "vernietigen", "P5Y"),
                              ("WOZ-waarde gehandhaafd", "Ongegrond", "vernietigen", "P5Y")), _BEZWAAR,
        ("Bezwaar WOZ-waarde {a}",)),
    _ZT("ZT-KWIJTSCHELDING", "Kwijtschelding gemeentelijke belastingen", "P56D", "P28D", None, False, "belastingen", 3,
        "vertrouwelijk", (("Kwijtschelding verleend", "Toegekend", "vernietigen", "P5Y"),
                          ("Kwijtschelding afgewezen", "Geweigerd", "vernietigen", "P5Y")), _AWB,
        ("Kwijtschelding aanslag {o}",)),
    _ZT("ZT-VERHUIZING", "Adreswijziging (verhuizing)", "P28D", "P5D", None, False, "burgerzaken", 5, "vertrouwelijk",
        (("Adres gewijzigd", "Afgehandeld", "vernietigen", "P1Y"),), _MELDING, ("Verhuizing naar {a}",)),
    _ZT("ZT-ADRESONDERZOEK", "Adresonderzoek BRP", "P56D", None, "P28D", True, "burgerzaken", 1, "vertrouwelijk",
        (("Inschrijving gehandhaafd", "Afgehandeld", "vernietigen", "P5Y"),
         ("Uitgeschreven", "Afgehandeld", "vernietigen", "P5Y")), _MELDING, ("Adresonderzoek {a}",)),
    _ZT("ZT-HUWELIJK", "Huwelijk of partnerschap", "", None, None, False, "burgerzaken", 0.4, "openbaar",
        (("Huwelijk voltrokken", "Afgehandeld", "vernietigen", "P1Y"),), _MELDING, ("Huwelijk {o}",)),
    _ZT("ZT-NATURALISATIE", "Naturalisatie", "P365D", None, None, True, "burgerzaken", 0.4, "vertrouwelijk",
        (("Naturalisatie verleend", "Toegekend", "blijvend_bewaren", "P20Y"),
         ("Naturalisatie afgewezen", "Geweigerd", "vernietigen", "P10Y")), _AWB, ("Naturalisatieverzoek {o}",)),
    _ZT("ZT-INFORMATIEVERZOEK", "Informatieverzoek", None, None, None, False, "publiek", 0.4, "openbaar",
        (("Informatie verstrekt", "Afgehandeld", "", None),), _MELDING, ("Vraag over {o}",)),
    _ZT("ZT-BESTUURLIJKE-BESLUITVORMING", "Bestuurlijke besluitvorming", "P91D", None, None, False, "bestuur", 1,
        "openbaar", (("Besluit genomen", "Vastgesteld", "blijvend_bewaren", "P20Y"),
                     ("Voorstel ingetrokken", "Ingetrokken", "vernietigen", "P10Y")),
        ("Voorstel ontvangen", "In procedure", "Besluit genomen", "Afgehandeld"), ("Raadsvoorstel {o}",)),
    _ZT("ZT-SUBSIDIE", "Subsidieaanvraag", "P91D", "P56D", "P56D", True, "bedrijfsvoering", 1, "openbaar",
        (("Subsidie verleend", "Toegekend", "vernietigen", "P10Y"), ("Subsidie geweigerd", "Geweigerd", "vernietigen",
                                                                     "P10Y")), _AWB, ("Subsidie {o}",)),
    _ZT("ZT-INKOOP", "Inkoop en aanbesteding", "P91D", None, None, False, "bedrijfsvoering", 0.5, "vertrouwelijk",
        (("Opdracht gegund", "Toegekend", "vernietigen", "P10Y"),), _AWB, ("Aanbesteding {o}",)),
    _ZT("ZT-ARCHIEFINZAGE", "Verzoek archiefinzage", "P28D", "P14D", None, False, "archief", 0.5, "openbaar",
        (("Inzage verleend", "Verleend", "vernietigen", "P1Y"),), _MELDING, ("Inzage bouwdossier {a}",)),
)


@dataclass
class ZaaktypeInfo:
    """A generated zaaktype: its definition and the paths of its catalogue resources."""

    definitie: ZaaktypeDef
    path: str
    statustypen: list[str]
    roltypen: dict[str, tuple[str, str]]  # omschrijvingGeneriek -> (path, omschrijving)
    resultaattypen: list[tuple[str, Resultaat]]


@dataclass
class Catalogue:
    resources: list[tuple[str, str, dict[str, Any]]]  # (kind, uuid, body) in creation order
    zaaktypen: list[ZaaktypeInfo]


def new_uuid(rng: random.Random) -> str:
    """A random (version 4) UUID drawn from `rng`."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def build_catalogue(rng: random.Random) -> Catalogue:
    catalogus_uuid = new_uuid(rng)
    catalogus_path = f"{CATALOGI_PREFIX}/catalogussen/{catalogus_uuid}"
    catalogus = {
        "url": catalogus_path, "domein": "DUOPL", "rsin": _DUO, "contactpersoonBeheerNaam": "Team Informatiebeheer",
        "contactpersoonBeheerTelefoonnummer": "14 020", "contactpersoonBeheerEmailadres": "informatiebeheer@duoplus.nl",
        "zaaktypen": [], "besluittypen": [], "informatieobjecttypen": [], "naam": "Zaaktypecatalogus Duo+",
        "versie": "2024.1", "begindatumVersie": "2019-01-01",
    }
    resources: list[tuple[str, str, dict[str, Any]]] = [("catalogussen", catalogus_uuid, catalogus)]
    infos = []
    for definitie in ZAAKTYPEN:
        zaaktype_uuid = new_uuid(rng)
        path = f"{CATALOGI_PREFIX}/zaaktypen/{zaaktype_uuid}"
        common = {"zaaktype": path, "zaaktypeIdentificatie": definitie.identificatie}
        children: list[tuple[str, str, dict[str, Any]]] = []
        for volgnummer, naam in enumerate(definitie.statussen, start=1):
            child = new_uuid(rng)
            children.append(("statustypen", child, {
                "url": f"{CATALOGI_PREFIX}/statustypen/{child}", "omschrijving": naam, "omschrijvingGeneriek": naam,
                "statustekst": f"Uw zaak heeft de status: {naam.lower()}.", **common, "volgnummer": volgnummer,
                "isEindstatus": volgnummer == len(definitie.statussen), "informeren": True, "doorlooptijd": None,
                "toelichting": None, "checklistitemStatustype": [], "catalogus": catalogus_path, "eigenschappen": [],
                "zaakobjecttypen": [], "beginGeldigheid": None, "eindeGeldigheid": None, "beginObject": None,
                "eindeObject": None,
            }))
        roltypen = {}
        for omschrijving, generiek in (("Behandelaar", "behandelaar"), ("Initiator", "initiator"),
                                       ("Zaakcoördinator", "zaakcoordinator")):
            child = new_uuid(rng)
            roltypen[generiek] = (f"{CATALOGI_PREFIX}/roltypen/{child}", omschrijving)
            children.append(("roltypen", child, {
                "url": roltypen[generiek][0], **common, "omschrijving": omschrijving, "omschrijvingGeneriek": generiek,
                "catalogus": catalogus_path, "beginGeldigheid": None, "eindeGeldigheid": None, "beginObject": None,
                "eindeObject": None,
            }))
        resultaattypen = []
        for resultaat in definitie.resultaten:
            child = new_uuid(rng)
            resultaattypen.append((f"{CATALOGI_PREFIX}/resultaattypen/{child}", resultaat))
            children.append(("resultaattypen", child, _resultaattype(child, common, resultaat, catalogus_path, rng)))
        info = ZaaktypeInfo(definitie, path, [b["url"] for k, _, b in children if k == "statustypen"], roltypen,
                            resultaattypen)
        infos.append(info)
        resources.append(("zaaktypen", zaaktype_uuid, _zaaktype(info, catalogus_path, children)))
        resources.extend(children)
        catalogus["zaaktypen"].append(path)
    return Catalogue(resources, infos)


def _zaaktype(info: ZaaktypeInfo, catalogus: str, children: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    d = info.definitie
    return {
        "url": info.path, "identificatie": d.identificatie, "omschrijving": d.omschrijving,
        "omschrijvingGeneriek": d.omschrijving, "vertrouwelijkheidaanduiding": d.vertrouwelijkheid,
        "doel": f"Behandelen van zaken van het type {d.omschrijving.lower()}.",
        "aanleiding": f"Ontvangst van een {d.omschrijving.lower()}.", "toelichting": "",
        "indicatieInternOfExtern": "extern", "handelingInitiator": "Aanvragen", "onderwerp": d.omschrijving,
        "handelingBehandelaar": "Behandelen", "doorlooptijd": d.doorlooptijd, "servicenorm": d.servicenorm,
        "opschortingEnAanhoudingMogelijk": d.opschorting, "verlengingMogelijk": d.verlengingstermijn is not None,
        "verlengingstermijn": d.verlengingstermijn, "trefwoorden": list(d.trefwoorden), "publicatieIndicatie": False,
        "publicatietekst": "", "verantwoordingsrelatie": [], "productenOfDiensten": [],
        "selectielijstProcestype": f"{SELECTIELIJST}/procestypen/{info.path[-36:]}",
        "referentieproces": {"naam": d.omschrijving, "link": ""}, "concept": False, "verantwoordelijke": "002564440",
        "beginGeldigheid": "2019-01-01", "eindeGeldigheid": None, "versiedatum": "2019-01-01",
        "beginObject": "2019-01-01", "eindeObject": None, "catalogus": catalogus,
        "statustypen": [b["url"] for k, _, b in reversed(children) if k == "statustypen"],
        "resultaattypen": [b["url"] for k, _, b in reversed(children) if k == "resultaattypen"], "eigenschappen": [],
        "informatieobjecttypen": [], "roltypen": [b["url"] for k, _, b in reversed(children) if k == "roltypen"],
        "besluittypen": [], "deelzaaktypen": [], "gerelateerdeZaaktypen": [], "zaakobjecttypen": [],
    }


def _resultaattype(
    uuid_: str, common: dict[str, str], resultaat: Resultaat, catalogus: str, rng: random.Random,
) -> dict[str, Any]:
    omschrijving, generiek, nominatie, termijn = resultaat
    return {
        "url": f"{CATALOGI_PREFIX}/resultaattypen/{uuid_}", **common, "omschrijving": omschrijving,
        "resultaattypeomschrijving": f"{SELECTIELIJST}/resultaattypeomschrijvingen/{new_uuid(rng)}",
        "omschrijvingGeneriek": generiek, "selectielijstklasse": f"{SELECTIELIJST}/resultaten/{new_uuid(rng)}",
        "toelichting": "", "archiefnominatie": nominatie, "archiefactietermijn": termijn,
        "brondatumArchiefprocedure": {"afleidingswijze": "afgehandeld", "datumkenmerk": "", "einddatumBekend": False,
                                      "objecttype": "", "registratie": "", "procestermijn": None},
        "procesobjectaard": "", "indicatieSpecifiek": None, "procestermijn": None, "catalogus": catalogus,
        "besluittypen": [], "besluittypeOmschrijving": [], "informatieobjecttypen": [],
        "informatieobjecttypeOmschrijving": [], "beginGeldigheid": None, "eindeGeldigheid": None, "beginObject": None,
        "eindeObject": None,
    }
