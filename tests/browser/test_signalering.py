"""The signalering pages in a real browser, keyboard only, with axe-core: a team lead turns the daily message off;
the beheerder previews a message (the HTML part in its sandboxed frame) and sets an address."""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD, USERNAMES
from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def _login(page, url, role):  # type: ignore[no-untyped-def]
    page.goto(url + "/login")
    page.get_by_label("Gebruikersnaam").fill(USERNAMES[role])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_team_lead_chooses_by_keyboard(live_server, page):
    _login(page, live_server.url, "teamleider")
    page.get_by_role("link", name="Mijn meldingen per e-mail").click()
    assert_accessible(page)
    daily = page.get_by_label("Dagelijkse signalering: zaken die binnenkort verlopen of over de fatale datum gaan")
    assert daily.is_checked()
    daily.focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").press("Enter")
    assert "Uw keuzes zijn opgeslagen." in page.content()
    assert not page.get_by_label("Dagelijkse signalering: zaken die binnenkort verlopen of over de fatale datum gaan"
                                 ).is_checked()
    assert page.get_by_label("Weekoverzicht achterstand van mijn teams").is_checked()


def test_the_beheerder_previews_and_sets_an_address(live_server, page):
    _login(page, live_server.url, "beheerder")
    page.goto(live_server.url + "/beheer/signalering")
    assert_accessible(page)
    page.get_by_label("Gebruiker", exact=True).first.select_option(label="tl (Tessa)")
    page.get_by_label("Soort bericht").select_option("teamleider_week")
    with page.expect_navigation():
        page.get_by_role("button", name="Voorbeeld tonen").click()
    assert "Weekoverzicht achterstand" in page.content()
    frame = page.frame_locator("iframe[title='HTML-versie van het bericht']")
    assert frame.get_by_role("heading", level=1).inner_text().startswith("Weekoverzicht achterstand")
    assert_accessible(page)
    form = page.locator("form", has=page.get_by_role("button", name="E-mailadres opslaan"))
    form.get_by_label("Gebruiker").select_option(label="tl (Tessa)")
    form.get_by_label("E-mailadres (leeg: wissen)").fill("tessa@diemen.test")
    with page.expect_navigation():
        form.get_by_role("button", name="E-mailadres opslaan").press("Enter")
    assert "E-mailadres van tl is opgeslagen." in page.content()
    assert "tessa@diemen.test" in page.content()
