"""The worker's signalering end to end: the hand-built dataset (tests/handbuilt.py, synced once) and a real SMTP
server receiving what `run_due` sends. Peildatum of the data: Friday 15-05-2026.

Team lead `tl` leads OE-A, whose open zaken are (from the dataset's comments):
  O1  fatale 27-05  streef 13-05 passed -> norm_overschreden
  O2  fatale 15-05  streef 06-05 passed -> norm_overschreden, binnenkort on 15-05 (0 days)
  O3  fatale 26-04  overdue
  O16 fatale 15-06  op_tijd
  O17 fatale 01-04  overdue
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from duo_zaak.accounts import set_email
from duo_zaak.db import db
from duo_zaak.figures.backlog import open_figures
from duo_zaak.figures.scope import Scope
from duo_zaak.figures.snapshots import take_snapshot
from duo_zaak.formatting import AMSTERDAM
from duo_zaak.models import Gebruiker
from duo_zaak.notify.models import MailUitgaand, MeldingLog, MeldingZaak
from duo_zaak.notify.signalering import run_due

from ..conftest import make_app
from .conftest import BASE_URL

ADDRESSES = {"tl": "tessa@diemen.test", "prog": "paul@duo.test", "pia": "petra@duo.test", "admin": "bert@duo.test"}


def at(day: str, hour: int, minute: int = 0) -> datetime:
    """A local (Amsterdam) moment."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}").replace(tzinfo=AMSTERDAM)


def _addresses(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for user in db.session.scalars(select(Gebruiker)):
            set_email(user, ADDRESSES[user.gebruikersnaam], actor="test")
        db.session.commit()


def _by_recipient(messages):  # type: ignore[no-untyped-def]
    return {(m.rcpt_tos[0], m.message["Subject"].strip().split(" ")[0]): m for m in messages}


def _run(app, now):  # type: ignore[no-untyped-def]
    with app.app_context():
        result = run_due(now)
        db.session.remove()
        return result


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_weekly_daily_monthly_once_with_catch_up(app, handbuilt, smtp, database_url):
    _addresses(app)
    with app.app_context():
        take_snapshot(date(2026, 5, 13))  # "last week" for the run of Wednesday 20-05
        db.session.remove()

    # Friday 15-05 08:00, the first run ever: the weekly messages of week 20 and the monthly one of May (due
    # since Friday 01-05, its first working day) go out; the beheerder gets nothing by default.
    result = _run(app, at("2026-05-15", 8))
    assert result.in_wachtrij == 3 and result.bezorging.verzonden == 3
    mails = _by_recipient(smtp.take())
    assert set(mails) == {("tessa@diemen.test", "Weekoverzicht"), ("petra@duo.test", "Weekoverzicht"),
                          ("paul@duo.test", "IBT-maandoverzicht")}
    week = mails[("tessa@diemen.test", "Weekoverzicht")]
    # OE-A on 15-05: open = O1, O2, O3, O16, O17 = 5; over the fatale datum = O3 (26-04), O17 (01-04) = 2;
    # binnenkort verlopend = O2 (fatale 15-05, 0 days ahead) = 1 (O1 is 12 days ahead).
    assert "Open zaken:                  5" in week.text
    assert "Over de fatale datum:        2" in week.text
    assert "Binnenkort verlopend:        1" in week.text
    with app.app_context():  # the same numbers as the backlog page's figures
        figures = open_figures(date(2026, 5, 15), Scope(frozenset({"OE-A"}))).totaal
        assert (figures.open, figures.termijn_overschreden, figures.binnenkort_verlopend) == (5, 2, 1)
    assert week.message["Subject"].strip() == ("Weekoverzicht achterstand week 20 (Vergunningen): 2 zaken over de "
                                               "fatale datum")
    # the five running zaken, earliest fatale datum first: O17 (01-04), O3 (26-04), O2, O1, O16
    urgent = [line.split(" ")[1] for line in week.text.splitlines() if line.startswith("- ZAAK-")]
    assert urgent == ["ZAAK-2026-0000000017", "ZAAK-2026-0000000003", "ZAAK-2026-0000000002",
                      "ZAAK-2026-0000000001", "ZAAK-2026-0000000016"]
    # O17: 15-05 - 01-04 = 30 + 14 = 44 days over
    assert "- ZAAK-2026-0000000017 Omgevingsvergunning: fatale datum 01-04-2026, 44 dagen over de termijn" in week.text
    assert f"{BASE_URL}/achterstand/zaken?team=OE-A&toestand=termijn_overschreden" in week.text
    assert "geen vergelijking, er is geen momentopname van 08-05-2026" in week.text
    assert week.message["List-Unsubscribe"].startswith(f"<{BASE_URL}/afmelden/")
    assert week.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert week.mail_from == "signalering@duo.test"
    assert week.message.get_content_type() == "multipart/alternative"
    # the HTML part: the same figures as links to the list with the filter set (peildatum: not today)
    assert ('<td class="getal"><a href="https://duo-zaak.test/achterstand/zaken?team=OE-A&amp;'
            'toestand=termijn_overschreden&amp;peildatum=2026-05-15">2</a>') in week.html
    with app.app_context():  # the daily message had nothing: logged (the day is done), no mail
        daily = db.session.scalar(select(MeldingLog).filter_by(soort="teamleider_dag"))
        assert (daily.periode, daily.uitgaand_id) == ("2026-05-15", None)

    # A second run the same day, and a restarted worker (a new app on the same database): nothing goes out.
    assert _run(app, at("2026-05-15", 9)).in_wachtrij == 0
    restarted = make_app(database_url, **{k: app.config[k] for k in
                                          ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_SENDER", "BASE_URL")})
    assert _run(restarted, at("2026-05-15", 10)).in_wachtrij == 0
    with restarted.app_context():
        db.engine.dispose()
    assert smtp.take() == []

    # Down on Monday 18-05 and Tuesday 19-05. Wednesday 20-05 07:10 catches up: week 21's overview, and one daily
    # message with what changed since Friday: O2 passed its fatale datum 15-05 (overdue since 16-05, 5 days on
    # 20-05) and O1 (fatale 27-05) became binnenkort verlopend on 20-05 (7 days ahead).
    result = _run(app, at("2026-05-20", 7, 10))
    mails = _by_recipient(smtp.take())
    assert set(mails) == {("tessa@diemen.test", "Weekoverzicht"), ("tessa@diemen.test", "Signalering"),
                          ("petra@duo.test", "Weekoverzicht")}
    daily = mails[("tessa@diemen.test", "Signalering")]
    assert daily.message["Subject"].strip() == ("Signalering 20-05-2026: 1 zaak over de fatale datum, 1 binnenkort "
                                        "verlopend")
    assert "Sinds 15-05-2026 veranderde" in daily.text
    assert "- ZAAK-2026-0000000002 Scenario O2: fatale datum 15-05-2026, 5 dagen over de termijn" in daily.text
    assert "- ZAAK-2026-0000000001 Scenario O1: fatale datum 27-05-2026, nog 7 dagen" in daily.text
    week = mails[("tessa@diemen.test", "Weekoverzicht")]
    # OE-A on 20-05: over = O2, O3, O17 = 3; binnenkort = O1 (7 days) = 1; against the snapshot of 13-05 (over:
    # O3 and O17 = 2, open 5): open +0, over +1.
    assert "Over de fatale datum:        3" in week.text and "Binnenkort verlopend:        1" in week.text
    assert "Tegen vorige week (13-05-2026): open 0, over de fatale datum +1" in week.text

    # Thursday 21-05: nothing new for OE-A (no fatale datum on 20-05, none on 28-05): no message.
    assert _run(app, at("2026-05-21", 7, 10)).in_wachtrij == 0
    assert smtp.take() == []
    with app.app_context():
        reported = set(db.session.execute(select(MeldingZaak.wijziging, MeldingZaak.fatale_datum)).all())
        assert reported == {("overschreden", date(2026, 5, 15)), ("binnenkort", date(2026, 5, 27))}
        # six messages in all, each with its own sent-log row and one row per (user, kind, period)
        assert db.session.scalar(select(func.count()).select_from(MailUitgaand)) == 6
        assert db.session.scalar(select(func.count()).select_from(MeldingLog)
                                 .where(MeldingLog.uitgaand_id.is_not(None))) == 6
