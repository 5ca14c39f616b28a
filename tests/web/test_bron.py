"""Bron en volledigheid (/bron): recent runs, completeness per organisation, the skipped records of the last run,
"Nu synchroniseren" (beheerder, CSRF, audited, handled by the worker), the banner link and /healthz."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from duo_zaak.db import db
from duo_zaak.models import AuditLog, Organisatie, SyncOvergeslagen, SyncRun, SyncVerzoek, SyncVolledigheid
from duo_zaak.sync import requests as sync_requests
from duo_zaak.sync.catalogue import ensure_organisaties
from duo_zaak.web.bron import duur

from ..conftest import PASSWORD, login

SCRIPT = "<script>alert(1)</script>"
START = datetime(2026, 5, 15, 8, 0, tzinfo=UTC)  # 10:00 in Amsterdam (CEST)


def _runs(app) -> dict[str, int]:
    """Three runs: a full one, a failed one, and an incremental one that skipped two records and found Diemen
    one zaak short (all zaken) while the open ones agree."""
    with app.app_context():
        orgs = ensure_organisaties(app.config["ORGANISATIES"])
        full = SyncRun(modus="volledig", uitkomst="geslaagd", gestart_op=START, geeindigd_op=START + timedelta(
            seconds=185), verzoeken=1234, nieuw=12345, gewijzigd=0, vernietigd=0, paginas=30)
        failed = SyncRun(modus="incrementeel", uitkomst="mislukt", gestart_op=START + timedelta(hours=1),
                         geeindigd_op=START + timedelta(hours=1, seconds=2), verzoeken=4,
                         melding="ZGWServerError: GET http://inproces/zaken: HTTP 503 " + SCRIPT)
        last = SyncRun(modus="incrementeel", uitkomst="geslaagd", gestart_op=START + timedelta(hours=2),
                       geeindigd_op=START + timedelta(hours=2, seconds=4.25), verzoeken=27, nieuw=1, gewijzigd=3,
                       vernietigd=1, overgeslagen=2)
        db.session.add_all([full, failed, last])
        db.session.flush()
        for run, diemen_spiegel in ((full, 15), (last, 14)):
            for code, counts in {"duoplus": (7, 7, 4, 4), "diemen": (15, diemen_spiegel, 9, 9),
                                 "ouder-amstel": (2, 2, 1, 1), "uithoorn": (4, 4, 3, 3)}.items():
                rsin = next(o["rsin"] for o in app.config["ORGANISATIES"] if o["code"] == code)
                db.session.add(SyncVolledigheid(run_id=run.id, organisatie_id=orgs[rsin], bron_alle=counts[0],
                                                spiegel_alle=counts[1], bron_open=counts[2], spiegel_open=counts[3]))
        db.session.add_all([
            SyncOvergeslagen(run_id=last.id, zaak_url="http://inproces/zaken/api/v1/zaken/b-" + SCRIPT,
                             veld="startdatum", reden="veld 'startdatum' ontbreekt"),
            SyncOvergeslagen(run_id=last.id, zaak_url="http://inproces/zaken/api/v1/zaken/a", veld="einddatum",
                             reden="veld 'einddatum' is geen datum (JJJJ-MM-DD): '6-2-2026'"),
            SyncOvergeslagen(run_id=full.id, zaak_url="http://inproces/zaken/api/v1/zaken/oud", veld="identificatie",
                             reden="veld 'identificatie' ontbreekt"),
        ])
        db.session.commit()
        ids = {"full": full.id, "failed": failed.id, "last": last.id}
        db.session.remove()
    return ids


def _rows(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, as cell texts."""
    table = html.split(caption, 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_the_page_shows_runs_completeness_and_skipped_records(app, client, users):
    ids = _runs(app)
    login(client, "programmateam")
    html = client.get("/bron").get_data(as_text=True)
    assert _rows(html, "De laatste 3 synchronisaties met InProces") == [
        # start (Amsterdam), kind, duration, requests, new, changed, destroyed, skipped, outcome, message
        ["15-05-2026 12:00", "Incrementeel", "4,2 s", "27", "1", "3", "1", "2", "Geslaagd", ""],
        ["15-05-2026 11:00", "Incrementeel", "2,0 s", "4", "0", "0", "0", "0", "Mislukt",
         "ZGWServerError: GET http://inproces/zaken: HTTP 503 &lt;script&gt;alert(1)&lt;/script&gt;"],
        ["15-05-2026 10:00", "Volledig", "3 min 05 s", "1.234", "12.345", "0", "0", "0", "Geslaagd", ""],
    ]
    # the latest measurement (the last run): Diemen's mirror lacks one zaak, marked in words
    assert _rows(html, "Aantal zaken in InProces (bron) en in de spiegel") == [
        ["Duo+", "7", "7", "0", "4", "4", "0", "Gelijk"],
        ["Gemeente Diemen", "15", "14", "-1", "9", "9", "0", "Verschil"],
        ["Gemeente Ouder-Amstel", "2", "2", "0", "1", "1", "0", "Gelijk"],
        ["Gemeente Uithoorn", "4", "4", "0", "3", "3", "0", "Gelijk"],
    ]
    assert "Let op: bron en spiegel verschillen</strong> bij\n  Gemeente Diemen." in html
    assert 'data-oordeel="verschil"' in html and html.count('data-oordeel="gelijk"') == 3
    # the skipped records of the last finished run only (not the full run's), the hostile URL escaped
    assert _rows(html, "Overgeslagen zaken van de laatste synchronisatie") == [
        ["nog niet in de spiegel", "http://inproces/zaken/api/v1/zaken/a", "einddatum",
         "veld &#39;einddatum&#39; is geen datum (JJJJ-MM-DD): &#39;6-2-2026&#39;"],
        ["nog niet in de spiegel", "http://inproces/zaken/api/v1/zaken/b-&lt;script&gt;alert(1)&lt;/script&gt;",
         "startdatum", "veld &#39;startdatum&#39; ontbreekt"],
    ]
    assert SCRIPT not in html
    assert "Nu synchroniseren</button>" not in html  # programmateam reads, beheerder asks for runs
    assert ids["last"] > ids["full"]


def test_the_page_before_any_run(app, client, users):
    login(client, "beheerder")
    html = client.get("/bron").get_data(as_text=True)
    assert "Nog geen synchronisatie heeft de volledigheid gemeten." in html
    assert "Nog geen synchronisatie afgerond." in html and "Nog geen synchronisaties." in html
    assert "Nu synchroniseren</button>" in html


def test_nu_synchroniseren_asks_the_worker_once_and_is_audited(app, client, users):
    login(client, "beheerder")
    response = client.post("/bron/synchroniseren", data={"modus": "incrementeel"})
    assert response.status_code == 302 and response.headers["Location"] == "/bron"
    html = client.get("/bron").get_data(as_text=True)
    assert "Synchronisatie aangevraagd. De worker begint binnen enkele seconden" in html  # the flash
    assert "<strong>Synchronisatie aangevraagd</strong> door admin" in html  # the waiting request
    # a second click while it waits adds nothing; asking for a full run makes the waiting one full
    client.post("/bron/synchroniseren", data={"modus": "volledig"})
    html = client.get("/bron").get_data(as_text=True)
    assert "Er stond al een synchronisatie klaar (aangevraagd door admin op" in html
    assert "wordt nu volledig uitgevoerd" in html and "(volledig): de worker begint" in html
    with app.app_context():
        requests = db.session.execute(select(SyncVerzoek.aangevraagd_door, SyncVerzoek.volledig,
                                             SyncVerzoek.opgepakt_op)).all()
        assert requests == [("admin", True, None)]
        audit = db.session.execute(select(AuditLog.actor, AuditLog.actie, AuditLog.object, AuditLog.resultaat)
                                   .where(AuditLog.actie == "synchronisatie_aangevraagd").order_by(AuditLog.id)).all()
        assert audit == [("admin", "synchronisatie_aangevraagd", "incrementeel", "ok"),
                         ("admin", "synchronisatie_aangevraagd", "volledig", "stond al klaar")]
        # the worker takes it up: the page no longer says a run waits
        claimed = sync_requests.claim()
        assert (claimed.aantal, claimed.volledig) == (1, True) and sync_requests.claim() is None
        db.session.remove()
    html = client.get("/bron").get_data(as_text=True)
    assert "Er staat geen synchronisatie klaar." in html


def test_a_bad_choice_is_a_dutch_field_error_and_no_request(app, client, users):
    login(client, "beheerder")
    response = client.post("/bron/synchroniseren", data={"modus": "alles"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Kies incrementeel of volledig." in html and 'class="field-errors"' in html
    with app.app_context():
        assert db.session.scalar(select(SyncVerzoek.id)) is None
        db.session.remove()


@pytest.mark.parametrize("role", ["programmateam", "teamleider", "pia"])
def test_only_beheerder_asks_for_a_run(app, client, users, role):
    login(client, role)
    assert client.post("/bron/synchroniseren", data={"modus": "incrementeel"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(SyncVerzoek.id)) is None
        db.session.remove()


@pytest.mark.parametrize(("role", "link"), [("programmateam", True), ("beheerder", True), ("teamleider", False),
                                             ("pia", False)])
def test_the_freshness_banner_links_to_the_page_for_those_who_may_open_it(app, client, users, role, link):
    _runs(app)
    login(client, role)
    html = client.get("/overzicht").get_data(as_text=True)
    banner = re.search(r'<div class="banner[^"]*"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert ('href="/bron">Bron en volledigheid</a>' in banner) is link


def test_healthz_reports_the_last_outcome_skipped_records_and_any_difference(app, client):
    ids = _runs(app)
    body = client.get("/healthz").json
    assert (body["laatste_sync_uitkomst"], body["laatste_sync_overgeslagen"], body["volledigheid_verschil"]) == (
        "geslaagd", 2, True)
    with app.app_context():
        diemen = db.session.scalar(select(Organisatie.id).filter_by(code="diemen"))
        row = db.session.scalar(select(SyncVolledigheid).filter_by(run_id=ids["last"], organisatie_id=diemen))
        row.spiegel_alle = 15
        db.session.add(SyncRun(modus="incrementeel", uitkomst="bezig", gestart_op=datetime.now(UTC)))
        db.session.commit()
        db.session.remove()
    body = client.get("/healthz").json
    # a run under way has no outcome yet: the last finished one counts
    assert (body["laatste_sync_uitkomst"], body["volledigheid_verschil"]) == ("geslaagd", False)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_nu_synchroniseren_needs_the_csrf_token(app, client, users):
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"gebruikersnaam": "admin", "wachtwoord": PASSWORD, "csrf_token": token})
    assert client.post("/bron/synchroniseren", data={"modus": "incrementeel"}).status_code == 400
    form = client.get("/bron").get_data(as_text=True)
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/bron/synchroniseren", data={"modus": "incrementeel", "csrf_token": token}).status_code == 302


@pytest.mark.parametrize(("seconds", "text"), [(None, "loopt nog"), (0.04, "0,0 s"), (59.94, "59,9 s"),
                                                (60, "1 min 00 s"), (185.4, "3 min 05 s")])
def test_duration_in_dutch(seconds, text):
    assert duur(seconds) == text


def test_the_notification_queue_and_the_mail_outbox_are_on_bron(app, client, users):
    """Push and mail failures are visible where the programme team and beheerder look for the source's health."""
    from duo_zaak.notify.models import MailUitgaand
    from duo_zaak.sync import queue

    with app.app_context():
        queue.enqueue("http://inproces.test/zaken/api/v1/zaken/1")
        queue.enqueue("http://inproces.test/zaken/api/v1/zaken/1")  # a duplicate collapses into the same row
        queue.enqueue("http://inproces.test/zaken/api/v1/zaken/2")
        db.session.add(MailUitgaand(soort="test", ontvanger="a@duo.test", onderwerp="x", tekst="x", html="x",
                                    message_id="<1@duo.test>", status="mislukt", laatste_fout="SMTPConnectError: weg",
                                    laatste_fout_op=datetime(2026, 5, 15, 7, 0, tzinfo=UTC)))
        db.session.commit()
    login(client, "programmateam")
    body = client.get("/bron").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "Wachtend op verwerking 2" in text  # two zaken, three notifications
    assert "Mislukt 1" in text and "SMTPConnectError" in text
