"""Data-quality findings: every code counted and listed, destroyed zaken left out, scope applied."""

from __future__ import annotations

from datetime import date

import pytest

from duo_zaak.db import db
from duo_zaak.figures.quality import CODES, count_finding, finding_zaken, findings
from duo_zaak.figures.scope import Scope
from duo_zaak.rules.quality import FINDINGS

from .builders import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ALL = Scope.everything()


def _quality_world(world):
    q = {}
    q["clean"] = world.zaak(fatale_datum="2026-06-01")
    q["geen_team"] = world.zaak(team=None)
    q["zaaktype_onbekend"] = world.zaak(zaaktype="onbekend")  # not also geen_doorlooptijd
    q["geen_doorlooptijd"] = world.zaak(zaaktype="zonder")
    q["einde_voor_start"] = world.zaak(startdatum="2026-02-01", einddatum="2026-01-01")
    q["toekomst"] = world.zaak(startdatum="2026-05-16")
    q["geen_resultaat"] = world.zaak(einddatum="2026-03-01", resultaat_url=None)
    q["leeg_resultaat"] = world.zaak(einddatum="2026-03-01", resultaat_url="")
    q["uiterste"] = world.zaak(startdatum="2026-01-02", uiterlijke_einddatum_afdoening="2026-01-01")
    q["dubbel_1"] = world.zaak(identificatie="ZAAK-DUBBEL")
    q["dubbel_2"] = world.zaak(team="OE-B", identificatie="ZAAK-DUBBEL")
    q["andere_org"] = world.zaak(org="uithoorn", identificatie="ZAAK-DUBBEL")  # other bronorganisatie
    q["vernietigd_dubbel"] = world.zaak(org="uithoorn", identificatie="ZAAK-DUBBEL", vernietigd_op="2026-05-01")
    archived = {"einddatum": "2026-01-10", "archiefstatus": "gearchiveerd"}
    q["zonder_nominatie"] = world.zaak(**archived, archiefactiedatum="2027-01-10")
    q["zonder_actiedatum"] = world.zaak(**archived, archiefnominatie="vernietigen")
    q["lege_nominatie"] = world.zaak(**archived, archiefnominatie="", archiefactiedatum="2027-01-10")
    q["volledig_gearchiveerd"] = world.zaak(**archived, archiefnominatie="vernietigen", archiefactiedatum="2027-01-10")
    q["onleesbaar"] = world.zaak(onleesbaar_in_bron="veld 'startdatum' ontbreekt")  # open, otherwise clean
    q["vernietigd"] = world.zaak(team=None, zaaktype="onbekend", vernietigd_op="2026-05-01",
                                 onleesbaar_in_bron="veld 'startdatum' ontbreekt")
    q["onbekende_org"] = world.zaak(org="onbekend")  # an RSIN not configured: "Onbekende organisatie"
    q["vernietigd_onbekend"] = world.zaak(org="onbekend", vernietigd_op="2026-05-01")
    db.session.commit()
    return q


@BOTH
def test_every_finding_is_counted(world):
    _quality_world(world)
    result = findings(P, ALL)
    assert [f.code for f in result] == list(CODES) == list(FINDINGS)
    assert {f.code: f.aantal for f in result} == {
        "geen_team": 1, "zaaktype_onbekend": 1, "geen_doorlooptijd": 1, "einddatum_voor_startdatum": 1,
        "startdatum_in_toekomst": 1,
        "gesloten_zonder_resultaat": 2,  # NULL and blank resultaat
        "uiterste_datum_voor_startdatum": 1,
        "dubbele_identificatie": 2,  # the two Diemen zaken; Uithoorn's live one has no live twin
        "gearchiveerd_zonder_archiefgegevens": 3,  # no nominatie, no actiedatum, blank nominatie
        "onbekende_bronorganisatie": 1,  # the live one; the destroyed one is left out
        "onleesbaar_in_bron": 1,  # the destroyed one with the same flag does not count
    }
    assert result[0].omschrijving == "Geen behandelend team"
    # the peildatum decides what is "in the future": on 31-12-2025 all 18 live zaken (21 minus 3 destroyed) are
    future = {f.code: f.aantal for f in findings(date(2025, 12, 31), ALL)}
    assert future["startdatum_in_toekomst"] == 18


def test_findings_are_listable_and_scoped(world):
    q = _quality_world(world)
    listed = finding_zaken("dubbele_identificatie", P, ALL)
    assert sorted(z.id for z in listed.items) == sorted([q["dubbel_1"].id, q["dubbel_2"].id])
    assert listed.total == 2 and listed.items[0].identificatie == "ZAAK-DUBBEL"
    archived = finding_zaken("gearchiveerd_zonder_archiefgegevens", P, ALL, per_page=2)
    assert (archived.total, len(archived.items), archived.has_next) == (3, 2, True)
    # OE-B sees only its own member of the duplicate group, and no zaken without a team
    scoped = {f.code: f.aantal for f in findings(P, Scope(frozenset({"OE-B"})))}
    assert scoped["dubbele_identificatie"] == 1 and scoped["geen_team"] == 0
    assert [z.id for z in finding_zaken("dubbele_identificatie", P, Scope(frozenset({"OE-B"}))).items] \
        == [q["dubbel_2"].id]
    assert [z.id for z in finding_zaken("onleesbaar_in_bron", P, ALL).items] == [q["onleesbaar"].id]
    with pytest.raises(ValueError):
        finding_zaken("onzin", P, ALL)
    unknown = finding_zaken("onbekende_bronorganisatie", P, ALL)
    assert [z.id for z in unknown.items] == [q["onbekende_org"].id]
    assert unknown.items[0].organisatie.naam == "Onbekende organisatie"
    assert count_finding("onbekende_bronorganisatie", P, ALL) == 1
    assert count_finding("onbekende_bronorganisatie", P, Scope(frozenset({"OE-B"}))) == 0  # its team is OE-A


def test_a_zaak_of_an_organisation_no_longer_configured_is_unknown(app, world):
    """An organisation removed from the configuration keeps its row (and its zaken their organisatie_id): its
    zaken show under "Onbekende organisatie" and count for the finding, like zaken of an RSIN never configured."""
    world.zaak(org="uithoorn")
    world.zaak(org="onbekend")
    world.zaak(org="diemen")
    db.session.commit()
    assert count_finding("onbekende_bronorganisatie", P, ALL) == 1
    app.config["ORGANISATIES"] = [o for o in app.config["ORGANISATIES"] if o["code"] != "uithoorn"]
    # uithoorn's zaak + the unknown RSIN's zaak
    assert count_finding("onbekende_bronorganisatie", P, ALL) == 2
    assert {f.code: f.aantal for f in findings(P, ALL)}["onbekende_bronorganisatie"] == 2
