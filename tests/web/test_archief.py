"""The PiA workspace through the Flask test client: figures on the page (equal to the API's), filters in the
URL, marking (one, many, all filtered), undo, "mijn meldingen", task detail, exports, the 403s, CSRF and
bad input that must never give a 500."""

from __future__ import annotations

import html
import io
import re
import threading
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from duo_zaak.db import db
from duo_zaak.models import ArchiefTaak, AuditLog, ResultaatType, TaakGebeurtenis

from ..conftest import login
from ..figures.builders import World
from ..handbuilt import PEILDATUM

P = "2026-05-15"
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
RT_URL = "http://catalogi/resultaattypen/1"


@pytest.fixture
def tasks(app, users):
    """Archive tasks at 15-05-2026 (backlog 7): identificatie -> task id.

    Diemen OE-A: A1 archiveren 5 d, A2 aanvullen 15 d (zaaktype Klacht), A3 archiveren 1 d niet_bevestigd
    (marked by Petra before); Diemen OE-B: B1 vernietigen since 10-01-2020 (2317 d), B2 vernietigen 125 d;
    Duo+ OE-C: C1 overbrengen since 01-06-2020 (2174 d), C2 archiveren gemeld_gereed (not in the backlog);
    unknown RSIN without team: U1 archiveren 10 d; Uithoorn: N1 archiveren komend (not in the backlog).
    """
    with app.app_context():
        w = World(app.config["ORGANISATIES"])
        db.session.add(ResultaatType(url=RT_URL, omschrijving="Melding afgehandeld", archiefnominatie="vernietigen"))
        closed = {"einddatum": "2026-01-01"}
        specs = {
            "A1": ({}, "archiveren", "open", {"archiveren_vervalt": "2026-05-10"}),
            "A2": ({"zaaktype": "zonder"}, "archiefgegevens_aanvullen", "open",
                   {"aanvullen_vervalt": "2026-04-30", "archiveren_vervalt": "2026-05-01"}),
            "A3": ({}, "archiveren", "niet_bevestigd", {"archiveren_vervalt": "2026-05-14"}),
            "B1": ({"team": "OE-B"}, "vernietigen", "open",
                   {"vernietigen_vervalt": "2020-01-10", "archiefnominatie": "vernietigen",
                    "archiefactiedatum": "2020-01-10", "resultaattype_url": RT_URL}),
            "B2": ({"team": "OE-B"}, "vernietigen", "open",
                   {"vernietigen_vervalt": "2026-01-10", "archiefnominatie": "vernietigen",
                    "archiefactiedatum": "2026-01-10"}),
            "C1": ({"org": "duoplus", "team": "OE-C"}, "overbrengen", "open", {"overbrengen_vervalt": "2020-06-01"}),
            "C2": ({"org": "duoplus", "team": "OE-C"}, "archiveren", "gemeld_gereed",
                   {"archiveren_vervalt": "2026-05-01"}),
            "U1": ({"org": "onbekend", "team": None}, "archiveren", "open", {"archiveren_vervalt": "2026-05-05"}),
        }
        ids = {}
        for key, (where, soort, status, fields) in specs.items():
            zaak = w.zaak(identificatie=f"ZAAK-{key}", omschrijving=f"Scenario {key}", **where, **closed, **fields)
            ids[key] = w.task(zaak, soort, status).id
        w.zaak(org="uithoorn", team=None, identificatie="ZAAK-N1", archiveren_vervalt="2026-06-01", **closed)
        a3 = db.session.get(ArchiefTaak, ids["A3"])
        a3.eerder_gemeld, a3.gemeld_door_id, a3.notitie = True, users["pia"], "lijst 7"
        a3.gemeld_op = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)
        db.session.commit()
    return ids


def _page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _row(body, attribute, value):
    match = re.search(rf'<tr[^>]*{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', body, re.S)
    assert match, f"no row {attribute}={value}"
    return {k: html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">.*?</span>', "", v))).strip()
            for k, v in re.findall(r'data-kolom="([^"]+)">(.*?)</td>', match.group(1), re.S)}


def _queue(body):
    """The zaak identificaties in the queue table, in page order."""
    table = body.split('id="taken-caption"')[1].split("</table>")[0]
    return re.findall(r'<th scope="row"[^>]*>\s*(?:<a[^>]*>)?(ZAAK-[\w-]+)', table)


def _total(body):
    return int(re.search(r'data-aantal="(\d+)"', body).group(1))


def _flashes(client, response):
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    body = _page(client, response.headers["Location"])
    return [(kind, html.unescape(text)) for kind, text in re.findall(r'class="flash flash--(\w+)">([^<]*)<', body)]


def _status(app, task_id):
    with app.app_context():
        value = db.session.get(ArchiefTaak, task_id).status
        db.session.remove()
        return value


def _count(app, query):
    with app.app_context():
        value = db.session.scalar(query)
        db.session.remove()
        return value


def test_backlog_table_and_queue_match_the_api(client, tasks):
    login(client, "pia")
    body = _page(client, f"/archief/?peildatum={P}")
    totaal = _row(body, "data-org", "totaal")
    assert totaal == {"archiefgegevens_aanvullen": "1", "vernietigen": "2", "overbrengen": "1", "archiveren": "3",
                      "achterstand": "7", "niet_bevestigd": "1", "oudste_dagen": "2.317"}
    assert _row(body, "data-org", "diemen")["achterstand"] == "5"
    assert _row(body, "data-org", "_onbekend")["archiveren"] == "1"
    api = client.get(f"/api/v1/archief?peildatum={P}").json
    for org in api["organisaties"]:
        row = _row(body, "data-org", org["code"] or "_onbekend")
        assert int(row["achterstand"]) == org["achterstand"]
        assert {k: int(row[k]) for k in org["per_soort"]} == org["per_soort"]
    # the queue: the whole backlog, oldest first (dagen_open descending)
    assert _total(body) == client.get(f"/api/v1/archief/taken?peildatum={P}").json["count"] == 7
    assert _queue(body) == ["ZAAK-B1", "ZAAK-C1", "ZAAK-B2", "ZAAK-A2", "ZAAK-U1", "ZAAK-A1", "ZAAK-A3"]
    assert "2.317" in body and "10-01-2020" in body  # Dutch number and date formats
    # niet_bevestigd: highlighted, with the earlier mark
    assert f'rij--niet-bevestigd" data-taak="{tasks["A3"]}"' in body
    assert "Eerder gemeld door Petra op 20-04-2026 10:00: “lijst 7”" in html.unescape(body)


@pytest.mark.parametrize(("query", "expected"), [
    ("soort=vernietigen", ["ZAAK-B1", "ZAAK-B2"]),
    ("organisatie=duoplus", ["ZAAK-C1"]),
    ("organisatie=_onbekend", ["ZAAK-U1"]),
    ("team=OE-A", ["ZAAK-A2", "ZAAK-A1", "ZAAK-A3"]),
    ("team=_geen", ["ZAAK-U1"]),
    ("zaaktype=ZT-2", ["ZAAK-A2"]),
    ("min_dagen=100", ["ZAAK-B1", "ZAAK-C1", "ZAAK-B2"]),
    ("team=OE-A&sort=vervaldatum&richting=desc", ["ZAAK-A3", "ZAAK-A1", "ZAAK-A2"]),
    ("team=OE-A&sort=dagen_open&richting=asc", ["ZAAK-A3", "ZAAK-A1", "ZAAK-A2"]),
    ("organisatie=uithoorn", []),
])
def test_filters_and_sort_live_in_the_url(client, tasks, query, expected):
    login(client, "pia")
    body = _page(client, f"/archief/?peildatum={P}&{query}")
    assert _queue(body) == expected
    assert _total(body) == len(expected)


def test_the_peildatum_moves_the_calendar(client, tasks):
    login(client, "pia")
    # on 01-06-2026 N1 (archiveren, due that day) joins the backlog, without a task row yet: not selectable
    body = _page(client, "/archief/?peildatum=2026-06-01&organisatie=uithoorn")
    assert _queue(body) == ["ZAAK-N1"] and 'name="taken"' not in body
    many = _page(client, f"/archief/?peildatum={P}&page=2")
    assert len(_queue(many)) == 7  # 7 tasks fit on one page; page 2 shows that page, not an error


def test_mark_selected_with_note_then_undo(client, tasks, app, users):
    login(client, "pia")
    back = f"/archief/?peildatum={P}&team=OE-A"
    response = client.post("/archief/melden", data={"taken": [str(tasks["A1"]), str(tasks["A2"]), str(tasks["A3"])],
                                                    "notitie": "  gearchiveerd in batch 12 ", "terug": back})
    assert response.headers["Location"] == back
    assert _flashes(client, response) == [("success", "3 taken gereed gemeld.")]
    assert [_status(app, tasks[k]) for k in ("A1", "A2", "A3")] == ["gemeld_gereed"] * 3
    with app.app_context():
        task = db.session.get(ArchiefTaak, tasks["A1"])
        assert (task.notitie, task.gemeld_door_id) == ("gearchiveerd in batch 12", users["pia"])
        db.session.remove()
    # marked tasks leave the queue and show under "mijn meldingen"
    assert _queue(_page(client, back)) == []
    mine = _page(client, "/archief/mijn-meldingen")
    assert set(re.findall(r'data-taak="(\d+)" data-status="gemeld_gereed"', mine)) == \
        {str(tasks[k]) for k in ("A1", "A2", "A3")}
    assert "Wacht op bevestiging door de bron" in mine and "gearchiveerd in batch 12" in mine
    # undo one
    response = client.post(f"/archief/taken/{tasks['A2']}/intrekken", data={"terug": "/archief/mijn-meldingen"})
    assert response.headers["Location"] == "/archief/mijn-meldingen"
    assert _flashes(client, response) == [("success", "De gereedmelding is ingetrokken; de taak staat weer open.")]
    assert _status(app, tasks["A2"]) == "open"
    assert f'data-taak="{tasks["A2"]}" data-status="open"' in _page(client, "/archief/mijn-meldingen")
    # a second undo is refused with the reason
    flashes = _flashes(client, client.post(f"/archief/taken/{tasks['A2']}/intrekken"))
    assert flashes[0][0] == "warning" and "alleen een melding die nog niet bevestigd is" in flashes[0][1]
    # every mark and undo is in the audit log
    with app.app_context():
        audit = db.session.execute(select(AuditLog.actie, AuditLog.resultaat, AuditLog.actor)
                                   .where(AuditLog.actie.like("taak_%")).order_by(AuditLog.id)).all()
        db.session.remove()
    assert [(a, r) for a, r, _ in audit] == [("taak_gemeld_gereed", "ok")] * 3 + [
        ("taak_melding_ingetrokken", "ok"), ("taak_melding_ingetrokken", audit[-1][1])]
    assert audit[-1][1].startswith("geweigerd") and {actor for *_, actor in audit} == {"pia"}


def test_task_detail_shows_zaak_rule_and_history(client, tasks, app):
    login(client, "pia")
    client.post("/archief/melden", data={"taken": [str(tasks["B1"])], "notitie": "lijst V-3"})
    body = html.unescape(_page(client, f"/archief/taken/{tasks['B1']}"))
    for text in ("Vernietigen: ZAAK-B1", "Gemeente Diemen", "Team OE-B", "Melding afgehandeld", "10-01-2020",
                 "archiefnominatie ‘vernietigen’ en een archiefactiedatum", "Gereed gemeld", "lijst V-3",
                 "Open → Gemeld gereed", "Melding intrekken"):
        assert text in body, text
    assert re.findall(r'data-gebeurtenis="(\w+)"', body) == ["gemeld_gereed"]
    detail = html.unescape(_page(client, f"/archief/taken/{tasks['A2']}"))
    assert "De taak vervalt 10 dagen na de einddatum" in detail and "Gereed melden" in detail
    _page(client, "/archief/taken/999999", status=404)


def test_mark_all_filtered_needs_the_count_confirmed(client, tasks, app):
    login(client, "beheerder")
    url = f"/archief/alles-melden?peildatum={P}&soort=vernietigen"
    body = _page(client, url)
    assert 'data-aantal="2"' in body and "Ja, meld 2 taken gereed" in body
    # a stale count (someone changed the queue in between) is refused: nothing is marked
    stale = client.post(url, data={"aantal": "3", "notitie": "x"})
    assert stale.status_code == 200 and "inmiddels 2 in plaats van 3" in stale.get_data(as_text=True)
    assert _status(app, tasks["B1"]) == "open"
    response = client.post(url, data={"aantal": "2", "notitie": "verklaring 2026-4"})
    assert response.headers["Location"] == f"/archief/?peildatum={P}&soort=vernietigen&sort=dagen_open&richting=desc"
    assert _flashes(client, response) == [("success", "2 taken gereed gemeld.")]
    assert _status(app, tasks["B1"]) == _status(app, tasks["B2"]) == "gemeld_gereed"
    assert _status(app, tasks["C1"]) == "open"
    assert "geen taken die gereed gemeld kunnen worden" in _page(client, url)


def test_second_mark_of_the_same_task_gets_a_clear_message_and_one_event(app, tasks):
    first, second = app.test_client(), app.test_client()
    login(first, "pia")
    login(second, "beheerder")
    data = {"taken": [str(tasks["A1"])]}
    assert _flashes(first, first.post("/archief/melden", data=data)) == [("success", "1 taak gereed gemeld.")]
    assert _flashes(second, second.post("/archief/melden", data=data)) == [
        ("warning", "ZAAK-A1 (archiveren) is niet opnieuw gemeld: Petra heeft deze taak zojuist al gereed gemeld.")]
    assert _count(app, select(func.count()).select_from(TaakGebeurtenis)
                  .where(TaakGebeurtenis.taak_id == tasks["A1"])) == 1


def test_refusals_are_explained_but_capped(client, tasks):
    login(client, "pia")
    ids = [str(tasks["C2"])] + [str(900000 + n) for n in range(7)]
    flashes = _flashes(client, client.post("/archief/melden", data={"taken": ids}))
    assert flashes[0] == ("warning", "ZAAK-C2 (archiveren) is niet opnieuw gemeld: een andere gebruiker heeft deze "
                                     "taak zojuist al gereed gemeld.")
    assert flashes[1:5] == [("error", f"Taak {900000 + n} bestaat niet en is niet gemeld.") for n in range(4)]
    assert flashes[5] == ("warning", "Nog 3 taken zijn niet gemeld, omdat ze inmiddels door iemand anders of door "
                                     "de bron zijn gewijzigd.")
    assert len(flashes) == 6


@BOTH
def test_concurrent_marks_one_wins_and_one_event_is_recorded(app, tasks):
    clients = [app.test_client(), app.test_client()]
    login(clients[0], "pia")
    login(clients[1], "beheerder")
    barrier = threading.Barrier(2)
    results: list[int] = []

    def mark(client):
        barrier.wait(5)
        results.append(client.post("/archief/melden", data={"taken": [str(tasks["C1"])]}).status_code)

    threads = [threading.Thread(target=mark, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [302, 302]
    events = select(func.count()).select_from(TaakGebeurtenis).where(TaakGebeurtenis.taak_id == tasks["C1"],
                                                                     TaakGebeurtenis.gebeurtenis == "gemeld_gereed")
    assert _count(app, events) == 1
    outcomes = select(AuditLog.resultaat).where(AuditLog.actie == "taak_gemeld_gereed")
    with app.app_context():
        audit = sorted(r.split(":")[0] for r in db.session.scalars(outcomes))
        db.session.remove()
    assert audit == ["geweigerd", "ok"]


@pytest.mark.parametrize("role", ["teamleider", "programmateam"])
def test_only_pia_and_beheerder_may_mark(client, tasks, app, role):
    login(client, role)
    body = _page(client, f"/archief/?peildatum={P}")
    assert 'name="taken"' not in body and "Geselecteerde taken gereed melden" not in body
    crafted = [
        ("/archief/melden", {"taken": [str(tasks["A1"])]}),
        (f"/archief/alles-melden?peildatum={P}", {"aantal": "7"}),
        (f"/archief/taken/{tasks['C2']}/intrekken", {}),
    ]
    for url, data in crafted:
        assert client.post(url, data=data).status_code == 403
    assert client.get(f"/archief/alles-melden?peildatum={P}").status_code == 403
    assert client.get("/archief/mijn-meldingen").status_code == 403
    assert [_status(app, tasks[k]) for k in ("A1", "C2")] == ["open", "gemeld_gereed"]
    denied = select(func.count()).select_from(AuditLog).where(AuditLog.actie == "toegang_geweigerd")
    assert _count(app, denied) == 5


def test_teamleider_sees_only_the_own_team(client, tasks):
    login(client, "teamleider")  # leads OE-A
    body = _page(client, f"/archief/?peildatum={P}")
    assert _row(body, "data-org", "totaal")["achterstand"] == "3"
    assert _queue(body) == ["ZAAK-A2", "ZAAK-A1", "ZAAK-A3"]
    assert _page(client, f"/archief/taken/{tasks['A1']}")
    _page(client, f"/archief/taken/{tasks['B1']}", status=404)
    assert client.get(f"/api/v1/archief?peildatum={P}").json["totaal"]["achterstand"] == 3


def test_a_page_past_the_end_shows_the_last_page(client, tasks):
    login(client, "pia")
    body = _page(client, f"/archief/?peildatum={P}&page=9999")
    # 7 tasks on pages of 50: one page, so page 9999 shows page 1 with every task, not "Pagina 9.999 van 1"
    assert len(_queue(body)) == 7 and "9.999" not in body


def test_the_audit_log_past_its_end_shows_its_last_page(app, client, users):
    from duo_zaak.accounts import audit

    with app.app_context():
        for number in range(70):
            audit.record("proef", f"regel {number}", actor="test")
        audit.record("proef", "laatste", actor="test", commit=True)
    login(client, "beheerder")  # 71 entries + the login = 72: pages of 50 -> 2 pages
    body = _page(client, "/beheer/audit?page=9999")
    assert "Pagina 2 van 2" in body and "regel 0" in body and "9.999" not in body


def test_queue_export_csv_and_xlsx(client, tasks):
    login(client, "pia")
    csv = client.get(f"/archief/export?formaat=csv&peildatum={P}&team=OE-A").get_data().decode("utf-8-sig")
    lines = csv.strip().split("\r\n")
    assert lines[0].startswith("Zaakidentificatie;Omschrijving;Zaaktype;Soort taak;Organisatie;Team;Vervaldatum")
    assert [line.split(";")[0] for line in lines[1:]] == ["ZAAK-A2", "ZAAK-A1", "ZAAK-A3"]
    assert "30-04-2026" in lines[1] and lines[3].endswith(";Niet bevestigd;ja")
    response = client.get(f"/archief/export?formaat=xlsx&peildatum={P}")
    assert response.headers["Content-Disposition"] == 'attachment; filename="archieftaken_2026-05-15.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("ZAAK-")]
    body = _page(client, f"/archief/?peildatum={P}")
    assert [r[0] for r in rows] == _queue(body)  # the page's queue, in the page's order
    assert len(rows) == int(_row(body, "data-org", "totaal")["achterstand"]) == 7
    # (soort, organisatie, team, vervaldatum, dagen open, status, eerder gemeld), worked out in the fixture
    assert {r[0]: r[3:] for r in rows} == {
        "ZAAK-A1": ("Archiveren", "Gemeente Diemen", "Team OE-A", datetime(2026, 5, 10), 5, "Open", "nee"),
        "ZAAK-A2": ("Archiefgegevens aanvullen", "Gemeente Diemen", "Team OE-A", datetime(2026, 4, 30), 15, "Open",
                    "nee"),
        "ZAAK-A3": ("Archiveren", "Gemeente Diemen", "Team OE-A", datetime(2026, 5, 14), 1, "Niet bevestigd", "ja"),
        "ZAAK-B1": ("Vernietigen", "Gemeente Diemen", "Team OE-B", datetime(2020, 1, 10), 2317, "Open", "nee"),
        "ZAAK-B2": ("Vernietigen", "Gemeente Diemen", "Team OE-B", datetime(2026, 1, 10), 125, "Open", "nee"),
        "ZAAK-C1": ("Overbrengen", "Duo+", "Team OE-C", datetime(2020, 6, 1), 2174, "Open", "nee"),
        "ZAAK-U1": ("Archiveren", "Onbekende organisatie", "Niet toegewezen", datetime(2026, 5, 5), 10, "Open",
                    "nee"),
    }


def _destruction_rows(response):
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(values) if r[0] == "Zaakidentificatie")
    return values[header], [r for r in values[header + 1:] if r[0]]


def test_vernietigingslijst_has_exactly_the_filtered_vernietigen_tasks(client, tasks):
    login(client, "pia")
    header, rows = _destruction_rows(client.get(f"/archief/vernietigingslijst?peildatum={P}"))
    assert header == ("Zaakidentificatie", "Zaaktype", "Omschrijving resultaat", "Archiefnominatie",
                      "Archiefactiedatum", "Organisatie", "Team")
    assert rows == [("ZAAK-B1", "Vergunning", "Melding afgehandeld", "vernietigen", datetime(2020, 1, 10),
                     "Gemeente Diemen", "Team OE-B"),
                    ("ZAAK-B2", "Vergunning", None, "vernietigen", datetime(2026, 1, 10), "Gemeente Diemen",
                     "Team OE-B")]
    _, older = _destruction_rows(client.get(f"/archief/vernietigingslijst?peildatum={P}&min_dagen=200"))
    assert [r[0] for r in older] == ["ZAAK-B1"]
    _, other_kind = _destruction_rows(client.get(f"/archief/vernietigingslijst?peildatum={P}&soort=archiveren"))
    assert other_kind == []


BAD_GETS = [
    "/archief/?peildatum=2026-02-30", "/archief/?peildatum=morgen", "/archief/?peildatum=0001-01-01&min_dagen=5",
    "/archief/?page=0", "/archief/?page=abc", "/archief/?page=99999999999999999999", "/archief/?min_dagen=-1",
    "/archief/?min_dagen=99999999", "/archief/?soort=koffie", "/archief/?organisatie=nergens",
    "/archief/?sort=naam", "/archief/?richting=omhoog", "/archief/?team=" + "x" * 500,
    "/archief/?zaaktype=%00", "/archief/export?formaat=pdf", "/archief/export?peildatum=x",
    "/archief/vernietigingslijst?formaat=doc", "/archief/alles-melden?page=-1", "/archief/mijn-meldingen?page=x",
    "/archief/taken/abc", "/archief/taken/99999999999999999999999",
]


def test_bad_input_is_never_a_500(client, tasks):
    login(client, "pia")
    for url in BAD_GETS:
        status = client.get(url).status_code
        assert status in (200, 400, 404), (url, status)
    assert client.get("/archief/?peildatum=2026-02-30").status_code == 400
    assert "Ongeldige peildatum" in _page(client, "/archief/?peildatum=morgen", status=400)
    bad_posts = [
        ("/archief/melden", {"taken": ["abc"]}), ("/archief/melden", {"taken": ["99999999"]}),
        ("/archief/melden", {"taken": ["-1"]}), ("/archief/melden", {}),
        ("/archief/melden", {"taken": [str(tasks["A1"])], "notitie": "x" * 5000}),
        ("/archief/melden", {"taken": [str(tasks["A2"])], "terug": "https://evil.example/"}),
        ("/archief/alles-melden?peildatum=x", {"aantal": "1"}),
        (f"/archief/alles-melden?peildatum={P}", {"aantal": "x"}),
        ("/archief/taken/99999999/intrekken", {}),
    ]
    for url, data in bad_posts:
        response = client.post(url, data=data)
        assert response.status_code in (302, 400, 200), (url, response.status_code)
        assert "evil" not in response.headers.get("Location", "")
    assert _status(client.application, tasks["A1"]) == "open"  # the too long note was refused


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_posts_without_token_are_400(self, client, tasks):
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": "correct-horse-battery",
                                           "csrf_token": token}).status_code == 302
        for url in ("/archief/melden", f"/archief/alles-melden?peildatum={P}",
                    f"/archief/taken/{tasks['C2']}/intrekken"):
            response = client.post(url, data={"taken": [str(tasks["A1"])], "aantal": "7"})
            assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
        assert _status(client.application, tasks["A1"]) == "open"
        assert _status(client.application, tasks["C2"]) == "gemeld_gereed"
        # with the page's token the mark goes through
        body = _page(client, f"/archief/?peildatum={P}")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
        response = client.post("/archief/melden", data={"taken": [str(tasks["A1"])], "csrf_token": token})
        assert response.status_code == 302
        assert _status(client.application, tasks["A1"]) == "gemeld_gereed"


def test_handbuilt_page_figures_equal_the_api(client, handbuilt):
    login(client, "pia")
    body = _page(client, f"/archief/?peildatum={PEILDATUM.isoformat()}")
    # hand-worked: C1 archiveren, C2 aanvullen, C3 + C7 vernietigen, C5 overbrengen, C9 archiveren
    assert _row(body, "data-org", "totaal") == {
        "archiefgegevens_aanvullen": "1", "vernietigen": "2", "overbrengen": "1", "archiveren": "2",
        "achterstand": "6", "niet_bevestigd": "0", "oudste_dagen": "2.682"}
    api = client.get(f"/api/v1/archief?peildatum={P}").json
    for org in api["organisaties"]:
        assert int(_row(body, "data-org", org["code"] or "_onbekend")["achterstand"]) == org["achterstand"]
    oe_a = _page(client, f"/archief/?peildatum={P}&team=OE-A")
    assert _total(oe_a) == client.get(f"/api/v1/archief/taken?peildatum={P}&team=OE-A").json["count"] == 3


# -- issue #15: ids per mark request, ASCII digits only, withdrawing another user's mark ---------------------------

def _audit_rows(app, actie):
    with app.app_context():
        rows = db.session.execute(select(AuditLog.actor, AuditLog.object, AuditLog.resultaat, AuditLog.details)
                                  .where(AuditLog.actie == actie).order_by(AuditLog.id)).all()
        db.session.remove()
        return rows


def test_ids_per_mark_request_are_capped(client, tasks, app):
    """1,001 ids (one real one among them) are a 400 with a Dutch message: nothing marked, one audit row (not
    1,001); 1,000 are accepted."""
    login(client, "pia")
    ids = [str(tasks["A1"])] + [str(900000 + n) for n in range(1000)]
    response = client.post("/archief/melden", data={"taken": ids, "terug": "/archief/"})
    assert response.status_code == 400
    assert "Te veel taken in één keer: 1.001. Meld hooguit 1.000 taken tegelijk" in response.get_data(as_text=True)
    assert _status(app, tasks["A1"]) == "open"
    assert len(_audit_rows(app, "taak_gemeld_gereed")) == 1
    response = client.post("/archief/melden", data={"taken": ids[:1000], "terug": "/archief/"})
    assert response.status_code == 302 and _status(app, tasks["A1"]) == "gemeld_gereed"


@pytest.mark.parametrize("digit", ["\u0664", "\u00b2", "\uff11"])  # Arabic-Indic four, superscript two, full-width one
def test_task_ids_are_ascii_digits_only(client, tasks, app, digit):
    """`٤` was read as 4 and `²` gave a raw Python error: both are a 400 with a Dutch message now."""
    login(client, "pia")
    response = client.post("/archief/melden", data={"taken": [digit, str(tasks["A1"])], "terug": "/archief/"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Ongeldige taakselectie" in body and "alleen de cijfers 0-9" in body and "invalid literal" not in body
    assert _status(app, tasks["A1"]) == "open"


def test_a_pia_user_withdraws_another_users_mark_and_sees_whose_it_was(client, tasks, app, users):
    from duo_zaak.accounts.auth import create_user

    with app.app_context():
        create_user("pia2", "tweede-pia-wachtwoord", "pia", "Piet PiA")
        db.session.commit()
    login(client, "pia")
    client.post("/archief/melden", data={"taken": [str(tasks["A1"])], "terug": "/archief/"})
    other = client.application.test_client()
    assert other.post("/login", data={"gebruikersnaam": "pia2", "wachtwoord": "tweede-pia-wachtwoord"}).status_code \
        == 302
    page = _page(other, f"/archief/taken/{tasks['A1']}")
    assert "gereed gemeld door Petra" in page and "U trekt hiermee de melding van Petra in" in page
    flashes = _flashes(other, other.post(f"/archief/taken/{tasks['A1']}/intrekken",
                                         data={"terug": "/archief/mijn-meldingen"}))
    assert flashes == [("success", "De gereedmelding van Petra is ingetrokken; de taak staat weer open.")]
    assert _status(app, tasks["A1"]) == "open"
    assert _audit_rows(app, "taak_melding_ingetrokken") == [("pia2", f"archief_taak {tasks['A1']}", "ok",
                                                             "melding van pia")]


def test_api_reads_are_audited(client, tasks, app):
    """Who read which list, with how many rows: the PiA queue has 7 tasks in the backlog (see `tasks`)."""
    login(client, "pia")
    assert client.get(f"/api/v1/archief/taken?peildatum={P}").get_json()["count"] == 7
    assert _audit_rows(app, "api_lezen") == [("pia", f"/api/v1/archief/taken?peildatum={P}", "ok", "7 rijen")]
