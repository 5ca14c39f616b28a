from __future__ import annotations

import time

import pytest

from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker

from ..conftest import PASSWORD, login


def audit_actions(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(e.actor, e.actie, e.resultaat) for e in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]


def test_login_success_and_logout(app, client, users):
    response = client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD})
    assert response.status_code == 302
    page = client.get("/overzicht")
    assert page.status_code == 200
    assert "Petra" in page.get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/overzicht").status_code == 302  # back to login
    assert ("pia", "inloggen", "ok") in audit_actions(app)
    assert ("pia", "uitloggen", "ok") in audit_actions(app)


def test_login_failure_is_generic_and_audited(app, client, users):
    response = client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": "wrong"})
    assert response.status_code == 401
    assert "Onbekende gebruikersnaam of onjuist wachtwoord." in response.get_data(as_text=True)
    unknown = client.post("/login", data={"gebruikersnaam": "niemand", "wachtwoord": "wrong"})
    assert unknown.status_code == 401
    actions = audit_actions(app)
    assert ("pia", "inloggen", "mislukt: onjuist wachtwoord") in actions
    assert ("niemand", "inloggen", "mislukt: onbekende gebruiker") in actions


def test_idle_timeout_logs_out(app, client, users):
    login(client, "pia")
    with client.session_transaction() as sess:
        sess["seen"] = int(time.time()) - 31 * 60
    response = client.get("/overzicht")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "sessie_verlopen" in [a for _, a, _ in audit_actions(app)]


def test_session_is_renewed_at_login(app, client, users):
    with client.session_transaction() as sess:
        sess["planted"] = "by-attacker"
    login(client, "pia")
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_open_redirect_refused(client, users):
    response = client.post("/login?next=//evil.example/x", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("role, status", [("teamleider", 403), ("pia", 403), ("programmateam", 403),
                                          ("beheerder", 200)])
def test_beheer_requires_beheerder(app, client, users, role, status):
    login(client, role)
    assert client.get("/beheer/").status_code == status
    if status == 403:
        assert ("toegang_geweigerd") in [a for _, a, _ in audit_actions(app)]


def test_disabled_user_cannot_log_in(app, client, users):
    with app.app_context():
        db.session.get(Gebruiker, users["pia"]).actief = False
        db.session.commit()
    assert client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}).status_code == 401


