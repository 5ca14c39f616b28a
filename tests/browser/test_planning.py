"""The programme team in a real Chromium on /archief/planning: types a what-if (decimal comma, dd-mm-jjjj),
records FTE for a period, and the page passes axe (chart with its table, forms with labels)."""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD
from ..figures import planning_world
from ..figures.builders import World
from .conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def planned(app, users):
    with app.app_context():
        planning_world.build(World(app.config["ORGANISATIES"]))


def test_programme_team_asks_what_if_and_records_fte(live_server, page, planned, tmp_path):
    page.goto(live_server.url + "/login")
    page.get_by_label("Gebruikersnaam").fill("prog")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Capaciteitsplanning").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Capaciteitsplanning PiA"

    page.get_by_label("Fte van PiA", exact=True).fill("3,2")
    page.get_by_label("Doeldatum").fill("22-06-2026")
    page.get_by_label("Peildatum").fill("31-05-2026")
    page.get_by_label("Peildatum").press("Enter")  # the keyboard submits the form
    assert page.locator("#antwoord").inner_text() == (
        "Met 3,2 fte is de achterstand binnen de normen in week 26 van 2026; voor 22-06-2026 is 3,6 fte nodig.")
    # the chart has a name and its numbers are in the table behind it
    assert page.get_by_role("img", name="Prognose archiefachterstand, Alle vier organisaties").count() == 1
    assert page.locator('#prognose tr[data-stap="4"] [data-kolom="achterstand_mediaan"]').inner_text() == "2"
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "planning.png"), full_page=True)

    page.get_by_label("Voor", exact=True).select_option("uithoorn")
    page.get_by_label("Fte", exact=True).fill("1,5")
    page.get_by_label("Vanaf", exact=True).fill("01-06-2026")
    page.get_by_role("button", name="Fte vastleggen").click()
    assert "Vastgelegd: 1,5 fte van 01-06-2026 voor Gemeente Uithoorn." in page.locator(".flashes").inner_text()
    assert "Gemeente Uithoorn" in page.locator("#fte-historie tbody tr").first.inner_text()

    page.get_by_label("Vanaf", exact=True).fill("31-13-2026")
    page.get_by_role("button", name="Fte vastleggen").click()
    assert "Ongeldige datum '31-13-2026'" in page.locator("#fte-van-error").inner_text()
    assert_accessible(page)
