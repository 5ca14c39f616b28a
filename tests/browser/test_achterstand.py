"""The team-lead workspace in a real Chromium on the hand-built dataset: land on the backlog, open the overdue
list, sort it, export it, switch organisations; every page passes the axe-core scan."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duo_zaak.web import filters

from ..conftest import PASSWORD, USERNAMES
from ..handbuilt import PEILDATUM
from .conftest import assert_accessible

pytestmark = pytest.mark.browser

# Cell texts of a table without the screen-reader-only additions and the herkomst of a fatale datum.
TABLE_TEXT = """(selector) => [...document.querySelectorAll(selector + ' tbody tr')].map(tr =>
  [...tr.children].map(cell => { const copy = cell.cloneNode(true);
    copy.querySelectorAll('.visually-hidden, details.herkomst').forEach(e => e.remove());
    return copy.textContent.trim(); }))"""
HERKOMST_TEXT = """(selector) => [...document.querySelectorAll(selector + ' tbody tr')].map(tr =>
  [...tr.querySelectorAll('details.herkomst li')].map(li => li.textContent.trim()).join('; '))"""


@pytest.fixture(autouse=True)
def today_is_the_peildatum(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages default to today; the hand-built figures hold on 15-05-2026."""
    monkeypatch.setattr(filters, "today_amsterdam", lambda: PEILDATUM)


def log_in(page, server, role: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "/login")
    page.get_by_label("Gebruikersnaam").fill(USERNAMES[role])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_teamleider_opens_sorts_and_exports_the_overdue_list(live_server, page, handbuilt):
    log_in(page, live_server, "teamleider")
    assert page.url == live_server.url + "/overzicht"  # every role lands on its overview
    page.get_by_role("link", name="Naar de achterstand").click()
    assert page.url == live_server.url + "/achterstand"
    assert "op 15-05-2026" in page.get_by_role("heading", level=1).inner_text()
    # the counts of team OE-A (Vergunningen, Diemen) in the hand-built dataset
    for name in ("5 zaken open", "2 zaken termijn overschreden", "2 zaken norm overschreden",
                 "1 zaak binnenkort verlopend", "0 zaken opgeschort", "0 zaken onbekend"):
        assert page.get_by_role("link", name=f"{name} bij Gemeente Diemen", exact=True).is_visible()
    assert page.locator("table.team-table tbody tr").count() == 1
    assert page.get_by_role("img", name=re.compile("^Ouderdom van de zaken over de termijn")).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="2 zaken termijn overschreden bij Gemeente Diemen", exact=True).click()
    page.wait_for_load_state()  # the URL changes before the new page's table is there
    assert "toestand=termijn_overschreden" in page.url
    rows = page.evaluate(TABLE_TEXT, "table.zaak-table")
    assert [(row[0], row[7]) for row in rows] == [("ZAAK-2026-0000000017", "44"), ("ZAAK-2026-0000000003", "19")]
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Dagen over termijn")).click()
    page.wait_for_load_state()
    assert "richting=asc" in page.url
    rows = page.evaluate(TABLE_TEXT, "table.zaak-table")
    assert [row[0] for row in rows] == ["ZAAK-2026-0000000003", "ZAAK-2026-0000000017"]
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Dagen over termijn")
    assert_accessible(page)
    # how the fatale datum came about: folded away, opened from the keyboard. O3 and O17 have a stored date
    # (26-04 and 01-04) and no verlenging: "opgeslagen"
    summary = page.locator("details.herkomst summary").first
    assert not page.locator("details.herkomst li").first.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.herkomst li").first.inner_text() == "opgeslagen → 26-04-2026"
    herkomst = page.evaluate(HERKOMST_TEXT, "table.zaak-table")
    assert herkomst == ["opgeslagen → 26-04-2026", "opgeslagen → 01-04-2026"]
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Excel \(XLSX\)")).click()
    download = info.value
    assert download.suggested_filename == "achterstand_zaken_diemen_OE-A_2026-05-15.xlsx"
    sheet = list(load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(sheet) if row[0] == "Identificatie")
    exported = [[row[0], row[1], row[2], row[3], *(d.strftime("%d-%m-%Y") if d else "–" for d in row[4:7]),
                 str(row[7]), row[8], row[9] or ""] for row in sheet[header_at + 1:]]
    assert exported == rows
    assert [row[11] for row in sheet[header_at + 1:]] == herkomst


def test_programmateam_switches_organisations(live_server, page, handbuilt):
    log_in(page, live_server, "programmateam")
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Achterstand").click()
    assert page.locator("li.tile").count() == 5  # four organisations and "Onbekende organisatie"

    for naam, code, open_count in (("Gemeente Uithoorn", "uithoorn", 3), ("Duo+", "duoplus", 4)):
        page.get_by_label("Organisatie", exact=True).select_option(label=naam)
        page.get_by_role("button", name="Filters toepassen").click()
        assert f"organisatie={code}" in page.url
        assert page.locator("li.tile h3").all_inner_texts() == [naam]
        assert page.get_by_role("link", name=f"{open_count} zaken open bij {naam}", exact=True).is_visible()
        assert_accessible(page)
    teams = page.evaluate(TABLE_TEXT, "table.team-table")
    assert [row[:4] for row in teams] == [["Belastingen", "Duo+", "4", "1"]]


def test_bad_filter_is_explained_on_the_page(live_server, page, handbuilt):
    log_in(page, live_server, "programmateam")
    page.goto(live_server.url + "/achterstand/zaken?peildatum=31-02-2026&page=0")
    alert = page.get_by_role("alert")
    assert "Ongeldige peildatum" in alert.inner_text() and "Ongeldig paginanummer" in alert.inner_text()
    assert page.get_by_label("Peildatum").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
