"""The team leaderboard and the per-team follow-up list through the Flask test client: the figures equal the
API's, the period selector, "meest verbeterd", unranked teams apart, the teamleider's limits, exports and bad
input that must never give a 500."""

from __future__ import annotations

import html
import io
import re

import pytest
from openpyxl import load_workbook

from duo_zaak.db import db

from ..conftest import login
from ..figures.builders import World
from ..handbuilt import PEILDATUM

P = "2026-05-15"


@pytest.fixture
def teams(app, users):
    """Period 16-04-2026..15-05-2026. OE-C: 6 closed, all first time right, no backlog (rank 1); OE-A: 5 closed,
    one needed archive data (80%), backlog 1 over 5 closed in the year (20 per 100), backlog 3 at the start of
    the period (trend -2: most improved); OE-B: 2 closed (unranked) with backlog 2; no team: 6 closed."""
    with app.app_context():
        w = World(app.config["ORGANISATIES"])
        for n in range(6):
            w.zaak(org="duoplus", team="OE-C", einddatum="2026-05-01", identificatie=f"ZAAK-C{n}")
        for n in range(5):
            zaak = w.zaak(team="OE-A", einddatum="2026-04-20", aanvullen_ooit=n == 0, identificatie=f"ZAAK-A{n}",
                          archiveren_vervalt="2026-05-01" if n == 0 else None)
            if n == 0:
                w.task(zaak, "archiveren")
        for n in range(2):
            zaak = w.zaak(team="OE-B", einddatum="2026-05-10", identificatie=f"ZAAK-B{n}",
                          vernietigen_vervalt="2026-05-12")
            w.task(zaak, "vernietigen")
        for n in range(6):
            w.zaak(team=None, einddatum="2026-05-02", identificatie=f"ZAAK-N{n}")
        w.snapshot("2026-04-16", "achterstand", 3, team="OE-A")
        db.session.commit()


def _page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _rows(body, table_class):
    """team URL value -> {column: text} for the rows of one table, in order."""
    table = body.split(f'class="utrecht-table {table_class}"')[1].split("</table>")[0]
    rows = {}
    for team, cells in re.findall(r'<tr[^>]*data-team="([^"]+)"[^>]*>(.*?)</tr>', table, re.S):
        rows[team] = {k: html.unescape(re.sub(r"<[^>]+>", "", v)).strip()
                      for k, v in re.findall(r'data-kolom="([^"]+)">(.*?)</td>', cells, re.S)}
    return rows


def test_ranking_columns_and_most_improved_equal_the_api(client, teams):
    login(client, "pia")
    body = _page(client, f"/ranglijst/?peildatum={P}")
    ranked = _rows(body, "ranglijst")
    assert list(ranked) == ["OE-C", "OE-A"]
    assert ranked["OE-A"] == {"rang": "2", "gesloten": "5", "direct_goed": "80,0%", "achterstand": "1",
                              "achterstand_per_100": "20,0", "opgelost": "0", "trend": "−2"}
    assert ranked["OE-C"]["direct_goed"] == "100,0%" and ranked["OE-C"]["trend"] == "–"
    unranked = _rows(body, "niet-gerangschikt")
    assert list(unranked) == ["OE-B", "_geen"]
    assert unranked["OE-B"]["achterstand"] == "2" and unranked["OE-B"]["achterstand_per_100"] == "100,0"
    assert 'data-meest-verbeterd="OE-A"' in body
    assert "Periode 16-04-2026 tot en met 15-05-2026" in body
    api = client.get(f"/api/v1/ranglijst?peildatum={P}").json
    assert api["meest_verbeterd"]["id"] == "OE-A"
    shown = {**ranked, **unranked}
    for team in api["teams"]:
        row = shown["_geen" if team["id"] is None else team["id"]]
        assert int(row["gesloten"]) == team["gesloten"] and int(row["achterstand"]) == team["achterstand"]
        assert row.get("rang") == (None if team["rang"] is None else str(team["rang"]))


@pytest.mark.parametrize(("query", "van", "gesloten_a"), [
    ("periode=90", "2026-02-15", "5"),
    ("periode=365", "2025-05-16", "5"),
    ("periode=eigen&van=2026-04-21&tot=2026-05-15", "2026-04-21", "0"),
])
def test_period_selector(client, teams, query, van, gesloten_a):
    login(client, "pia")
    body = _page(client, f"/ranglijst/?peildatum={P}&{query}")
    day = "-".join(reversed(van.split("-")))
    assert f"Periode {day} tot en met 15-05-2026" in body
    rows = {**_rows(body, "ranglijst"), **_rows(body, "niet-gerangschikt")}
    assert rows["OE-A"]["gesloten"] == gesloten_a
    api = client.get(f"/api/v1/ranglijst?peildatum={P}&van={van}&tot={P}").json
    assert {t["id"] or "_geen": str(t["gesloten"]) for t in api["teams"]} == {k: v["gesloten"] for k, v in rows.items()}


@pytest.mark.parametrize(("query", "message"), [
    ("periode=eigen", "Vul bij een eigen periode zowel"),
    ("periode=eigen&van=2026-05-10&tot=2026-05-01", "ligt na"),
    ("periode=eigen&van=1990-01-01&tot=2026-05-01", "hooguit tien jaar"),
    ("periode=7", "Ongeldige keuze"),
    ("peildatum=2026-13-01", "Ongeldige peildatum"),
    ("periode=eigen&van=2026-02-31&tot=2026-03-01", "Ongeldige datum"),
    ("peildatum=0001-01-01", "Kies een datum tussen"),
])
def test_bad_period_is_a_400_with_a_message(client, teams, query, message):
    login(client, "pia")
    assert message in html.unescape(_page(client, f"/ranglijst/?{query}", status=400))


def test_follow_up_list_and_export(client, teams):
    login(client, "pia")
    body = _page(client, f"/ranglijst/opvolging?team=OE-B&peildatum={P}")
    assert "Opvolging: Team OE-B" in body and body.count("ZAAK-B") == 2
    assert 'data-achterstand="2"' in body
    csv = client.get(f"/ranglijst/opvolging/export?team=OE-B&peildatum={P}&formaat=csv").get_data().decode("utf-8-sig")
    assert [line.split(";")[0] for line in csv.strip().split("\r\n")[1:]] == ["ZAAK-B0", "ZAAK-B1"]
    response = client.get(f"/ranglijst/opvolging/export?team=OE-B&peildatum={P}")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "Open archieftaken van Team OE-B"
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("ZAAK-")]
    # the page's list and its backlog figure: two open tasks of Team OE-B
    assert [r[0] for r in rows] == ["ZAAK-B0", "ZAAK-B1"] and body.count("ZAAK-B") == len(rows) == 2
    assert {r[5] for r in rows} == {"Team OE-B"} and {r[8] for r in rows} == {"Open"}
    assert 'filename="archieftaken_OE-B_2026-05-15.xlsx"' in response.headers["Content-Disposition"]
    empty = _page(client, f"/ranglijst/opvolging?team=_geen&peildatum={P}")
    assert "Opvolging: Niet toegewezen" in empty and "Geen taken die aan deze filters voldoen" in empty
    assert client.get("/ranglijst/opvolging").status_code == 302


def test_teamleider_sees_the_whole_ranking_but_only_the_own_follow_up(client, teams):
    login(client, "teamleider")  # leads OE-A
    body = _page(client, f"/ranglijst/?peildatum={P}")
    assert set(_rows(body, "ranglijst")) | set(_rows(body, "niet-gerangschikt")) == {"OE-C", "OE-A", "OE-B", "_geen"}
    links = re.findall(r'/ranglijst/opvolging\?team=([^&"]+)', body)
    assert links == ["OE-A"]
    assert "ZAAK-A0" in _page(client, f"/ranglijst/opvolging?team=OE-A&peildatum={P}")
    for team in ("OE-B", "OE-C", "_geen"):
        assert client.get(f"/ranglijst/opvolging?team={team}&peildatum={P}").status_code == 403
        assert client.get(f"/ranglijst/opvolging/export?team={team}&peildatum={P}").status_code == 403


def test_bad_input_is_never_a_500(client, teams):
    login(client, "pia")
    urls = ["/ranglijst/?periode=", "/ranglijst/?van=x&tot=y&periode=eigen", "/ranglijst/?peildatum=9999-12-31",
            "/ranglijst/opvolging?team=" + "x" * 300, "/ranglijst/opvolging?team=OE-A&page=0",
            "/ranglijst/opvolging?team=OE-A&page=x", "/ranglijst/opvolging?team=OE-A&peildatum=x",
            "/ranglijst/opvolging/export?team=OE-A&formaat=pdf", "/ranglijst/opvolging/export",
            "/ranglijst/opvolging?team=%00", "/ranglijst/opvolging?team=nergens"]
    for url in urls:
        assert client.get(url).status_code in (200, 302, 400), url


def test_handbuilt_leaderboard_equals_the_api(client, handbuilt):
    login(client, "pia")
    body = _page(client, f"/ranglijst/?peildatum={PEILDATUM.isoformat()}")
    # every team closed fewer than 5 zaken in the period: nobody is ranked
    assert _rows(body, "ranglijst") == {}
    rows = _rows(body, "niet-gerangschikt")
    assert rows["OE-A"] == {"gesloten": "2", "direct_goed": "0,0%", "achterstand": "3", "achterstand_per_100": "75,0",
                            "opgelost": "0", "trend": "–"}
    api = client.get(f"/api/v1/ranglijst?peildatum={P}").json
    assert {t["id"] or "_geen": t["achterstand"] for t in api["teams"]} == \
        {team: int(row["achterstand"]) for team, row in rows.items()}
    assert 'data-meest-verbeterd=""' in body
