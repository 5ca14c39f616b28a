"""Issue #19, item 1: on a phone (390 x 844) no page is wider than the screen, for every role; the navigation is
a menu button that opens with the keyboard; tables scroll inside their own focusable, labelled container."""

from __future__ import annotations

import pytest

from duo_zaak.web import filters

from ..handbuilt import PEILDATUM
from .crawl import ROLES, crawl, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WIDTH = "() => document.documentElement.scrollWidth"
# The outermost elements that stick out on the right: what makes a page too wide.
CULPRITS = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391
  && e.parentElement.getBoundingClientRect().right <= 391).slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"""
# Every data table sits in a scroll container that is focusable and has a name (WCAG 2.1.1 and 4.1.2).
LOOSE_TABLES = """() => [...document.querySelectorAll('main table')]
  .filter(t => !t.closest('.rapport-kader') || t.classList.contains('utrecht-table'))
  .filter(t => { const box = t.closest('.table-scroll');
    return !box || box.getAttribute('tabindex') !== '0' || box.getAttribute('role') !== 'region'
      || !(box.getAttribute('aria-labelledby') || box.getAttribute('aria-label')); })
  .map(t => t.className || t.id || 'table')"""


@pytest.fixture(autouse=True)
def today_is_the_peildatum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters, "today_amsterdam", lambda: PEILDATUM)


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_no_page_is_wider_than_a_phone(live_server, phone, handbuilt, role):
    log_in(phone, live_server, role)
    too_wide, loose, visited = [], [], []
    for path in crawl(phone, live_server):
        visited.append(path)
        width = phone.evaluate(WIDTH)
        if width > PHONE["width"]:
            too_wide.append(f"{path}: {width} px {phone.evaluate(CULPRITS)}")
        loose.extend(f"{path}: {table}" for table in phone.evaluate(LOOSE_TABLES))
    # the crawl reached the sub-pages, not only the navigation
    assert any(p.startswith("/achterstand/zaken?") for p in visited) or role != "teamleider", visited
    assert any(p.startswith("/archief/taken/") for p in visited) or role != "pia", visited
    assert any(p.startswith("/kwaliteit/") for p in visited) or role != "teamleider", visited
    assert any(p.startswith("/ibt/kpi/") for p in visited) or role != "programmateam", visited
    assert any(p.startswith("/beheer/gebruikers/") for p in visited) or role != "beheerder", visited
    assert any(p.startswith("/bron") for p in visited) or role != "beheerder", visited
    assert not too_wide, f"wider than 390 px ({len(visited)} pages visited):\n" + "\n".join(too_wide)
    assert not loose, "tables without a focusable, labelled .table-scroll container:\n" + "\n".join(loose)


def test_the_menu_button_opens_the_navigation_with_the_keyboard(live_server, phone, users):
    log_in(phone, live_server, "teamleider")
    nav = phone.get_by_role("navigation", name="Hoofdnavigatie")
    ranglijst = nav.get_by_role("link", name="Ranglijst")
    assert not ranglijst.is_visible()  # collapsed on a phone
    menu = phone.locator("summary", has_text="Menu")
    menu.focus()
    phone.keyboard.press("Enter")
    assert ranglijst.is_visible()
    box = ranglijst.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => document.activeElement.closest('nav') !== null")
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.press("Enter")  # closes again
    assert not ranglijst.is_visible()


def test_the_navigation_is_a_plain_bar_on_a_wide_screen(live_server, page, users):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "teamleider")
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    assert nav.get_by_role("link", name="Ranglijst").is_visible()  # no click needed
    assert not page.locator("summary", has_text="Menu").is_visible()
