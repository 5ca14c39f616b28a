"""IBT indicators per organisation, norms and KPI judgements with history, readiness and forecast."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from duo_zaak.db import db
from duo_zaak.figures.indicators import (
    current_kpis,
    current_norms,
    forecast,
    indicators_now,
    kpi_history,
    month_table,
    norm_history,
    readiness,
    set_kpi,
    set_norm,
)
from duo_zaak.figures.scope import Scope

from .builders import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ALL = Scope.everything()
CODES = ("Z1", "Z2", "Z3", "A1", "A2", "A3", "A4")


def _indicator_world(world):
    # Windows: 90 days = 15-02-2026..15-05-2026, 365 days = 16-05-2025..15-05-2026.
    # Diemen
    world.zaak(startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10",
               archiveren_vervalt="2026-05-31")  # i1: on time; archiveren not due yet
    world.zaak(startdatum="2026-02-01", einddatum="2026-03-01", fatale_datum="2026-02-20",
               aanvullen_vervalt="2026-03-11")  # i2: late; aanvullen holds (due, backlog)
    world.zaak(startdatum="2026-01-01", einddatum="2026-02-14", fatale_datum="2026-03-01",
               archiveren_vervalt="2026-03-16")  # i3: closed before the 90 days; archiveren backlog
    world.zaak(startdatum="2026-03-01", einddatum="2026-04-01")  # i4: no fatale datum
    world.zaak(startdatum="2025-01-01", einddatum="2025-05-15",
               vernietigen_vervalt="2026-01-01")  # i5: closed one day before the 365; vernietigen 134 days old
    world.zaak(startdatum="2026-04-01", fatale_datum="2026-05-01")  # i6: open, overdue
    world.zaak(startdatum="2025-06-01", fatale_datum="2026-04-01", opgeschort=True)  # i7: open, suspended
    world.zaak(startdatum="2026-01-01", team=None, fatale_datum="2026-06-01")  # i8: open, no team
    world.zaak(startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10",
               vernietigd_op="2026-05-02")  # destroyed: left out everywhere
    # Ouder-Amstel: one zaak closed on time, all complete
    world.zaak(org="ouder-amstel", startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10")
    # Uithoorn: an open zaak started long ago, and a transfer exactly 90 days overdue
    world.zaak(org="uithoorn", startdatum="2024-01-01", fatale_datum="2026-06-01")
    world.zaak(org="uithoorn", startdatum="2000-01-01", einddatum="2000-06-01", overbrengen_vervalt="2026-02-14")
    db.session.commit()


def _by_org(result):
    return {item.org.code: {i.code: (i.teller, i.noemer, i.waarde, i.voldoet) for i in item.indicatoren}
            for item in result}


@BOTH
def test_indicators_per_organisation(world):
    _indicator_world(world)
    result = indicators_now(P, ALL)
    assert [item.org.code for item in result] == ["duoplus", "diemen", "ouder-amstel", "uithoorn"]
    figures = _by_org(result)
    assert figures["diemen"] == {
        "Z1": (1, 2, 50.0, False),    # closed in 90 days with a fatale datum: i1 (on time), i2 (late)
        "Z2": (1, 3, 33.3, False),    # open i6, i7, i8; overdue i6 (i7 is suspended)
        "Z3": (6, 7, 85.7, False),    # started in 365 days: i1-i4, i6-i8; i8 has no team
        "A1": (3, 4, 75.0, False),    # closed in 365 days: i1-i4; aanvullen holds for i2
        "A2": (1, None, 1.0, False),  # i5, 134 days > 90
        "A3": (0, None, 0.0, True),
        "A4": (1, 4, 25.0, False),    # archiveren backlog i3 over 4 closed in 365 days
    }
    # Duo+ has no zaken: every percentage has noemer 0 -> null and not met; empty backlogs are met
    assert figures["duoplus"] == {
        "Z1": (0, 0, None, False), "Z2": (0, 0, None, False), "Z3": (0, 0, None, False),
        "A1": (0, 0, None, False), "A2": (0, None, 0.0, True), "A3": (0, None, 0.0, True),
        "A4": (0, 0, None, False),
    }
    assert figures["ouder-amstel"] == {
        "Z1": (1, 1, 100.0, True), "Z2": (0, 0, None, False), "Z3": (1, 1, 100.0, True),
        "A1": (1, 1, 100.0, True), "A2": (0, None, 0.0, True), "A3": (0, None, 0.0, True),
        "A4": (0, 1, 0.0, True),
    }
    # the transfer task is exactly 90 days old: the norm "none older than 90 days" is still met
    assert figures["uithoorn"]["A3"] == (1, None, 1.0, True)
    assert figures["uithoorn"]["Z2"] == (0, 1, 0.0, True)
    norms = {i.code: i.norm for i in result[1].indicatoren}
    assert norms == {"Z1": "≥ 90%", "Z2": "≤ 10%", "Z3": "≥ 98%", "A1": "≥ 95%",
                     "A2": "geen taak ouder dan 90 dagen", "A3": "geen taak ouder dan 90 dagen", "A4": "≤ 2%"}


def test_the_unknown_organisation_gets_no_verdict_and_no_forecast(world):
    world.zaak(org="onbekend", startdatum="2026-04-01", fatale_datum="2026-05-01")  # open, overdue
    world.zaak(org="onbekend", startdatum="2026-04-01", einddatum="2026-05-01", archiveren_vervalt="2026-05-10")
    world.zaak(org="onbekend", startdatum="2026-04-01", vernietigd_op="2026-05-01")  # destroyed: not counted
    world.zaak(org="diemen", startdatum="2026-04-01", fatale_datum="2026-05-01")
    db.session.commit()
    result = {item.org.code: item for item in indicators_now(P, ALL)}
    unknown = result[None]
    assert (unknown.gereed_voor_opheffing, unknown.prognose_achterstand_nul, unknown.ontbreekt, unknown.kpis) == (
        None, None, [], {})
    assert (unknown.aantal_zaken, unknown.bevinding) == (2, "onbekende_bronorganisatie")
    assert {i.code: (i.teller, i.noemer) for i in unknown.indicatoren}["Z2"] == (1, 1)  # its figures still count
    assert result["diemen"].gereed_voor_opheffing is False and result["diemen"].aantal_zaken is None
    assert result["diemen"].prognose_achterstand_nul == "geen achterstand" and result["diemen"].bevinding is None


def test_indicators_for_a_team_scope(world):
    _indicator_world(world)
    scoped = _by_org(indicators_now(P, Scope(frozenset({"OE-A"}))))
    assert scoped["diemen"]["Z3"] == (6, 6, 100.0, True)  # i8 (no team) is not in the scope
    assert scoped["diemen"]["Z2"] == (1, 2, 50.0, False)


def test_norms_are_stored_with_history(world, users):
    _indicator_world(world)
    assert current_norms()["Z2"].waarde == 10
    set_norm("Z2", "<=", 40, gebruiker_id=users["programmateam"], toelichting="eerste jaar")
    db.session.commit()
    set_norm("Z2", "<=", 35, gebruiker_id=users["programmateam"])
    db.session.commit()
    assert (current_norms()["Z2"].operator, current_norms()["Z2"].waarde) == ("<=", 35)
    assert [row.waarde for row in norm_history("Z2")] == [35, 40]
    diemen = _by_org(indicators_now(P, ALL))["diemen"]
    assert diemen["Z2"] == (1, 3, 33.3, True)  # 33.3 <= 35
    assert next(i.norm for i in indicators_now(P, ALL)[1].indicatoren if i.code == "Z2") == "≤ 35%"
    with pytest.raises(ValueError):
        set_norm("Z9", "<=", 1, gebruiker_id=None)
    with pytest.raises(ValueError):
        set_norm("Z1", "~", 1, gebruiker_id=None)


def test_kpi_judgements_are_stored_with_history(world, users):
    org_id = world.orgs["diemen"].id
    assert set(current_kpis(org_id).values()) == {None}
    for nummer in range(1, 11):
        set_kpi(org_id, nummer, "deels" if nummer == 3 else "ja", gebruiker_id=users["programmateam"])
    db.session.commit()
    set_kpi(org_id, 3, "ja", gebruiker_id=users["programmateam"], eigenaar="Archivaris", notitie="op orde")
    db.session.commit()
    current = {nummer: row.oordeel for nummer, row in current_kpis(org_id).items()}
    assert current == dict.fromkeys(range(1, 11), "ja")
    assert [(row.oordeel, row.eigenaar) for row in kpi_history(org_id, 3)] == [("ja", "Archivaris"), ("deels", "")]
    assert [k for k, v in current_kpis(world.orgs["uithoorn"].id).items() if v] == []
    with pytest.raises(ValueError):
        set_kpi(org_id, 11, "ja", gebruiker_id=None)
    with pytest.raises(ValueError):
        set_kpi(org_id, 1, "misschien", gebruiker_id=None)


def _month_ends(world, organisatie, months, failing=()):
    for month_end in months:
        for code in CODES:
            world.snapshot(month_end, code, 1, organisatie=organisatie, voldoet=(month_end, code) not in failing)


@BOTH
def test_readiness_from_month_snapshots_and_kpis(world):
    # last 3 completed months before 15-05-2026: 2026-02, 2026-03, 2026-04
    _month_ends(world, "diemen", ["2026-02-28", "2026-03-31", "2026-04-30"])
    _month_ends(world, "uithoorn", ["2026-02-28", "2026-03-31"], failing={("2026-03-31", "Z2")})
    world.snapshot("2026-03-30", "Z1", 1, organisatie="uithoorn", voldoet=False)  # an earlier day: not decisive
    world.snapshot("2026-01-31", "Z1", 1, organisatie="uithoorn", voldoet=False)  # before the 3 months
    world.snapshot("2026-04-30", "Z1", 1, organisatie="duoplus", team="OE-C", voldoet=True)  # a team row
    db.session.commit()
    all_yes = dict.fromkeys(range(1, 11), "ja")
    assert readiness("diemen", P, all_yes) == (True, [])
    ready, missing = readiness("diemen", P, {**all_yes, 5: "nee", 9: None})
    assert not ready and missing == ["KPI 5 Vernietiging, vervanging en vervreemding: oordeel 'nee'",
                                     "KPI 9 Rampen, calamiteiten en veiligheid: nog geen oordeel"]
    ready, missing = readiness("uithoorn", P, all_yes)
    assert not ready
    assert missing == ["Z2 aandeel termijn overschreden: norm niet gehaald in 2026-03", "geen gegevens voor 2026-04"]
    assert readiness("duoplus", P, all_yes)[1][:3] == ["geen gegevens voor 2026-02", "geen gegevens voor 2026-03",
                                                       "geen gegevens voor 2026-04"]
    table = month_table("uithoorn", ["2026-02", "2026-03", "2026-04"])
    assert table["2026-03"]["Z1"].datum == date(2026, 3, 31) and table["2026-04"] == {}


@BOTH
def test_forecast_from_the_last_eight_weeks(world):
    start = P - timedelta(days=55)  # 56 days up to and including the peildatum
    for day in range(56):
        world.snapshot(start + timedelta(days=day), "achterstand", 112 - 2 * day, organisatie="diemen")
        world.snapshot(start + timedelta(days=day), "achterstand", 5, organisatie="uithoorn")
    world.snapshot(start - timedelta(days=1), "achterstand", 0, organisatie="diemen")  # outside the 8 weeks
    world.snapshot(P, "achterstand", 3, organisatie="duoplus")
    for day, (a, b) in enumerate([(10, 4), (8, 4), (6, 4)]):  # per team: OE-A falls, OE-B stays
        world.snapshot(P - timedelta(days=2 - day), "achterstand", a, organisatie="ouder-amstel", team="OE-A")
        world.snapshot(P - timedelta(days=2 - day), "achterstand", b, organisatie="ouder-amstel", team="OE-B")
    db.session.commit()
    # 112 - 2x reaches 0 at x = 56: the day after the peildatum
    assert forecast("diemen", ["*"], P) == "2026-05-16"
    assert forecast("uithoorn", ["*"], P) == "geen daling"
    # a backlog of 0 at the peildatum: nothing to forecast, whatever the line does
    assert forecast("uithoorn", ["*"], P, achterstand=0) == "geen achterstand"
    assert forecast("uithoorn", ["*"], P, achterstand=5) == "geen daling"
    assert forecast("ouder-amstel", ["*"], P, achterstand=0) == "geen achterstand"  # and without snapshots
    assert forecast("duoplus", ["*"], P) is None  # one day of snapshots
    # a team scope: OE-A + OE-B = 14, 12, 10 -> zero 5 days after the last point (13-05 + 7 = 20-05)
    assert forecast("ouder-amstel", ["OE-A", "OE-B"], P) == "2026-05-20"
    assert forecast("ouder-amstel", ["OE-B"], P) == "geen daling"
