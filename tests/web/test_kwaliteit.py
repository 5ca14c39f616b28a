"""The data-quality pages through the Flask test client on the hand-built dataset (peildatum 15-05-2026):
counts per finding (as in tests/sync/test_handbuilt.py) equal to the API, the explanation, the
drill-down to the zaken of a finding, bad parameters and the exports."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from duo_zaak.rules.quality import FINDINGS

from ..conftest import login
from ..handbuilt import PEILDATUM

P = PEILDATUM.isoformat()
FINDING = re.compile(r'data-bevinding="([^"]+)">.*?data-figuur="aantal">\s*(?:<a[^>]*href="([^"]*)"[^>]*>)?\s*(\d+)',
                     re.S)
ZAAK_ROW = re.compile(r'<tr class="utrecht-table__row">\s*<th scope="row"[^>]*>(?:<a[^>]*>)?(ZAAK-[\d-]+)(.*?)</tr>',
                      re.S)
ALL_COUNTS = {
    "geen_team": 2, "zaaktype_onbekend": 1, "geen_doorlooptijd": 1, "einddatum_voor_startdatum": 1,
    "startdatum_in_toekomst": 1, "gesloten_zonder_resultaat": 1, "uiterste_datum_voor_startdatum": 1,
    "dubbele_identificatie": 2, "gearchiveerd_zonder_archiefgegevens": 1,
    "onbekende_bronorganisatie": 1,  # O15: its RSIN is not configured
    "onleesbaar_in_bron": 0,
}
# OE-A holds O1, O2, O3, O16, O17, C1, C2, C6 and C9
TEAM_A_COUNTS = {**dict.fromkeys(ALL_COUNTS, 0), "einddatum_voor_startdatum": 1, "startdatum_in_toekomst": 1,
                 "gesloten_zonder_resultaat": 1, "uiterste_datum_voor_startdatum": 1, "dubbele_identificatie": 1}


def _page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def findings(html: str) -> dict[str, tuple[int, str | None]]:
    return {code: (int(count), link.replace("&amp;", "&") or None) for code, link, count in FINDING.findall(html)}


def zaak_rows(html: str) -> list[list[str]]:
    return [[ident, *(re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S))]
            for ident, rest in ZAAK_ROW.findall(html)]


@pytest.mark.parametrize(("role", "expected"), [("programmateam", ALL_COUNTS), ("teamleider", TEAM_A_COUNTS)])
def test_counts_per_finding_equal_the_api(client, handbuilt, role, expected):
    login(client, role)
    html = _page(client, f"/kwaliteit?peildatum={P}")
    shown = findings(html)
    assert {code: count for code, (count, _) in shown.items()} == expected
    api = client.get(f"/api/v1/kwaliteit?peildatum={P}").json
    assert {b["code"]: b["aantal"] for b in api["bevindingen"]} == expected
    # a finding with zaken links to its list; one without does not
    assert shown["dubbele_identificatie"][1] == f"/kwaliteit/dubbele_identificatie?peildatum={P}"
    assert (shown["zaaktype_onbekend"][1] is None) == (expected["zaaktype_onbekend"] == 0)
    for text in FINDINGS.values():
        assert str(escape(text.omschrijving)) in html and str(escape(text.uitleg)) in html
    assert "op 15-05-2026" in html


def test_drill_down_shows_the_zaken_of_a_finding(app, client, handbuilt):
    login(client, "programmateam")
    html = _page(client, f"/kwaliteit/geen_team?peildatum={P}")
    assert str(escape(FINDINGS["geen_team"].uitleg)) in html
    assert zaak_rows(html) == [
        ["ZAAK-2026-0000000011", "Scenario O11", "Klacht", "Gemeente Ouder-Amstel", "Niet toegewezen",
         "01-05-2026", "–", "Nog te archiveren"],
        ["ZAAK-2026-0000000026", "Scenario C8", "Melding openbare ruimte", "Gemeente Ouder-Amstel", "Niet toegewezen",
         "01-03-2026", "10-03-2026", "Gearchiveerd"],
    ]
    assert [row[0] for row in zaak_rows(_page(client, f"/kwaliteit/dubbele_identificatie?peildatum={P}"))] \
        == ["ZAAK-2026-0000000001"] * 2
    teamleider = app.test_client()
    login(teamleider, "teamleider")
    assert zaak_rows(_page(teamleider, f"/kwaliteit/geen_team?peildatum={P}")) == []
    html = _page(teamleider, f"/kwaliteit/uiterste_datum_voor_startdatum?peildatum={P}")
    assert [row[0] for row in zaak_rows(html)] == ["ZAAK-2026-0000000017"]


def test_bad_parameters(client, handbuilt):
    login(client, "programmateam")
    assert "Ongeldige peildatum" in _page(client, "/kwaliteit?peildatum=gisteren", status=400)
    assert "Ongeldige peildatum" in _page(client, "/kwaliteit/geen_team?peildatum=2026-13-01", status=400)
    assert "Ongeldig paginanummer" in _page(client, "/kwaliteit/geen_team?page=0", status=400)
    html = _page(client, f"/kwaliteit/geen_team?peildatum={P}&page=2")
    # past the end: the last (only) page, with a word about it
    assert "Pagina 2 bestaat niet: deze lijst heeft 1 pagina; u ziet de laatste." in html and zaak_rows(html) != []
    assert client.get("/kwaliteit/bestaat_niet").status_code == 404
    assert client.get("/kwaliteit/export.xlsx?peildatum=morgen").status_code == 400


def test_exports(app, client, handbuilt):
    login(client, "programmateam")
    response = client.get(f"/kwaliteit/export.csv?peildatum={P}")
    assert 'filename="kwaliteit_2026-05-15.csv"' in response.headers["Content-Disposition"]
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Code;Bevinding;Aantal zaken;Waarom het telt en wie het oplost"
    assert {line.split(";")[0]: int(line.split(";")[2]) for line in lines[1:]} == ALL_COUNTS

    teamleider = app.test_client()
    login(teamleider, "teamleider")
    response = teamleider.get(f"/kwaliteit/einddatum_voor_startdatum/export.xlsx?peildatum={P}")
    assert 'filename="kwaliteit_einddatum_voor_startdatum_OE-A_2026-05-15.xlsx"' \
        in response.headers["Content-Disposition"]
    sheet = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert ("Bevinding", "Einddatum voor startdatum") in [row[:2] for row in sheet]
    header_at = next(i for i, row in enumerate(sheet) if row[0] == "Identificatie")
    (row,) = sheet[header_at + 1:]
    # C9: started 10-04-2026, closed 05-04-2026
    assert row[:8] == ("ZAAK-2026-0000000027", "Scenario C9", "Omgevingsvergunning", "Gemeente Diemen",
                       "Vergunningen", datetime(2026, 4, 10), datetime(2026, 4, 5), "Nog te archiveren")
