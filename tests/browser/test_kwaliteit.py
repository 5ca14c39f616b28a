"""The data-quality page in a real Chromium on the hand-built dataset: counts, the drill-down to the zaken of a
finding, and the axe-core scan on both pages."""

from __future__ import annotations

import pytest

from duo_zaak.web import filters

from ..handbuilt import PEILDATUM
from .conftest import assert_accessible
from .test_achterstand import TABLE_TEXT, log_in

pytestmark = pytest.mark.browser


def test_drill_down_shows_the_zaken_of_a_finding(live_server, page, handbuilt, monkeypatch):
    monkeypatch.setattr(filters, "today_amsterdam", lambda: PEILDATUM)
    log_in(page, live_server, "programmateam")
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Kwaliteit").click()
    assert "op 15-05-2026" in page.get_by_role("heading", level=1).inner_text()
    counts = {row[0]: row[1] for row in page.evaluate(TABLE_TEXT, "table.findings-table")}
    assert counts["Geen behandelend team"] == "2" and counts["Dubbele identificatie"] == "2"
    assert counts["Zaaktype onbekend"] == "1"
    assert_accessible(page)

    page.get_by_role("link", name="2 zaken: geen behandelend team", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Geen behandelend team")
    assert "organisatorische eenheid" in page.locator(".explanation").inner_text()
    rows = page.evaluate(TABLE_TEXT, "table.zaak-table")
    assert [(row[0], row[4]) for row in rows] == [("ZAAK-2026-0000000011", "Niet toegewezen"),
                                                  ("ZAAK-2026-0000000026", "Niet toegewezen")]
    assert_accessible(page)
