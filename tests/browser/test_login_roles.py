from __future__ import annotations

import pytest

from ..conftest import PASSWORD, USERNAMES
from .conftest import assert_accessible

pytestmark = pytest.mark.browser

NAV = {
    "teamleider": ["Overzicht"],
    "programmateam": ["Overzicht"],
    "pia": ["Overzicht"],
    "beheerder": ["Overzicht", "Beheer"],
}


@pytest.mark.parametrize("role", list(NAV))
def test_login_see_navigation_for_role_and_log_out(live_server, page, role):
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/login")
    assert_accessible(page)
    page.get_by_label("Gebruikersnaam").fill(USERNAMES[role])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    labels = [link.strip() for link in nav.get_by_role("link").all_inner_texts()]
    for expected in NAV[role]:
        assert expected in labels
    if role != "beheerder":
        assert "Beheer" not in labels
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    assert page.url.startswith(live_server.url + "/login")
    assert "U bent uitgelogd." in page.content()


def test_wrong_password_shows_error(live_server, page):
    page.goto(live_server.url + "/login")
    page.get_by_label("Gebruikersnaam").fill("pia")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("Onbekende gebruikersnaam")


def test_beheer_user_page_and_password_change_are_accessible(live_server, page, app):
    """Issue #15: the user page (role, team checkboxes, disable, reset) and "Wachtwoord wijzigen", by keyboard-usable
    controls with labels; axe finds no serious violation."""
    from duo_zaak.db import db
    from duo_zaak.models import Team

    with app.app_context():
        db.session.add_all([Team(identificatie="OE-A", naam="Vergunningen"), Team(identificatie="OE-B",
                                                                                    naam="Burgerzaken")])
        db.session.commit()
    page.goto(live_server.url + "/login")
    page.get_by_label("Gebruikersnaam").fill("admin")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(live_server.url + "/beheer/")
    assert_accessible(page)
    page.get_by_role("link", name="tl", exact=True).click()
    assert page.get_by_role("heading", name="Gebruiker tl").is_visible()
    assert page.get_by_label("Vergunningen (OE-A)").is_checked()
    page.get_by_label("Burgerzaken (OE-B)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Rol en teams opslaan").click()
    assert "Rol en teams van tl zijn opgeslagen" in page.content()
    page.get_by_role("button", name="Wachtwoord herstellen").click()
    assert page.get_by_role("heading", name="Eenmalig wachtwoord voor tl").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    assert_accessible(page)
    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord (minstens 12 tekens, geen veelgebruikt wachtwoord)").fill("password1234")
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill("password1234")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    assert "veelgebruikte wachtwoorden" in page.content()
    assert_accessible(page)
