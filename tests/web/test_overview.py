"""The overview (/overzicht) every role lands on: its own figures, each equal to the page it links to.

Figures of the hand-built dataset at 15-05-2026, as worked out in tests/sync/test_handbuilt.py: team OE-A
("Vergunningen", led by `tl`) has 5 open zaken, 2 over the fatale datum, 1 due within a week; the archive
backlog is 6 tasks (aanvullen 1, archiveren 2, vernietigen 2, overbrengen 1), the oldest C7 due 10-01-2019.
"""

from __future__ import annotations

import html
import re

import pytest

from ..conftest import login
from ..handbuilt import PEILDATUM

P = PEILDATUM.isoformat()


@pytest.fixture
def synced(app, handbuilt):  # noqa: ARG001 - the mirror, synced once from the hand-built source
    return app


def _overview(client) -> str:
    response = client.get(f"/overzicht?peildatum={P}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _team_links(body: str, team: str) -> dict[str, tuple[int, str]]:
    """kolom -> (figure, link) in the row of a team."""
    row = re.search(rf'<tr[^>]*data-team="{team}"[^>]*>(.*?)</tr>', body, re.S).group(1)
    return {kolom: (int(value), html.unescape(link)) for kolom, link, value in
            re.findall(r'data-kolom="(\w+)"><a class="utrecht-link" href="([^"]+)">(\d+)<', row)}


def _count_on(client, link: str) -> int:
    body = client.get(link).get_data(as_text=True)
    return int(re.search(r'id="aantal" role="status"><strong>([\d.]+)</strong>', body).group(1).replace(".", ""))


@pytest.mark.parametrize("role", ["teamleider", "programmateam", "pia", "beheerder"])
def test_every_role_lands_on_the_overview(client, users, role):
    login(client, role)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/overzicht"


def test_team_lead_sees_the_own_teams_and_each_figure_equals_its_list(client, synced):
    login(client, "teamleider")
    body = _overview(client)
    assert "Mijn teams" in body and "Werkvoorraad archief" not in body and "Gereed voor opheffing" not in body
    links = _team_links(body, "OE-A")
    assert {kolom: value for kolom, (value, _) in links.items()} == {
        "open": 5, "termijn_overschreden": 2, "binnenkort_verlopend": 1}
    assert re.findall(r'data-team="([^"]+)"', body) == ["OE-A"]  # only the own team
    for value, link in links.values():
        assert f"peildatum={P}" in link and _count_on(client, link) == value


def test_pia_sees_the_queue_and_its_oldest_task(client, synced):
    login(client, "pia")
    body = _overview(client)
    assert "Mijn teams" not in body and "Gereed voor opheffing" not in body
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert "6 taken in de achterstand" in text
    # C7: vernietigen due 10-01-2019; 15-05-2026 - 10-01-2019 = 2682 days
    assert "Oudste taak: 2.682 dagen over de vervaldatum (10-01-2019)" in text
    kinds = dict(re.findall(r'data-kolom="(\w+)"><a class="utrecht-link" href="[^"]+">[^:]+: (\d+)</a>', body))
    assert kinds == {"archiefgegevens_aanvullen": "1", "vernietigen": "2", "overbrengen": "1", "archiveren": "2"}
    queue = client.get(f"/archief/?peildatum={P}").get_data(as_text=True)
    total = re.search(r'<tr[^>]*data-org="totaal"[^>]*>.*?data-kolom="achterstand">(\d+)<', queue, re.S).group(1)
    assert total == "6"


def test_programme_team_sees_readiness_per_configured_organisation(client, app, synced):
    login(client, "programmateam")
    body = _overview(client)
    orgs = re.findall(r'data-org="([^"]+)"><a class="utrecht-link" href="[^"]+">([^<]+)</a>', body)
    assert [code for code, _ in orgs] == [org["code"] for org in app.config["ORGANISATIES"]]
    # no KPI judgement has been given yet, so no organisation can be ready
    assert all("nog niet gereed" in html.unescape(text) for _, text in orgs)
    assert "Mijn teams" not in body and "Werkvoorraad archief" not in body


def test_beheerder_sees_every_section(client, synced):
    login(client, "beheerder")
    body = _overview(client)
    assert "Open zaken per team" in body and "Werkvoorraad archief" in body and "Gereed voor opheffing" in body
    assert _team_links(body, "OE-A")["open"][0] == 5


def test_a_bad_peildatum_is_a_400(client, users):
    login(client, "pia")
    response = client.get("/overzicht?peildatum=31-02-2026")
    assert response.status_code == 400 and "peildatum" in response.get_data(as_text=True).lower()
