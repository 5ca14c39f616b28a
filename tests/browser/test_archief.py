"""The PiA workspace in a real Chromium on the hand-built dataset (peildatum 15-05-2026): filter, select, mark,
undo and re-mark by keyboard; the source confirms two marks at the next sync; an unconfirmed mark comes back
as niet_bevestigd; a teamleider may look but not mark; two sessions marking at once record one event; the
vernietigingslijst holds exactly the filtered vernietigen tasks."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from connectors.inproces import InProcesSettings, connect
from duo_zaak.db import db
from duo_zaak.formatting import today_amsterdam
from duo_zaak.models import ArchiefTaak, TaakGebeurtenis, Zaak
from duo_zaak.settings import archive_settings
from duo_zaak.sync.run import run_sync
from duo_zaak.tasks import lifecycle as tasks

from ..conftest import PASSWORD, USERNAMES
from ..handbuilt import PEILDATUM, ZAKEN, zaak_url
from .conftest import assert_accessible

pytestmark = pytest.mark.browser

QUEUE = "/archief/?peildatum=2026-05-15"


def ident(key: str) -> str:
    """The identificatie tests/handbuilt.py gives a zaak."""
    return f"ZAAK-{ZAKEN[key]['start'][:4]}-{list(ZAKEN).index(key) + 1:010d}"


def uuid(key: str) -> str:
    return zaak_url(key).rsplit("/", 1)[1]


def login(page, server, role: str) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Gebruikersnaam").fill(USERNAMES[role])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_url(re.compile(r".*/(archief|achterstand|overzicht).*"))


def flashes(page) -> list[str]:
    return [text.strip() for text in page.locator(".flash").all_inner_texts()]


def queue_rows(page) -> list[str]:
    return [text.strip() for text in page.locator("table.taken tbody th[scope=row] a").all_inner_texts()]


def task_id(app, key: str, soort: str) -> int:
    with app.app_context():
        value = db.session.scalar(select(ArchiefTaak.id).join(Zaak).where(Zaak.url.endswith("/" + uuid(key)),
                                                                          ArchiefTaak.soort == soort))
        db.session.remove()
        return value


def status_of(app, key: str, soort: str) -> str:
    with app.app_context():
        value = db.session.scalar(select(ArchiefTaak.status).join(Zaak).where(Zaak.url.endswith("/" + uuid(key)),
                                                                              ArchiefTaak.soort == soort))
        db.session.remove()
        return value


def sync(app, mock, today) -> None:
    client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                      client_id=mock.client_id, secret=mock.secret, backoff_factor=0))
    with app.app_context():
        run = run_sync(client, full=False, today=today, settings=archive_settings(),
                       organisaties=app.config["ORGANISATIES"])
        assert run.uitkomst == "geslaagd", run.melding
        db.session.remove()


def activate(locator) -> None:
    """Focus a control and press Enter (keyboard only), waiting for the page that follows."""
    locator.focus()
    with locator.page.expect_navigation():
        locator.page.keyboard.press("Enter")


def mark_row(page, key: str) -> str:
    return page.locator("table.meldingen tr", has_text=ident(key)).inner_text()


def test_pia_filters_marks_undoes_and_sees_the_source_confirm(live_server, page, app, handbuilt):
    login(page, live_server, "pia")
    assert page.url.endswith("/overzicht")  # the landing page of every role
    page.goto(live_server.url + "/archief/")
    # filter to one team (the peildatum typed as dd-mm-jjjj) -- every filter ends up in the URL
    page.locator("#peildatum").fill("15-05-2026")
    page.locator("#team").select_option("OE-A")
    activate(page.get_by_role("button", name="Filters toepassen"))
    assert "peildatum=15-05-2026" in page.url
    assert sorted(queue_rows(page)) == sorted([ident("C1"), ident("C2"), ident("C9")])
    assert page.locator("[data-aantal]").inner_text() == "3"
    assert_accessible(page)
    # select the three by keyboard: "select all on this page" (JS), then mark with a note
    page.get_by_label("Alle taken op deze pagina selecteren").focus()
    page.keyboard.press("Space")
    assert page.locator("[data-selected-count]").inner_text() == "3 taken geselecteerd"
    page.get_by_label("Notitie (optioneel)").fill("gearchiveerd in batch 12")
    activate(page.get_by_role("button", name="Geselecteerde taken gereed melden"))
    assert flashes(page) == ["3 taken gereed gemeld."]
    assert queue_rows(page) == []
    # mijn meldingen: all three wait for the source
    activate(page.get_by_role("link", name="Mijn meldingen", exact=True))
    assert page.url.endswith("/archief/mijn-meldingen")
    for key in ("C1", "C2", "C9"):
        assert "Wacht op bevestiging" in mark_row(page, key) and "gearchiveerd in batch 12" in mark_row(page, key)
    assert_accessible(page)
    # undo one by keyboard
    activate(page.get_by_role("button", name=f"Intrekken melding {ident('C2')}"))
    assert flashes(page) == ["De gereedmelding is ingetrokken; de taak staat weer open."]
    assert "Ingetrokken" in mark_row(page, "C2")
    assert status_of(app, "C2", "archiefgegevens_aanvullen") == "open"
    # ... and mark it again from its detail page (marking again is allowed)
    activate(page.get_by_role("link", name=ident("C2")))
    assert "De taak vervalt 10 dagen na de einddatum" in page.content()
    assert_accessible(page)
    activate(page.get_by_role("button", name="Gereed melden"))
    assert flashes(page) == ["1 taak gereed gemeld."]

    # the source archives C1 and C9; the next sync confirms those two marks
    for key in ("C1", "C9"):
        handbuilt.store.set_archiefstatus(uuid(key), "gearchiveerd")
    sync(app, handbuilt, PEILDATUM + timedelta(days=1))
    page.goto(live_server.url + "/archief/mijn-meldingen")
    assert "Bevestigd" in mark_row(page, "C1") and "Bevestigd" in mark_row(page, "C9")
    assert "Wacht op bevestiging" in mark_row(page, "C2")
    page.get_by_role("link", name=ident("C1")).click()
    assert [e.strip() for e in page.locator("table.geschiedenis tbody tr td:nth-child(2)").all_inner_texts()] == \
        ["Taak aangemaakt", "Gereed gemeld", "Bevestigd door de bron"]

    # C2 still lacks its archive data 14 days (BEVESTIG_DAGEN) after the mark: back as niet_bevestigd
    with app.app_context():
        tasks.refresh_all(today_amsterdam() + timedelta(days=app.config["BEVESTIG_DAGEN"]), archive_settings())
        db.session.remove()
    assert status_of(app, "C2", "archiefgegevens_aanvullen") == "niet_bevestigd"
    page.goto(live_server.url + QUEUE + "&team=OE-A")
    row = page.locator("tr.rij--niet-bevestigd")
    assert row.count() == 1 and ident("C2") in row.inner_text()
    assert "Eerder gemeld door Petra op" in row.inner_text() and "de bron heeft dit niet bevestigd" in row.inner_text()
    assert_accessible(page)


def test_teamleider_may_look_but_not_mark(live_server, page, app, handbuilt):
    login(page, live_server, "teamleider")
    page.goto(live_server.url + QUEUE)
    assert sorted(queue_rows(page)) == sorted([ident("C1"), ident("C2"), ident("C9")])  # only team OE-A
    assert page.locator('input[name="taken"]').count() == 0
    assert page.get_by_role("button", name="Geselecteerde taken gereed melden").count() == 0
    assert_accessible(page)
    # a crafted POST with the teamleider's session cookie
    c1 = task_id(app, "C1", "archiveren")
    assert page.request.post(live_server.url + "/archief/melden", form={"taken": str(c1)}).status == 403
    assert page.request.post(live_server.url + "/archief/alles-melden?peildatum=2026-05-15",
                             form={"aantal": "3"}).status == 403
    assert page.request.post(live_server.url + f"/archief/taken/{c1}/intrekken").status == 403
    assert status_of(app, "C1", "archiveren") == "open"


def test_two_sessions_mark_the_same_task_at_once_one_event(live_server, page, browser, app, handbuilt):
    other = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam").new_page()
    try:
        pages = [page, other]
        for current, role in zip(pages, ("pia", "beheerder"), strict=True):
            login(current, live_server, role)
            current.goto(live_server.url + QUEUE + "&team=OE-A")
            current.get_by_label(f"Selecteer {ident('C1')} (archiveren)").check()
        buttons = [p.get_by_role("button", name="Geselecteerde taken gereed melden") for p in pages]
        for button in buttons:
            button.click(no_wait_after=True)
        for current in pages:
            current.wait_for_selector(".flash")
        messages = sorted(flashes(page) + flashes(other))
        assert messages[0] == "1 taak gereed gemeld."
        assert messages[1].startswith(f"{ident('C1')} (archiveren) is niet opnieuw gemeld:")
        assert messages[1].endswith("heeft deze taak zojuist al gereed gemeld.")
    finally:
        other.context.close()
    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(TaakGebeurtenis).where(
            TaakGebeurtenis.taak_id == task_id(app, "C1", "archiveren"),
            TaakGebeurtenis.gebeurtenis == "gemeld_gereed"))
        db.session.remove()
    assert events == 1


def download_rows(page, link_name: str) -> list[tuple]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    sheet = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active  # noqa: SIM115
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row[0] == "Zaakidentificatie")
    return [row for row in values[header + 1:] if row[0]]


def test_vernietigingslijst_contains_exactly_the_filtered_vernietigen_tasks(live_server, page, handbuilt):
    login(page, live_server, "pia")
    page.goto(live_server.url + QUEUE)
    page.locator("#organisatie").select_option("diemen")
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url(re.compile(r".*organisatie=diemen.*"))
    # Diemen's queue holds 5 tasks, two of them vernietigen (C7 2682 days, C3 2317 days)
    assert page.locator("[data-aantal]").inner_text() == "5"
    link = "Vernietigingslijst (XLSX) van de te vernietigen zaken in dit filter"
    rows = download_rows(page, link)
    assert [r[0] for r in rows] == [ident("C7"), ident("C3")]
    assert rows[0][1:4] == ("Melding openbare ruimte", "Melding afgehandeld", "vernietigen")
    assert rows[0][5:] == ("Gemeente Diemen", "Burgerzaken")
    assert rows[0][4].date().isoformat() == "2019-01-10"
    # "mark all 5" first shows the count to confirm (not confirmed here)
    page.get_by_role("link", name="Alle 5 taken in dit filter gereed melden…").click()
    assert page.locator(".bevestiging [data-aantal]").inner_text() == "5 taken"
    assert_accessible(page)
    page.get_by_role("link", name="Annuleren").click()
    assert "organisatie=diemen" in page.url
    # narrowed by age: only C7 remains
    page.locator("#min_dagen").fill("2500")
    page.get_by_role("button", name="Filters toepassen").click()
    page.wait_for_url(re.compile(r".*min_dagen=2500.*"))
    assert [r[0] for r in download_rows(page, link)] == [ident("C7")]
