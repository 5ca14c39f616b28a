"""Issue #19, generated checks over every page each role reaches (tests/browser/crawl.py):
item 10, all content sits inside the page landmarks (axe `region`, the freshness bar included);
item 3, no raw code (a snake_case key of duo_zaak/labels.py) in the visible text."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from duo_zaak import labels
from duo_zaak.accounts import audit
from duo_zaak.db import db
from duo_zaak.models import ArchiefTaak, SyncRun
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


# The text a person reads: innerText leaves out hidden elements, attribute values and option values.
VISIBLE_TEXT = "() => document.body.innerText"


@pytest.fixture
def audited(app, handbuilt):  # type: ignore[no-untyped-def]
    """Audit entries of the kinds issue #19 found bare on the audit page, and the ids of every archive task."""
    with app.app_context():
        task_ids = list(db.session.scalars(db.select(ArchiefTaak.id).order_by(ArchiefTaak.id)))
        audit.record("gebruiker_uitschakelen", "tl", actor="admin")
        audit.record("taak_gemeld_gereed", f"archief_taak {task_ids[0]}", actor="pia", details="lijst V-3")
        audit.record("signalering_voorbeeld", "admin", actor="admin", details="teamleider_week")
        db.session.commit()
    return task_ids


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_raw_code(live_server, page, audited, role):
    codes = labels.raw_codes()
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True)) + r")\b")
    log_in(page, live_server, role)
    shown, visited = [], []
    extra = [f"/archief/taken/{task_id}" for task_id in audited]  # every task: each its own nominatie and status
    for path in [*crawl(page, live_server), *extra]:
        if path in extra:
            page.goto(live_server.url + path)
        visited.append(path)
        found = sorted(set(pattern.findall(page.evaluate(VISIBLE_TEXT))))
        if found:
            shown.append(f"{path}: {', '.join(found)}")
    assert len(visited) > 10
    assert not shown, "raw codes in the visible text:\n" + "\n".join(shown)


def test_the_audit_log_filters_by_action_and_is_accessible(live_server, page, audited):
    from .conftest import assert_accessible

    log_in(page, live_server, "beheerder")
    page.goto(live_server.url + "/beheer/audit")
    assert_accessible(page)
    page.get_by_label("Handeling", exact=True).select_option(label="Archieftaak gereed gemeld")
    page.get_by_role("button", name="Filter toepassen").press("Enter")  # by keyboard
    page.wait_for_url("**actie=taak_gemeld_gereed**")
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 1
    link = rows.first.get_by_role("link", name=f"archieftaak {audited[0]}")
    assert link.get_attribute("href") == f"/archief/taken/{audited[0]}"
    assert_accessible(page)
