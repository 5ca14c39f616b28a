"""The beheer page (issue #15): teams are chosen from the known teams (a team's name instead of its code is no longer
accepted silently), and a beheerder changes a user's role and teams, disables and re-enables a user and resets a
password; each change is audited and ends that user's sessions. A beheerder does not change their own account."""

from __future__ import annotations

import re

import pytest

from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker, Team

from ..conftest import PASSWORD, login


@pytest.fixture
def teams(app):
    with app.app_context():
        db.session.add_all([Team(identificatie="OE-A", naam="Vergunningen"), Team(identificatie="OE-B",
                                                                                    naam="Burgerzaken")])
        db.session.commit()


def _audit(app, actie):
    with app.app_context():
        return [(e.actor, e.object, e.resultaat, e.details) for e in
                db.session.scalars(db.select(AuditLog).filter_by(actie=actie).order_by(AuditLog.id))]


def _user(app, name):
    with app.app_context():
        user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=name))
        user.team_ids  # noqa: B018 - load the teams before leaving the session
        db.session.expunge(user)
        return user


def _new(client, **fields):
    data = {"gebruikersnaam": "tessa", "naam": "Tessa", "rol": "teamleider", "wachtwoord": "een-lang-wachtwoord",
            **fields}
    return client.post("/beheer/", data=data)


def test_teams_are_chosen_from_the_known_teams(app, client, users, teams):
    login(client, "beheerder")
    page = client.get("/beheer/").get_data(as_text=True)
    assert re.search(r'<input[^>]*type="checkbox"[^>]*value="OE-A"', page) and "Vergunningen (OE-A)" in page
    # the team's name instead of its code: refused with a Dutch message, nobody created
    response = _new(client, teams="Vergunningen")
    assert response.status_code == 200 and "Onbekend team: Vergunningen. Kies teams uit de lijst." in \
        response.get_data(as_text=True)
    # a teamleider without a team would see nothing: refused too
    assert "Kies minstens één team voor een teamleider." in _new(client).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam="tessa")) is None
    assert _new(client, teams=["OE-A", "OE-B"]).status_code == 302
    assert _user(app, "tessa").team_ids == ["OE-A", "OE-B"]
    assert _audit(app, "gebruiker_aanmaken")[-1] == ("admin", "tessa", "ok", "rol=teamleider; teams=OE-A, OE-B")
    # other roles keep no teams
    assert _new(client, gebruikersnaam="paul", rol="programmateam", teams=["OE-A"]).status_code == 302
    assert _user(app, "paul").team_ids == []


def test_weak_passwords_are_refused_on_the_page(app, client, users, teams):
    login(client, "beheerder")
    for password, reason in (("aaaaaaaaaaaa", "herhaald teken"), ("tessa.devries", "gelijk zijn aan de gebruikersnaam"),
                             ("password1234", "veelgebruikte")):
        body = _new(client, gebruikersnaam="tessa.devries", teams="OE-A", wachtwoord=password).get_data(as_text=True)
        assert reason in body, password


def test_role_and_teams_change_ends_the_sessions_and_is_audited(app, client, users, teams):
    tl = app.test_client()
    login(tl, "teamleider")
    login(client, "beheerder")
    page = client.get(f"/beheer/gebruikers/{users['teamleider']}").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="OE-A"|<input[^>]*value="OE-A"[^>]*checked', page)
    response = client.post(f"/beheer/gebruikers/{users['teamleider']}", data={"rol": "teamleider",
                                                                             "teams": ["OE-B"]})
    assert response.status_code == 302
    assert _user(app, "tl").team_ids == ["OE-B"]
    assert tl.get("/overzicht").status_code == 302  # logged out by the change
    assert _audit(app, "rol_wijzigen") == [("admin", "tl", "ok", "rol: teamleider → teamleider; teams: OE-A → OE-B")]
    # a team name, or no team for a teamleider: refused
    for data in ({"rol": "teamleider", "teams": ["Burgerzaken"]}, {"rol": "teamleider"}, {"rol": "koning"}):
        assert client.post(f"/beheer/gebruikers/{users['teamleider']}", data=data).status_code == 400, data
    assert client.post(f"/beheer/gebruikers/{users['teamleider']}", data={"rol": "pia"}).status_code == 302
    assert (_user(app, "tl").rol, _user(app, "tl").team_ids) == ("pia", [])


def test_disable_and_enable(app, client, users, teams):
    pia = app.test_client()
    login(pia, "pia")
    login(client, "beheerder")
    assert client.post(f"/beheer/gebruikers/{users['pia']}/uitschakelen").status_code == 302
    assert pia.get("/overzicht").status_code == 302
    assert pia.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}).status_code == 401
    page = client.get(f"/beheer/gebruikers/{users['pia']}").get_data(as_text=True)
    assert "uitgeschakeld" in page and "Weer inschakelen" in page
    assert client.post(f"/beheer/gebruikers/{users['pia']}/inschakelen").status_code == 302
    assert pia.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}).status_code == 302
    assert [a[:3] for a in _audit(app, "gebruiker_uitschakelen") + _audit(app, "gebruiker_inschakelen")] == \
        [("admin", "pia", "ok"), ("admin", "pia", "ok")]


@pytest.mark.parametrize("action", ["", "/uitschakelen", "/inschakelen", "/wachtwoord-herstellen"])
def test_a_beheerder_does_not_change_their_own_account(app, client, users, teams, action):
    login(client, "beheerder")
    data = {"rol": "pia"} if action == "" else {}
    response = client.post(f"/beheer/gebruikers/{users['beheerder']}{action}", data=data)
    assert response.status_code == 302
    assert client.get("/overzicht").status_code == 200  # still logged in, still beheerder
    admin = _user(app, "admin")
    assert (admin.rol, admin.actief, admin.wachtwoord_wijzigen) == ("beheerder", True, False)
    with app.app_context():
        refused = db.session.scalar(db.select(AuditLog).where(AuditLog.resultaat == "geweigerd: eigen account"))
        assert refused is not None and refused.object == "admin"


def test_the_audit_page_shows_what_was_downloaded_and_how_many_rows(app, client, users):
    login(client, "beheerder")
    client.get("/archief/export?formaat=csv")  # an empty queue: 0 rows
    page = client.get("/beheer/audit").get_data(as_text=True)
    assert "Toelichting" in page and "downloaden" in page and "0 rijen; Archieftaken (werkvoorraad PiA)" in page
