"""The signalering's pages: "Mijn meldingen per e-mail", the unsubscribe link (valid, forged, expired; the
confirm page and the one-click POST), the beheerder's previews, test message and addresses, /healthz."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker
from duo_zaak.notify import preferences
from duo_zaak.notify.tokens import make_token

from ..conftest import login, make_app
from ..notify.smtp import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp):  # type: ignore[no-untyped-def]
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_USE_TLS": "geen",
            "MAIL_SENDER": "duo-zaak <signalering@duo.test>", "BASE_URL": "https://duo-zaak.test"}


def _audit(app, actie):  # type: ignore[no-untyped-def]
    with app.app_context():
        return [(a.actor, a.object, a.resultaat, a.details) for a in
                db.session.scalars(select(AuditLog).filter_by(actie=actie))]


def _prefs(app, user_id):  # type: ignore[no-untyped-def]
    with app.app_context():
        return preferences.preferences(db.session.get(Gebruiker, user_id))


def test_my_messages_page(app, client, users):
    login(client, "teamleider")
    page = client.get("/meldingen-per-e-mail").get_data(as_text=True)
    assert "Er is geen e-mailadres van u bekend" in page
    # both team-lead messages, on by default
    assert page.count('type="checkbox"') == 2 and page.count("checked") == 2
    assert "Wanneer: elke maandag om 07:00." in page
    response = client.post("/meldingen-per-e-mail", data={"teamleider_week": "y"})
    assert response.status_code == 302
    assert _prefs(app, users["teamleider"]) == {"teamleider_week": True, "teamleider_dag": False}
    assert _audit(app, "meldingen_wijzigen") == [("tl", "tl", "ok", "teamleider_dag=uit")]
    assert client.get("/meldingen-per-e-mail").get_data(as_text=True).count("checked") == 1
    # a PiA user sees only the PiA weekly; a field of another role is ignored
    other = app.test_client()
    login(other, "pia")
    other.post("/meldingen-per-e-mail", data={"teamleider_week": "y"})
    assert _prefs(app, users["pia"]) == {"pia_week": False}


def _token(app, user_id, soort, days_ago=0):  # type: ignore[no-untyped-def]
    original = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: int(time.time()) - days_ago * 86400  # type: ignore[method-assign]
    try:
        with app.test_request_context():
            return make_token(user_id, soort)
    finally:
        TimestampSigner.get_timestamp = original  # type: ignore[method-assign]


def test_unsubscribe_link(app, client, users):
    token = _token(app, users["teamleider"], "teamleider_dag")
    page = client.get(f"/afmelden/{token}")  # no login needed; a GET (a link checker) changes nothing
    assert page.status_code == 200 and "Afmelden voor dit bericht" in page.get_data(as_text=True)
    assert _prefs(app, users["teamleider"])["teamleider_dag"] is True
    done = client.post(f"/afmelden/{token}")
    assert done.status_code == 200 and "U bent afgemeld" in done.get_data(as_text=True)
    assert _prefs(app, users["teamleider"]) == {"teamleider_week": True, "teamleider_dag": False}
    assert _audit(app, "meldingen_afmelden")[0][:3] == ("tl", "tl", "ok")

    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(f"/afmelden/{forged}")
    assert response.status_code == 400 and "Ongeldige afmeldlink" in response.get_data(as_text=True)
    assert client.post(f"/afmelden/{forged}").status_code == 400
    other_key = make_app("sqlite://", SECRET_KEY="een-andere-sleutel")
    with other_key.test_request_context():
        foreign = make_token(users["teamleider"], "teamleider_week")
    assert client.post(f"/afmelden/{foreign}").status_code == 400
    expired = _token(app, users["teamleider"], "teamleider_week", days_ago=91)  # AFMELDLINK_DAGEN = 90
    response = client.post(f"/afmelden/{expired}")
    assert response.status_code == 400 and "verlopen" in response.get_data(as_text=True)
    assert _prefs(app, users["teamleider"])["teamleider_week"] is True
    assert _token(app, users["teamleider"], "teamleider_week", days_ago=89) != expired
    # a kind the role does not get: no valid link either
    assert client.get(f"/afmelden/{_token(app, users['pia'], 'teamleider_week')}").status_code == 400


def test_one_click_post_needs_no_csrf_token_but_the_forms_do(tmp_path, app_config):
    app = make_app(f"sqlite:///{tmp_path / 'csrf.db'}", WTF_CSRF_ENABLED=True, **app_config)
    with app.app_context():
        db.create_all()
        from duo_zaak.accounts.auth import create_user

        user = create_user("tl", "correct-horse-battery", "teamleider", "Tessa", ["OE-A"])
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    # RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the header's URL, without cookie or token
    token = _token(app, user_id, "teamleider_week")
    response = client.post(f"/afmelden/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _prefs(app, user_id)["teamleider_week"] is False
    # the other forms keep their CSRF check
    assert client.post("/login", data={"gebruikersnaam": "tl", "wachtwoord": "x"}).status_code == 400
    with app.app_context():
        db.engine.dispose()


def test_beheer_previews_test_message_and_addresses(app, client, users, smtp):
    login(client, "beheerder")
    page = client.get("/beheer/").get_data(as_text=True)
    assert "Wachtend" in page and "E-mailsignalering" in page
    tl = users["teamleider"]
    for soort in ("teamleider_week", "teamleider_dag", "pia_week", "programma_maand", "test"):
        response = client.get(f"/beheer/signalering?gebruiker={tl}&soort={soort}&peildatum=2026-05-15")
        assert response.status_code == 200, soort
        text = response.get_data(as_text=True)
        assert "Beste Tessa," in text and "<iframe" in text
        html = client.get(f"/beheer/signalering/voorbeeld.html?gebruiker={tl}&soort={soort}&peildatum=2026-05-15")
        assert html.status_code == 200 and "sandbox" in html.headers["Content-Security-Policy"]
        assert html.headers["X-Frame-Options"] == "SAMEORIGIN"
    week = client.get(f"/beheer/signalering?gebruiker={tl}&soort=teamleider_week&peildatum=2026-05-15")
    assert "heeft geen e-mailadres" in week.get_data(as_text=True)
    pia = client.get(f"/beheer/signalering?gebruiker={tl}&soort=pia_week").get_data(as_text=True)
    assert "krijgt dit soort bericht niet met deze rol" in pia
    assert client.get("/beheer/signalering?soort=onzin").status_code == 400
    assert len(_audit(app, "signalering_voorbeeld")) == 7  # previews of another user's messages are audited

    assert client.post("/beheer/signalering/e-mail", data={"gebruiker": str(tl), "email": "geen adres"}
                       ).status_code == 302
    with app.app_context():
        assert db.session.get(Gebruiker, tl).email is None
    client.post("/beheer/signalering/e-mail", data={"gebruiker": str(tl), "email": " Tessa@Diemen.TEST "})
    with app.app_context():
        assert db.session.get(Gebruiker, tl).email == "Tessa@diemen.test"
    assert _audit(app, "email_wijzigen") == [("admin", "tl", "ok", "bron=beheer; gezet")]

    response = client.post("/beheer/signalering/test", data={"gebruiker": str(tl)}, follow_redirects=True)
    assert "Testbericht aan tl is verzonden" in response.get_data(as_text=True)
    (mail,) = smtp.received
    assert mail.rcpt_tos == ["Tessa@diemen.test"] and mail.message["Subject"] == "Testbericht van duo-zaak"
    assert "verstuurd door admin" in mail.text and "List-Unsubscribe" not in mail.message
    assert _audit(app, "testbericht_versturen")[0][:3] == ("admin", "tl", "ok")
    health = client.get("/healthz").get_json()
    assert health["mail"]["verzonden_24u"] == 1 and health["mail"]["wachtend"] == 0
    assert health["mail"]["geconfigureerd"] is True


def test_a_new_user_with_an_address(app, client, users):
    login(client, "beheerder")
    response = client.post("/beheer/", data={"gebruikersnaam": "nieuw", "naam": "Nieuw", "rol": "pia",
                                            "email": "nieuw@duo.test", "wachtwoord": "een-lang-wachtwoord"})
    assert response.status_code == 302
    bad = client.post("/beheer/", data={"gebruikersnaam": "fout", "naam": "Fout", "rol": "pia",
                                       "email": "fout@", "wachtwoord": "een-lang-wachtwoord"})
    assert bad.status_code == 200 and "Ongeldig e-mailadres" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Gebruiker.email).filter_by(gebruikersnaam="nieuw")) == "nieuw@duo.test"
        assert db.session.scalar(select(Gebruiker).filter_by(gebruikersnaam="fout")) is None
    assert "nieuw@duo.test" in client.get("/beheer/").get_data(as_text=True)
