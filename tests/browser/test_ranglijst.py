"""The team leaderboard in a real Chromium on the hand-built dataset: period selector, the figures equal the
API's, the follow-up list of one team and its export; a teamleider sees the whole ranking but only the own
team's follow-up list."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from .conftest import assert_accessible
from .test_archief import ident, login

pytestmark = pytest.mark.browser

RANGLIJST = "/ranglijst/?peildatum=2026-05-15"


def cells(page, team: str) -> dict[str, str]:
    row = page.locator(f'tr[data-team="{team}"]')
    return {cell.get_attribute("data-kolom"): cell.inner_text().strip() for cell in row.locator("td[data-kolom]").all()}


def test_pia_reads_the_ranking_and_follows_up_a_team(live_server, page, handbuilt):
    login(page, live_server, "pia")
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Ranglijst").click()
    page.goto(live_server.url + RANGLIJST)
    assert "Periode 16-04-2026 tot en met 15-05-2026" in page.locator(".periode").inner_text()
    # hand-worked: OE-A closed C2 and C6 (both needed archive data), backlog 3 over 4 closed in the year
    assert cells(page, "OE-A") == {"gesloten": "2", "direct_goed": "0,0%", "achterstand": "3",
                                   "achterstand_per_100": "75,0", "opgelost": "0", "trend": "–"}
    assert page.locator("table.ranglijst tbody tr[data-team]").count() == 0  # nobody closed 5 or more
    api = page.request.get(live_server.url + "/api/v1/ranglijst?peildatum=2026-05-15").json()
    for team in api["teams"]:
        shown = cells(page, team["id"] or "_geen")
        assert (int(shown["gesloten"]), int(shown["achterstand"])) == (team["gesloten"], team["achterstand"])
    assert "Geen team zag de archiefachterstand" in page.locator(".uitgelicht").inner_text()
    assert_accessible(page)
    # another period, by keyboard
    page.locator("#periode").select_option("365")
    page.get_by_role("button", name="Toon ranglijst").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "periode=365" in page.url
    assert "Periode 16-05-2025 tot en met 15-05-2026" in page.locator(".periode").inner_text()
    assert cells(page, "OE-A")["gesloten"] == "4"
    # follow up team OE-A: its open archive tasks, exportable
    page.get_by_role("link", name="Open taken van Vergunningen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Opvolging: Vergunningen"
    rows = [t.strip() for t in page.locator("table.taken tbody th[scope=row] a").all_inner_texts()]
    assert sorted(rows) == sorted([ident("C1"), ident("C2"), ident("C9")])
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (XLSX) (de open taken van Vergunningen)").click()
    sheet = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active  # noqa: SIM115
    exported = [row[0] for row in sheet.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("ZAAK-")]
    assert sorted(exported) == sorted(rows)


def test_teamleider_sees_the_ranking_but_follows_up_only_the_own_team(live_server, page, handbuilt):
    login(page, live_server, "teamleider")  # leads OE-A
    page.goto(live_server.url + RANGLIJST)
    shown = set(page.locator("tr[data-team]").evaluate_all("rows => rows.map(r => r.dataset.team)"))
    assert {"OE-A", "OE-B", "OE-C", "OE-D", "_geen"} <= shown
    links = page.locator("a[href*='/ranglijst/opvolging']").evaluate_all("links => links.map(a => a.href)")
    assert [re.search(r"team=([^&]+)", href).group(1) for href in links] == ["OE-A"]
    assert_accessible(page)
    response = page.goto(live_server.url + "/ranglijst/opvolging?team=OE-B&peildatum=2026-05-15")
    assert response.status == 403 and "Geen toegang" in page.content()
    response = page.goto(live_server.url + "/ranglijst/opvolging?team=OE-A&peildatum=2026-05-15")
    assert response.status == 200 and page.locator("table.taken tbody th[scope=row]").count() == 3
