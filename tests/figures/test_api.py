"""The JSON API: login, role scoping, parameter validation, paging, the OpenAPI description and the
report command giving the same JSON."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from duo_zaak.db import db
from duo_zaak.formatting import today_amsterdam

from ..conftest import login
from .builders import P, World

PD = P.isoformat()
ENDPOINTS = {"backlog": "Backlog", "backlog/zaken": "OpenZaken", "archief": "Archief", "archief/taken": "Taken",
             "indicatoren": "Indicatoren",
             "ranglijst": "Ranglijst", "kwaliteit": "Kwaliteit"}


@pytest.fixture
def data(app):
    with app.app_context():
        world = World(app.config["ORGANISATIES"])
        world.zaak(team="OE-A", fatale_datum="2026-05-01")  # open, overdue
        world.zaak(team="OE-B", fatale_datum="2026-06-01")  # open, on time
        world.zaak(team=None, fatale_datum="2026-06-01")  # open, no team
        a = world.zaak(team="OE-A", einddatum="2026-04-01", archiveren_vervalt="2026-05-01")
        world.task(a, "archiveren")
        world.zaak(team="OE-B", einddatum="2026-04-01", aanvullen_vervalt="2026-04-11", aanvullen_ooit=True)
        world.zaak(org="uithoorn", team="OE-B", einddatum="2020-01-01", vernietigen_vervalt="2026-01-01")
        world.snapshot("2026-04-16", "achterstand", 3, team="OE-A")
        db.session.commit()


def _get(client, path, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/api/v1/{path}" + (f"?{query}" if query else ""))


def test_login_required(client, data):
    for path in (*ENDPOINTS, "openapi.json"):
        response = _get(client, path)
        assert response.status_code == 401 and response.json == {"fout": "Log in om deze gegevens te zien."}


def test_teamleider_sees_only_own_teams(client, data, users):
    login(client, "programmateam")
    everything = _get(client, "backlog", peildatum=PD).json
    assert everything["totaal"]["open"] == 3 and everything["totaal"]["termijn_overschreden"] == 1
    assert [t["id"] for t in everything["organisaties"][1]["teams"]] == ["OE-A", "OE-B", None]
    assert _get(client, "archief", peildatum=PD).json["totaal"]["achterstand"] == 3
    taken = _get(client, "archief/taken", peildatum=PD).json
    # worked out from the fixture, P = 15-05-2026: archiveren due 01-05 (14 days), aanvullen due 11-04 (34),
    # vernietigen due 01-01 (31 + 28 + 31 + 30 + 14 = 134)
    assert taken["count"] == 3
    assert sorted((t["soort"], t["organisatie"], t["team"]["id"], t["vervaldatum"], t["dagen_open"], t["status"])
                  for t in taken["results"]) == [
        ("archiefgegevens_aanvullen", "diemen", "OE-B", "2026-04-11", 34, "open"),
        ("archiveren", "diemen", "OE-A", "2026-05-01", 14, "open"),
        ("vernietigen", "uithoorn", "OE-B", "2026-01-01", 134, "open"),
    ]
    client.post("/logout")
    login(client, "teamleider")  # leads OE-A
    own = _get(client, "backlog", peildatum=PD).json
    assert own["totaal"]["open"] == 1 and own["totaal"]["termijn_overschreden"] == 1
    assert [[t["id"] for t in org["teams"]] for org in own["organisaties"]] == [[], ["OE-A"], [], []]
    archief = _get(client, "archief", peildatum=PD).json
    assert archief["totaal"]["achterstand"] == 1 and archief["totaal"]["per_soort"]["archiveren"] == 1
    taken = _get(client, "archief/taken", peildatum=PD).json
    assert taken["count"] == 1 and taken["results"][0]["team"] == {"id": "OE-A", "naam": "Team OE-A"}
    assert {b["code"]: b["aantal"] for b in _get(client, "kwaliteit", peildatum=PD).json["bevindingen"]}[
        "geen_team"] == 0
    ranglijst = _get(client, "ranglijst", peildatum=PD).json
    assert [(t["id"], t["achterstand"], t["trend"]) for t in ranglijst["teams"]] == [("OE-A", 1, -2)]
    indicatoren = _get(client, "indicatoren", peildatum=PD).json
    diemen = indicatoren["organisaties"][1]
    assert {i["code"]: (i["teller"], i["noemer"]) for i in diemen["indicatoren"]}["Z2"] == (1, 1)


BAD_PARAMETERS = [
    ("backlog", {"peildatum": "2026-13-01"}, "peildatum"),
    ("archief", {"peildatum": "15-05-2026"}, "peildatum"),
    ("kwaliteit", {"peildatum": "20260515"}, "peildatum"),
    ("indicatoren", {"team": "OE-A"}, "team"),
    ("backlog", {"foo": "1"}, "foo"),
    ("archief/taken", {"page": "0"}, "page"),
    ("archief/taken", {"page": "twee"}, "page"),
    ("archief/taken", {"page": "%C2%B2"}, "page"),  # a superscript two is no page number
    ("archief/taken", {"status": "klaar"}, "status"),
    ("archief/taken", {"soort": "opruimen"}, "soort"),
    ("archief/taken", {"organisatie": "amsterdam"}, "organisatie"),
    ("ranglijst", {"van": "2026-05-02", "tot": "2026-05-01"}, "van"),
    ("ranglijst", {"tot": "gisteren"}, "tot"),
    ("openapi.json", {"peildatum": PD}, "peildatum"),
]


def test_bad_parameters_are_400_naming_the_parameter(client, data, users):
    login(client, "pia")
    for path, params, parameter in BAD_PARAMETERS:
        response = _get(client, path, **params)
        assert response.status_code == 400, (path, params)
        assert f"'{parameter}'" in response.json["fout"], (path, params, response.json)
    response = client.get(f"/api/v1/backlog?peildatum={PD}&peildatum={PD}")
    assert response.status_code == 400 and "'peildatum'" in response.json["fout"]
    assert _get(client, "backlog").json["peildatum"] == today_amsterdam().isoformat()  # the default


def test_task_list_pages(app, client, users):
    with app.app_context():
        world = World(app.config["ORGANISATIES"])
        for n in range(101):
            world.zaak(team="OE-A", einddatum="2026-01-01", archiveren_vervalt=f"2026-0{1 + n % 4}-0{1 + n % 9}")
        world.zaak(team="OE-B", einddatum="2026-01-01", vernietigen_vervalt="2026-01-01")
        db.session.commit()
    login(client, "pia")
    first = _get(client, "archief/taken", peildatum=PD, soort="archiveren").json
    assert first["count"] == 101 and len(first["results"]) == 100
    # no BASE_URL or TRUSTED_HOSTS configured: a link relative to this server (never one from the Host header)
    assert first["next"].startswith("/api/v1/archief/taken?")
    assert "soort=archiveren" in first["next"] and "page=2" in first["next"] and f"peildatum={PD}" in first["next"]
    dagen = [t["dagen_open"] for t in first["results"]]
    assert dagen == sorted(dagen, reverse=True)
    row = first["results"][0]
    assert set(row) == {"id", "zaak_identificatie", "zaak_url", "organisatie", "team", "soort", "vervaldatum",
                        "dagen_open", "status"}
    assert (row["id"], row["status"], row["organisatie"], row["vervaldatum"]) == (None, "open", "diemen", "2026-01-01")
    second = client.get(first["next"]).json
    assert (second["count"], len(second["results"]), second["next"]) == (101, 1, None)
    past_end = _get(client, "archief/taken", peildatum=PD, soort="archiveren", page=3).json
    assert (past_end["count"], past_end["results"], past_end["next"]) == (101, [], None)
    assert _get(client, "archief/taken", peildatum=PD, status="gemeld_gereed").json["count"] == 0
    assert _get(client, "archief/taken", peildatum=PD, team="OE-B").json["count"] == 1


def _openapi(client):
    login(client, "pia")
    return client.get("/api/v1/openapi.json").json


def test_openapi_is_valid_and_describes_every_api_route(app, client, users):
    spec = _openapi(client)
    validate(spec)
    routes = {rule.rule.replace("<", "{").replace(">", "}") for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/")}
    assert routes == set(spec["paths"])
    posted = {"/api/v1/notificaties"}  # the receiver of notifications: machine traffic, POST only
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            method = "POST" if rule.rule in posted else "GET"
            assert rule.methods - {"HEAD", "OPTIONS"} == {method}
            assert set(spec["paths"][rule.rule]) == {method.lower()}


def test_responses_match_the_openapi_schemas(client, data, users):
    spec = _openapi(client)
    for path, schema in ENDPOINTS.items():
        validator = Draft202012Validator({"$ref": f"#/components/schemas/{schema}", "components": spec["components"]})
        body = _get(client, path, peildatum=PD).json
        errors = [e.message for e in validator.iter_errors(body)]
        assert errors == [], (path, errors)
    duoplus = _get(client, "indicatoren", peildatum=PD).json["organisaties"][0]
    assert duoplus["kpis"] == [{"nummer": n, "oordeel": None} for n in range(1, 11)]
    # Duo+ has no zaken, so no archive backlog: its forecast reads "geen achterstand" (not "geen daling", and not
    # null for want of snapshots)
    assert duoplus["gereed_voor_opheffing"] is False and duoplus["prognose_achterstand_nul"] == "geen achterstand"
    assert duoplus["ontbreekt"][0] == "geen gegevens voor 2026-02" and len(duoplus["ontbreekt"]) == 3 + 10
    a2 = next(i for i in duoplus["indicatoren"] if i["code"] == "A2")
    assert a2 == {"code": "A2", "waarde": 0, "teller": 0, "noemer": None, "norm": "geen taak ouder dan 90 dagen",
                  "voldoet": True}


def test_report_command_prints_the_api_json(app, client, data, users):
    login(client, "programmateam")
    runner = app.test_cli_runner()
    for name in ("backlog", "archief", "indicatoren", "ranglijst", "kwaliteit"):
        result = runner.invoke(args=["report", name, "--peildatum", PD])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == _get(client, name, peildatum=PD).json, name


def test_report_command_csv_and_table(app, data):
    runner = app.test_cli_runner()
    csv = runner.invoke(args=["report", "backlog", "--peildatum", PD, "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    frame = pd.read_csv(io.StringIO(csv.output))
    assert {"peildatum", "organisatie", "team", "open", "ouderdom.1-30"} <= set(frame.columns)
    totaal = frame[frame["organisatie"] == "*"].iloc[0]
    assert (totaal["open"], totaal["termijn_overschreden"]) == (3, 1)
    oe_a = frame[(frame["organisatie"] == "diemen") & (frame["team"] == "OE-A")].iloc[0]
    assert (oe_a["open"], oe_a["ouderdom.1-30"]) == (1, 1)
    table = runner.invoke(args=["report", "kwaliteit", "--peildatum", PD, "--format", "table"])
    assert table.exit_code == 0, table.output
    lines = [line.split() for line in table.output.splitlines()]
    assert lines[0] == ["peildatum", "code", "omschrijving", "aantal"]
    counts = {parts[1]: int(parts[-1]) for parts in lines[1:]}
    # one open zaak without a team; the uithoorn zaak closed 01-01-2020 but started 01-01-2026
    assert {code: n for code, n in counts.items() if n} == {"geen_team": 1, "einddatum_voor_startdatum": 1}
    assert set(counts) == {b["code"] for b in json.loads(runner.invoke(
        args=["report", "kwaliteit", "--peildatum", PD]).output)["bevindingen"]}
    indicatoren = runner.invoke(args=["report", "indicatoren", "--peildatum", PD, "--format", "csv"])
    assert indicatoren.exit_code == 0, indicatoren.output
    rows = pd.read_csv(io.StringIO(indicatoren.output), dtype={"organisatie": str})
    assert len(rows) == 4 * 7 and set(rows["code"]) == {"Z1", "Z2", "Z3", "A1", "A2", "A3", "A4"}
    by_key = {(row.organisatie, row.code): row for row in rows.itertuples()}
    z2 = by_key[("diemen", "Z2")]  # 1 of the 3 open diemen zaken is over its fatale datum
    assert (z2.teller, z2.noemer, z2.waarde) == (1, 3, 33.3)
    a2 = by_key[("uithoorn", "A2")]  # the one vernietigen task in the backlog
    assert (a2.teller, a2.waarde) == (1, 1)
    ranglijst = runner.invoke(args=["report", "ranglijst", "--peildatum", PD, "--format", "csv"])
    assert ranglijst.exit_code == 0, ranglijst.output
    teams = pd.read_csv(io.StringIO(ranglijst.output)).astype(object)
    teams = teams.where(teams.notna(), None)
    # nothing closed in the period: no rank; backlog per 100 closed in 365 days (1 of 1, 2 of 1)
    assert [(r.id, r.gesloten, r.achterstand, r.achterstand_per_100, r.trend, r.meest_verbeterd)
            for r in teams.itertuples()] == [("OE-A", 0, 1, 100.0, -2.0, True), ("OE-B", 0, 2, 200.0, None, False)]
    assert runner.invoke(args=["report", "onzin"]).exit_code != 0
