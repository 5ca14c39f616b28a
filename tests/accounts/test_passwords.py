"""Passwords (issue #15, finding 5): not only 12 characters, also not the user name, not one repeated character and
not a common password; users change their own password; a beheerder's reset is a one-time password that must be
changed at the next login."""

from __future__ import annotations

import pytest

from duo_zaak.accounts import auth
from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker

from ..conftest import PASSWORD, login


@pytest.mark.parametrize(("password", "user", "reason"), [
    ("kort-wachtw", "jan", "minstens 12 tekens"),  # 11 characters
    ("aaaaaaaaaaaa", "jan", "herhaald teken"),
    ("############", "jan", "herhaald teken"),
    ("jan.de.vries.01", "jan.de.vries.01", "gelijk zijn aan de gebruikersnaam"),
    ("Jan.De.Vries.01", "jan.de.vries.01", "gelijk zijn aan de gebruikersnaam"),
    ("password1234", "jan", "veelgebruikte"),  # the list's "password" with digits added
    ("qwertyuiop123", "jan", "veelgebruikte"),
    ("Welkom2024!!!", "jan", "veelgebruikte"),  # our own Dutch entries: welkom + a year
    ("wachtwoord123", "jan", "veelgebruikte"),
    ("1234567890123", "jan", "veelgebruikte"),
])
def test_weak_passwords_are_refused(password, user, reason):
    from duo_zaak.accounts.passwords import password_problem

    problem = password_problem(password, user)
    assert problem is not None and reason in problem


@pytest.mark.parametrize("password", [PASSWORD, "een-lang-wachtwoord", "Tulpen&Molens!Diemen", "k7mq-3xvr-9tbn-w2hd"])
def test_good_passwords_pass(password):
    from duo_zaak.accounts.passwords import MIN_PASSWORD_LENGTH, one_time_password, password_problem

    assert len(password) >= MIN_PASSWORD_LENGTH
    assert password_problem(password, "jan") is None
    assert password_problem(one_time_password(), "jan") is None


def test_the_common_list_is_shipped_and_large_enough():
    from duo_zaak.accounts.passwords import common_passwords

    common = common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty", "welkom"} <= common
    assert all(entry == entry.lower() for entry in common)


def test_create_user_refuses_weak_passwords(app):
    with app.app_context():
        for password in ("aaaaaaaaaaaa", "nieuwe-gebruiker", "password1234"):
            with pytest.raises(auth.AccountError):
                auth.create_user("nieuwe-gebruiker", password, "pia")


def _change(client, current, new, repeat=None):
    return client.post("/wachtwoord", data={"huidig": current, "nieuw": new, "herhaling": repeat or new})


def test_users_change_their_own_password(app, client, users):
    login(client, "pia")
    other = app.test_client()
    login(other, "pia")
    page = client.get("/overzicht").get_data(as_text=True)
    assert 'href="/wachtwoord"' in page and "Wachtwoord wijzigen" in page
    refusals = {
        "huidig onjuist": (_change(client, "niet-het-huidige", "een-nieuw-wachtwoord-1"), "klopt niet"),
        "veelgebruikt": (_change(client, PASSWORD, "password1234"), "veelgebruikte"),
        "herhaald teken": (_change(client, PASSWORD, "x" * 20), "herhaald teken"),
        "niet gelijk": (_change(client, PASSWORD, "een-nieuw-wachtwoord-1", "een-ander-wachtwoord-2"), "niet gelijk"),
        "hetzelfde": (_change(client, PASSWORD, PASSWORD), "anders zijn"),
    }
    for name, (response, text) in refusals.items():
        assert response.status_code == 400, name
        assert text in response.get_data(as_text=True), name
    response = _change(client, PASSWORD, "een-nieuw-wachtwoord-1")
    assert response.status_code == 302
    assert client.get("/overzicht").status_code == 200  # this browser goes on
    assert other.get("/overzicht").status_code == 302  # the other session has ended
    fresh = app.test_client()
    assert fresh.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}).status_code == 401
    assert fresh.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": "een-nieuw-wachtwoord-1"}).status_code \
        == 302
    with app.app_context():
        results = [e.resultaat for e in db.session.scalars(db.select(AuditLog).filter_by(actie="wachtwoord_wijzigen"))]
    assert results == ["mislukt: huidig wachtwoord onjuist", "ok"]


def test_a_reset_gives_a_one_time_password_to_change_at_the_next_login(app, client, users):
    pia = app.test_client()
    login(pia, "pia")
    login(client, "beheerder")
    response = client.post(f"/beheer/gebruikers/{users['pia']}/wachtwoord-herstellen")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    one_time = body.split("<code data-wachtwoord>")[1].split("</code>")[0]
    assert len(one_time) == 19 and one_time.count("-") == 3
    assert response.headers["Cache-Control"] == "no-store"
    assert pia.get("/overzicht").status_code == 302  # the reset ended pia's session
    # the old password is gone; the one-time one logs in, but every page leads to "Wachtwoord wijzigen" first
    assert pia.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}).status_code == 401
    response = pia.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": one_time})
    assert response.headers["Location"] == "/wachtwoord"
    for path in ("/overzicht", "/archief/", "/achterstand"):
        assert pia.get(path).headers["Location"] == "/wachtwoord", path
    api = pia.get("/api/v1/backlog")
    assert api.status_code == 403 and "eenmalige wachtwoord" in api.get_json()["fout"]
    assert "eenmalig wachtwoord van de beheerder" in pia.get("/wachtwoord").get_data(as_text=True)
    assert _change(pia, one_time, "mijn-eigen-wachtwoord-7").status_code == 302
    assert pia.get("/overzicht").status_code == 200
    with app.app_context():
        assert db.session.get(Gebruiker, users["pia"]).wachtwoord_wijzigen is False
        entry = db.session.scalar(db.select(AuditLog).filter_by(actie="wachtwoord_herstellen"))
        assert (entry.actor, entry.object, entry.resultaat) == ("admin", "pia", "ok")
        assert one_time not in entry.details  # the password itself is never logged
