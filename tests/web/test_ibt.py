"""The IBT workspace through the Flask test client: indicator cards equal to the API, readiness from constructed
snapshot histories, the month table and norm changes, KPI edits with history and audit, the report (XLSX and
HTML), the demo back-fill command, roles and bad input."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from duo_zaak.commands import reports as report_commands
from duo_zaak.db import db
from duo_zaak.figures import demo_history, snapshots
from duo_zaak.figures.indicators import set_kpi
from duo_zaak.figures.scope import organisations
from duo_zaak.figures.snapshots import take_snapshot
from duo_zaak.formatting import getal, procent
from duo_zaak.models import AuditLog, KpiOordeel, Snapshot, SyncRun
from duo_zaak.rules import ibt as ibt_rules

from ..conftest import login
from ..figures.builders import World
from ..handbuilt import PEILDATUM

CODES = tuple(ibt_rules.INDICATOREN)
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
P = PEILDATUM  # 15-05-2026


class _Text(HTMLParser):
    """The text inside the element with a given id (and whether it was found)."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id, self.depth, self.tag, self.parts, self.found = element_id, 0, "", [], False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if self.depth:
            self.depth += tag == self.tag
        elif dict(attrs).get("id") == self.element_id:
            self.tag, self.depth, self.found = tag, 1, True

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if self.depth and tag == self.tag:
            self.depth -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    parser = _Text(element_id)
    parser.feed(html)
    assert parser.found, f"no element with id {element_id!r}"
    return " ".join(" ".join(parser.parts).split())


def _page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script" not in html  # strict CSP: no inline style or script
    return html


@pytest.fixture
def world(app, users):
    with app.app_context():
        built = World(app.config["ORGANISATIES"])
        db.session.add(SyncRun(modus="volledig", uitkomst="geslaagd", geeindigd_op=datetime.now(UTC)))
        db.session.commit()
        yield built
        db.session.rollback()


def _month_end(month: str) -> date:
    first = date.fromisoformat(month + "-01")
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def snapshot_month(day: date | str, org: str = "diemen", failing: tuple[str, ...] = (), norms: dict | None = None):
    """The seven indicator rows of one day: met (99 of 100) except the codes in `failing` (50 of 100)."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    for code in CODES:
        norm = (norms or {}).get(code) or ibt_rules.norm_tekst(ibt_rules.DEFAULT_NORMS[code])
        met = code not in failing
        teller, noemer = (99, 100) if met else (50, 100)
        if code in ("A2", "A3"):
            teller, noemer = (0, None) if met else (4, None)
        db.session.add(Snapshot(datum=day, organisatie=org, team="*", metriek=code, teller=teller, noemer=noemer,
                                waarde=float(teller), norm=norm, voldoet=met))


def all_kpis(org_id: int, oordeel: str = "ja", user: int | None = None) -> None:
    for nummer in ibt_rules.KPI_NAMEN:
        set_kpi(org_id, nummer, oordeel, gebruiker_id=user)


def _api(client, peildatum: date) -> dict:
    response = client.get(f"/api/v1/indicatoren?peildatum={peildatum.isoformat()}")
    assert response.status_code == 200
    return {o["code"]: o for o in response.json["organisaties"]}


# -- readiness -----------------------------------------------------------------------------------------

@pytest.fixture
def history(world):
    """Diemen: 2025-11 misses Z2, December to February are good, March misses Z2 again. All KPIs 'ja'.
    A failing mid-month day (10-01) is not the month's figure: the month's last day decides."""
    snapshot_month("2025-11-30", failing=("Z2",))
    for month in ("2025-12", "2026-01", "2026-02"):
        snapshot_month(_month_end(month))
    snapshot_month("2026-01-10", failing=("Z1", "A4"))
    snapshot_month("2026-03-31", failing=("Z2",))
    all_kpis(world.orgs["diemen"].id)
    db.session.commit()
    return world


@pytest.mark.parametrize(("peildatum", "ready", "missing"), [
    (date(2026, 1, 15), False, "geen gegevens voor 2025-10"),
    (date(2026, 2, 10), False, "Z2 aandeel termijn overschreden: norm niet gehaald in 2025-11"),
    (date(2026, 3, 10), True, None),  # December, January, February: three good months
    (date(2026, 4, 10), False, "Z2 aandeel termijn overschreden: norm niet gehaald in 2026-03"),  # drops back
])
def test_ready_after_three_good_months_and_back_when_one_indicator_misses(client, history, peildatum, ready,
                                                                          missing):
    login(client, "programmateam")
    api = _api(client, peildatum)["diemen"]
    assert api["gereed_voor_opheffing"] is ready
    html = _page(client, f"/ibt?peildatum={peildatum.isoformat()}")
    verdict = text_of(html, "gereed-diemen")
    assert ("✓ gereed" in verdict) is ready and ("nog niet gereed" in verdict) is not ready
    if missing:
        assert missing in api["ontbreekt"] and missing in verdict
    else:
        assert api["ontbreekt"] == [] and "ontbreekt" not in verdict
    for line in api["ontbreekt"]:
        assert line in verdict


def test_a_kpi_not_ja_blocks_readiness(client, history, users):
    set_kpi(history.orgs["diemen"].id, 9, "deels", gebruiker_id=users["programmateam"])
    db.session.commit()
    login(client, "programmateam")
    api = _api(client, date(2026, 3, 10))["diemen"]
    assert api["gereed_voor_opheffing"] is False
    assert api["ontbreekt"] == ["KPI 9 Rampen, calamiteiten en veiligheid: oordeel 'deels'"]
    assert "KPI 9 Rampen, calamiteiten en veiligheid: oordeel 'deels'" in text_of(
        _page(client, "/ibt?peildatum=2026-03-10"), "gereed-diemen")


@BOTH
def test_readiness_window_edit_with_history(client, history):
    login(client, "programmateam")
    assert _api(client, date(2026, 3, 10))["diemen"]["gereed_voor_opheffing"] is True
    for bad in ("0", "13", "drie", ""):
        response = client.post("/ibt/normen/venster", data={"maanden": bad})
        assert response.status_code == 400
    response = client.post("/ibt/normen/venster", data={"maanden": "4", "toelichting": "strenger"})
    assert response.status_code == 302
    api = _api(client, date(2026, 3, 10))["diemen"]  # now November too, which missed Z2
    assert api["gereed_voor_opheffing"] is False
    assert api["ontbreekt"] == ["Z2 aandeel termijn overschreden: norm niet gehaald in 2025-11"]
    assert "laatste 4 volledige maanden" in _page(client, "/ibt?peildatum=2026-03-10")
    normen = _page(client, "/ibt/normen")
    assert "4 maanden" in text_of(normen, "norm-venster") and "3 maanden → 4 maanden" in normen
    assert "strenger" in normen


# -- the cards equal the API ---------------------------------------------------------------------------

@pytest.fixture
def figures(world):
    """Zaken giving every kind of indicator figure, and 8 weeks of falling backlog counts for Diemen."""
    world.zaak(startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10")  # on time
    world.zaak(startdatum="2026-02-01", einddatum="2026-03-01", fatale_datum="2026-02-20",
               aanvullen_vervalt="2026-03-11")  # late, archive data incomplete (backlog)
    world.zaak(startdatum="2026-01-01", einddatum="2026-02-14", fatale_datum="2026-03-01",
               archiveren_vervalt="2026-03-16")  # archiving backlog
    world.zaak(startdatum="2025-01-01", einddatum="2025-05-15", vernietigen_vervalt="2026-01-01")  # old destruction
    world.zaak(startdatum="2026-04-01", fatale_datum="2026-05-01")  # open, overdue
    world.zaak(startdatum="2026-01-01", team=None, fatale_datum="2026-06-01")  # open, no team
    world.zaak(org="uithoorn", startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10")
    world.zaak(org="uithoorn", startdatum="2000-01-01", einddatum="2000-06-01", overbrengen_vervalt="2026-02-14")
    snapshot_month("2026-03-31")
    snapshot_month("2026-04-30", failing=("Z1",))
    start = P - timedelta(days=55)
    for day in range(56):
        world.snapshot(start + timedelta(days=day), "achterstand", 112 - 2 * day, organisatie="diemen")
        world.snapshot(start + timedelta(days=day), "achterstand", 5, organisatie="uithoorn")
    db.session.commit()
    return world


def test_cards_show_the_api_figures(client, figures):
    login(client, "programmateam")
    api = _api(client, P)
    html = _page(client, f"/ibt?peildatum={P.isoformat()}")
    for code, org in api.items():
        slug = code or "onbekend"
        for indicator in org["indicatoren"]:
            code = indicator["code"]
            card = text_of(html, f"kaart-{slug}-{code}")
            if code in ("A2", "A3"):
                assert card.startswith(f"{code} {ibt_rules.INDICATOREN[code]} {getal(indicator['waarde'])} ")
                assert f"Taken in achterstand {getal(indicator['teller'])}" in card
            else:
                assert card.startswith(f"{code} {ibt_rules.INDICATOREN[code]} {procent(indicator['waarde'])} ")
                assert f"Teller / noemer {getal(indicator['teller'])} / {getal(indicator['noemer'])}" in card
            assert ("voldoet niet" in card) is not indicator["voldoet"]
            assert f"Norm {indicator['norm']}" in card
    assert text_of(html, "kaart-diemen-Z1").startswith(
        "Z1 tijdigheid 50,0% ✗ voldoet niet Norm ≥ 90% Teller / noemer 1 / 2")
    # the forecast: 112 - 2x reaches zero on 16-05-2026; Uithoorn's line is flat
    assert api["diemen"]["prognose_achterstand_nul"] == "2026-05-16"
    assert "nul op 16-05-2026" in text_of(html, "prognose-diemen")
    assert "geen daling" in text_of(html, "prognose-uithoorn")
    # Duo+ has no archive backlog at all: "geen achterstand", whatever the snapshots
    assert api["duoplus"]["prognose_achterstand_nul"] == "geen achterstand"
    assert "Prognose: geen achterstand" in text_of(html, "prognose-duoplus")
    assert 'aria-labelledby="prognose-diemen-titel prognose-diemen-beschrijving"' in html
    assert "Prognose: de achterstand is nul op 16-05-2026." in html  # the chart's description
    # a sparkline per card of Diemen (the only one with month snapshots), two forecast charts
    assert html.count('role="img"') == 7 + 2
    assert 'aria-labelledby="spark-diemen-Z1-titel spark-diemen-Z1-beschrijving"' in html
    assert "Z1 tijdigheid per maand, mei 2025 tot en met april 2026: 99,0% in maart 2026, 50,0% in april 2026." in html
    assert "Nog geen maandcijfers" in text_of(html, "kaart-uithoorn-Z1")


def test_teamleider_reads_the_figures_of_own_teams(client, figures):
    login(client, "teamleider")  # leads OE-A
    api = _api(client, P)
    html = _page(client, f"/ibt?peildatum={P.isoformat()}")
    assert "U ziet de cijfers van uw eigen teams" in html
    z3 = next(i for i in api["diemen"]["indicatoren"] if i["code"] == "Z3")
    assert (z3["teller"], z3["noemer"]) == (4, 4)  # the zaak without a team is not in the scope
    assert "Teller / noemer 4 / 4" in text_of(html, "kaart-diemen-Z3")
    assert "bewerken" not in html


# -- month table and norms -----------------------------------------------------------------------------

def _snapshot_rows():
    return sorted((r.datum, r.organisatie, r.team, r.metriek, r.teller, r.noemer, r.waarde, r.norm, r.voldoet)
                  for r in db.session.scalars(select(Snapshot)))


def test_month_table_marks_misses_and_a_norm_change_leaves_the_past_untouched(client, app, history, monkeypatch):
    login(client, "programmateam")
    maart = _page(client, "/ibt/maanden?peildatum=2026-04-10")
    assert "✗ voldoet niet" in text_of(maart, "maanden-diemen") and "cel--nee" in maart
    with app.app_context():
        before = _snapshot_rows()
    response = client.post("/ibt/normen/Z1", data={"operator": ">=", "waarde": "99,5", "toelichting": "aangescherpt"})
    assert response.status_code == 302
    with app.app_context():
        assert _snapshot_rows() == before  # no snapshot rewritten
        entry = db.session.scalar(select(AuditLog).where(AuditLog.actie == "norm_wijzigen"))
        assert (entry.actor, entry.object, entry.details) == ("prog", "Z1", "≥ 90% → ≥ 99,5%")
    after = _page(client, "/ibt/maanden?peildatum=2026-04-10")
    assert "norm nu: ≥ 99,5%" in after
    # the five past months with snapshots keep their figure, verdict and the norm of their day
    assert after.count("norm toen: ≥ 90%") == 5
    unchanged = text_of(after, "maanden-diemen").replace(" norm toen: ≥ 90%", "")
    assert unchanged.replace("norm nu: ≥ 99,5%", "norm nu: ≥ 90%") == text_of(maart, "maanden-diemen")
    # today's figure uses the new norm; a new snapshot stores it, the old rows keep theirs
    monkeypatch.setattr(snapshots, "today_amsterdam", lambda: date(2026, 4, 10))
    with app.app_context():
        take_snapshot(date(2026, 4, 10))
        rows = {r.datum: r.norm for r in db.session.scalars(
            select(Snapshot).where(Snapshot.metriek == "Z1", Snapshot.organisatie == "diemen"))}
    assert rows[date(2026, 4, 10)] == "≥ 99,5%" and rows[date(2026, 2, 28)] == "≥ 90%"
    assert next(i for i in _api(client, date(2026, 4, 10))["diemen"]["indicatoren"]
                if i["code"] == "Z1")["norm"] == "≥ 99,5%"
    normen = _page(client, "/ibt/normen")
    assert "≥ 99,5%" in text_of(normen, "norm-Z1") and "≥ 90% → ≥ 99,5%" in normen and "aangescherpt" in normen


def test_month_table_cells(client, history):
    login(client, "programmateam")
    html = _page(client, "/ibt/maanden?peildatum=2026-04-10")
    rows = text_of(html, "maanden-diemen")
    # 12 completed months April 2025 - March 2026: five with snapshots, seven without
    assert rows.count("geen gegevens") == 7 * 7
    assert "maart 2026 99,0% (99 van 100) ✓ voldoet 50,0% (50 van 100) ✗ voldoet niet" in rows
    assert "januari 2026 99,0% (99 van 100) ✓ voldoet" in rows  # the month's last day, not 10-01
    assert "norm toen:" not in rows


def test_norm_form_validation(client, world):
    login(client, "beheerder")
    for data, message in [
        ({"operator": ">=", "waarde": "101"}, "Een percentage van 0 tot en met 100."),
        ({"operator": ">=", "waarde": "veel"}, "Geen geldig getal: gebruik cijfers met een komma"),
        ({"operator": ">=", "waarde": "87,5,1"}, "Geen geldig getal"),
        ({"operator": "max_leeftijd", "waarde": "90"}, "Kies een van de genoemde soorten norm."),
        ({"operator": "<=", "waarde": ""}, "Vul een waarde in."),
        ({"operator": ">=", "waarde": "95", "toelichting": "x" * 501}, "Maximaal 500 tekens."),
    ]:
        response = client.post("/ibt/normen/Z1", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    response = client.post("/ibt/normen/A2", data={"operator": "max_leeftijd", "waarde": "60,5"})
    assert "Een aantal dagen" in response.get_data(as_text=True)
    assert client.post("/ibt/normen/A2", data={"operator": "max_leeftijd", "waarde": "60"}).status_code == 302
    assert "geen taak ouder dan 60 dagen" in text_of(_page(client, "/ibt/normen"), "norm-A2")
    # a decimal comma is a decimal comma (it became 875 in the browser's number field), and so is a point
    for typed in ("87,5", "87.5"):
        assert client.post("/ibt/normen/Z1", data={"operator": ">=", "waarde": typed}).status_code == 302
        assert "87,5" in text_of(_page(client, "/ibt/normen"), "norm-Z1")
    form = _page(client, "/ibt/normen/Z1")
    assert 'inputmode="decimal"' in form and 'type="number"' not in form and 'value="87,5"' in form


# -- KPIs ----------------------------------------------------------------------------------------------

KPI = "/ibt/kpi/diemen/3"


def test_kpi_streefdatum_is_typed_and_shown_the_dutch_way(client, world):
    login(client, "programmateam")
    form = _page(client, KPI)
    assert 'type="date"' not in form and 'placeholder="dd-mm-jjjj"' in form
    assert client.post(KPI, data={"oordeel": "deels", "streefdatum": "31-03-2027"}).status_code == 302
    assert 'value="31-03-2027"' in _page(client, KPI)  # not 03/31/2027, whatever the browser's locale


@BOTH
def test_kpi_edits_keep_history_and_are_audited(client, app, world):
    login(client, "programmateam")
    first = {"oordeel": "deels", "eigenaar": "Archivaris Diemen", "streefdatum": "2026-12-31",
             "notitie": "Ordening op orde; duurzaamheid nog niet.",
             "bewijs": "https://intranet.example/kpi3-rapport.pdf\n\n  http://docs.example/plan  "}
    response = client.post(KPI, data=first)
    assert response.status_code == 302 and response.location.endswith(KPI)
    html = _page(client, KPI)
    assert "KPI 3 van Gemeente Diemen is opgeslagen." in html
    client.post("/logout")
    login(client, "beheerder")
    assert client.post(KPI, data={**first, "oordeel": "ja", "bewijs": "https://intranet.example/kpi3-v2.pdf"}
                       ).status_code == 302
    html = _page(client, KPI)
    history = html[html.index("Geschiedenis"):]
    assert history.index("Bert") < history.index("Paul")  # newest first, with who
    assert "oordeel: deels → ja" in history
    assert ("bewijs: https://intranet.example/kpi3-rapport.pdf, http://docs.example/plan → "
            "https://intranet.example/kpi3-v2.pdf") in history
    assert "streefdatum: – → 31-12-2026" in history and "eigenaar: – → Archivaris Diemen" in history
    with app.app_context():
        rows = db.session.scalars(select(KpiOordeel).order_by(KpiOordeel.id)).all()
        assert [(r.nummer, r.oordeel, r.streefdatum) for r in rows] == [(3, "deels", date(2026, 12, 31)),
                                                                          (3, "ja", date(2026, 12, 31))]
        assert rows[0].bewijs == "https://intranet.example/kpi3-rapport.pdf\nhttp://docs.example/plan"
        audit = db.session.scalars(select(AuditLog).where(AuditLog.actie == "kpi_wijzigen")
                                   .order_by(AuditLog.id)).all()
        assert [(a.actor, a.object, a.resultaat) for a in audit] == [("prog", "diemen/KPI 3", "ok"),
                                                                     ("admin", "diemen/KPI 3", "ok")]
        assert audit[1].details.startswith("oordeel: deels → ja")
    assert {k["nummer"]: k["oordeel"] for k in _api(client, P)["diemen"]["kpis"]}[3] == "ja"
    overview = _page(client, "/ibt/kpi/diemen")
    assert "✓ ja" in text_of(overview, "kpi-3") and 'href="https://intranet.example/kpi3-v2.pdf"' in overview


@pytest.mark.parametrize(("data", "message"), [
    ({"bewijs": "https://ok.example/a\njavascript:alert(1)"}, "Link 2 is geen http(s)-adres: javascript:alert(1)"),
    ({"bewijs": "ftp://files.example/x"}, "Link 1 is geen http(s)-adres"),
    ({"bewijs": "https://"}, "Link 1 is geen http(s)-adres"),
    ({"streefdatum": "2026-02-30"}, "Ongeldige datum"),
    ({"streefdatum": "30-02-2026"}, "Ongeldige datum"),
    ({"streefdatum": "morgen"}, "Ongeldige datum"),
    ({"streefdatum": "1900-01-01"}, "Kies een datum tussen 2000 en 2100."),
    ({"eigenaar": "x" * 201}, "Maximaal 200 tekens."),
    ({"notitie": "x" * 2001}, "Maximaal 2000 tekens."),
    ({"oordeel": "misschien"}, "Kies ja, deels, nee of nog geen oordeel."),
])
def test_kpi_form_refuses_bad_input_with_a_field_error(client, app, world, data, message):
    login(client, "programmateam")
    response = client.post(KPI, data={"oordeel": "ja", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'aria-invalid="true"' in html and "Niet opgeslagen" in html
    with app.app_context():
        assert db.session.scalar(select(KpiOordeel)) is None
        assert db.session.scalar(select(AuditLog.resultaat).where(AuditLog.actie == "kpi_wijzigen")) \
            == "geweigerd: ongeldige invoer"


def test_readers_see_kpis_but_cannot_edit(client, world):
    login(client, "pia")
    html = _page(client, KPI)
    assert "Oordeel wijzigen" not in html and "<form method=\"post\" class=\"stack" not in html
    assert client.post(KPI, data={"oordeel": "ja"}).status_code == 403
    assert client.get("/ibt/normen/Z1").status_code == 403
    assert client.post("/ibt/normen/venster", data={"maanden": "2"}).status_code == 403
    assert "Wijzigen" not in _page(client, "/ibt/normen")


# -- the report ----------------------------------------------------------------------------------------

def _workbook(client, peildatum: date):
    response = client.get(f"/ibt/rapport.xlsx?peildatum={peildatum.isoformat()}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="ibt-rapport_{peildatum}.xlsx"'
    return load_workbook(io.BytesIO(response.data))


def _table(sheet, heading: str) -> list[tuple]:
    """The rows under a section heading (after its header row) up to the first empty row."""
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == heading) + 2
    result = []
    for row in rows[start:]:
        if row[0] is None:
            break
        result.append(row)
    return result


@pytest.fixture
def report_data(app, handbuilt):
    """The hand-built dataset with two KPI judgements (one with a formula-like note) and month snapshots."""
    with app.app_context():
        diemen = next(org.id for org in organisations() if org.code == "diemen")
        set_kpi(diemen, 5, "deels", gebruiker_id=None, eigenaar="Team archief", streefdatum=date(2026, 9, 1),
                notitie="=SUM(A1:A9) is geen formule", bewijs="https://intranet.example/vernietiging\n"
                                                              "https://intranet.example/lijst")
        set_kpi(diemen, 1, "ja", gebruiker_id=None)
        snapshot_month("2026-04-30", failing=("A2",))
        db.session.commit()
    return handbuilt


@BOTH
def test_xlsx_cells_equal_the_api(client, report_data):
    login(client, "programmateam")
    api = _api(client, P)
    book = _workbook(client, P)
    summary = book["Samenvatting"]
    assert summary["B2"].value == datetime(2026, 5, 15) and summary["B2"].number_format == "dd-mm-yyyy"
    cells = {(row[0], row[1]): row[2:] for row in _table(summary, "Indicatoren op de peildatum")}
    names = {o["naam"]: o for o in api.values() if o["code"] is not None}  # the pseudo-organisation is apart
    assert {name for name, _ in cells} == set(names)
    for name, org in names.items():
        for i in org["indicatoren"]:
            _, teller, noemer, waarde, norm, voldoet = cells[(name, i["code"])]
            assert (teller, noemer, waarde, norm, voldoet) == (
                i["teller"], i["noemer"], i["waarde"], i["norm"], "ja" if i["voldoet"] else "nee")
    # the hand-worked figures of tests/sync/test_handbuilt.py
    assert cells[("Gemeente Diemen", "Z1")][1:4] == (2, 4, 50.0)
    assert cells[("Gemeente Diemen", "A2")][1:4] == (2, None, 2)
    readiness = {row[0]: row[1:5] for row in _table(summary, "Gereedheid per organisatie")}
    for name, org in names.items():
        gereed, prognose, _, ontbreekt = readiness[name]
        assert gereed == ("ja" if org["gereed_voor_opheffing"] else "nee")
        assert prognose == org["prognose_achterstand_nul"] or (prognose == "te weinig momentopnamen"
                                                               and org["prognose_achterstand_nul"] is None)
        assert (ontbreekt.split("\n") if ontbreekt != "–" else []) == org["ontbreekt"]
    # O15 (RSIN not configured; open, so no archive task): no verdict, no forecast, its count and the finding
    assert api[None]["aantal_zaken"] == 1 and api[None]["bevinding"] == "onbekende_bronorganisatie"
    assert (api[None]["gereed_voor_opheffing"], api[None]["prognose_achterstand_nul"]) == (None, None)
    assert readiness["Onbekende organisatie"] == (
        "geen oordeel", "geen prognose", 0, "1 zaken: bronorganisatie niet ingesteld (bevinding Onbekende "
        "bronorganisatie, /kwaliteit/onbekende_bronorganisatie)")
    sheet = book["Gemeente Diemen"]
    archief = client.get(f"/api/v1/archief?peildatum={P.isoformat()}").json
    diemen_archief = next(o for o in archief["organisaties"] if o["code"] == "diemen")
    backlog = {row[0]: row[1:3] for row in _table(sheet, "Archiefachterstand per soort")}
    assert backlog["Vernietigen"] == (2, 2682) and backlog["Archiveren"][0] == 2
    assert backlog["Totaal"] == (diemen_archief["achterstand"], diemen_archief["oudste_dagen"])
    assert {label: count for label, (count, _) in backlog.items() if label != "Totaal"} == {
        label: diemen_archief["per_soort"][kind] for kind, label in
        {"archiefgegevens_aanvullen": "Archiefgegevens aanvullen", "vernietigen": "Vernietigen",
         "overbrengen": "Overbrengen", "archiveren": "Archiveren"}.items()}
    kpis = {row[0]: row for row in _table(sheet, "Kwalitatieve KPI's")}
    assert kpis[5][2:5] == ("deels", "Team archief", datetime(2026, 9, 1))
    assert kpis[5][5] == "=SUM(A1:A9) is geen formule"
    kpi_row = next(r for r in sheet.iter_rows() if r[0].value == 5 and r[1].value == ibt_rules.KPI_NAMEN[5])
    assert kpi_row[5].data_type == "s"  # text, never a formula
    assert [c.hyperlink.target for c in kpi_row[7:9]] == ["https://intranet.example/vernietiging",
                                                          "https://intranet.example/lijst"]
    assert kpis[1][2] == "ja" and kpis[2][2] == "nog geen oordeel"
    months = [row for row in _table(sheet, "Indicatoren per maand (momentopname van de laatste dag met gegevens)")
              if row[0] == "2026-04"]
    expected = {code: (99, 99.0, "ja") for code in CODES} | {"A2": (4, 4, "nee"), "A3": (0, 0, "ja")}
    assert [(r[1], r[2], r[4], r[6], r[8], r[9]) for r in months] == [
        (datetime(2026, 4, 30), code, *expected[code][:2], expected[code][2], "nee") for code in CODES]
    # the summary, one sheet per organisation, and the capacity planning (tests/web/test_planning.py)
    assert len(book.sheetnames) == 1 + len(names) + 1 and book.sheetnames[-1] == "Capaciteitsplanning"


def test_printable_report(client, report_data):
    login(client, "pia")
    api = _api(client, P)
    html = _page(client, f"/ibt/rapport?peildatum={P.isoformat()}")
    configured = [org for org in api.values() if org["code"] is not None]
    assert len(configured) == 4 and None in api
    assert html.count('class="rapport-kader rapport-kader--org"') == len(configured)
    # every part repeats the peildatum and data freshness in its header row (repeated on every printed page)
    assert html.count("peildatum <strong>15-05-2026</strong> · gegevens van") == len(configured) + 1
    for org in configured:
        report = text_of(html, f"rapport-{org['code']}")
        assert report == org["naam"]
    # the pseudo-organisation apart: its count (O15) and the finding, no verdict and no forecast
    apart = text_of(html, "onbekende-organisatie")
    assert apart.startswith("Onbekende organisatie 1 zaak heeft een bronorganisatie die niet is ingesteld")
    assert "geen oordeel over gereedheid en geen prognose" in apart
    assert 'href="/kwaliteit/onbekende_bronorganisatie"' in html
    assert "rapport-onbekend" not in html and "prognose-onbekend" not in html
    assert "https://intranet.example/lijst" in html and "Indicatoren per maand, Gemeente Diemen" in html


def test_the_unknown_organisation_is_shown_apart_on_the_pages(client, report_data):
    """O15's RSIN is not configured: "Onbekende organisatie" gets its count and the finding, but no cards with
    verdicts, no readiness and no forecast, on /ibt and in the month table."""
    login(client, "programmateam")
    html = _page(client, f"/ibt?peildatum={P.isoformat()}")
    apart = text_of(html, "onbekende-organisatie")
    assert apart == ("Onbekende organisatie 1 zaak heeft een bronorganisatie die niet is ingesteld ( bevinding "
                     "onbekende bronorganisatie ). Zij telt bij geen van de organisaties mee: daarom geen oordeel over "
                     "gereedheid en geen prognose. Archiefachterstand op 15-05-2026: 0 taken.")
    assert 'href="/kwaliteit/onbekende_bronorganisatie"' in html
    for absent in ("gereed-onbekend", "prognose-onbekend", "kaart-onbekend-", "org-onbekend\"><"):
        assert absent not in html
    assert html.count('class="gereedheid ') == 4  # the four configured organisations
    maanden = _page(client, f"/ibt/maanden?peildatum={P.isoformat()}")
    assert "maanden-onbekend" not in maanden and text_of(maanden, "onbekende-organisatie") == apart


# -- demo history --------------------------------------------------------------------------------------

def _rows(day: date, demo: bool | None = None):
    query = select(Snapshot).where(Snapshot.datum == day)
    return {(r.organisatie, r.team, r.metriek): (r.teller, r.noemer, r.waarde, r.norm, r.voldoet)
            for r in db.session.scalars(query) if demo is None or r.demo is demo}


@BOTH
def test_demo_history_fills_only_missing_days(app, figures, monkeypatch):
    monkeypatch.setattr(snapshots, "today_amsterdam", lambda: P)
    monkeypatch.setattr(report_commands, "today_amsterdam", lambda: P)
    real_day = P - timedelta(days=100)
    take_snapshot(real_day)
    real = _rows(real_day)
    result = app.test_cli_runner().invoke(args=["demo-history", "--days", "120"])
    assert result.exit_code == 0, result.output
    # skipped: the 55 days with backlog counts from the fixture and the real day
    assert "35 dagen volledig, 29 dagen op organisatieniveau, 56 dagen overgeslagen" in result.output
    db.session.expire_all()
    assert _rows(real_day, demo=True) == {} and _rows(real_day, demo=False) == real
    assert _rows(P, demo=True) == {}  # today is left to the real snapshot
    full_day, org_day = P - timedelta(days=80), P - timedelta(days=110)
    assert {team for _, team, _ in _rows(full_day, demo=True)} > {"*"}
    assert {team for _, team, _ in _rows(org_day, demo=True)} == {"*"}
    written = _rows(org_day)
    # the organisation-level rows are exactly what a real snapshot of that day holds
    db.session.execute(Snapshot.__table__.delete().where(Snapshot.datum == org_day))
    take_snapshot(org_day)
    assert {key: value for key, value in _rows(org_day).items() if key[1] == "*"} == written
    again = app.test_cli_runner().invoke(args=["demo-history", "--days", "120"])
    assert "0 dagen volledig, 0 dagen op organisatieniveau, 120 dagen overgeslagen" in again.output


def test_demo_history_is_labelled_on_the_page(client, app, world, monkeypatch):
    monkeypatch.setattr(snapshots, "today_amsterdam", lambda: P)
    world.zaak(startdatum="2026-04-01", einddatum="2026-05-01", fatale_datum="2026-05-10")
    db.session.commit()
    demo_history.backfill(40, P)
    login(client, "programmateam")
    html = _page(client, f"/ibt?peildatum={P.isoformat()}")
    assert "Demo:" in html and "05-04-2026 tot en met 14-05-2026" in html
    assert "demo" in text_of(_page(client, f"/ibt/maanden?peildatum={P.isoformat()}"), "maanden-diemen")


# -- roles and bad input -------------------------------------------------------------------------------

def test_landing_and_navigation(client, world):
    login(client, "programmateam")
    assert client.get("/").location.endswith("/overzicht")  # every role lands on its overview
    for role in ("teamleider", "pia", "beheerder"):
        client.post("/logout")
        login(client, role)
        assert 'href="/ibt"' in _page(client, "/overzicht")


@pytest.mark.parametrize(("path", "status"), [
    ("/ibt?peildatum=gisteren", 400), ("/ibt?peildatum=2026-13-01", 400), ("/ibt/maanden?peildatum=0001-01-01", 400),
    ("/ibt/rapport.xlsx?peildatum=2026-5-1", 400), ("/ibt/rapport?peildatum=%00", 400),
    ("/ibt/kpi/onbekend", 404), ("/ibt/kpi/diemen/11", 404), ("/ibt/kpi/diemen/0", 404), ("/ibt/kpi/diemen/x", 404),
    ("/ibt/normen/Z9", 404), ("/ibt?peildatum=2100-12-31", 200), ("/ibt/kpi/diemen/10", 200),
])
def test_bad_input_is_never_a_500(client, world, path, status):
    login(client, "programmateam")
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:500]


def test_anonymous_users_go_to_login(client, world):
    for path in ("/ibt", "/ibt/maanden", "/ibt/rapport.xlsx", KPI, "/ibt/normen"):
        assert client.get(path).location.startswith("/login")
