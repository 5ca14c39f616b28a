"""A live server (real WSGI stack in a thread) and a real Chromium through Playwright."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..conftest import REPO

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


class LiveServer:
    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_server(app, users) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium ontbreekt: `make test` installeert het Debian-pakket 'chromium'.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    yield page
    context.close()


ALWAYS = ("region",)
_RULE_IDS: list[str] = []


def _rules(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The WCAG 2.0/2.1 A and AA rules of this axe-core version, plus the ones in ALWAYS."""
    if not _RULE_IDS:
        # as `runOnly` by tags would: experimental rules (e.g. p-as-heading) are left out
        _RULE_IDS.extend(page.evaluate("() => axe.getRules(['wcag2a', 'wcag2aa', 'wcag21aa'])"
                                       ".filter(r => !r.tags.includes('experimental')).map(r => r.ruleId)"))
        _RULE_IDS.extend(rule for rule in ALWAYS if rule not in _RULE_IDS)
    return _RULE_IDS


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core (from npm) in the page; return the violations of the given impact."""
    # evaluate() runs through the DevTools protocol, so the page's strict CSP stays in force for the app.
    page.evaluate("(source) => { if (!window.axe) { (0, eval)(source); } }", AXE.read_text())
    # `region` (all content inside landmarks) is a best practice outside the WCAG tags: asked for by name, and
    # counted whatever its impact (issue #19: the freshness bar sat outside the landmarks).
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'rule', values: RULES}})"""
                           .replace("RULES", json.dumps(_rules(page))))
    found = [v for v in result["violations"] if v.get("impact") in impacts or v["id"] in ALWAYS]
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"][:3]]} for v in found]


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    violations = axe_violations(page)
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)
