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
