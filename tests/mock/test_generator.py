"""The generated demo data: deterministic per seed, relative to the peildatum, and every scenario of
docs/domain.md in the state its name promises."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.mock_inproces.catalogue import ONBEKENDE_RSIN, ORGANISATIES, TEAMS
from connectors.mock_inproces.scenarios import MODIFIERS, SCENARIOS
from connectors.mock_inproces.store import MockStore
from connectors.mock_inproces.testing import RunningMock
from connectors.zgw.durations import add_duration, parse_duration

from .conftest import PEILDATUM, get

D = date.fromisoformat


def _rows(store: MockStore, table: str) -> list[tuple[Any, ...]]:
    with store.db.connection() as con:
        return con.execute(f"SELECT * FROM {table} ORDER BY seq").fetchall()


def _generated(folder: Path, name: str, **kwargs: Any) -> MockStore:
    return MockStore.generated(folder / f"{name}.sqlite3", **{"seed": 42, "zaken": 150, "peildatum": PEILDATUM,
                                                              **kwargs})


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(tmp_path: Path) -> None:
    first, again, other = (_generated(tmp_path, "a"), _generated(tmp_path, "b"), _generated(tmp_path, "c", seed=7))
    for table in ("zaken", "rollen", "resultaten", "statussen", "catalogi", "verwijderd"):
        assert _rows(first, table) == _rows(again, table), table
    assert _rows(first, "zaken")[0] != _rows(other, "zaken")[0]


def test_an_untouched_file_is_reused_and_a_changed_one_regenerated(tmp_path: Path) -> None:
    store = _generated(tmp_path, "a")
    uuid = store.zaak_uuids(limit=1)[0]
    assert _generated(tmp_path, "a").zaak_uuids(limit=1) == [uuid]
    marker = store.db.path.stat().st_mtime_ns
    assert _generated(tmp_path, "a").db.path.stat().st_mtime_ns == marker  # not rewritten
    store.update_zaak(uuid, omschrijving="Aangepast door een test")
    fresh = _generated(tmp_path, "a")
    assert fresh.get_zaak(uuid)["omschrijving"] != "Aangepast door een test"
    assert _generated(tmp_path, "a", peildatum=PEILDATUM + timedelta(days=1)).meta()["peildatum"] == "2026-11-30"


@pytest.fixture(scope="module")
def generated(mock: RunningMock) -> dict[str, Any]:
    """Everything the shared mock serves, plus each zaak's scenario tags."""
    def every(path: str) -> list[dict[str, Any]]:
        return get(mock, path, {"pageSize": 500}).json()["results"] + (
            get(mock, path, {"pageSize": 500, "page": 2}).json().get("results", []))

    with mock.store.db.connection() as con:
        tags = {uuid: set(scenario.split()) for uuid, scenario in con.execute("SELECT uuid, scenario FROM zaken")}
    return {"zaken": every("/zaken/api/v1/zaken"), "rollen": every("/zaken/api/v1/rollen"),
            "resultaten": every("/zaken/api/v1/resultaten"), "zaaktypen": every("/catalogi/api/v1/zaaktypen"),
            "resultaattypen": every("/catalogi/api/v1/resultaattypen"), "tags": tags}


def _scenario(generated: dict[str, Any], zaak: dict[str, Any]) -> str:
    return next(tag for tag in generated["tags"][zaak["uuid"]] if tag in SCENARIOS)


def test_every_scenario_and_modifier_is_present_even_in_a_small_dataset(generated: dict[str, Any]) -> None:
    tags = set().union(*generated["tags"].values())
    assert set(SCENARIOS) | set(MODIFIERS) <= tags


def _open_state_holds(scenario: str, zaak: dict[str, Any], zaaktype: dict[str, Any] | None) -> bool:
    p = PEILDATUM
    start = D(zaak["startdatum"])
    ued = D(zaak["uiterlijkeEinddatumAfdoening"]) if zaak["uiterlijkeEinddatumAfdoening"] else None
    suspended = zaak["opschorting"]["indicatie"]
    norm = parse_duration(zaaktype["servicenorm"]) if zaaktype and zaaktype["servicenorm"] else None
    if ued is None:
        return scenario in ("open_zonder_uiterste_datum", "open_op_tijd")
    days_over = (p - ued).days
    buckets = {"open_termijn_1_30": (1, 30), "open_termijn_31_60": (31, 60), "open_termijn_61_90": (61, 90),
               "open_termijn_90_plus": (91, 10_000)}
    if scenario in buckets:
        return buckets[scenario][0] <= days_over <= buckets[scenario][1] and not suspended
    if scenario == "open_binnenkort":
        return -7 <= days_over <= 0 and not suspended
    if scenario == "open_op_tijd":
        return days_over <= -8 and (norm is None or add_duration(start, norm) >= p)
    if scenario == "open_norm_overschreden":
        return days_over <= -8 and norm is not None and add_duration(start, norm) < p
    if scenario == "open_opgeschort":
        return suspended and days_over <= -8
    if scenario == "open_opgeschort_verstreken":
        return suspended and days_over >= 1
    if scenario.startswith("open_verlengd"):
        duur = parse_duration(zaak["verlenging"]["duur"])
        base = add_duration(start, parse_duration(zaaktype["doorlooptijd"]))
        return ued == (add_duration(base, duur) if scenario == "open_verlengd_datum_bijgewerkt" else base)
    if scenario == "open_start_in_toekomst":
        return start > p
    return scenario == "open_uiterste_voor_start" and ued < start


def test_open_zaken_are_in_the_state_of_their_scenario(generated: dict[str, Any]) -> None:
    zaaktypen = {z["url"]: z for z in generated["zaaktypen"]}
    open_zaken = [z for z in generated["zaken"] if z["einddatum"] is None]
    assert open_zaken
    for zaak in open_zaken:
        scenario = _scenario(generated, zaak)
        assert scenario.startswith("open_")
        assert _open_state_holds(scenario, zaak, zaaktypen.get(zaak["zaaktype"])), (scenario, zaak)


def test_closed_zaken_follow_the_archive_rules_of_the_server(generated: dict[str, Any]) -> None:
    p = str(PEILDATUM)
    resultaten = {r["url"]: r for r in generated["resultaten"]}
    types = {t["url"]: t for t in generated["resultaattypen"]}
    expect = {
        "gesloten_recent": lambda z: z["archiefstatus"] == "nog_te_archiveren" and z["einddatum"] >= str(
            PEILDATUM - timedelta(days=75)),
        "gesloten_zonder_resultaat": lambda z: z["resultaat"] is None and z["archiefnominatie"] is None,
        "gesloten_nominatie_leeg": lambda z: z["archiefnominatie"] == "" and z["archiefactiedatum"] is None,
        "gesloten_vernietigen_zonder_actiedatum": lambda z: z["archiefnominatie"] == "vernietigen" and z[
            "archiefactiedatum"] is None,
        "gesloten_niet_gearchiveerd": lambda z: z["archiefstatus"] == "nog_te_archiveren" and z[
            "archiefactiedatum"] > p,
        "gesloten_eind_voor_start": lambda z: z["einddatum"] < z["startdatum"],
        "vernietigen_verstreken": lambda z: (z["archiefstatus"], z["archiefnominatie"]) == (
            "nog_te_archiveren", "vernietigen") and z["archiefactiedatum"] < p,
        "gearchiveerd_vernietigen_verstreken": lambda z: (z["archiefstatus"], z["archiefnominatie"]) == (
            "gearchiveerd", "vernietigen") and z["archiefactiedatum"] < p,
        "overbrengen_verstreken": lambda z: (z["archiefstatus"], z["archiefnominatie"]) == (
            "nog_te_archiveren", "blijvend_bewaren") and z["archiefactiedatum"] < p,
        "gearchiveerd_overbrengen_verstreken": lambda z: (z["archiefstatus"], z["archiefnominatie"]) == (
            "gearchiveerd", "blijvend_bewaren") and z["archiefactiedatum"] < p,
        "overgedragen": lambda z: z["archiefstatus"] == "overgedragen" and z["archiefactiedatum"] < p,
        "gearchiveerd_zonder_archiefgegevens": lambda z: z["archiefstatus"] == "gearchiveerd" and (
            z["archiefnominatie"] is None or z["archiefactiedatum"] is None),
        "gearchiveerd_procestermijn_onbekend": lambda z: z["archiefstatus"] == "gearchiveerd_procestermijn_onbekend",
        "gearchiveerd": lambda z: z["archiefstatus"] == "gearchiveerd" and z["archiefactiedatum"] > p,
    }
    for zaak in (z for z in generated["zaken"] if z["einddatum"] is not None):
        scenario = _scenario(generated, zaak)
        assert expect[scenario](zaak), (scenario, zaak)
        if zaak["resultaat"] and scenario != "gearchiveerd_zonder_archiefgegevens":
            resultaattype = types[resultaten[zaak["resultaat"]]["resultaattype"]]
            assert zaak["archiefnominatie"] == resultaattype["archiefnominatie"]
            termijn = resultaattype["archiefactietermijn"]
            einde = D(zaak["einddatum"])
            assert zaak["archiefactiedatum"] == (add_duration(einde, parse_duration(termijn)).isoformat()
                                                 if termijn else None)
            assert zaak["startdatumBewaartermijn"] == zaak["einddatum"]


def test_organisations_teams_and_rollen(mock: RunningMock, generated: dict[str, Any]) -> None:
    known = {rsin for rsin, _ in ORGANISATIES}
    assert {z["bronorganisatie"] for z in generated["zaken"]} == known | {ONBEKENDE_RSIN}
    behandelaars: dict[str, list[dict[str, Any]]] = {}
    initiators: dict[str, int] = {}
    for rol in generated["rollen"]:
        if rol["omschrijvingGeneriek"] == "behandelaar":
            assert rol["betrokkeneType"] == "organisatorische_eenheid"
            assert re.fullmatch(r"OE-[A-Z]+-[A-Z]+", rol["betrokkeneIdentificatie"]["identificatie"])
            behandelaars.setdefault(rol["zaak"], []).append(rol)
        else:
            assert (rol["betrokkeneType"], rol["omschrijvingGeneriek"]) == ("natuurlijk_persoon", "initiator")
            initiators[rol["zaak"]] = initiators.get(rol["zaak"], 0) + 1
    assert len(TEAMS) == 25 and len({t.identificatie for t in TEAMS}) == 25
    assert len({r["betrokkeneIdentificatie"]["identificatie"] for rs in behandelaars.values() for r in rs}) >= 20
    for zaak in generated["zaken"]:
        tags = generated["tags"][zaak["uuid"]]
        assert initiators[zaak["url"]] == 1
        expected = 0 if "geen_team" in tags else 2 if "twee_behandelaars" in tags else 1
        found = behandelaars.get(zaak["url"], [])
        assert len(found) == expected, zaak["uuid"]
        if expected == 2:
            assert found[0]["registratiedatum"] != found[1]["registratiedatum"]
    zaaktypen = {z["url"] for z in generated["zaaktypen"]}
    for zaak in generated["zaken"]:
        assert ("onbekend_zaaktype" in generated["tags"][zaak["uuid"]]) == (zaak["zaaktype"] not in zaaktypen)
        assert re.fullmatch(r"ZAAK-\d{4}-\d{10}", zaak["identificatie"])
    keys = [(z["bronorganisatie"], z["identificatie"]) for z in generated["zaken"]]
    duplicated = [z for z in generated["zaken"] if keys.count((z["bronorganisatie"], z["identificatie"])) > 1]
    assert duplicated and any("dubbele_identificatie" in generated["tags"][z["uuid"]] for z in duplicated)
    assert all(len([z for z in duplicated if z["identificatie"] == d["identificatie"]]) == 2 for d in duplicated)
    for uuid in mock.store.destroyed_uuids():
        assert get(mock, f"/zaken/api/v1/zaken/{uuid}").status_code == 404


def test_the_catalogue(generated: dict[str, Any]) -> None:
    zaaktypen = generated["zaaktypen"]
    assert len(zaaktypen) == 31
    assert [z["identificatie"] for z in zaaktypen if not z["doorlooptijd"]] == ["ZT-INFORMATIEVERZOEK", "ZT-HUWELIJK"]
    assert any(z["servicenorm"] is None for z in zaaktypen) and any(z["verlengingstermijn"] for z in zaaktypen)
    doorlooptijd = {z["identificatie"]: z["doorlooptijd"] for z in zaaktypen}
    assert (doorlooptijd["ZT-WOO-VERZOEK"], doorlooptijd["ZT-BEZWAARSCHRIFT"]) == ("P28D", "P84D")
    rules = {(r["archiefnominatie"], r["archiefactietermijn"]) for r in generated["resultaattypen"]}
    assert {("vernietigen", "P1Y"), ("vernietigen", "P5Y"), ("vernietigen", "P10Y"), ("vernietigen", "P20Y"),
            ("blijvend_bewaren", "P20Y"), ("vernietigen", None), ("", None)} <= rules


def test_dates_follow_the_peildatum_and_the_active_set_is_about_15_percent(tmp_path: Path) -> None:
    peildatum = date(2031, 3, 1)
    store = _generated(tmp_path, "big", zaken=2000, peildatum=peildatum)
    summary = json.loads(store.meta()["summary"])
    tomorrow = str(peildatum + timedelta(days=1))
    with store.db.connection() as con:
        active = con.execute("SELECT COUNT(*) FROM zaken WHERE archiefstatus = 'nog_te_archiveren' OR "
                             "(archiefactiedatum < ? AND archiefstatus != 'overgedragen')", (tomorrow,)).fetchone()[0]
        overdue = con.execute("SELECT MIN(uiterlijke_einddatum), MAX(uiterlijke_einddatum) FROM zaken "
                              "WHERE scenario LIKE '% open_termijn_1_30 %'").fetchone()
        years = dict(con.execute("SELECT substr(einddatum, 1, 4), COUNT(*) FROM zaken GROUP BY 1").fetchall())
    assert 0.12 < active / 2000 < 0.18
    assert str(peildatum - timedelta(days=30)) <= overdue[0] <= overdue[1] <= str(peildatum - timedelta(days=1))
    assert all(years[str(year)] > 70 for year in range(2026, 2031))  # six years of closed zaken
    assert summary["zaken"] == 2000 and summary["vernietigd"] == 4
    assert abs(summary["organisaties"][ONBEKENDE_RSIN] / 2000 - 0.005) < 0.004
