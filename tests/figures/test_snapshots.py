"""Daily snapshots: the rows written, today replaced, a past day never rewritten, the command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from duo_zaak.db import db
from duo_zaak.figures import snapshots
from duo_zaak.figures.snapshots import SnapshotError, take_snapshot
from duo_zaak.models import Snapshot

from .builders import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
YESTERDAY = P - timedelta(days=1)


@pytest.fixture(autouse=True)
def today_is_p(monkeypatch):
    monkeypatch.setattr(snapshots, "today_amsterdam", lambda: P)


def _snapshot_world(world):
    world.zaak(startdatum="2026-04-01", fatale_datum="2026-05-01")  # Diemen OE-A: open, overdue
    world.zaak(startdatum="2026-01-01", einddatum="2026-03-01", archiveren_vervalt="2026-03-31")  # OE-A backlog
    world.zaak(team=None, startdatum="2015-01-01", einddatum="2015-02-01",
               vernietigen_vervalt="2026-02-01")  # Diemen, no team: vernietigen backlog
    world.zaak(org="onbekend", team="OE-B", startdatum="2026-05-01", fatale_datum="2026-06-01")  # open, on time
    world.zaak(org="uithoorn", team="OE-C", startdatum="2016-01-01", einddatum="2016-02-01")  # nothing to count
    db.session.commit()


def _values(day, metriek="open"):
    rows = db.session.execute(select(Snapshot.organisatie, Snapshot.team, Snapshot.teller)
                              .where(Snapshot.datum == day, Snapshot.metriek == metriek))
    return {(row.organisatie, row.team): row.teller for row in rows}


def _count(day):
    return db.session.scalar(select(func.count()).select_from(Snapshot).where(Snapshot.datum == day))


@BOTH
def test_snapshot_rows(world):
    _snapshot_world(world)
    written = take_snapshot(P)
    assert written == _count(P)
    assert _values(P) == {
        ("diemen", "OE-A"): 1, ("diemen", ""): 0, ("", "OE-B"): 1, ("uithoorn", "OE-C"): 0,
        ("duoplus", "*"): 0, ("diemen", "*"): 1, ("ouder-amstel", "*"): 0, ("uithoorn", "*"): 0, ("", "*"): 1,
        ("*", "OE-A"): 1, ("*", ""): 0, ("*", "OE-B"): 1, ("*", "OE-C"): 0, ("*", "*"): 2,
    }
    assert _values(P, "termijn_overschreden")[("diemen", "OE-A")] == 1
    achterstand = _values(P, "achterstand")
    assert (achterstand[("diemen", "OE-A")], achterstand[("diemen", "")], achterstand[("diemen", "*")],
            achterstand[("*", "*")], achterstand[("uithoorn", "OE-C")]) == (1, 1, 2, 2, 0)
    assert _values(P, "achterstand_vernietigen")[("diemen", "")] == 1
    assert _values(P, "achterstand_archiveren")[("diemen", "OE-A")] == 1
    assert _values(P, "achterstand_archiefgegevens_aanvullen")[("*", "*")] == 0
    z2 = db.session.execute(select(Snapshot).where(Snapshot.datum == P, Snapshot.metriek == "Z2",
                                                   Snapshot.organisatie == "diemen")).scalar_one()
    assert (z2.team, z2.teller, z2.noemer, z2.waarde, z2.norm, z2.voldoet) == ("*", 1, 1, 100.0, "≤ 10%", False)
    total_z2 = _values(P, "Z2")
    assert total_z2[("*", "*")] == 1 and set(total_z2) == {
        ("duoplus", "*"), ("diemen", "*"), ("ouder-amstel", "*"), ("uithoorn", "*"), ("", "*"), ("*", "*")}
    a2 = db.session.execute(select(Snapshot).where(Snapshot.datum == P, Snapshot.metriek == "A2",
                                                   Snapshot.organisatie == "diemen")).scalar_one()
    assert (a2.teller, a2.noemer, a2.waarde, a2.voldoet) == (1, None, 1.0, False)  # 01-02 -> 15-05: 103 days


@BOTH
def test_today_is_replaced_and_a_past_day_never_rewritten(world):
    _snapshot_world(world)
    first = take_snapshot(P)
    assert take_snapshot(YESTERDAY) > 0  # a past day without rows is computed once
    world.zaak(startdatum="2026-05-01", fatale_datum="2026-05-02")  # one more overdue zaak in Diemen OE-A
    db.session.commit()
    assert take_snapshot(P) == first  # today: replaced, same keys
    assert _values(P)[("diemen", "OE-A")] == 2 and _count(P) == first
    assert take_snapshot(YESTERDAY) == 0  # a past day that has rows: left alone
    assert _values(YESTERDAY)[("diemen", "OE-A")] == 1
    with pytest.raises(SnapshotError):
        take_snapshot(P + timedelta(days=1))


def test_snapshot_command(app, world, monkeypatch):
    from duo_zaak.commands import reports as report_cli

    monkeypatch.setattr(report_cli, "today_amsterdam", lambda: P)
    _snapshot_world(world)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["snapshot"])
    assert result.exit_code == 0 and "momentopname 2026-05-15:" in result.output
    result = runner.invoke(args=["snapshot", "--date", "2026-05-14"])
    assert result.exit_code == 0 and "regels vastgelegd" in result.output
    result = runner.invoke(args=["snapshot", "--date", "2026-05-14"])
    assert result.exit_code == 0 and "bestaat al en wordt niet herschreven" in result.output
    result = runner.invoke(args=["snapshot", "--date", "2026-05-16"])
    assert result.exit_code != 0 and "toekomst" in result.output
    result = runner.invoke(args=["snapshot", "--date", "16-05-2026"])
    assert result.exit_code != 0
