"""Revocable sessions (issue #15, finding 2): a session cookie copied before logout (or before a password, role or
team change, or disabling the user) opens nothing afterwards; an absolute lifetime on top of the idle timeout; the
cookie is a session cookie, not a 31-day one."""

from __future__ import annotations

import time

import pytest

from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker

from ..conftest import PASSWORD, login


def _copy(app, client):
    """A second browser holding a copy of this client's session cookie (as an attacker who copied it would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _opens(client, path="/overzicht") -> bool:
    return client.get(path).status_code == 200


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, client, users):
    login(client, "pia")
    thief = _copy(app, client)
    assert _opens(thief)  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    response = thief.get("/overzicht")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert thief.get("/api/v1/backlog").status_code == 401
    # a fresh login works as before
    login(client, "pia")
    assert _opens(client)


def test_logout_ends_every_session_of_that_user_only(app, client, users):
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    for browser, role in ((laptop, "pia"), (phone, "pia"), (colleague, "programmateam")):
        login(browser, role)
    laptop.post("/logout")
    assert not _opens(phone)
    assert _opens(colleague)


@pytest.mark.parametrize("change", ["wachtwoord", "rol", "teams", "uitschakelen", "herstellen"])
def test_account_changes_end_the_users_sessions(app, client, users, change):
    from duo_zaak.accounts.auth import change_password, change_role_and_teams, disable_user, reset_password

    login(client, "teamleider")
    thief = _copy(app, client)
    with app.test_request_context():
        user = db.session.get(Gebruiker, users["teamleider"])
        if change == "wachtwoord":
            change_password(user, "een-heel-ander-wachtwoord")
        elif change == "rol":
            change_role_and_teams(user, "programmateam", [])
        elif change == "teams":
            change_role_and_teams(user, "teamleider", ["OE-A", "OE-B"])
        elif change == "uitschakelen":
            disable_user(user)
        else:
            reset_password(user)
        db.session.remove()
    assert not _opens(client) and not _opens(thief)


def test_absolute_lifetime_on_top_of_the_idle_timeout(app, client, users):
    """Active all the time (seen a minute ago) but logged in 10 hours and 1 second ago: out (10 h is the default)."""
    assert app.config["ABSOLUTE_SESSION_HOURS"] == 10
    login(client, "pia")
    now = int(time.time())
    with client.session_transaction() as sess:
        sess["start"] = now - 10 * 3600 + 60  # 9 h 59 min ago: still in
        sess["seen"] = now - 60
    assert _opens(client)
    with client.session_transaction() as sess:
        sess["start"] = now - 10 * 3600 - 1
        sess["seen"] = now - 60
    response = client.get("/overzicht")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "maximale tijd" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        entry = db.session.scalars(db.select(AuditLog).where(AuditLog.actie == "sessie_verlopen")).one()
        assert (entry.object, entry.details) == ("pia", "absoluut")


def test_the_cookie_is_a_session_cookie(client, users):
    response = client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD})
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "expires" not in cookie.lower() and "max-age" not in cookie.lower()
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_session_from_before_the_upgrade_is_ended(app, client, users):
    """An old cookie (uid and seen, no version) does not count as a session."""
    with client.session_transaction() as sess:
        sess["uid"], sess["seen"] = users["pia"], int(time.time())
    assert not _opens(client)
