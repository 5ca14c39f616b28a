"""End to end: the hand-built dataset served by the mock over HTTP, synced, every endpoint asserted
against figures worked out by hand (peildatum 15-05-2026). See tests/handbuilt.py for the scenarios."""

from __future__ import annotations

import pytest

from duo_zaak.db import db
from duo_zaak.models import SyncRun

from ..conftest import login
from ..handbuilt import PEILDATUM, zaak_uuid

P = PEILDATUM.isoformat()


@pytest.fixture
def synced(app, handbuilt):
    with app.app_context():
        run = db.session.scalar(db.select(SyncRun))
        assert (run.nieuw, run.gewijzigd, run.vernietigd) == (29, 0, 0)
        db.session.remove()
    return handbuilt


def _org(body, code):
    return next(o for o in body["organisaties"] if o["code"] == code)


def _team(org, team_id):
    return next(t for t in org["teams"] if t["id"] == team_id)


def _c(**figures):
    base = {"open": 0, "op_tijd": 0, "norm_overschreden": 0, "termijn_overschreden": 0, "opgeschort": 0,
            "onbekend": 0, "binnenkort_verlopend": 0,
            "ouderdom": {"1-30": 0, "31-60": 0, "61-90": 0, "90+": 0}}
    ouderdom = figures.pop("ouderdom", {})
    base.update(figures)
    base["ouderdom"] = {**base["ouderdom"], **ouderdom}
    return base


def _counts(item):
    keys = ("open", "op_tijd", "norm_overschreden", "termijn_overschreden", "opgeschort", "onbekend",
            "binnenkort_verlopend", "ouderdom")
    return {k: item[k] for k in keys}


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_backlog_figures(client, synced):
    login(client, "programmateam")
    body = client.get(f"/api/v1/backlog?peildatum={P}").json
    assert body["peildatum"] == P
    # 18 open zaken: op_tijd O13,O14,O16; norm O1,O2,O9,O18; termijn O3,O4,O5,O6,O10,O15,O17;
    # opgeschort O7,O8; onbekend O11,O12; binnenkort O2 (0 d), O14 (7 d), O18 (4 d)
    assert _counts(body["totaal"]) == _c(open=18, op_tijd=3, norm_overschreden=4, termijn_overschreden=7,
                                         opgeschort=2, onbekend=2, binnenkort_verlopend=3,
                                         ouderdom={"1-30": 3, "31-60": 1, "61-90": 2, "90+": 1})
    diemen = _org(body, "diemen")
    assert _counts(diemen) == _c(open=9, op_tijd=1, norm_overschreden=3, termijn_overschreden=5,
                                 binnenkort_verlopend=2, ouderdom={"1-30": 2, "31-60": 1, "61-90": 1, "90+": 1})
    assert _counts(_team(diemen, "OE-A")) == _c(open=5, op_tijd=1, norm_overschreden=2, termijn_overschreden=2,
                                                binnenkort_verlopend=1, ouderdom={"1-30": 1, "31-60": 1})
    assert _team(diemen, "OE-A")["naam"] == "Vergunningen"
    assert _counts(_team(diemen, "OE-B")) == _c(open=4, norm_overschreden=1, termijn_overschreden=3,
                                                binnenkort_verlopend=1,
                                                ouderdom={"1-30": 1, "61-90": 1, "90+": 1})
    assert _counts(_org(body, "duoplus")) == _c(open=4, opgeschort=2, norm_overschreden=1, termijn_overschreden=1,
                                                ouderdom={"61-90": 1})
    ouder_amstel = _org(body, "ouder-amstel")
    assert _counts(ouder_amstel) == _c(open=1, onbekend=1)
    assert ouder_amstel["teams"][0]["id"] is None and ouder_amstel["teams"][0]["naam"] == "Niet toegewezen"
    uithoorn = _org(body, "uithoorn")
    assert _counts(uithoorn) == _c(open=3, onbekend=1, op_tijd=2, binnenkort_verlopend=1)
    # O13 has two behandelaar rollen: the later one (OE-D) counts
    assert [t["id"] for t in uithoorn["teams"]] == ["OE-D"]
    unknown = _org(body, None)
    assert unknown["naam"] == "Onbekende organisatie"
    assert _counts(unknown) == _c(open=1, termijn_overschreden=1, ouderdom={"1-30": 1})


def _a(achterstand, aanvullen=0, archiveren=0, vernietigen=0, overbrengen=0, oudste=None, niet_bevestigd=0):
    return {"achterstand": achterstand, "niet_bevestigd": niet_bevestigd, "oudste_dagen": oudste,
            "per_soort": {"archiefgegevens_aanvullen": aanvullen, "archiveren": archiveren,
                          "vernietigen": vernietigen, "overbrengen": overbrengen}}


def _acounts(item):
    return {k: item[k] for k in ("achterstand", "niet_bevestigd", "oudste_dagen", "per_soort")}


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_archive_backlog_figures(client, synced):
    login(client, "pia")
    body = client.get(f"/api/v1/archief?peildatum={P}").json
    # current tasks: C1 archiveren (5 d), C2 aanvullen (15 d), C3 vernietigen (2317 d), C5 overbrengen (2174 d),
    # C7 vernietigen (10-01-2019 -> 15-05-2026 = 2682 d), C9 archiveren (10 d); C4/C6/C8/C11 komend, C10 none
    assert _acounts(body["totaal"]) == _a(6, aanvullen=1, archiveren=2, vernietigen=2, overbrengen=1, oudste=2682)
    diemen = _org(body, "diemen")
    assert _acounts(diemen) == _a(5, aanvullen=1, archiveren=2, vernietigen=2, oudste=2682)
    assert _acounts(_team(diemen, "OE-A")) == _a(3, aanvullen=1, archiveren=2, oudste=15)
    assert _acounts(_team(diemen, "OE-B")) == _a(2, vernietigen=2, oudste=2682)
    assert _acounts(_org(body, "duoplus")) == _a(1, overbrengen=1, oudste=2174)
    assert _acounts(_org(body, "uithoorn")) == _a(0)
    # a month later the calendar moves: C6 aanvullen (due 22-05), C11 archiveren (due 04-06) join the backlog
    later = client.get("/api/v1/archief?peildatum=2026-06-15").json
    assert later["totaal"]["per_soort"]["archiefgegevens_aanvullen"] == 2
    assert _acounts(_org(later, "uithoorn")) == _a(1, archiveren=1, oudste=11)

    tasks = client.get(f"/api/v1/archief/taken?peildatum={P}&soort=vernietigen").json
    assert tasks["count"] == 2
    assert {t["zaak_url"].rsplit("/", 1)[1] for t in tasks["results"]} == {zaak_uuid("C3"), zaak_uuid("C7")}
    assert sorted(t["dagen_open"] for t in tasks["results"]) == [2317, 2682]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_quality_findings(client, synced):
    login(client, "programmateam")
    body = client.get(f"/api/v1/kwaliteit?peildatum={P}").json
    counts = {b["code"]: b["aantal"] for b in body["bevindingen"]}
    assert counts == {
        "geen_team": 2,                       # O11, C8
        "zaaktype_onbekend": 1,               # O12
        "geen_doorlooptijd": 1,               # O11 (Klacht has no doorlooptijd)
        "einddatum_voor_startdatum": 1,       # C9
        "startdatum_in_toekomst": 1,          # O16
        "gesloten_zonder_resultaat": 1,       # C2
        "uiterste_datum_voor_startdatum": 1,  # O17
        "dubbele_identificatie": 2,           # O1 and O18
        "gearchiveerd_zonder_archiefgegevens": 1,  # C5
        "onbekende_bronorganisatie": 1,       # O15 (RSIN 123456782 is not configured)
        "onleesbaar_in_bron": 0,              # every record of the dataset reads fine
    }


def _ind(body, org):
    return {i["code"]: (i["teller"], i["noemer"], i["waarde"], i["voldoet"]) for i in _org(body, org)["indicatoren"]}


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_indicators(client, synced):
    login(client, "programmateam")
    body = client.get(f"/api/v1/indicatoren?peildatum={P}").json
    # Diemen: Z1 closed 15-02..15-05: C1 ok, C2 late, C6 late, C9 ok = 2/4; Z2 5 of 9 open overdue;
    # Z3 started 16-05-2025..15-05-2026: O1-O6, O17, O18, C1, C2, C6, C9 = 12, C2 lacks a resultaat = 11/12;
    # A1 closed in 365 days C1, C2, C6, C9: aanvullen holds for C2 and C6 = 2/4; A2 C3 + C7 (2682 d > 90);
    # A4 archiveren C1 + C9 over 4 closed = 50%
    assert _ind(body, "diemen") == {
        "Z1": (2, 4, 50.0, False), "Z2": (5, 9, 55.6, False), "Z3": (11, 12, 91.7, False),
        "A1": (2, 4, 50.0, False), "A2": (2, None, 2, False), "A3": (0, None, 0, True),
        "A4": (2, 4, 50.0, False),
    }
    assert _ind(body, "duoplus") == {
        "Z1": (1, 1, 100.0, True), "Z2": (1, 4, 25.0, False), "Z3": (5, 5, 100.0, True),
        "A1": (1, 1, 100.0, True), "A2": (0, None, 0, True), "A3": (1, None, 1, False),
        "A4": (0, 1, 0.0, True),
    }
    # Ouder-Amstel: both zaken without team -> Z3 0/2; Uithoorn: O12 has an unknown zaaktype -> 3/4
    assert _ind(body, "ouder-amstel")["Z3"] == (0, 2, 0.0, False)
    assert _ind(body, "uithoorn")["Z3"] == (3, 4, 75.0, False)
    assert _ind(body, "uithoorn")["Z2"] == (0, 3, 0.0, True)
    assert _org(body, "diemen")["gereed_voor_opheffing"] is False


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_leaderboard(client, synced):
    login(client, "pia")
    body = client.get(f"/api/v1/ranglijst?peildatum={P}").json
    assert body["periode"] == {"van": "2026-04-16", "tot": P}
    rows = {t["id"]: t for t in body["teams"]}
    # OE-A closed C2 (20-04) and C6 (12-05) in the period; both needed archive data -> 0% first time right;
    # backlog 3 over 4 closed in 365 days = 75 per 100
    assert {k: rows["OE-A"][k] for k in ("gesloten", "direct_goed", "achterstand", "achterstand_per_100", "rang")} \
        == {"gesloten": 2, "direct_goed": 0.0, "achterstand": 3, "achterstand_per_100": 75.0, "rang": None}
    assert {k: rows["OE-D"][k] for k in ("gesloten", "direct_goed", "achterstand", "achterstand_per_100")} \
        == {"gesloten": 1, "direct_goed": 100.0, "achterstand": 0, "achterstand_per_100": 0.0}
    assert rows["OE-B"]["direct_goed"] is None and rows["OE-B"]["achterstand_per_100"] is None
    assert rows[None]["naam"] == "Niet toegewezen" and rows[None]["rang"] is None
    assert body["meest_verbeterd"] is None
