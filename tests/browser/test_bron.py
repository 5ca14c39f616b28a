"""Bron en volledigheid in a real Chromium on the hand-built dataset (mirrored by a full run): reached from the
freshness banner, the counts per organisation, "Nu synchroniseren" by keyboard, and the axe-core scan."""

from __future__ import annotations

import pytest

from .conftest import assert_accessible
from .test_achterstand import TABLE_TEXT, log_in

pytestmark = pytest.mark.browser


def test_beheerder_reaches_the_page_from_the_banner_and_asks_for_a_run(live_server, page, handbuilt):
    log_in(page, live_server, "beheerder")
    page.locator(".banner").get_by_role("link", name="Bron en volledigheid").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bron en volledigheid"
    rows = page.evaluate(TABLE_TEXT, "table.volledigheid")
    # the full run's counts: source and mirror agree for every configured organisation (O15 belongs to none)
    assert [(row[0], row[1], row[2], row[4], row[5], row[7]) for row in rows] == [
        ("Duo+", "7", "7", "4", "4", "Gelijk"), ("Gemeente Diemen", "15", "15", "9", "9", "Gelijk"),
        ("Gemeente Ouder-Amstel", "2", "2", "1", "1", "Gelijk"), ("Gemeente Uithoorn", "4", "4", "3", "3", "Gelijk")]
    assert "kon alle zaken lezen" in page.content()
    assert_accessible(page)

    page.get_by_label("Soort synchronisatie").select_option("volledig")
    page.get_by_role("button", name="Nu synchroniseren").focus()
    with page.expect_navigation(url=live_server.url + "/bron"):  # the POST, then the redirect back
        page.keyboard.press("Enter")
    status = page.locator("#verzoek-status").inner_text()
    assert status.startswith("Synchronisatie aangevraagd door admin op") and "(volledig)" in status
    assert_accessible(page)
