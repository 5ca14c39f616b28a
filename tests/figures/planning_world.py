"""A hand-built history for the capacity planning: 12 weeks of PiA work, two FTE periods, a backlog, known and
estimated inflow, all in Diemen. The figures it must give are worked out by hand in tests/figures/test_planning.py.

Peildatum P = Sunday 31-05-2026 (ISO week 22). The history weeks are the 12 weeks Monday 09-03-2026 up to
Sunday 31-05-2026; the year window of A4 is 01-06-2025..31-05-2026.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from duo_zaak.db import db
from duo_zaak.figures.planning import record_fte

from .builders import World

P = date(2026, 5, 31)
WEEK1 = date(2026, 3, 9)  # Monday of history week 1; week i starts WEEK1 + 7(i-1)
# Tasks confirmed (bevestigd) per history week: weeks 1-5 at 2 FTE, weeks 6-12 at 4 FTE.
ARCHIVEREN_BEVESTIGD = [4, 4, 6, 4, 2, 8, 8, 12, 8, 4, 8, 12]
VERNIETIGEN_BEVESTIGD = [1, 1, 1, 1, 1, 3, 2, 3, 2, 3, 2, 3]


def monday(week: int) -> date:
    return WEEK1 + timedelta(days=7 * (week - 1))


def build(world: World, organisatie: str = "diemen") -> None:
    # History: each confirmed task on the Wednesday of its week; its zaak was archived (or destroyed) since.
    for week, (archived, destroyed) in enumerate(zip(ARCHIVEREN_BEVESTIGD, VERNIETIGEN_BEVESTIGD, strict=True), 1):
        wednesday = (monday(week) + timedelta(days=2)).isoformat()
        for _ in range(archived):
            zaak = world.zaak(org=organisatie, einddatum="2025-01-01", archiefstatus="gearchiveerd")
            task = world.task(zaak, "archiveren", "bevestigd", vervaldatum="2025-01-31")
            world.event(task, "gemeld_gereed", wednesday)
            world.event(task, "bevestigd", wednesday, van="gemeld_gereed")
        for _ in range(destroyed):
            zaak = world.zaak(org=organisatie, einddatum="2015-01-01", archiefstatus="gearchiveerd",
                              archiefnominatie="vernietigen", vernietigd_op=wednesday)
            world.event(world.task(zaak, "vernietigen", "bevestigd", vervaldatum="2025-01-01"), "bevestigd", wednesday,
                        van="gemeld_gereed")
    # Resolved in the source by the teams: counted apart, not PiA's throughput (3 in week 12).
    for _ in range(3):
        zaak = world.zaak(org=organisatie, einddatum="2025-01-01", archiefstatus="gearchiveerd")
        world.event(world.task(zaak, "archiveren", "opgelost_in_bron", "2025-01-31"), "opgelost_in_bron", "2026-05-27")
    # Not counted: confirmed the Sunday before week 1; a mark that is not confirmed yet (week 12).
    zaak = world.zaak(org=organisatie, einddatum="2025-01-01", archiefstatus="gearchiveerd")
    early = world.task(zaak, "archiveren", "bevestigd", "2025-01-31")
    world.event(early, "bevestigd", "2026-03-08", van="gemeld_gereed")
    pending = world.zaak(org=organisatie, einddatum="2026-02-01", archiveren_vervalt="2026-03-03")
    world.event(world.task(pending, "archiveren", "gemeld_gereed"), "gemeld_gereed", "2026-05-29")

    # The backlog now: 20 archiveren due 03-03-2026 (closed 01-02-2026; one niet_bevestigd), 7 vernietigen due
    # 31-01-2026 (closed in 2016, archived since).
    for n in range(20):
        zaak = world.zaak(org=organisatie, einddatum="2026-02-01", archiveren_vervalt="2026-03-03")
        world.task(zaak, "archiveren", "niet_bevestigd" if n == 0 else "open")
    for _ in range(7):
        zaak = world.zaak(org=organisatie, einddatum="2016-01-31", archiefstatus="gearchiveerd",
                          archiefnominatie="vernietigen", vernietigen_vervalt="2026-01-31")
        world.task(zaak, "vernietigen")
    # Known inflow: 2 vernietigen due 10-06-2026, 5 archiveren due 19-06-2026 (closed 20-05-2026).
    for _ in range(2):
        world.zaak(org=organisatie, einddatum="2016-06-10", archiefstatus="gearchiveerd",
                   archiefnominatie="vernietigen", vernietigen_vervalt="2026-06-10")
    for _ in range(5):
        world.zaak(org=organisatie, einddatum="2026-05-20", archiveren_vervalt="2026-06-19")
    # Other closings, archived already: 37 on 15-04-2026 (in the 12 weeks), 187 on 15-01-2026 (in the year).
    for count, einddatum in ((37, "2026-04-15"), (187, "2026-01-15")):
        for _ in range(count):
            world.zaak(org=organisatie, einddatum=einddatum, archiefstatus="gearchiveerd")
    # Not in the planning: a backlog task of an RSIN that is not configured; an open zaak.
    stranger = world.zaak(org="onbekend", einddatum="2026-02-01", archiveren_vervalt="2026-03-03")
    world.task(stranger, "archiveren")
    world.zaak(org=organisatie, startdatum="2026-05-01")

    # PiA's staffing: 2,0 FTE in weeks 1-5, 4,0 FTE from week 6 on (open-ended).
    record_fte(None, Decimal("2.0"), WEEK1, monday(6) - timedelta(days=1), gebruiker_id=None, notitie="start")
    record_fte(None, Decimal("4.0"), monday(6), None, gebruiker_id=None, notitie="uitbreiding")
    db.session.commit()
