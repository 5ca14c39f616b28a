"""A programme-team user in a real Chromium: lands on the IBT page, edits a KPI (first with a bad evidence
link), sees the history, checks the other IBT pages with axe and downloads the XLSX report."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from duo_zaak.db import db
from duo_zaak.formatting import today_amsterdam
from duo_zaak.models import Snapshot, SyncRun
from duo_zaak.rules import ibt as ibt_rules

from ..conftest import PASSWORD
from ..figures.builders import World
from .conftest import assert_accessible

pytestmark = pytest.mark.browser
KPI3 = "3. Ordening, authenticiteit, context, toegankelijkheid en duurzaamheid"


@pytest.fixture
def data(app, users):
    """A few zaken and a year of month-end snapshots for Diemen (one month missing Z2)."""
    with app.app_context():
        world = World(app.config["ORGANISATIES"])
        world.zaak(startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10")
        world.zaak(startdatum="2026-04-01", fatale_datum="2026-05-01")
        world.zaak(org="uithoorn", startdatum="2026-01-01", einddatum="2026-02-14", archiveren_vervalt="2026-03-16")
        months = ibt_rules.laatste_volledige_maanden(today_amsterdam(), 12)
        for index, month in enumerate(months):
            day = datetime.strptime(month + "-28", "%Y-%m-%d").date()
            for code in ibt_rules.INDICATOREN:
                met = not (index == 10 and code == "Z2")
                db.session.add(Snapshot(datum=day, organisatie="diemen", team="*", metriek=code, noemer=100,
                                        teller=99 if met else 50, waarde=99.0 if met else 50.0, voldoet=met,
                                        norm=ibt_rules.norm_tekst(ibt_rules.DEFAULT_NORMS[code])))
        db.session.add(SyncRun(modus="volledig", uitkomst="geslaagd", geeindigd_op=datetime.now(UTC)))
        db.session.commit()


def test_programme_team_edits_a_kpi_and_downloads_the_report(live_server, page, data):
    page.goto(live_server.url + "/")
    page.get_by_label("Gebruikersnaam").fill("prog")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    assert page.url == live_server.url + "/overzicht"
    page.goto(live_server.url + "/ibt")
    assert page.get_by_role("heading", level=1).inner_text() == "IBT-voortgang: opheffing verzwaard toezicht"
    assert "voldoet niet" in page.locator("#kaart-diemen-Z2").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="KPI's van Gemeente Diemen bekijken en bewerken").click()
    assert_accessible(page)
    page.get_by_role("link", name=KPI3).click()
    page.get_by_label("Oordeel", exact=True).select_option("deels")
    page.get_by_label("Eigenaar", exact=True).fill("Archivaris Diemen")
    page.get_by_label("Streefdatum", exact=True).fill("2026-12-31")
    page.get_by_label("Notitie", exact=True).fill("Ordening op orde, duurzaamheid nog niet.")
    page.get_by_label("Bewijs (links, één per regel)").fill("https://intranet.example/kpi3.pdf\nftp://oud.example/x")
    page.get_by_role("button", name="Opslaan").click()
    assert "Link 2 is geen http(s)-adres" in page.locator("#bewijs-error").inner_text()
    assert page.get_by_role("alert").first.inner_text().startswith("Niet opgeslagen")
    assert_accessible(page)

    page.get_by_label("Bewijs (links, één per regel)").fill("https://intranet.example/kpi3.pdf")
    page.get_by_role("button", name="Opslaan").click()
    assert "KPI 3 van Gemeente Diemen is opgeslagen." in page.get_by_role("status").inner_text()
    history = page.get_by_role("table", name="Wie wijzigde wat, wanneer (nieuwste eerst)").inner_text()
    assert "Paul" in history and "oordeel: – → deels" in history and "streefdatum: – → 31-12-2026" in history
    assert page.get_by_role("link", name="https://intranet.example/kpi3.pdf").count() == 1
    assert_accessible(page)

    for path in ("/ibt/maanden", "/ibt/normen", "/ibt/normen/Z1", "/ibt/normen/venster", "/ibt/rapport",
                 "/ibt/kpi/diemen"):
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(live_server.url + "/ibt/maanden")
    assert "✗ voldoet niet" in page.locator("#maanden-diemen").inner_text()

    page.goto(live_server.url + "/ibt")
    with page.expect_download() as info:
        page.get_by_role("link", name="Rapport (Excel)").click()
    download = info.value
    assert download.suggested_filename == f"ibt-rapport_{today_amsterdam().isoformat()}.xlsx"
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    assert book.sheetnames == ["Samenvatting", "Duo+", "Gemeente Diemen", "Gemeente Ouder-Amstel",
                               "Gemeente Uithoorn", "Capaciteitsplanning"]
    kpi = next(row for row in book["Gemeente Diemen"].iter_rows(values_only=True) if row[0] == 3)
    assert kpi[2:4] == ("deels", "Archivaris Diemen") and kpi[7] == "https://intranet.example/kpi3.pdf"
