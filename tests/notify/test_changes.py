"""The daily message's changes on hand-built mirror rows: which zaken count as changed, once per change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from duo_zaak.accounts import set_email
from duo_zaak.db import db
from duo_zaak.models import Gebruiker, Zaak
from duo_zaak.notify import queries
from duo_zaak.notify.models import MeldingZaak
from duo_zaak.notify.signalering import run_due
from duo_zaak.rules.signalering import binnenkort_entered, overschreden_since

from ..figures.builders import World
from .test_worker import at


@pytest.fixture
def world(app, users):  # type: ignore[no-untyped-def]
    with app.app_context():
        built = World(app.config["ORGANISATIES"])
        set_email(db.session.get(Gebruiker, users["teamleider"]), "tessa@diemen.test", actor="test")
        db.session.commit()
        yield built
        db.session.rollback()


def _reported(smtp) -> list[str]:  # type: ignore[no-untyped-def]
    """The zaken in the daily messages received (and forget them)."""
    lines = [line for m in smtp.take() if m.message["Subject"].strip().startswith("Signalering")
             for line in m.text.splitlines() if line.startswith("- ")]
    return [line[2:].split(" ")[0] for line in lines]


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_each_zaak_once_per_change(app, world, smtp):
    # Friday 15-05, first message: the window is the day before (Thursday 14-05).
    world.zaak(identificatie="NET-OVER", fatale_datum="2026-05-14")  # overdue since 15-05: reported
    world.zaak(identificatie="LANG-OVER", fatale_datum="2026-03-01")  # overdue long before: not a change now
    world.zaak(identificatie="NU-BINNENKORT", fatale_datum="2026-05-22")  # 7 days ahead: entered on 15-05
    world.zaak(identificatie="AL-BINNENKORT", fatale_datum="2026-05-20")  # entered on 13-05: not new
    world.zaak(identificatie="OPGESCHORT", fatale_datum="2026-05-14", opgeschort=True)  # the clock stands still
    world.zaak(identificatie="ANDER-TEAM", team="OE-B", fatale_datum="2026-05-14")
    world.zaak(identificatie="GESLOTEN", fatale_datum="2026-05-14", einddatum="2026-05-14")
    world.zaak(identificatie="VERPLAATST", team="OE-B", fatale_datum="2026-02-01")
    db.session.commit()
    run_due(at("2026-05-15", 7, 30))
    assert sorted(_reported(smtp)) == ["NET-OVER", "NU-BINNENKORT"]

    # After that message a sync moves the long-overdue zaak VERPLAATST to OE-A (the sync writes gewijzigd_op),
    # and the verlenging of NET-OVER moves its fatale datum to 19-05: both are changes.
    moved = db.session.scalar(select(Zaak).filter_by(identificatie="VERPLAATST"))
    moved.team_id, moved.gewijzigd_op = world.team("OE-A").id, datetime.now(UTC) + timedelta(seconds=1)
    extended = db.session.scalar(select(Zaak).filter_by(identificatie="NET-OVER"))
    extended.fatale_datum, extended.gewijzigd_op = date(2026, 5, 19), datetime.now(UTC) + timedelta(seconds=1)
    db.session.commit()
    # Monday 18-05 (since Friday): VERPLAATST is overdue and new to OE-A; NET-OVER is binnenkort (fatale 19-05,
    # 1 day ahead) with a new fatale datum; NU-BINNENKORT was told already.
    run_due(at("2026-05-18", 7, 30))
    assert sorted(_reported(smtp)) == ["NET-OVER", "VERPLAATST"]
    # A change the sync wrote that changes neither state nor fatale datum is not reported again.
    moved.omschrijving, moved.gewijzigd_op = "Nieuwe omschrijving", datetime.now(UTC) + timedelta(seconds=2)
    db.session.commit()
    # Wednesday 20-05 (Tuesday missed): NET-OVER passed 19-05 (overdue since 20-05): a change; nothing else.
    run_due(at("2026-05-20", 7, 30))
    assert _reported(smtp) == ["NET-OVER"]
    told = sorted((z, w, f.isoformat()) for z, w, f in db.session.execute(
        select(Zaak.identificatie, MeldingZaak.wijziging, MeldingZaak.fatale_datum).join(Zaak)).all())
    assert told == [("NET-OVER", "binnenkort", "2026-05-19"), ("NET-OVER", "overschreden", "2026-05-14"),
                    ("NET-OVER", "overschreden", "2026-05-19"), ("NU-BINNENKORT", "binnenkort", "2026-05-22"),
                    ("VERPLAATST", "overschreden", "2026-02-01")]


def test_the_sql_windows_are_the_rules(app, world, users):
    """queries.changes is the SQL twin of rules.signalering: for every fatale datum over five weeks, the zaken
    it reports between a since-day and a day are those the rule functions name."""
    since, day, dagen = date(2026, 5, 15), date(2026, 5, 20), 7
    fatale = [date(2026, 5, 1) + timedelta(days=i) for i in range(35)]
    for i, f in enumerate(fatale):
        world.zaak(identificatie=f"Z{i:02d}", fatale_datum=f.isoformat())
    db.session.commit()
    found = {c.fatale_datum: c.wijziging for c in queries.changes(day, ["OE-A"], since, None, dagen,
                                                                   users["teamleider"])}
    expected = {f: "overschreden" if overschreden_since(f, since, day) else "binnenkort"
                for f in fatale if overschreden_since(f, since, day) or binnenkort_entered(f, since, day, dagen)}
    assert found == expected
    # by hand: overdue 15-05..19-05 (five days) and binnenkort 23-05..27-05 (five days)
    assert sorted(expected) == [date(2026, 5, d) for d in (15, 16, 17, 18, 19, 23, 24, 25, 26, 27)]
