"""The capacity planning page, its XLSX, the API, `flask report planning` and the section in the IBT report: the
same figures everywhere, on the hand-built history of tests/figures/planning_world.py (worked out by hand in
tests/figures/test_planning.py)."""

from __future__ import annotations

import io
import json
import re
from html import unescape

import pandas as pd
import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from sqlalchemy import select

from duo_zaak.db import db
from duo_zaak.models import AuditLog, PiaFte

from ..conftest import login
from ..figures import planning_world
from ..figures.builders import World

WHAT_IF = "peildatum=31-05-2026&doeldatum=22-06-2026&fte=3,2"
API_WHAT_IF = "peildatum=2026-05-31&doeldatum=2026-06-22&fte=3,2"
ANSWER = "Met 3,2 fte is de achterstand binnen de normen in week 26 van 2026; voor 22-06-2026 is 3,6 fte nodig."
# At 3,2 FTE (median, 8 tasks a week, oldest first): archiveren 20 19 11 8 2 0 0, vernietigen 7 0 2 2 0 0 0
# (see test_fte_needed_and_the_answer)
TOTALS = [27, 19, 13, 10, 2, 0, 0]


@pytest.fixture
def planned(app, users):
    with app.app_context():
        planning_world.build(World(app.config["ORGANISATIES"]))
    return app


def _cells(html: str, kolom: str) -> dict[int, str]:
    """Per projection row (data-stap) the text of its cell with data-kolom."""
    rows = re.findall(r'<tr class="utrecht-table__row[^"]*" data-stap="(\d+)">(.*?)</tr>', html, re.S)
    found = {}
    for stap, body in rows:
        cell = re.search(rf'data-kolom="{kolom}">(.*?)</td>', body, re.S)
        found[int(stap)] = unescape(re.sub(r"<[^>]+>", "", cell.group(1))).strip()
    return found


def test_page_export_api_and_report_agree(planned, client):
    login(client, "programmateam")
    api = client.get(f"/api/v1/planning?{API_WHAT_IF}")
    assert api.status_code == 200
    doc = api.json
    assert doc["antwoord"] == ANSWER and (doc["fte"], doc["fte_bron"], doc["fte_nodig"]) == (3.2, "invoer", 3.6)
    assert [row["achterstand"]["mediaan"] for row in doc["projectie"][:7]] == TOTALS
    assert doc["binnen_normen"]["mediaan"] == {"stap": 4, "week": "2026-W26", "einde": "2026-06-28"}
    assert doc["doorvoer"]["per_fte_week"]["archiveren"] == {"p25": 2.0, "mediaan": 2.0, "p75": 2.25}
    assert doc["doorvoer"]["capaciteit_per_fte_week"]["mediaan"] == 2.5

    page = client.get(f"/archief/planning?{WHAT_IF}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ANSWER in html
    assert [int(v) for v in list(_cells(html, "achterstand_mediaan").values())[:7]] == TOTALS
    assert _cells(html, "a4")[0] == "8,0%" and '<strong id="fte-nodig">3,6 fte</strong>' in html
    assert 'href="/archief/planning.xlsx?peildatum=2026-05-31&amp;fte=3,2&amp;doeldatum=2026-06-22"' in html

    export = client.get(f"/archief/planning.xlsx?{WHAT_IF}")
    assert export.status_code == 200 and "capaciteitsplanning_2026-05-31.xlsx" in export.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(export.data))
    summary = {row[0]: row[1] for row in book["Samenvatting"].iter_rows(values_only=True) if row[0]}
    assert (summary["Antwoord"], summary["Fte"], summary["Fte nodig voor 22-06-2026"]) == (ANSWER, 3.2, 3.6)
    rows = list(book["Prognose"].iter_rows(values_only=True))
    column = rows[0].index("Achterstand bij mediane doorvoer")
    assert [row[column] for row in rows[1:8]] == TOTALS
    assert [row[column] for row in rows[1:]] == [row["achterstand"]["mediaan"] for row in doc["projectie"]]

    runner = planned.test_cli_runner()
    result = runner.invoke(args=["report", "planning", "--peildatum", "2026-05-31", "--doeldatum", "2026-06-22",
                                 "--fte", "3,2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == doc
    csv = runner.invoke(args=["report", "planning", "--peildatum", "2026-05-31", "--doeldatum", "2026-06-22",
                              "--fte", "3,2", "--format", "csv"])
    frame = pd.read_csv(io.StringIO(csv.output))
    assert list(frame["achterstand.mediaan"])[:7] == TOTALS and set(frame["organisatie"]) == {"*"}
    assert (frame.loc[0, "a4.waarde"], frame.loc[0, "per_soort.vernietigen"]) == (8.0, 7)


def test_the_ibt_report_has_the_planning_section(planned, client):
    login(client, "programmateam")
    # The recorded 4,0 FTE and the default target date, the end of week 13: 31-05 + 91 days = 30-08-2026. By then
    # (and 13 weeks on) A4 allows 6 archiveren tasks of 296 closed (250 + round(3,5 x 13); 6/296 = 2,0%). Oldest
    # first, by step 13 there are 7 + 20 + 2 + 5 tasks and 4 estimated archiveren (days 39, 56, 72, 89): 29
    # archiveren in all, so the first 32 tasks must be done: floor(2,5 f x 13) >= 32, f >= 0,99 -> 1,0 (0,9 does
    # 29). The vernietigen tasks are among the first 29. So 1,0.
    answer = "Met 4,0 fte is de achterstand binnen de normen in week 25 van 2026; voor 30-08-2026 is 1,0 fte nodig."
    html = unescape(client.get("/ibt/rapport?peildatum=2026-05-31").get_data(as_text=True))
    assert "Capaciteitsplanning PiA" in html and answer in html
    row = re.search(r'data-organisatie="\*">(.*?)</tr>', html, re.S).group(1)
    assert [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)] == [
        "Alle vier organisaties", "4,0", "week 25 van 2026", "1,0"]
    book = load_workbook(io.BytesIO(client.get("/ibt/rapport.xlsx?peildatum=2026-05-31").data))
    rows = [row for row in book["Capaciteitsplanning"].iter_rows(values_only=True) if row[0]]
    assert ("Alle vier organisaties", 4.0, "week 25 van 2026", 1.0, answer) in rows
    # A teamleider's report covers their own teams only: no organisation-level planning in it
    client.post("/logout")
    login(client, "teamleider")
    assert "Capaciteitsplanning PiA" not in client.get("/ibt/rapport?peildatum=2026-05-31").get_data(as_text=True)


def test_the_api_document_matches_its_openapi_schema(planned, client):
    login(client, "pia")
    spec = client.get("/api/v1/openapi.json").json
    validator = Draft202012Validator({"$ref": "#/components/schemas/Planning", "components": spec["components"]})
    for query in (API_WHAT_IF, "peildatum=2026-05-31&organisatie=uithoorn", ""):
        body = client.get(f"/api/v1/planning?{query}").json
        assert [e.message for e in validator.iter_errors(body)] == [], query


@pytest.mark.parametrize(("query", "parameter"), [
    ("fte=3,2,1", "fte"), ("fte=-1", "fte"), ("fte=nan", "fte"), ("fte=101", "fte"),
    ("doeldatum=2026-06-06&peildatum=2026-05-31", "doeldatum"), ("doeldatum=01-07-2027", "doeldatum"),
    ("organisatie=amsterdam", "organisatie"), ("team=OE-A", "team")])
def test_api_refuses_bad_input_naming_the_parameter(planned, client, query, parameter):
    login(client, "programmateam")
    response = client.get(f"/api/v1/planning?{query}")
    assert response.status_code == 400 and f"'{parameter}'" in response.json["fout"], response.json


def test_roles(planned, client):
    login(client, "pia")
    html = client.get(f"/archief/planning?{WHAT_IF}").get_data(as_text=True)
    assert ANSWER in html and "Fte vastleggen" not in html  # PiA looks, does not record
    assert re.search(r'href="/archief/planning"\s+aria-current="page">Capaciteitsplanning</a>', html)  # navigation
    assert client.post("/archief/planning/fte", data={"fte": "1", "van": "01-06-2026"}).status_code == 403
    client.post("/logout")
    login(client, "teamleider")
    assert client.get("/archief/planning").status_code == 403
    assert client.get("/api/v1/planning").status_code == 403
    assert "Capaciteitsplanning" not in client.get("/archief/").get_data(as_text=True)


def test_recording_fte_with_a_decimal_comma(planned, client):
    login(client, "programmateam")
    response = client.post("/archief/planning/fte", data={
        "organisatie": "uithoorn", "fte": "3,2", "van": "01-06-2026", "tot": "30-06-2026", "notitie": "inhuur"})
    assert response.status_code == 302 and response.headers["Location"] == "/archief/planning"
    with planned.app_context():
        row = db.session.scalars(select(PiaFte).order_by(PiaFte.id.desc())).first()
        assert (row.fte, row.van.isoformat(), row.tot.isoformat(), row.notitie) == (3.2, "2026-06-01", "2026-06-30",
                                                                                    "inhuur")
        entry = db.session.scalars(select(AuditLog).where(AuditLog.actie == "fte_vastleggen")).one()
        assert (entry.actor, entry.object, entry.resultaat) == ("prog", "pia_fte uithoorn", "ok")
        assert entry.details == "3,2 fte van 01-06-2026 tot en met 30-06-2026; inhuur"
    html = client.get("/archief/planning?peildatum=2026-06-15&organisatie=uithoorn").get_data(as_text=True)
    assert "Gemeente Uithoorn</th><td class=\"utrecht-table__cell numeric\">3,2</td>" in html  # the history
    assert "Met 4,0 fte (en 3,2 fte alleen voor Gemeente Uithoorn)" in html  # on top of the shared 4,0 on 15-06


@pytest.mark.parametrize(("data", "message"), [
    ({"fte": "3.2.1", "van": "01-06-2026"}, "geen aantal fte"),
    ({"fte": "", "van": "01-06-2026"}, "Vul het aantal fte in."),
    ({"fte": "2", "van": "2026-31-01"}, "Ongeldige datum"),
    ({"fte": "2", "van": ""}, "Vul de begindatum in"),
    ({"fte": "2", "van": "01-06-2026", "tot": "31-05-2026"}, "De einddatum ligt voor de begindatum."),
    ({"fte": "2", "van": "01-06-2026", "organisatie": "amsterdam"}, "Onbekende organisatie"),
])
def test_recording_fte_refuses_bad_input(planned, client, data, message):
    login(client, "beheerder")
    response = client.post("/archief/planning/fte", data=data)
    assert response.status_code == 400 and message in unescape(response.get_data(as_text=True))
    with planned.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(PiaFte)) == 2  # the two of the world
        assert db.session.scalars(select(AuditLog.resultaat).where(AuditLog.actie == "fte_vastleggen")).all() == [
            "geweigerd: ongeldige invoer"]


def test_page_refuses_bad_inputs_with_a_message(planned, client):
    login(client, "programmateam")
    response = client.get("/archief/planning?peildatum=31-05-2026&doeldatum=06-06-2026&fte=drie")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and 'class="error-summary"' in html
    assert "'drie' is geen aantal fte" in html and "De doeldatum moet op of na 07-06-2026 liggen" not in html
    response = client.get("/archief/planning?peildatum=31-05-2026&doeldatum=06-06-2026")
    assert response.status_code == 400
    assert "De doeldatum moet op of na 07-06-2026 liggen" in unescape(response.get_data(as_text=True))
    assert client.get("/archief/planning.xlsx?fte=drie").status_code == 400


def test_report_command_refuses_bad_options(planned):
    runner = planned.test_cli_runner()
    bad_fte = runner.invoke(args=["report", "planning", "--fte", "drie"])
    assert bad_fte.exit_code == 2 and "'drie' is geen aantal fte" in bad_fte.output
    early = runner.invoke(args=["report", "planning", "--peildatum", "2026-05-31", "--doeldatum", "2026-06-06"])
    assert early.exit_code == 2 and "--doeldatum" in early.output and "op of na 07-06-2026" in early.output
    elsewhere = runner.invoke(args=["report", "backlog", "--fte", "2"])
    assert elsewhere.exit_code == 2 and "horen alleen bij 'report planning'" in elsewhere.output
