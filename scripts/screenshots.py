"""Screenshots of the main pages per role, desktop (1280 px) and phone (390 px), into docs/screenshots/.

A demo-like dataset: the mock InProces with generated zaken (relative to today), a full sync, the daily task step,
a snapshot and a year of demo history, as `make run` does; the app is served in a thread on a free port and
Chromium (Playwright, /usr/bin/chromium) logs in as each role.

    .venv/bin/python scripts/screenshots.py [--zaken 1500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from connectors.mock_inproces.testing import running_mock  # noqa: E402
from duo_zaak import create_app  # noqa: E402
from duo_zaak.accounts.auth import create_user  # noqa: E402
from duo_zaak.db import db  # noqa: E402

OUT = REPO / "docs" / "screenshots"
PASSWORD = "schermafdruk-wachtwoord"
USERS = {"teamleider": "tl", "pia": "pia", "programmateam": "prog", "beheerder": "admin"}
# (file name, role, path) of the main pages; the phone gets the same pages.
PAGES = [
    ("overzicht-teamleider", "teamleider", "/overzicht"),
    ("achterstand", "teamleider", "/achterstand"),
    ("zaken", "teamleider", "/achterstand/zaken?toestand=termijn_overschreden"),
    ("kwaliteit", "teamleider", "/kwaliteit"),
    ("archief", "pia", "/archief/"),
    ("ranglijst", "pia", "/ranglijst/"),
    ("ibt", "programmateam", "/ibt"),
    ("bron", "programmateam", "/bron"),
    ("beheer-audit", "beheerder", "/beheer/audit"),
]
SIZES = {"desktop": {"width": 1280, "height": 900}, "telefoon": {"width": 390, "height": 844}}


def build_app(folder: Path, mock):  # type: ignore[no-untyped-def]
    app = create_app({
        "MODE": "demo", "SECRET_KEY": "schermafdrukken-alleen-lokaal", "WTF_CSRF_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite'}", "INPROCES_ZAKEN_URL": mock.zaken_url,
        "INPROCES_CATALOGI_URL": mock.catalogi_url, "INPROCES_CLIENT_ID": mock.client_id,
        "INPROCES_SECRET": mock.secret, "POLL_INTERVAL_SECONDS": 86_400,
    })
    with app.app_context():
        db.create_all()
    runner = app.test_cli_runner()
    for args in (["sync", "--full"], ["tasks", "refresh"], ["snapshot"], ["demo-history", "--days", "365"]):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise SystemExit(f"flask {' '.join(args)} mislukt:\n{result.output}")
    with app.app_context():
        from duo_zaak.models import Team, Zaak

        # the team lead leads the team with the most open zaken
        team = db.session.scalar(db.select(Team.identificatie).join(Zaak, Zaak.team_id == Team.id)
                                 .where(Zaak.einddatum.is_(None)).group_by(Team.identificatie)
                                 .order_by(db.func.count().desc()).limit(1))
        for role, name in USERS.items():
            create_user(name, PASSWORD, role, name.title(), [team] if role == "teamleider" else [])
        db.session.commit()
    return app


def shoot(url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for size_name, viewport in SIZES.items():
            for role, name in USERS.items():
                context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=viewport)
                page = context.new_page()
                page.goto(url + "/login")
                page.get_by_label("Gebruikersnaam").fill(name)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.get_by_role("button", name="Inloggen").click()
                page.wait_for_url(url + "/overzicht")
                for file_name, page_role, path in PAGES:
                    if page_role != role:
                        continue
                    page.goto(url + path)
                    target = OUT / (f"{file_name}.png" if size_name == "desktop" else f"{file_name}-telefoon.png")
                    # the phone: the first two screens; the desktop: the first screen and a bit
                    clip = {"x": 0, "y": 0, "width": viewport["width"],
                            "height": min(page.evaluate("document.documentElement.scrollHeight"),
                                          viewport["height"] * (2 if size_name == "telefoon" else 1))}
                    page.screenshot(path=str(target), clip=clip, full_page=True)
                    written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zaken", type=int, default=1500, help="Aantal gegenereerde zaken (standaard 1500).")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="duo-zaak-screens-") as folder, \
            running_mock(zaken=options.zaken, seed=7) as mock:
        app = build_app(Path(folder), mock)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            for path in shoot(f"http://127.0.0.1:{server.server_port}"):
                print(path.relative_to(REPO))
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
