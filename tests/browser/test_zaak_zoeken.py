"""Issue #19, item 5, in a real Chromium on the hand-built dataset: a team lead finds a zaak by part of its number
or omschrijving, sorts on any column, and the zaak number stays on one line (also on a phone)."""

from __future__ import annotations

import pytest

from duo_zaak.web import filters

from ..handbuilt import PEILDATUM
from .conftest import assert_accessible
from .crawl import log_in

pytestmark = pytest.mark.browser

LIST = "/achterstand/zaken?peildatum=2026-05-15"
NUMBERS = "() => [...document.querySelectorAll('table.zaak-table tbody th[scope=row]')].map(th => th.innerText.trim())"
# Per zaak-number cell: the number of line boxes of the number's text (1 = on one line).
LINES = """() => [...document.querySelectorAll('table.zaak-table tbody th[scope=row]')].map(th => {
  const r = document.createRange(); r.selectNodeContents((th.querySelector('a') || th).firstChild);
  return r.getClientRects().length; })"""


@pytest.fixture(autouse=True)
def today_is_the_peildatum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters, "today_amsterdam", lambda: PEILDATUM)


def test_search_a_zaak_by_number_and_sort_on_every_column(live_server, page, handbuilt):
    log_in(page, live_server, "programmateam")
    page.goto(live_server.url + LIST + "&sort=identificatie&richting=asc")
    every = page.evaluate(NUMBERS)
    assert len(every) > 3 and every == sorted(every)
    # a part of one number, typed in lower case
    target = every[2]
    part = target.split("-")[-1].lstrip("0").lower()
    page.get_by_label("Zoeken").fill(part)
    page.get_by_label("Zoeken").press("Enter")
    page.wait_for_load_state()
    found = page.evaluate(NUMBERS)
    assert target in found and all(part in number.lower() for number in found)
    assert f"Zoeken: “{part}”" in page.locator(".active-filters").inner_text()
    assert_accessible(page)
    # every column header is a sort link; the search stays while sorting
    page.get_by_label("Zoeken").fill("")
    page.get_by_role("button", name="Filters toepassen").click()
    headers = page.locator("table.zaak-table thead th a")
    assert headers.count() == 10
    page.get_by_role("link", name="Zaaktype").click()
    assert page.locator("table.zaak-table thead th[aria-sort=ascending]").inner_text().startswith("Zaaktype")
    zaaktypen = page.evaluate("() => [...document.querySelectorAll('table.zaak-table tbody tr')]"
                              ".map(tr => tr.children[1].innerText.trim())")
    assert zaaktypen == sorted(zaaktypen, key=lambda name: (name == "Onbekend zaaktype", name))


@pytest.mark.parametrize("width", [390, 1280])
def test_the_zaak_number_stays_on_one_line(live_server, browser, handbuilt, width):
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        log_in(page, live_server, "programmateam")
        page.goto(live_server.url + LIST)
        lines = page.evaluate(LINES)
        assert lines and set(lines) == {1}, lines
    finally:
        context.close()
