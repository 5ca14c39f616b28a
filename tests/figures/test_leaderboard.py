"""The team leaderboard: columns, ranking rules, resolved tasks, trend and the most improved team."""

from __future__ import annotations

from datetime import date

import pytest

from duo_zaak.db import db
from duo_zaak.figures.leaderboard import leaderboard, period
from duo_zaak.figures.scope import Scope

from .builders import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ALL = Scope.everything()


def _closed(world, org, team, dates, *, eerder_fout=0, archiveren=None):
    """Zaken closed on `dates`; the first `eerder_fout` needed their archive data completed once."""
    zaken = []
    for n, einddatum in enumerate(dates):
        zaken.append(world.zaak(org=org, team=team, startdatum="2025-01-01", einddatum=einddatum,
                                aanvullen_ooit=n < eerder_fout,
                                archiveren_vervalt=archiveren if n == 0 else None))
    return zaken


def _leaderboard_world(world):
    # The period is 16-04-2026..15-05-2026; the 365 days are 16-05-2025..15-05-2026.
    in_period = ["2026-04-16", "2026-04-20", "2026-05-01", "2026-05-10", "2026-05-15"]
    # OE-A: 5 closed in the period (1 needed aanvullen: 80%), 6 more earlier in the year (5 on 01-06-2025,
    # 1 on 15-04-2026, below); backlog 1 over 11 closed -> 9.1 per 100
    a = _closed(world, "diemen", "OE-A", in_period, eerder_fout=1, archiveren="2026-05-01")
    _closed(world, "diemen", "OE-A", ["2025-06-01"] * 5)
    # OE-B: 80%, backlog 1 over 5 closed -> 20 per 100; OE-E the same figures: the name decides (B before E)
    b = _closed(world, "diemen", "OE-B", in_period, eerder_fout=1, archiveren="2026-05-01")
    _closed(world, "diemen", "OE-E", in_period, eerder_fout=1, archiveren="2026-05-01")
    # OE-C: 6 closed, all first time right, no backlog -> rank 1
    _closed(world, "duoplus", "OE-C", ["2026-04-20"] * 3 + ["2026-05-10"] * 3)
    # OE-D: only 4 closed -> listed without a rank
    _closed(world, "uithoorn", "OE-D", in_period[:4])
    # Niet toegewezen: 6 closed, all right -> never ranked
    _closed(world, "diemen", None, ["2026-05-01"] * 6)
    # not counted: closed the day before the period, destroyed, a team with only open zaken
    _closed(world, "diemen", "OE-A", ["2026-04-15"])
    world.zaak(team="OE-A", startdatum="2026-01-01", einddatum="2026-05-01", vernietigd_op="2026-05-02")
    world.zaak(team="OE-F", startdatum="2026-05-01")
    # resolved tasks: OE-A two in the period (bevestigd, opgelost_in_bron), one before it, one niet_bevestigd
    task = world.task(a[1], "archiveren", "bevestigd", vervaldatum="2026-04-01")
    world.event(task, "bevestigd", "2026-05-01", van="gemeld_gereed")
    world.event(world.task(a[2], "archiveren", "opgelost_in_bron", "2026-04-01"), "opgelost_in_bron", "2026-04-16")
    world.event(world.task(a[3], "archiveren", "bevestigd", "2026-03-01"), "bevestigd", "2026-04-15")
    world.event(world.task(a[4], "archiveren", "niet_bevestigd", "2026-03-01"), "niet_bevestigd", "2026-05-02")
    # OE-B: the zaak was destroyed after its vernietigen task was confirmed; it still counts as resolved
    gone = world.zaak(team="OE-B", startdatum="2015-01-01", einddatum="2016-01-01", vernietigd_op="2026-05-10")
    world.event(world.task(gone, "vernietigen", "bevestigd", "2026-01-01"), "bevestigd", "2026-05-10")
    # snapshots at the start of the period (organisation '*' = the team over all organisations)
    for team, backlog in (("OE-A", 4), ("OE-B", 2), ("OE-E", 0), ("", 5)):
        world.snapshot("2026-04-16", "achterstand", backlog, team=team)
    world.snapshot("2026-04-16", "achterstand", 9, organisatie="duoplus", team="OE-C")  # not the '*' row
    db.session.commit()
    return b


def _row(board, team_id):
    return next(row for row in board.rows if row.id == team_id)


@BOTH
def test_leaderboard_columns_and_ranking(world):
    _leaderboard_world(world)
    board = leaderboard(P, ALL)
    assert (board.van, board.tot) == (date(2026, 4, 16), P)
    assert [(row.rang, row.id) for row in board.rows] == [
        (1, "OE-C"), (2, "OE-A"), (3, "OE-B"), (4, "OE-E"), (None, "OE-D"), (None, None)]
    a = _row(board, "OE-A")
    assert (a.naam, a.organisatie, a.gesloten, a.direct_goed, a.achterstand, a.gesloten_365) == (
        "Team OE-A", "diemen", 5, 80.0, 1, 11)
    assert (a.achterstand_per_100, a.opgelost, a.trend) == (9.1, 2, -3)  # 1 now - 4 at the start
    b = _row(board, "OE-B")
    assert (b.direct_goed, b.achterstand_per_100, b.opgelost, b.trend) == (80.0, 20.0, 1, -1)
    c = _row(board, "OE-C")
    assert (c.organisatie, c.gesloten, c.direct_goed, c.achterstand_per_100, c.trend) == (
        "duoplus", 6, 100.0, 0.0, None)  # no '*' snapshot for OE-C at the start
    assert _row(board, "OE-E").trend == 1
    d = _row(board, "OE-D")
    assert (d.gesloten, d.direct_goed, d.organisatie) == (4, 100.0, "uithoorn")
    nt = _row(board, None)
    assert (nt.naam, nt.gesloten, nt.trend, nt.rang) == ("Niet toegewezen", 6, -5, None)
    # most improved: the most negative trend of a real team (OE-A, -3), not "Niet toegewezen" (-5)
    assert board.meest_verbeterd is not None and board.meest_verbeterd.id == "OE-A"
    assert "OE-F" not in {row.id for row in board.rows}


def test_leaderboard_period_and_scope(world):
    _leaderboard_world(world)
    assert period(P) == (date(2026, 4, 16), P)
    assert period(P, tot=date(2026, 4, 30)) == (date(2026, 4, 1), date(2026, 4, 30))
    board = leaderboard(P, ALL, van=date(2026, 5, 1), tot=P)
    c = _row(board, "OE-C")
    assert (c.gesloten, c.rang) == (3, None)  # only 3 closed from 01-05: fewer than 5
    assert _row(board, "OE-A").opgelost == 1  # 01-05 bevestigd; 16-04 opgelost_in_bron is outside
    assert board.meest_verbeterd is None  # no snapshots on 01-05
    scoped = leaderboard(P, Scope(frozenset({"OE-B"})))
    assert [row.id for row in scoped.rows] == ["OE-B"]
    assert scoped.rows[0].rang == 1


def test_no_direct_goed_without_closed_zaken(world):
    zaak = world.zaak(team="OE-A", startdatum="2020-01-01", einddatum="2020-02-01", vernietigen_vervalt="2026-01-01")
    world.task(zaak, "vernietigen")
    db.session.commit()
    row = leaderboard(P, ALL).rows[0]
    # a backlog but nothing closed in the period or the 365 days: both percentages are null
    assert (row.id, row.gesloten, row.direct_goed, row.achterstand, row.achterstand_per_100) == (
        "OE-A", 0, None, 1, None)
