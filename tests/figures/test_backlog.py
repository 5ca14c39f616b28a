"""Open-zaak states, due soon, ageing buckets, the zaak list, and closed-zaak timeliness (peildatum 15-05-2026)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from duo_zaak.db import db
from duo_zaak.figures.backlog import ZaakFilter, closed_figures, open_figures, open_zaken
from duo_zaak.figures.scope import NO_TEAM_ID, UNKNOWN_ORG_CODE, Scope

from .builders import PAST, P, past_world

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ALL = Scope.everything()


def _open_world(world):
    z = {}
    # Diemen, OE-A
    z[1] = world.zaak(opgeschort=True, opschorting_reden="Advies welstand",
                      fatale_datum="2026-03-07")  # opgeschort, deadline passed meanwhile
    z[2] = world.zaak(zaaktype="zonder")  # no fatale datum: onbekend
    z[3] = world.zaak(fatale_datum="2026-05-14")  # 1 day over: 1-30
    z[4] = world.zaak(fatale_datum="2026-04-15")  # 30 days: 1-30
    z[5] = world.zaak(fatale_datum="2026-04-14")  # 31 days: 31-60
    z[6] = world.zaak(fatale_datum="2026-03-16")  # 16+30+14 = 60 days: 31-60
    z[7] = world.zaak(fatale_datum="2026-03-15")  # 61 days: 61-90
    z[8] = world.zaak(fatale_datum="2026-02-14")  # 14+31+30+15 = 90 days: 61-90
    z[9] = world.zaak(fatale_datum="2026-02-13")  # 91 days: 90+
    # Diemen, OE-B
    z[10] = world.zaak(team="OE-B", fatale_datum="2026-05-15", streefdatum="2026-05-10")  # norm; binnenkort (0 d)
    z[11] = world.zaak(team="OE-B", fatale_datum="2026-05-22", streefdatum="2026-05-22")  # op_tijd; binnenkort (7 d)
    z[12] = world.zaak(team="OE-B", fatale_datum="2026-05-23", streefdatum="2026-05-23",
                       startdatum="2026-05-01")  # op_tijd; 8 d: not soon
    z[13] = world.zaak(team="OE-B", fatale_datum="2026-06-30", streefdatum="2026-05-14")  # norm_overschreden
    z[14] = world.zaak(team="OE-B", fatale_datum="2026-06-30", streefdatum="2026-05-15")  # op_tijd (equal = not passed)
    # Diemen, no team
    z[15] = world.zaak(team=None, fatale_datum="2026-06-30", streefdatum="2026-06-01")  # op_tijd
    # unknown organisation, OE-A: 14 days over
    z[16] = world.zaak(org="onbekend", fatale_datum="2026-05-01")
    # left out: closed, destroyed
    z[17] = world.zaak(fatale_datum="2026-01-01", einddatum="2026-03-01")
    z[18] = world.zaak(fatale_datum="2026-01-01", vernietigd_op="2026-05-01")
    # Uithoorn, OE-C: suspended with a deadline 2 days ahead (not "binnenkort": not op_tijd/norm)
    z[19] = world.zaak(org="uithoorn", team="OE-C", opgeschort=True, fatale_datum="2026-05-17")
    db.session.commit()
    return z


def _figures(item):
    return {k: v for k, v in vars(item).items()}


def _c(**figures):
    base = {"open": 0, "op_tijd": 0, "norm_overschreden": 0, "termijn_overschreden": 0, "opgeschort": 0,
            "onbekend": 0, "binnenkort_verlopend": 0, "ouderdom": {"1-30": 0, "31-60": 0, "61-90": 0, "90+": 0}}
    base["ouderdom"] = {**base["ouderdom"], **figures.pop("ouderdom", {})}
    return {**base, **figures}


@BOTH
def test_open_figures_per_state_bucket_organisation_and_team(world):
    _open_world(world)
    result = open_figures(P, ALL)
    # 17 open: opgeschort 1,19; onbekend 2; termijn 3-9,16; norm 10,13; op_tijd 11,12,14,15
    assert _figures(result.totaal) == _c(open=17, opgeschort=2, onbekend=1, termijn_overschreden=8,
                                         norm_overschreden=2, op_tijd=4, binnenkort_verlopend=2,
                                         ouderdom={"1-30": 3, "31-60": 2, "61-90": 2, "90+": 1})
    orgs = [(o.org.code, o.org.naam) for o in result.organisaties]
    assert orgs == [("duoplus", "Duo+"), ("diemen", "Gemeente Diemen"), ("ouder-amstel", "Gemeente Ouder-Amstel"),
                    ("uithoorn", "Gemeente Uithoorn"), (None, "Onbekende organisatie")]
    diemen = result.organisaties[1]
    assert _figures(diemen.figures) == _c(open=15, opgeschort=1, onbekend=1, termijn_overschreden=7,
                                          norm_overschreden=2, op_tijd=4, binnenkort_verlopend=2,
                                          ouderdom={"1-30": 2, "31-60": 2, "61-90": 2, "90+": 1})
    assert [(t.team.id, t.team.naam) for t in diemen.teams] == [
        ("OE-A", "Team OE-A"), ("OE-B", "Team OE-B"), (None, "Niet toegewezen")]
    assert _figures(diemen.teams[0].figures) == _c(open=9, opgeschort=1, onbekend=1, termijn_overschreden=7,
                                                   ouderdom={"1-30": 2, "31-60": 2, "61-90": 2, "90+": 1})
    assert _figures(diemen.teams[1].figures) == _c(open=5, norm_overschreden=2, op_tijd=3, binnenkort_verlopend=2)
    assert _figures(diemen.teams[2].figures) == _c(open=1, op_tijd=1)
    assert result.organisaties[0].teams == [] and _figures(result.organisaties[0].figures) == _c()
    assert _figures(result.organisaties[3].figures) == _c(open=1, opgeschort=1)
    assert _figures(result.organisaties[4].figures) == _c(open=1, termijn_overschreden=1, ouderdom={"1-30": 1})


@BOTH
def test_the_peildatum_moves_the_calendar(world):
    _open_world(world)
    # 22-05: zaak 10 (fatale 15-05) is 7 days over; 11 (fatale 22-05, 0 d) and 12 (1 d) are due soon
    result = open_figures(date(2026, 5, 22), ALL).totaal
    assert result.termijn_overschreden == 9
    assert result.binnenkort_verlopend == 2
    # 3 (8 d), 10 (7 d), 16 (21 d); 4, 5 (37, 38 d); 6, 7 (67, 68 d); 8, 9 (97, 98 d)
    assert result.ouderdom == {"1-30": 3, "31-60": 2, "61-90": 2, "90+": 2}


def test_team_scope_counts_only_its_teams(world):
    _open_world(world)
    assert open_figures(P, Scope(frozenset({"OE-B"}))).totaal.open == 5
    assert open_figures(P, Scope(frozenset())).totaal.open == 0
    # OE-A has zaken in Diemen (9) and in the unknown organisation (1)
    assert open_figures(P, Scope(frozenset({"OE-A"}))).totaal.open == 10


def test_open_zaak_list_filters_sort_and_pages(world):
    z = _open_world(world)
    ids = {zaak.id: n for n, zaak in z.items()}

    def numbers(page):
        return [ids[item.id] for item in page.items]

    overdue = open_zaken(P, ALL, ZaakFilter(state="termijn_overschreden"), per_page=3)
    assert overdue.total == 8 and overdue.pages == 3 and overdue.has_next
    assert numbers(overdue) == [9, 8, 7]  # most days over first
    assert numbers(open_zaken(P, ALL, ZaakFilter(state="termijn_overschreden"), page=3, per_page=3)) == [16, 3]
    assert [i.dagen_over_termijn for i in overdue.items] == [91, 90, 61]
    soon = open_zaken(P, ALL, ZaakFilter(organisatie="diemen", team="OE-B", binnenkort=True), sort="fatale_datum")
    assert numbers(soon) == [10, 11]
    assert [i.state for i in soon.items] == ["norm_overschreden", "op_tijd"]
    assert numbers(open_zaken(P, ALL, ZaakFilter(team=NO_TEAM_ID))) == [15]
    assert numbers(open_zaken(P, ALL, ZaakFilter(organisatie=UNKNOWN_ORG_CODE))) == [16]
    assert numbers(open_zaken(P, ALL, ZaakFilter(zaaktype="ZT-2"))) == [2]
    suspended = open_zaken(P, ALL, ZaakFilter(state="opgeschort"), sort="identificatie")
    assert numbers(suspended) == [1, 19]
    assert [i.verstreken_tijdens_opschorting for i in suspended.items] == [True, False]
    assert [i.opschorting_reden for i in suspended.items] == ["Advies welstand", ""]
    only_zt2 = open_figures(P, ALL, zaaktype="ZT-2").totaal
    assert (only_zt2.open, only_zt2.onbekend) == (1, 1)
    newest = open_zaken(P, ALL, sort="startdatum", descending=True, per_page=1)
    assert newest.total == 17 and numbers(newest) == [12]
    assert numbers(open_zaken(P, ALL, sort="startdatum", per_page=2)) == [1, 2]  # ties: by id
    assert numbers(open_zaken(P, Scope(frozenset({"OE-C"})))) == [19]
    with pytest.raises(ValueError):
        open_zaken(P, ALL, sort="naam")


@BOTH
def test_closed_figures_timeliness_and_doorlooptijd(world):
    world.zaak(startdatum="2026-04-01", einddatum="2026-04-16", fatale_datum="2026-04-20")  # tijdig, 15 d
    world.zaak(startdatum="2026-04-01", einddatum="2026-04-21", fatale_datum="2026-04-20")  # late, 20 d
    world.zaak(startdatum="2026-04-01", einddatum="2026-05-01")  # no fatale datum, 30 d
    world.zaak(startdatum="2026-03-01", einddatum="2026-05-10", fatale_datum="2026-05-10")  # tijdig (equal), 70 d
    world.zaak(startdatum="2026-03-01", einddatum="2026-04-15", fatale_datum="2026-05-10")  # before the period
    world.zaak(startdatum="2026-04-01", einddatum="2026-05-02", vernietigd_op="2026-05-03")  # destroyed
    db.session.commit()
    figures = closed_figures(date(2026, 4, 16), P, ALL)
    # 4 closed, 3 with a fatale datum, 2 on time: 66.7%; days [15, 20, 30, 70]: median 25,
    # p90 at rank 0.9 x 3 = 2.7: 30 + 0.7 x 40 = 58
    assert (figures.gesloten, figures.met_fatale_datum, figures.tijdig) == (4, 3, 2)
    assert figures.tijdigheid == 66.7
    assert (figures.doorlooptijd_mediaan, figures.doorlooptijd_p90) == (25.0, 58.0)
    empty = closed_figures(date(2020, 1, 1), date(2020, 1, 31), ALL)
    assert (empty.gesloten, empty.tijdigheid, empty.doorlooptijd_mediaan) == (0, None, None)


@BOTH
def test_open_on_a_past_peildatum(world):
    z = past_world(world)
    names = {zaak.id: name for name, zaak in z.items()}
    past = open_figures(PAST, ALL).totaal
    # open on 31-03: closed_after, no_registratie, registered_on, due_on (4)
    # termijn_overschreden: closed_after (20-03 -> 31-03 = 11 days: 1-30); opgeschort: registered_on (its
    # fatale datum 30-03 has passed, but a suspended zaak is not overdue); op_tijd: no_registratie, due_on;
    # binnenkort: due_on (0 days)
    assert _figures(past) == _c(open=4, termijn_overschreden=1, opgeschort=1, op_tijd=2, binnenkort_verlopend=1,
                                ouderdom={"1-30": 1})
    listed = open_zaken(PAST, ALL, sort="identificatie")
    assert sorted(names[item.id] for item in listed.items) == sorted(
        ["closed_after", "no_registratie", "registered_on", "due_on"])
    assert listed.total == 4
    overdue = open_zaken(PAST, ALL, ZaakFilter(state="termijn_overschreden")).items
    assert [(names[i.id], i.dagen_over_termijn) for i in overdue] == [("closed_after", 11)]
    # on 15-05 (the data as now): registered_after, no_registratie, no_registratie_later, registered_on and
    # due_on are open; closed_after closed on 10-04
    now = open_figures(P, ALL).totaal
    assert (now.open, now.opgeschort) == (5, 1)
    # one day before P: no_registratie (starts on P) and registered_on are not registered yet; closed_on is open
    before = open_figures(PAST - timedelta(days=1), ALL).totaal
    assert before.open == 3  # closed_after, closed_on, due_on


def test_z2_and_snapshots_count_the_zaken_open_on_a_past_peildatum(world, monkeypatch):
    from duo_zaak.figures import snapshots
    from duo_zaak.figures.indicators import indicators_now
    from duo_zaak.figures.snapshots import take_snapshot
    from duo_zaak.models import Snapshot

    past_world(world)
    diemen = next(item for item in indicators_now(PAST, ALL) if item.org.code == "diemen")
    z2 = next(i for i in diemen.indicatoren if i.code == "Z2")
    assert (z2.teller, z2.noemer, z2.waarde) == (1, 4, 25.0)  # 1 of the 4 open on 31-03 is overdue
    monkeypatch.setattr(snapshots, "today_amsterdam", lambda: P)
    take_snapshot(PAST)  # a past day without a snapshot is computed with that day as peildatum
    rows = {(r.metriek, r.team): r.teller for r in db.session.scalars(
        select(Snapshot).where(Snapshot.datum == PAST, Snapshot.organisatie == "diemen"))}
    assert (rows[("open", "OE-A")], rows[("termijn_overschreden", "OE-A")], rows[("Z2", "*")]) == (4, 1, 1)
