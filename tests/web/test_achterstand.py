"""The team-lead workspace through the Flask test client, on the hand-built dataset (peildatum 15-05-2026):
figures on the pages (worked out by hand in tests/sync/test_handbuilt.py), page == API, filters in the
URL, bad filters (400 or an empty list, never a 500), and the CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from duo_zaak.db import db
from duo_zaak.figures.snapshots import take_snapshot
from duo_zaak.web.achterstand import ONBEKEND_UITLEG, VERLEDEN_UITLEG

from ..conftest import login
from ..figures.builders import PAST, World, past_world
from ..handbuilt import PEILDATUM

P = PEILDATUM.isoformat()
KEYS = ("open", "termijn_overschreden", "norm_overschreden", "binnenkort_verlopend", "opgeschort", "onbekend")
BUCKETS = ("1-30", "31-60", "61-90", "90+")
FIGURE = re.compile(r'data-figuur="([^"]+)"[^>]*>\s*(?:<a[^>]*>)?\s*([\d.]+)')
ROW = re.compile(r'<tr class="utrecht-table__row" data-team="([^"]*)" data-organisatie="([^"]*)">(.*?)</tr>', re.S)
ZAAK_ROW = re.compile(r'<tr class="utrecht-table__row">\s*<th scope="row"[^>]*>(?:<a[^>]*href="([^"]*)"[^>]*>)?'
                      r'(ZAAK-[\d-]+)(.*?)</tr>', re.S)


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"INPROCES_ZAAK_URL": "https://inproces.test/zaak/{uuid}?nr={identificatie}"}


def _ident(key: str) -> str:
    """The identificatie of a hand-built zaak: numbered in ZAKEN order, O1..O18 then C1..C11."""
    number = int(key[1:]) + (18 if key.startswith("C") else 0)
    return f"ZAAK-2026-{number:010d}"


def _int(text: str) -> int:
    return int(text.replace(".", ""))


def tiles(html: str) -> dict[str, dict[str, int]]:
    """Organisation (URL value) -> the figures of its tile."""
    result = {}
    for chunk in html.split('<li class="tile" data-organisatie="')[1:]:
        org, rest = chunk.split('"', 1)
        result[org] = {key: _int(value) for key, value in FIGURE.findall(rest.split("</li>", 1)[0])}
    return result


def team_rows(html: str) -> list[tuple[str, str, dict[str, int]]]:
    """(team id, organisation, figures) per row of the team table, in page order."""
    return [(team, org, {k: _int(v) for k, v in FIGURE.findall(cells)}) for team, org, cells in ROW.findall(html)]


HERKOMST = re.compile(r'<details class="herkomst[^"]*">.*?</details>', re.S)
BEVINDING_LINK = re.compile(r' <a class="utrecht-link bevinding-link" href="([^"]*)">.*?</a>', re.S)


def zaak_rows(html: str) -> list[tuple[str, str | None, list[str]]]:
    """(identificatie, link, the other cells as text) per row of a zaak list; without the herkomst of the fatale
    datum (see `herkomst`) and the "(waarom?)" link of the pseudo-organisation."""
    rows = []
    for link, ident, rest in ZAAK_ROW.findall(html):
        rest = BEVINDING_LINK.sub("", HERKOMST.sub("", rest))
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
        rows.append((ident, link.replace("&amp;", "&") or None, cells))
    return rows


def herkomst(html: str) -> dict[str, list[str]]:
    """identificatie -> the steps shown under "Hoe berekend" beside its fatale datum."""
    return {ident: [re.sub(r"<[^>]+>", "", step).strip() for step in
                    re.findall(r"<li>(.*?)</li>", HERKOMST.search(rest).group(0), re.S)]
            for _, ident, rest in ZAAK_ROW.findall(html)}


def _figures(**values: int) -> dict[str, int]:
    return {**dict.fromkeys(KEYS, 0), **values}


def _row(ouderdom: dict[str, int] | None = None, **values: int) -> dict[str, int]:
    return {**_figures(**values), **dict.fromkeys(BUCKETS, 0), **(ouderdom or {})}


def _page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_teamleider_lands_on_the_backlog_of_their_team(client, handbuilt):
    login(client, "teamleider")
    assert client.get("/").headers["Location"].endswith("/overzicht")  # with a link to the backlog of the team
    html = _page(client, f"/achterstand?peildatum={P}")
    assert "op 15-05-2026" in html
    # OE-A (Diemen): O1, O2 norm; O3 (19 d), O17 (44 d) overdue; O16 op tijd; O2 binnenkort
    assert tiles(html) == {"diemen": _figures(open=5, termijn_overschreden=2, norm_overschreden=2,
                                              binnenkort_verlopend=1)}
    assert team_rows(html) == [("OE-A", "diemen", _row({"1-30": 1, "31-60": 1}, open=5, termijn_overschreden=2,
                                                       norm_overschreden=2, binnenkort_verlopend=1))]
    assert "Vergunningen" in html and "Burgerzaken" not in html
    # the ageing chart: its description and its table carry the same numbers
    assert "Van de 2 zaken over de fatale datum: 1 1-30 dagen, 1 31-60 dagen" in html
    assert 'role="img"' in html and "<title id=\"ouderdom-titel\">" in html
    # strict CSP: no inline script or style anywhere, no third-party host
    assert "<script" not in html and "style=" not in html and "<style" not in html and "cdn" not in html.lower()


def test_programmateam_sees_every_organisation_and_teams_worst_first(client, handbuilt):
    login(client, "programmateam")
    html = _page(client, f"/achterstand?peildatum={P}")
    assert tiles(html) == {
        "duoplus": _figures(open=4, termijn_overschreden=1, norm_overschreden=1, opgeschort=2),
        "diemen": _figures(open=9, termijn_overschreden=5, norm_overschreden=3, binnenkort_verlopend=2),
        "ouder-amstel": _figures(open=1, onbekend=1),
        "uithoorn": _figures(open=3, binnenkort_verlopend=1, onbekend=1),
        "_onbekend": _figures(open=1, termijn_overschreden=1),
    }
    assert "Onbekende organisatie" in html and "Niet toegewezen" in html
    # the pseudo-organisation explains itself: its tile and its team row link to the finding
    tile = html.split('<li class="tile" data-organisatie="_onbekend">', 1)[1].split("</li>", 1)[0]
    assert 'href="/kwaliteit/onbekende_bronorganisatie">bevinding onbekende bronorganisatie</a>' in tile
    assert [BEVINDING_LINK.findall(cells) for team, org, cells in ROW.findall(html) if org == "_onbekend"] == [
        ["/kwaliteit/onbekende_bronorganisatie"]]
    assert [(team, org) for team, org, _ in team_rows(html)] == [
        ("OE-B", "diemen"),          # 3 overdue
        ("OE-A", "diemen"),          # 2 overdue
        ("OE-C", "duoplus"),         # 1 overdue, 61-90 days
        ("OE-D", "_onbekend"),       # 1 overdue, 1-30 days
        ("OE-D", "uithoorn"),        # none overdue, by name
        ("", "ouder-amstel"),        # "Niet toegewezen" last
    ]
    assert team_rows(html)[0][2] == _row({"1-30": 1, "61-90": 1, "90+": 1}, open=4, termijn_overschreden=3,
                                         norm_overschreden=1, binnenkort_verlopend=1)
    by_name = team_rows(_page(client, f"/achterstand?peildatum={P}&sort=team&richting=asc"))
    assert [team for team, _, _ in by_name] == ["OE-C", "OE-B", "OE-D", "OE-D", "OE-A", ""]


@pytest.mark.parametrize("role", ["teamleider", "programmateam"])
def test_page_figures_equal_the_api(client, handbuilt, role):
    login(client, role)
    html = _page(client, f"/achterstand?peildatum={P}")
    body = client.get(f"/api/v1/backlog?peildatum={P}").json
    api_orgs = {o["code"] or "_onbekend": {k: o[k] for k in KEYS} for o in body["organisaties"]}
    page_orgs = tiles(html)
    assert page_orgs and all(api_orgs[org] == figures for org, figures in page_orgs.items())
    # organisations without a tile have nothing open for this user
    assert all(figures["open"] == 0 for org, figures in api_orgs.items() if org not in page_orgs)
    api_teams = {(t["id"] or "", o["code"] or "_onbekend"): {**{k: t[k] for k in KEYS}, **t["ouderdom"]}
                 for o in body["organisaties"] for t in o["teams"]}
    assert {(team, org): figures for team, org, figures in team_rows(html)} == api_teams
    total = re.search(r'id="samenvatting">\s*<strong>([\d.]+)</strong>', html)
    assert total and _int(total.group(1)) == body["totaal"]["open"]


def test_filters_narrow_the_figures(client, handbuilt):
    login(client, "programmateam")
    html = _page(client, f"/achterstand?peildatum={P}&organisatie=uithoorn")
    assert tiles(html) == {"uithoorn": _figures(open=3, binnenkort_verlopend=1, onbekend=1)}
    html = _page(client, f"/achterstand?peildatum={P}&team=OE-D")
    assert set(tiles(html)) == {"uithoorn", "_onbekend"}
    html = _page(client, f"/achterstand?peildatum={P}&team=_geen")
    assert tiles(html) == {"ouder-amstel": _figures(open=1, onbekend=1)}
    # Melding openbare ruimte: O2, O4, O5, O13, O14, O15, O16, O18 open; O4, O5, O15 overdue
    html = _page(client, f"/achterstand?peildatum={P}&zaaktype=ZT-MELDING")
    summary = re.search(r'id="samenvatting">\s*<strong>(\d+)</strong>.*?<strong>(\d+)</strong>', html, re.S)
    assert summary and summary.groups() == ("8", "3")
    # a state keeps the teams that have zaken in it
    html = _page(client, f"/achterstand?peildatum={P}&toestand=opgeschort")
    assert [(team, org) for team, org, _ in team_rows(html)] == [("OE-C", "duoplus")]


def test_the_overdue_list_of_the_teamleider(client, handbuilt):
    login(client, "teamleider")
    html = _page(client, f"/achterstand?peildatum={P}")
    link = re.search(r'href="(/achterstand/zaken\?[^"]*toestand=termijn_overschreden)"', html)
    assert link
    html = _page(client, link.group(1).replace("&amp;", "&"))
    rows = zaak_rows(html)
    # O17 44 days, O3 19 days: most overdue first
    assert [(ident, cells[6]) for ident, _, cells in rows] == [(_ident("O17"), "44"), (_ident("O3"), "19")]
    ident, link, cells = rows[0]
    assert link == f"https://inproces.test/zaak/0000000a-0000-4000-8000-000000000017?nr={ident}"
    assert cells == ["Omgevingsvergunning", "Gemeente Diemen", "Vergunningen", "10-04-2026", "01-04-2026",
                     "22-05-2026", "44", "Termijn overschreden", ""]
    html = _page(client, f"/achterstand/zaken?peildatum={P}&toestand=termijn_overschreden"
                         "&sort=dagen_over_termijn&richting=asc")
    assert [ident for ident, _, _ in zaak_rows(html)] == [_ident("O3"), _ident("O17")]
    assert 'aria-sort="ascending"' in html


def test_zaak_links_open_inproces_in_a_new_tab_and_only_when_configured(app, client, handbuilt):
    login(client, "teamleider")
    url = f"/achterstand/zaken?peildatum={P}&toestand=termijn_overschreden"
    first = re.search(r'<th scope="row"[^>]*>(.*?)</th>', _page(client, url), re.S).group(1)
    assert 'target="_blank" rel="noopener"' in first and "opent in een nieuw tabblad" in first
    app.config["INPROCES_ZAAK_URL"] = None  # no setting: no link to a placeholder host
    html = _page(client, url)
    assert [link for _, link, _ in zaak_rows(html)] == [None, None]
    assert "inproces" not in re.search(r"<tbody.*?</tbody>", html, re.S).group(0).lower()


def test_zaak_lists_show_state_flags_and_suspension_reasons(client, handbuilt):
    login(client, "programmateam")
    rows = zaak_rows(_page(client, f"/achterstand/zaken?peildatum={P}&toestand=opgeschort&sort=identificatie"))
    assert [(ident, cells[7], cells[8]) for ident, _, cells in rows] == [
        (_ident("O7"), "Opgeschort, termijn verstreken tijdens opschorting", "Wacht op aanvullende gegevens"),
        (_ident("O8"), "Opgeschort", "Advies welstand"),
    ]
    rows = zaak_rows(_page(client, f"/achterstand/zaken?peildatum={P}&toestand=binnenkort_verlopend"))
    assert sorted(ident for ident, _, _ in rows) == sorted([_ident("O2"), _ident("O14"), "ZAAK-2026-0000000001"])
    html = _page(client, f"/achterstand/zaken?peildatum={P}&organisatie=_onbekend")
    rows = zaak_rows(html)
    assert [(ident, cells[1], cells[6]) for ident, _, cells in rows] == [(_ident("O15"), "Onbekende organisatie", "5")]
    assert BEVINDING_LINK.findall(html) == ["/kwaliteit/onbekende_bronorganisatie"]
    rows = zaak_rows(_page(client, f"/achterstand/zaken?peildatum={P}&team=_geen"))
    assert [(ident, cells[0], cells[2], cells[7]) for ident, _, cells in rows] == [
        (_ident("O11"), "Klacht", "Niet toegewezen", "Onbekend (geen fatale datum)")]
    rows = zaak_rows(_page(client, f"/achterstand/zaken?peildatum={P}&zaaktype=ZT-WOO"))
    assert [ident for ident, _, _ in rows] == [_ident("O6")]


@pytest.mark.parametrize(("query", "message"), [
    ("peildatum=31-02-2026", "Ongeldige peildatum"),
    ("peildatum=gisteren", "Ongeldige peildatum"),
    ("peildatum=2026-02-30", "Ongeldige peildatum"),
    ("page=0", "Ongeldig paginanummer"),
    ("page=een", "Ongeldig paginanummer"),
    ("toestand=kwijt", "Onbekende toestand"),
    ("organisatie=amsterdam", "Onbekende organisatie"),
    ("sort=kleur", "Onbekende sortering"),
    ("richting=omhoog", "Onbekende sorteerrichting"),
])
def test_bad_filters_give_a_400_with_a_message(client, users, query, message):
    login(client, "programmateam")
    html = _page(client, f"/achterstand/zaken?{query}", status=400)
    assert message in html and 'class="error-summary"' in html and not zaak_rows(html)
    if "page" not in query:  # the backlog page and the exports have no pages
        assert message in _page(client, f"/achterstand?{query}", status=400)
        assert client.get(f"/achterstand/export/zaken.xlsx?{query}").status_code == 400


def test_peildatum_in_dutch_or_iso_form(client, handbuilt):
    login(client, "teamleider")
    html = _page(client, "/achterstand?peildatum=15-05-2026")
    assert "op 15-05-2026" in html and 'value="15-05-2026"' in html
    assert tiles(html) == tiles(_page(client, f"/achterstand?peildatum={P}"))
    # links carry the ISO form, so they can be bookmarked and shared
    assert f"/achterstand/zaken?peildatum={P}&amp;toestand=termijn_overschreden" in html


def test_unmatched_filters_give_an_empty_list_with_a_notice(app, client, handbuilt):
    login(client, "programmateam")
    html = _page(client, f"/achterstand/zaken?peildatum={P}&team=OE-Z")
    assert "Team &#39;OE-Z&#39; is onbekend of heeft geen open zaken." in html and not zaak_rows(html)
    html = _page(client, f"/achterstand/zaken?peildatum={P}&zaaktype=ZT-NIETS")
    assert "Zaaktype &#39;ZT-NIETS&#39; is onbekend." in html and not zaak_rows(html)
    html = _page(client, f"/achterstand/zaken?peildatum={P}&page=3")
    # past the end: the last (only) page with all 18 open zaken, and a word about it
    assert "Pagina 3 bestaat niet: deze lijst heeft 1 pagina; u ziet de laatste." in html and len(zaak_rows(html)) == 18
    # a teamleider cannot look into another team
    teamleider = app.test_client()
    login(teamleider, "teamleider")
    html = _page(teamleider, f"/achterstand?peildatum={P}&team=OE-B")
    assert "hoort niet bij uw teams" in html and not team_rows(html) and "Burgerzaken" not in html
    assert not zaak_rows(_page(teamleider, f"/achterstand/zaken?peildatum={P}&team=OE-B"))


def test_trend_from_the_snapshots_agrees_with_the_api(app, client, handbuilt):
    with app.app_context():
        for day in (date(2026, 4, 1), date(2026, 5, 1), PEILDATUM):
            take_snapshot(day)
        db.session.remove()
    login(client, "teamleider")
    html = _page(client, f"/achterstand?peildatum={P}")
    expected = [(day, client.get(f"/api/v1/backlog?peildatum={day}").json["totaal"]["termijn_overschreden"])
                for day in ("2026-04-01", "2026-05-01", P)]
    table = html.split('id="trend-kop-tabel"', 1)[1].split("</table>", 1)[0]
    shown = re.findall(r'<th scope="row"[^>]*>(\d\d)-(\d\d)-(\d{4})</th>\s*<td[^>]*>(\d+)</td>', table)
    assert [(f"{y}-{m}-{d}", int(n)) for d, m, y, n in shown] == expected
    assert expected[-1][1] == 2
    # snapshots of a team outside the teamleider's scope are never shown
    assert 'id="trend-kop-tabel"' not in _page(client, f"/achterstand?peildatum={P}&team=OE-B")


def _sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_xlsx_export_of_a_list_equals_the_list(client, handbuilt):
    login(client, "teamleider")
    query = f"peildatum={P}&toestand=termijn_overschreden&sort=dagen_over_termijn&richting=asc"
    rows = zaak_rows(_page(client, f"/achterstand/zaken?{query}"))
    response = client.get(f"/achterstand/export/zaken.xlsx?{query}")
    assert response.status_code == 200
    assert 'filename="achterstand_zaken_OE-A_2026-05-15.xlsx"' in response.headers["Content-Disposition"]
    sheet = _sheet(response.data)
    assert sheet[0][0] == "Open zaken op 15-05-2026"
    filters = {row[0]: row[1] for row in sheet[1:sheet.index(next(r for r in sheet if r[0] == "Identificatie"))]
               if row[0]}
    assert filters == {"Peildatum": "15-05-2026", "Toestand": "Termijn overschreden", "Uw teams": "Vergunningen (OE-A)",
                       "Sortering": "Dagen over termijn, oplopend", "Let op": VERLEDEN_UITLEG}  # 15-05-2026 is past
    header_at = next(i for i, row in enumerate(sheet) if row[0] == "Identificatie")
    assert sheet[header_at][:10] == ("Identificatie", "Zaaktype", "Organisatie", "Team", "Startdatum",
                                     "Fatale datum", "Streefdatum", "Dagen over termijn", "Toestand",
                                     "Reden opschorting")
    data = sheet[header_at + 1:]
    assert [row[0] for row in data] == [ident for ident, _, _ in rows]
    for (_, link, cells), row in zip(rows, data, strict=True):
        assert isinstance(row[4], datetime)
        assert [row[1], row[2], row[3], *(v.strftime("%d-%m-%Y") for v in row[4:7]), str(row[7]), row[8]] \
            == cells[:8]
        assert row[10] == link


def test_csv_exports_have_dutch_headers_and_dates(client, handbuilt):
    login(client, "programmateam")
    response = client.get(f"/achterstand/export/zaken.csv?peildatum={P}&organisatie=duoplus&sort=identificatie")
    assert 'filename="achterstand_zaken_duoplus_2026-05-15.csv"' in response.headers["Content-Disposition"]
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Identificatie;Zaaktype;Organisatie;Team;Startdatum;Fatale datum")
    assert lines[1].startswith(f"{_ident('O7')};Omgevingsvergunning;Duo+;Belastingen;10-01-2026;07-03-2026;")
    assert len(lines) == 5
    teams = client.get(f"/achterstand/export/teams.csv?peildatum={P}").data.decode("utf-8-sig").splitlines()
    assert teams[0] == ("Team;Team-identificatie;Organisatie;Open;Termijn overschreden;Norm overschreden;"
                        "Binnenkort verlopend;Opgeschort;Onbekend;1-30 dagen;31-60 dagen;61-90 dagen;90+ dagen")
    assert teams[1] == "Burgerzaken;OE-B;Gemeente Diemen;4;3;1;1;0;0;1;0;1;1"
    assert teams[-1] == "Niet toegewezen;;Gemeente Ouder-Amstel;1;0;0;0;0;1;0;0;0;0"


def test_xlsx_export_of_the_tables_equals_the_page(client, handbuilt):
    login(client, "programmateam")
    html = _page(client, f"/achterstand?peildatum={P}")
    sheet = _sheet(client.get(f"/achterstand/export/teams.xlsx?peildatum={P}").data)
    header_at = next(i for i, row in enumerate(sheet) if row[0] == "Team")
    exported = [(row[1], row[2], dict(zip((*KEYS, *BUCKETS), row[3:], strict=True))) for row in sheet[header_at + 1:]]
    page = team_rows(html)
    assert [(team, figures) for team, _, figures in page] == [(team or "", figures) for team, _, figures in exported]
    orgs = _sheet(client.get(f"/achterstand/export/organisaties.xlsx?peildatum={P}&organisatie=_onbekend").data)
    assert orgs[-1][:3] == ("Onbekende organisatie", 1, 1)
    assert ("Organisatie", "Onbekende organisatie") in [row[:2] for row in orgs]
    # the pseudo-organisation's rows mention the finding that explains them
    assert ("Onbekende organisatie", ONBEKEND_UITLEG) in [row[:2] for row in orgs]
    assert "/kwaliteit/onbekende_bronorganisatie" in ONBEKEND_UITLEG
    zaken = _sheet(client.get(f"/achterstand/export/zaken.xlsx?peildatum={P}&organisatie=_onbekend").data)
    assert ("Onbekende organisatie", ONBEKEND_UITLEG) in [row[:2] for row in zaken]
    diemen = _sheet(client.get(f"/achterstand/export/teams.xlsx?peildatum={P}&organisatie=diemen").data)
    assert ONBEKEND_UITLEG not in [row[1] for row in diemen]


# -- a past peildatum, and how a fatale datum came about (worlds built by hand, no sync) ----------------------

@pytest.fixture
def past(app, users):
    """`past_world`: zaken around 31-03-2026, in Diemen, team OE-A (see tests/figures/builders.py)."""
    with app.app_context():
        past_world(World(app.config["ORGANISATIES"]))


def test_a_past_peildatum_agrees_on_the_page_list_export_api_and_report(app, client, past):
    day = PAST.isoformat()
    # Open on 31-03-2026, worked out in past_world: closed_after (closed 10-04), no_registratie (starts 31-03, no
    # registratiedatum), registered_on (31-03) and due_on = 4. Not: registered_after (02-04), closed_on (closed
    # 31-03), destroyed, no_registratie_later (starts 01-04). Overdue: closed_after (fatale 20-03, 11 days: 1-30);
    # suspended: registered_on; due soon: due_on (fatale 31-03, 0 days).
    expected = _figures(open=4, termijn_overschreden=1, opgeschort=1, binnenkort_verlopend=1)
    login(client, "programmateam")
    html = _page(client, f"/achterstand?peildatum={day}")
    assert tiles(html)["diemen"] == expected
    assert team_rows(html) == [("OE-A", "diemen", _row({"1-30": 1}, **expected))]
    assert VERLEDEN_UITLEG in html and "Opschorting wordt getoond zoals die nu is" in html
    listed = zaak_rows(_page(client, f"/achterstand/zaken?peildatum={day}&sort=identificatie"))
    assert len(listed) == 4
    assert "Opschorting wordt getoond zoals die nu is" in _page(client, f"/achterstand/zaken?peildatum={day}")
    text = client.get(f"/achterstand/export/zaken.csv?peildatum={day}&sort=identificatie").data.decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(text), delimiter=";")][1:] == [ident for ident, _, _ in listed]
    body = client.get(f"/api/v1/backlog?peildatum={day}").json
    assert {k: body["totaal"][k] for k in KEYS} == expected and body["totaal"]["ouderdom"]["1-30"] == 1
    zaken = client.get(f"/api/v1/backlog/zaken?peildatum={day}").json
    assert (zaken["count"], zaken["opschorting_zoals_nu"]) == (4, True)
    assert sorted(z["identificatie"] for z in zaken["results"]) == [ident for ident, _, _ in listed]
    assert [(z["toestand"], z["dagen_over_termijn"]) for z in zaken["results"]][0] == ("termijn_overschreden", 11)
    report = app.test_cli_runner().invoke(args=["report", "backlog", "--peildatum", day])
    assert report.exit_code == 0, report.output
    assert json.loads(report.output) == body
    indicatoren = {o["code"]: o for o in client.get(f"/api/v1/indicatoren?peildatum={day}").json["organisaties"]}
    z2 = next(i for i in indicatoren["diemen"]["indicatoren"] if i["code"] == "Z2")
    assert (z2["teller"], z2["noemer"], z2["waarde"]) == (1, 4, 25.0)
    # today's peildatum is no past: no such note
    assert "Opschorting wordt getoond zoals die nu is" not in _page(client, "/achterstand")
    assert client.get("/api/v1/backlog/zaken").json["opschorting_zoals_nu"] is False


@pytest.fixture
def herkomst_world(app, users):
    """Open zaken of zaaktype ZT-1 (doorlooptijd P56D) whose fatale datum shows each kind of step; the stored
    fatale_datum is set by hand as the sync derives it (except `stale`, left as an older rule had it)."""
    with app.app_context():
        world = World(app.config["ORGANISATIES"])
        # 07-02 + 56 days = Saturday 04-04-2026; Sunday 05-04 is Easter, Monday 06-04 tweede Paasdag: Tuesday 07-04
        zaken = {"atw": world.zaak(startdatum="2026-02-07", fatale_datum="2026-04-07"),
                 # 02-03 + 56 days = Monday 27-04-2026, Koningsdag: A = 28-04. S = A, so the verlenging of 10
                 # working days is not in S yet: 29, 30-04, 01, 04-05 (4), 05-05 is a holiday, 06, 07, 08, 11,
                 # 12, 13-05 (10)
                 "niet_verwerkt": world.zaak(startdatum="2026-03-02", uiterlijke_einddatum_afdoening="2026-04-28",
                                             verlenging_duur="P10D", fatale_datum="2026-05-13"),
                 # S after A: the source moved it for the verlenging already
                 "al_verwerkt": world.zaak(startdatum="2026-03-02", uiterlijke_einddatum_afdoening="2026-05-20",
                                           verlenging_duur="P10D", fatale_datum="2026-05-20"),
                 "stale": world.zaak(startdatum="2026-02-07", fatale_datum="2026-04-04")}
        db.session.commit()
        return {name: zaak.identificatie for name, zaak in zaken.items()}


ATW_STEPS = ["afgeleid: startdatum + 8 weken → 04-04-2026",
             "naar dinsdag 07-04-2026 geschoven (Atw: zaterdag, zondag, tweede Paasdag)"]
STEPS = {
    "atw": ATW_STEPS,
    "niet_verwerkt": ["opgeslagen → 28-04-2026",
                      "opgeslagen datum niet na de afgeleide termijn (28-04-2026): verlenging nog niet verwerkt",
                      "+ 10 werkdagen verlenging → 13-05-2026"],
    "al_verwerkt": ["opgeslagen → 20-05-2026", "verlenging van 10 werkdagen al verwerkt: opgeslagen datum na de "
                    "afgeleide termijn (28-04-2026)"],
    "stale": [*ATW_STEPS, "let op: opgeslagen is 04-04-2026; de volgende synchronisatie werkt de fatale datum bij"],
}


def test_how_a_fatale_datum_came_about_on_the_list_the_export_and_the_api(client, herkomst_world):
    login(client, "teamleider")  # leads OE-A, the team of every zaak here
    html = _page(client, f"/achterstand/zaken?peildatum={P}")
    names = {ident: name for name, ident in herkomst_world.items()}
    assert {names[ident]: steps for ident, steps in herkomst(html).items()} == STEPS
    shown = {names[ident]: cells[4] for ident, _, cells in zaak_rows(html)}
    assert shown == {"atw": "07-04-2026", "niet_verwerkt": "13-05-2026", "al_verwerkt": "20-05-2026",
                     "stale": "04-04-2026"}  # the stored date: the one the state is computed with
    assert html.count("herkomst--afwijkend") == 1
    sheet = _sheet(client.get(f"/achterstand/export/zaken.xlsx?peildatum={P}").data)
    header_at = next(i for i, row in enumerate(sheet) if row[0] == "Identificatie")
    assert sheet[header_at][11] == "Herkomst fatale datum"
    assert {names[row[0]]: row[11] for row in sheet[header_at + 1:]} == {
        name: "; ".join(steps) for name, steps in STEPS.items()}
    text = client.get(f"/achterstand/export/zaken.csv?peildatum={P}").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # the steps' "; " are quoted
    assert rows[0][-1] == "Herkomst fatale datum"
    assert {names[row[0]]: row[-1] for row in rows[1:]} == {name: "; ".join(steps) for name, steps in STEPS.items()}
    api = {names[z["identificatie"]]: z for z in client.get(f"/api/v1/backlog/zaken?peildatum={P}").json["results"]}
    assert api["atw"]["fatale_datum"] == "2026-04-07"
    assert api["atw"]["fatale_datum_herkomst"] == {
        "datum": "2026-04-07",
        "tekst": "afgeleid: startdatum + 8 weken; naar dinsdag 07-04-2026 geschoven (Atw: zaterdag, zondag, "
                 "tweede Paasdag)",
        "stappen": [
            {"code": "afgeleid", "datum": "2026-04-04", "tekst": "afgeleid: startdatum + 8 weken", "van": "2026-02-07",
             "duur": "P56D", "afgeleide_termijn": None, "redenen": []},
            {"code": "atw_verschoven", "datum": "2026-04-07",
             "tekst": "naar dinsdag 07-04-2026 geschoven (Atw: zaterdag, zondag, tweede Paasdag)",
             "van": "2026-04-04", "duur": None, "afgeleide_termijn": None,
             "redenen": ["zaterdag", "zondag", "tweede Paasdag"]},
        ]}
    steps = api["niet_verwerkt"]["fatale_datum_herkomst"]["stappen"]
    assert [(s["code"], s["datum"], s["van"], s["duur"], s["afgeleide_termijn"]) for s in steps] == [
        ("opgeslagen", "2026-04-28", None, None, None),
        ("verlenging_niet_verwerkt", "2026-04-28", None, "P10D", "2026-04-28"),
        ("verlenging", "2026-05-13", "2026-04-28", "P10D", None)]
    assert [s["code"] for s in api["al_verwerkt"]["fatale_datum_herkomst"]["stappen"]] == [
        "opgeslagen", "verlenging_al_verwerkt"]
    # the stale one: stored 04-04, its inputs give 07-04 now
    assert (api["stale"]["fatale_datum"], api["stale"]["fatale_datum_herkomst"]["datum"]) == ("2026-04-04",
                                                                                              "2026-04-07")
    # states on 15-05 from the stored dates: 07-04 is 38 days over, 13-05 two, 20-05 due in 5 days
    assert {name: (z["toestand"], z["dagen_over_termijn"], z["binnenkort_verlopend"]) for name, z in api.items()} == {
        "atw": ("termijn_overschreden", 38, False), "niet_verwerkt": ("termijn_overschreden", 2, False),
        "al_verwerkt": ("op_tijd", -5, True), "stale": ("termijn_overschreden", 41, False)}
