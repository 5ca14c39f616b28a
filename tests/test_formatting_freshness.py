from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from duo_zaak import formatting
from duo_zaak.db import db
from duo_zaak.models import SyncRun

from .conftest import login


def test_dutch_formats():
    assert formatting.datum(date(2026, 3, 7)) == "07-03-2026"
    assert formatting.datum(None) == "–"
    assert formatting.getal(1234567) == "1.234.567"
    assert formatting.getal(1234.5, 1) == "1.234,5"
    assert formatting.procent(12.5) == "12,5%"
    assert formatting.procent(None) == "–"
    # 01:15 UTC on 29-11-2026 is 02:15 in Amsterdam (CET, UTC+1)
    assert formatting.datumtijd(datetime(2026, 11, 29, 1, 15, tzinfo=UTC)) == "29-11-2026 02:15"
    # summer time: UTC+2
    assert formatting.datumtijd(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "02-07-2026 00:30"


def _run(app, minutes_ago: int, outcome: str = "geslaagd") -> None:
    with app.app_context():
        moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        db.session.add(SyncRun(modus="incrementeel", uitkomst=outcome, gestart_op=moment, geeindigd_op=moment))
        db.session.commit()


def test_banner_error_when_never_synced(client, users):
    login(client, "pia")
    page = client.get("/overzicht").get_data(as_text=True)
    assert "Er is nog nooit een geslaagde synchronisatie" in page


def test_banner_shows_freshness_and_warns_when_stale(app, client, users):
    login(client, "pia")
    _run(app, 3)
    page = client.get("/overzicht").get_data(as_text=True)
    assert "Gegevens van " in page and "Let op" not in page
    _run(app, 1, outcome="mislukt")  # a failed run does not make the data fresher
    with app.app_context():
        db.session.execute(db.update(SyncRun).where(SyncRun.uitkomst == "geslaagd")
                           .values(gestart_op=datetime.now(UTC) - timedelta(minutes=11),
                                   geeindigd_op=datetime.now(UTC) - timedelta(minutes=11)))
        db.session.commit()
    page = client.get("/overzicht").get_data(as_text=True)
    assert "Let op: gegevens van" in page  # older than two poll intervals of 5 minutes


def test_healthz_gives_age_of_last_successful_sync(app, client):
    _run(app, 2)
    body = client.get("/healthz").json
    assert body["database"] is True
    assert 115 <= body["laatste_sync_leeftijd_s"] <= 130
