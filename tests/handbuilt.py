"""A small hand-built InProces dataset with known answers (peildatum 15-05-2026, a Friday).

Every zaak is described by the scenario it covers; the expected figures are worked out by hand in the
tests that use it. Resources have the shape the ZGW APIs return (see the recorded Open Zaak fixtures);
the host `http://inproces.test` is rewritten by the mock to its own.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

PEILDATUM = date(2026, 5, 15)
HOST = "http://inproces.test"
Z = f"{HOST}/zaken/api/v1"
C = f"{HOST}/catalogi/api/v1"
FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "openzaak"

RSIN = {"duoplus": "002564440", "diemen": "001234560", "ouder-amstel": "007654327", "uithoorn": "009876546",
        "onbekend": "123456782"}
TEAMS = {"OE-A": "Vergunningen", "OE-B": "Burgerzaken", "OE-C": "Belastingen", "OE-D": "Publiekszaken"}

ZAAKTYPEN = {
    # key: (identificatie, omschrijving, doorlooptijd, servicenorm, verlengingMogelijk, verlengingstermijn)
    "ZT1": ("ZT-OMGEVINGSVERGUNNING", "Omgevingsvergunning", "P56D", "P42D", True, "P42D"),
    "ZT2": ("ZT-MELDING", "Melding openbare ruimte", "P14D", "P5D", False, None),
    "ZT3": ("ZT-WOO", "Woo-verzoek", "P4W", None, True, "P14D"),
    "ZT4": ("ZT-SUBSIDIE", "Subsidieaanvraag", "P1M", None, False, None),
    "ZT5": ("ZT-KLACHT", "Klacht", None, None, False, None),
}
RESULTAATTYPEN = {
    # key: (zaaktype, omschrijving, archiefnominatie, archiefactietermijn)
    "RT1": ("ZT1", "Vergunning verleend", "blijvend_bewaren", "P20Y"),
    "RT2": ("ZT2", "Melding afgehandeld", "vernietigen", "P1Y"),
    "RT3": ("ZT3", "Informatie verstrekt", "vernietigen", "P5Y"),
}


def _uuid(prefix: str, n: int) -> str:
    return f"{prefix}-0000-4000-8000-{n:012d}"


def zaaktype_url(key: str) -> str:
    return f"{C}/zaaktypen/{_uuid('00000001', int(key[2:]))}"


def resultaattype_url(key: str) -> str:
    return f"{C}/resultaattypen/{_uuid('00000002', int(key[2:]))}"


def zaak_url(key: str) -> str:
    return f"{Z}/zaken/{_uuid(_prefix(key), int(key[1:]))}"


def zaak_uuid(key: str) -> str:
    return zaak_url(key).rsplit("/", 1)[1]


def _prefix(key: str) -> str:
    return "0000000a" if key.startswith("O") else "0000000c"


def _template(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def build_zaaktype(key: str) -> dict[str, Any]:
    ident, omschrijving, doorlooptijd, servicenorm, verlenging, termijn = ZAAKTYPEN[key]
    body = _template("zaaktype_detail.json")
    body.update(url=zaaktype_url(key), identificatie=ident, omschrijving=omschrijving, doorlooptijd=doorlooptijd,
                servicenorm=servicenorm, verlengingMogelijk=verlenging, verlengingstermijn=termijn,
                resultaattypen=[resultaattype_url(k) for k, v in RESULTAATTYPEN.items() if v[0] == key])
    return body


def build_resultaattype(key: str) -> dict[str, Any]:
    zaaktype, omschrijving, nominatie, termijn = RESULTAATTYPEN[key]
    body = _template("resultaattypen_list.json")["results"][0]
    body = copy.deepcopy(body)
    body.update(url=resultaattype_url(key), zaaktype=zaaktype_url(zaaktype), omschrijving=omschrijving,
                zaaktypeIdentificatie=ZAAKTYPEN[zaaktype][0], archiefnominatie=nominatie,
                archiefactietermijn=termijn)
    return body


# Every zaak: key -> fields. Open zaken start with "O", closed ones with "C".
# org, team (None = no behandelaar), zaaktype (key or "onbekend"), startdatum, registratiedatum (default the
# startdatum), einddatum,
# uiterlijkeEinddatumAfdoening, einddatumGepland, opschorting, verlenging duur, resultaat (key),
# archiefnominatie, archiefstatus, archiefactiedatum, identificatie override.
ZAKEN: dict[str, dict[str, Any]] = {
    # ---- open zaken ----
    # norm_overschreden: streef = 01-04 + P42D = 13-05 < peildatum; fatale 27-05 (12 days ahead)
    "O1": dict(org="diemen", team="OE-A", zt="ZT1", start="2026-04-01", ued="2026-05-27"),
    # fatale == peildatum: not overdue; streef 06-05 passed -> norm_overschreden; binnenkort (0 days)
    "O2": dict(org="diemen", team="OE-A", zt="ZT2", start="2026-05-01", ued="2026-05-15", gepland="2026-05-06"),
    # overdue 19 days (26-04 -> 15-05): bucket 1-30
    "O3": dict(org="diemen", team="OE-A", zt="ZT1", start="2026-03-01", ued="2026-04-26"),
    # overdue 89 days (15-02 -> 15-05): bucket 61-90
    "O4": dict(org="diemen", team="OE-B", zt="ZT2", start="2026-02-01", ued="2026-02-15"),
    # overdue 120 days (15-01 -> 15-05): bucket 90+
    "O5": dict(org="diemen", team="OE-B", zt="ZT2", start="2026-01-01", ued="2026-01-15"),
    # no stored date: fatale = 20-03 + P4W = 17-04, overdue 28 days: bucket 1-30
    "O6": dict(org="diemen", team="OE-B", zt="ZT3", start="2026-03-20"),
    # suspended, deadline 07-03 passed during the suspension
    "O7": dict(org="duoplus", team="OE-C", zt="ZT1", start="2026-01-10", ued="2026-03-07",
               opschorting="Wacht op aanvullende gegevens"),
    # suspended, deadline ahead
    "O8": dict(org="duoplus", team="OE-C", zt="ZT1", start="2026-05-01", ued="2026-06-26",
               opschorting="Advies welstand"),
    # verlenging P10D over Pinkstermaandag 25-05: 20-03 + P56D = 15-05, + 10 working days = 01-06;
    # streef 20-03 + P42D = 01-05 passed -> norm_overschreden (fatale 17 days ahead)
    "O9": dict(org="duoplus", team="OE-C", zt="ZT1", start="2026-03-20", verlenging="P10D"),
    # month end: 31-01 + P1M = 28-02; overdue 76 days: bucket 61-90
    "O10": dict(org="duoplus", team="OE-C", zt="ZT4", start="2026-01-31"),
    # no team, zaaktype without doorlooptijd -> onbekend
    "O11": dict(org="ouder-amstel", team=None, zt="ZT5", start="2026-05-01"),
    # unknown zaaktype -> onbekend
    "O12": dict(org="uithoorn", team="OE-D", zt="onbekend", start="2026-05-10"),
    # op_tijd; two behandelaar rollen, the later one (OE-D) counts
    "O13": dict(org="uithoorn", team="OE-D", zt="ZT2", start="2026-05-12", ued="2026-05-26", gepland="2026-05-17",
                extra_team=("OE-A", "2026-05-12T08:00:00Z")),
    # op_tijd and binnenkort: fatale 22-05 is exactly 7 days ahead
    "O14": dict(org="uithoorn", team="OE-D", zt="ZT2", start="2026-05-08", ued="2026-05-22", gepland="2026-05-20"),
    # RSIN not configured -> Onbekende organisatie; overdue 5 days
    "O15": dict(org="onbekend", team="OE-D", zt="ZT2", start="2026-05-01", ued="2026-05-10"),
    # startdatum in the future, registered before the peildatum (so open on it); op_tijd (streef 01-06 + P5D = 06-06)
    "O16": dict(org="diemen", team="OE-A", zt="ZT2", start="2026-06-01", ued="2026-06-15", registratie="2026-05-12"),
    # uiterlijke datum before startdatum; overdue 44 days (01-04 -> 15-05): bucket 31-60
    "O17": dict(org="diemen", team="OE-A", zt="ZT1", start="2026-04-10", ued="2026-04-01"),
    # same identificatie as O1 (both Diemen): dubbele_identificatie; norm_overschreden, binnenkort (4 days)
    "O18": dict(org="diemen", team="OE-B", zt="ZT2", start="2026-05-05", ued="2026-05-19", gepland="2026-05-10",
                identificatie="ZAAK-2026-0000000001"),
    # ---- closed zaken ----
    # complete, nog_te_archiveren: current task archiveren, due 10-04 + 30 = 10-05 (5 days); tijdig
    "C1": dict(org="diemen", team="OE-A", zt="ZT2", start="2026-04-01", eind="2026-04-10", ued="2026-04-15",
               resultaat="RT2", nominatie="vernietigen", status="nog_te_archiveren", actiedatum="2027-04-10"),
    # no resultaat, no nominatie: archiefgegevens_aanvullen due 20-04 + 10 = 30-04 (15 days); not tijdig
    "C2": dict(org="diemen", team="OE-A", zt="ZT2", start="2026-03-01", eind="2026-04-20", ued="2026-03-15",
               status="nog_te_archiveren"),
    # gearchiveerd, archiefactiedatum 10-01-2020 passed: current task vernietigen (2317 days)
    "C3": dict(org="diemen", team="OE-B", zt="ZT2", start="2019-01-01", eind="2019-01-10", ued="2019-01-15",
               resultaat="RT2", nominatie="vernietigen", status="gearchiveerd", actiedatum="2020-01-10"),
    # blijvend bewaren, archived: no current task, overbrengen komend on 20-02-2046; tijdig
    "C4": dict(org="duoplus", team="OE-C", zt="ZT1", start="2026-01-05", eind="2026-02-20", ued="2026-03-02",
               resultaat="RT1", nominatie="blijvend_bewaren", status="gearchiveerd", actiedatum="2046-02-20"),
    # blijvend bewaren without archiefactiedatum: overbrengen due 01-06-2000 + 20 years = 01-06-2020 (2174 days);
    # gearchiveerd_zonder_archiefgegevens
    "C5": dict(org="duoplus", team="OE-C", zt="ZT1", start="2000-01-03", eind="2000-06-01", ued="2000-02-28",
               resultaat="RT1", nominatie="blijvend_bewaren", status="gearchiveerd"),
    # vernietigen without archiefactiedatum: aanvullen komend (due 22-05); not tijdig
    "C6": dict(org="diemen", team="OE-A", zt="ZT2", start="2026-04-20", eind="2026-05-12", ued="2026-05-04",
               resultaat="RT2", nominatie="vernietigen", status="nog_te_archiveren"),
    # to be destroyed at the source between two syncs; current task vernietigen before that
    "C7": dict(org="diemen", team="OE-B", zt="ZT2", start="2018-01-01", eind="2018-01-10", ued="2018-01-15",
               resultaat="RT2", nominatie="vernietigen", status="gearchiveerd", actiedatum="2019-01-10"),
    # no team; archived; vernietigen komend 10-03-2027; tijdig
    "C8": dict(org="ouder-amstel", team=None, zt="ZT2", start="2026-03-01", eind="2026-03-10", ued="2026-03-15",
               resultaat="RT2", nominatie="vernietigen", status="gearchiveerd", actiedatum="2027-03-10"),
    # einddatum before startdatum; current task archiveren (due 05-04 + 30 = 05-05, 10 days); tijdig
    "C9": dict(org="diemen", team="OE-A", zt="ZT1", start="2026-04-10", eind="2026-04-05", ued="2026-06-05",
               resultaat="RT1", nominatie="blijvend_bewaren", status="nog_te_archiveren", actiedatum="2046-04-05"),
    # overgedragen: no task at all
    "C10": dict(org="duoplus", team="OE-C", zt="ZT1", start="1990-01-01", eind="1990-02-01", ued="1990-02-26",
                resultaat="RT1", nominatie="blijvend_bewaren", status="overgedragen", actiedatum="2010-02-01"),
    # archiveren komend (due 04-06); tijdig
    "C11": dict(org="uithoorn", team="OE-D", zt="ZT2", start="2026-05-01", eind="2026-05-05", ued="2026-05-15",
                resultaat="RT2", nominatie="vernietigen", status="nog_te_archiveren", actiedatum="2027-05-05"),
}


def build_zaak(key: str, spec: dict[str, Any], number: int) -> dict[str, Any]:
    body = _template("zaak_detail.json")
    url = zaak_url(key)
    zaaktype = zaaktype_url(spec["zt"]) if spec["zt"] != "onbekend" else f"{C}/zaaktypen/{_uuid('0000dead', 1)}"
    start = spec["start"]
    body.update(
        url=url, uuid=url.rsplit("/", 1)[1],
        identificatie=spec.get("identificatie", f"ZAAK-{start[:4]}-{number:010d}"),
        bronorganisatie=RSIN[spec["org"]], verantwoordelijkeOrganisatie=RSIN[spec["org"]],
        omschrijving=f"Scenario {key}", zaaktype=zaaktype,
        registratiedatum=spec.get("registratie", start), startdatum=start,
        einddatum=spec.get("eind"), einddatumGepland=spec.get("gepland"),
        uiterlijkeEinddatumAfdoening=spec.get("ued"),
        opschorting={"indicatie": "opschorting" in spec, "eerdereOpschorting": "opschorting" in spec,
                     "reden": spec.get("opschorting", "")},
        verlenging={"reden": "Advies nodig", "duur": spec["verlenging"]} if "verlenging" in spec else None,
        rollen=[], status=None, resultaat=None,
        archiefnominatie=spec.get("nominatie"), archiefstatus=spec.get("status", "nog_te_archiveren"),
        archiefactiedatum=spec.get("actiedatum"), startdatumBewaartermijn=spec.get("eind"),
    )
    if "resultaat" in spec:
        body["resultaat"] = f"{Z}/resultaten/{url.rsplit('/', 1)[1]}"
    return body


def build_rol(zaak_key: str, team: str, registratiedatum: str, n: int) -> dict[str, Any]:
    body = copy.deepcopy(_template("rollen_list_behandelaars.json")["results"][0])
    url = f"{Z}/rollen/{_uuid('0000000e', n)}"
    body.update(url=url, uuid=url.rsplit("/", 1)[1], zaak=zaak_url(zaak_key), registratiedatum=registratiedatum,
                roltoelichting=f"Behandelend team: {TEAMS[team]}",
                betrokkeneIdentificatie={"identificatie": team, "naam": TEAMS[team], "isGehuisvestIn": ""})
    return body


def build_dataset() -> dict[str, Any]:
    zaken, rollen, resultaten = [], [], []
    for number, (key, spec) in enumerate(ZAKEN.items(), start=1):
        zaak = build_zaak(key, spec, number)
        zaken.append(zaak)
        if spec["team"]:
            rollen.append(build_rol(key, spec["team"], spec["start"] + "T09:00:00Z", len(rollen) + 1))
            # in the dataset the later rol counts: give the extra one an earlier time
        if "extra_team" in spec:
            team, moment = spec["extra_team"]
            rollen.append(build_rol(key, team, moment, len(rollen) + 1))
        if "resultaat" in spec:
            uuid = zaak["url"].rsplit("/", 1)[1]
            resultaten.append({"url": zaak["resultaat"], "uuid": uuid, "zaak": zaak["url"],
                               "resultaattype": resultaattype_url(spec["resultaat"]), "toelichting": ""})
    return {
        "zaaktypen": [build_zaaktype(k) for k in ZAAKTYPEN],
        "resultaattypen": [build_resultaattype(k) for k in RESULTAATTYPEN],
        "zaken": zaken,
        "rollen": rollen,
        "resultaten": resultaten,
    }
