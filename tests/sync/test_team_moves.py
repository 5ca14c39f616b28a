"""Team moves at the source reach the mirror in the next incremental run (issue 14 item 1, domain.md "Rol" and
"What a sync must keep true"); ties on registratiedatum go to the rol created last, in every path (issue 13).

The hand-built dataset (tests/handbuilt.py) is served by the mock over HTTP and mirrored by a full run; a rol
is added or removed through the mock's control API, as a client of Open Zaak would; then ONE incremental run.
Each test runs with pageSize 5, where the few changed zaken are enriched one by one (`rollen?zaak=`), and with
pageSize 500, where the sweep of `/rollen` and `/resultaten` is cheaper as soon as two zaken changed (the
mirror's 29 zaken fit one page).

Requests of the incremental run, worked out from the dataset: the catalogue (zaaktypen, resultaattypen: 1 page
each), the 23 nog_te_archiveren zaken (5 pages of 5, or 1 of 500), C3 and C7 past their archiefactiedatum
(1 page), the completeness counts (all and open zaken of the 4 organisations: 8); and then per changed zaak its
behandelaar rollen (1) and, when it has one, its resultaat (1) — or the two sweeps of 1 page each.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import running_mock
from connectors.zgw.records import Rol, Zaak
from duo_zaak.db import db
from duo_zaak.models import SyncRun
from duo_zaak.rules.archive import ArchiveSettings
from duo_zaak.settings import archive_settings
from duo_zaak.sync.enrichment import Enricher
from duo_zaak.sync.run import Syncer, run_sync

from ..conftest import login
from ..handbuilt import FIXTURES, PEILDATUM, Z, build_dataset, zaak_url, zaak_uuid

P = PEILDATUM.isoformat()
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
PAGE_SIZES = pytest.mark.parametrize("page_size", [5, 500], ids=["per-zaak", "sweep"])
COUNTS = 2 * 4  # completeness: all and open zaken of each configured organisation


def base_requests(page_size: int) -> int:
    """An incremental run with nothing to enrich: catalogue + nog_te_archiveren + archived-due pages + counts."""
    nog_te_archiveren = -(-23 // page_size)  # 5 pages of 5, 1 page of 500
    return 1 + 1 + nog_te_archiveren + 1 + COUNTS


def sync(app, mock, page_size: int, *, full: bool = False) -> SyncRun:
    client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                      client_id=mock.client_id, secret=mock.secret, page_size=page_size,
                                      backoff_factor=0))
    with app.app_context():
        run = run_sync(client, full=full, today=PEILDATUM, settings=archive_settings(),
                       organisaties=app.config["ORGANISATIES"])
        assert run.uitkomst == "geslaagd", run.melding
        db.session.expunge(run)
        db.session.remove()
    return run


def rol_uuid(mock, zaak_key: str, team: str) -> str:
    """The uuid of the zaak's behandelaar rol for `team`, read from the zaak's own `rollen` list."""
    for url in mock.store.get_zaak(zaak_uuid(zaak_key))["rollen"]:
        rol = mock.store.detail("rollen", url.rsplit("/", 1)[1])
        if rol["betrokkeneIdentificatie"]["identificatie"] == team:
            return rol["uuid"]
    raise AssertionError(f"{zaak_key} has no rol for {team}")


def backlog(client) -> dict:
    return client.get(f"/api/v1/backlog?peildatum={P}").json


def team_counts(body: dict, org: str) -> dict[str | None, tuple[int, ...]]:
    """team id -> (open, op_tijd, norm_overschreden, termijn_overschreden, onbekend, binnenkort, 1-30, 31-60,
    61-90, 90+) of one organisation."""
    organisation = next(o for o in body["organisaties"] if o["code"] == org)
    return {t["id"]: (t["open"], t["op_tijd"], t["norm_overschreden"], t["termijn_overschreden"], t["onbekend"],
                      t["binnenkort_verlopend"], *t["ouderdom"].values()) for t in organisation["teams"]}


def archive_per_team(client, org: str, peildatum: str = P) -> dict[str | None, tuple[int, dict[str, int]]]:
    body = client.get(f"/api/v1/archief?peildatum={peildatum}").json
    organisation = next(o for o in body["organisaties"] if o["code"] == org)
    return {t["id"]: (t["achterstand"], {k: v for k, v in t["per_soort"].items() if v}) for t in organisation["teams"]}


def geen_team(client) -> int:
    findings = client.get(f"/api/v1/kwaliteit?peildatum={P}").json["bevindingen"]
    return next(f["aantal"] for f in findings if f["code"] == "geen_team")


@pytest.fixture
def web(app, users):
    client = app.test_client()
    login(client, "programmateam")
    return client


@PAGE_SIZES
@BOTH
def test_a_rol_added_moves_the_zaak_to_the_new_team(app, web, page_size):
    """O3 (Diemen, OE-A, overdue 19 days) and C1 (Diemen, OE-A, archiveren due since 5 days) get a new
    behandelaar OE-B, registered now: both move to OE-B in the next incremental run."""
    with running_mock(data=build_dataset()) as mock:
        sync(app, mock, page_size, full=True)
        # before: OE-A holds O1, O2, O3, O16, O17 open; OE-B holds O4, O5, O6, O18
        assert team_counts(backlog(web), "diemen") == {
            "OE-A": (5, 1, 2, 2, 0, 1, 1, 1, 0, 0), "OE-B": (4, 0, 1, 3, 0, 1, 1, 0, 1, 1)}
        mock.store.set_behandelaar(zaak_uuid("O3"), "OE-B", "Burgerzaken")
        mock.store.set_behandelaar(zaak_uuid("C1"), "OE-B", "Burgerzaken")
        run = sync(app, mock, page_size)
        assert (run.nieuw, run.gewijzigd, run.vernietigd, run.overgeslagen) == (0, 2, 0, 0)
        # per zaak: O3's rollen (no resultaat) + C1's rollen and resultaat = 3; sweep: 1 + 1 page
        assert run.verzoeken == base_requests(page_size) + (3 if page_size == 5 else 2)
        # after: O3 (termijn_overschreden, 1-30) left OE-A for OE-B
        assert team_counts(backlog(web), "diemen") == {
            "OE-A": (4, 1, 2, 1, 0, 1, 0, 1, 0, 0), "OE-B": (5, 0, 1, 4, 0, 1, 2, 0, 1, 1)}
        # C1's archiveren task goes with it: OE-A keeps C2 (aanvullen, 15 days) and C9 (archiveren, 10 days)
        assert archive_per_team(web, "diemen") == {
            "OE-A": (2, {"archiefgegevens_aanvullen": 1, "archiveren": 1}),
            "OE-B": (3, {"archiveren": 1, "vernietigen": 2})}
        assert geen_team(web) == 2  # O11 and C8, as before
        # the next run finds nothing to do: no request per mirrored zaak
        again = sync(app, mock, page_size)
        assert (again.gewijzigd, again.verzoeken) == (0, base_requests(page_size))


@PAGE_SIZES
def test_a_rol_removed_falls_back_to_the_previous_rol_or_niet_toegewezen(app, web, page_size):
    """O13 (Uithoorn) has OE-D (09:00) and OE-A (08:00): OE-D's rol is removed, OE-A counts again. O4 (Diemen,
    OE-B) loses its only behandelaar: "Niet toegewezen"."""
    with running_mock(data=build_dataset()) as mock:
        sync(app, mock, page_size, full=True)
        assert team_counts(backlog(web), "uithoorn") == {"OE-D": (3, 2, 0, 0, 1, 1, 0, 0, 0, 0)}
        mock.store.remove_rol(rol_uuid(mock, "O13", "OE-D"))
        mock.store.remove_rol(rol_uuid(mock, "O4", "OE-B"))
        run = sync(app, mock, page_size)
        assert (run.gewijzigd, run.overgeslagen) == (2, 0)
        # per zaak: 1 rollen request each (both open, no resultaat); sweep: 1 + 1 page
        assert run.verzoeken == base_requests(page_size) + 2
        # Uithoorn: O12 (onbekend) and O14 (op_tijd, binnenkort) stay with OE-D; O13 (op_tijd) is OE-A's
        assert team_counts(backlog(web), "uithoorn") == {
            "OE-A": (1, 1, 0, 0, 0, 0, 0, 0, 0, 0), "OE-D": (2, 1, 0, 0, 1, 1, 0, 0, 0, 0)}
        # Diemen: O4 (overdue 89 days, 61-90) leaves OE-B for "Niet toegewezen" (id None)
        assert team_counts(backlog(web), "diemen") == {
            "OE-A": (5, 1, 2, 2, 0, 1, 1, 1, 0, 0), "OE-B": (3, 0, 1, 2, 0, 1, 1, 0, 0, 1),
            None: (1, 0, 0, 1, 0, 0, 0, 0, 1, 0)}
        assert geen_team(web) == 3  # O11, C8 and now O4


@PAGE_SIZES
def test_the_first_rol_on_an_unassigned_zaak(app, web, page_size):
    """O11 (Ouder-Amstel) had no behandelaar: it gets OE-C and leaves "Niet toegewezen"."""
    with running_mock(data=build_dataset()) as mock:
        sync(app, mock, page_size, full=True)
        assert team_counts(backlog(web), "ouder-amstel") == {None: (1, 0, 0, 0, 1, 0, 0, 0, 0, 0)}
        assert geen_team(web) == 2
        mock.store.set_behandelaar(zaak_uuid("O11"), "OE-C", "Belastingen")
        run = sync(app, mock, page_size)
        assert run.gewijzigd == 1
        assert run.verzoeken == base_requests(page_size) + 1  # one changed zaak: one request, whatever the size
        assert team_counts(backlog(web), "ouder-amstel") == {"OE-C": (1, 0, 0, 0, 1, 0, 0, 0, 0, 0)}
        assert geen_team(web) == 1  # C8 only


def _tied_dataset() -> dict:
    """The dataset with the rol URLs of O14 and C11 made to sort last, so that a tie broken by URL (or by
    list position the wrong way round) would keep them: only "the rol created last" picks the new ones."""
    data = build_dataset()
    for n, key in enumerate(("O14", "C11"), start=1):
        rol = next(r for r in data["rollen"] if r["zaak"] == zaak_url(key))
        rol["url"] = f"{Z}/rollen/ffffffff-0000-4000-8000-{n:012d}"
        rol["uuid"] = rol["url"].rsplit("/", 1)[1]
    return data


@PAGE_SIZES
@BOTH
def test_equal_registratiedatum_the_rol_created_last_wins_in_every_path(app, web, page_size):
    """O14 (OE-D, rol of 08-05 09:00) gets OE-A and C11 (OE-D, rol of 01-05 09:00) gets OE-B, each with the
    same registratiedatum as the rol it had: the rol created last counts (the source lists it first). The same
    answer one by one (pageSize 5), by the sweep (pageSize 500) and in the staged full run after it."""
    with running_mock(data=_tied_dataset()) as mock:
        sync(app, mock, page_size, full=True)
        mock.store.set_behandelaar(zaak_uuid("O14"), "OE-A", "Vergunningen", datetime(2026, 5, 8, 9, 0, tzinfo=UTC))
        mock.store.set_behandelaar(zaak_uuid("C11"), "OE-B", "Burgerzaken", datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
        run = sync(app, mock, page_size)
        assert run.gewijzigd == 2
        # per zaak: O14's rollen + C11's rollen and resultaat = 3; sweep: 1 + 1 page
        assert run.verzoeken == base_requests(page_size) + (3 if page_size == 5 else 2)
        # Uithoorn open: O12 (onbekend), O13 (op_tijd) stay with OE-D; O14 (op_tijd, binnenkort) is OE-A's
        assert team_counts(backlog(web), "uithoorn") == {
            "OE-A": (1, 1, 0, 0, 0, 1, 0, 0, 0, 0), "OE-D": (2, 1, 0, 0, 1, 0, 0, 0, 0, 0)}
        # C11's archiveren task (due 04-06) is OE-B's on 15-06: 11 days
        assert archive_per_team(web, "uithoorn", "2026-06-15") == {"OE-B": (1, {"archiveren": 1})}
        # a full run stages the rollen and comes to the same teams: nothing to rewrite
        full = sync(app, mock, page_size, full=True)
        assert (full.gewijzigd, full.ongewijzigd) == (0, 29)


def test_rollen_status_and_resultaat_urls_take_part_in_change_detection():
    """The content hash of a zaak changes when only its rol list, status or resultaat URL does; the order of
    the rol list does not count."""
    data = json.loads((FIXTURES / "zaak_detail.json").read_text())
    writer = Syncer(None, today=PEILDATUM, settings=ArchiveSettings(), organisaties=[])  # type: ignore[arg-type]

    def digest(**changes: object) -> str:
        return writer.content_hash(writer.derive(Zaak.from_api({**data, **changes})))

    same = digest()
    assert digest(rollen=list(reversed(data["rollen"]))) == same
    assert digest(rollen=[*data["rollen"], f"{Z}/rollen/nieuw"]) != same  # a rol added
    assert digest(rollen=data["rollen"][:1]) != same  # a rol removed
    assert digest(rollen=[]) != same
    assert digest(status=f"{Z}/statussen/nieuw") != same
    assert digest(resultaat=f"{Z}/resultaten/nieuw") != same
    assert digest(omschrijving=data["omschrijving"]) == same


def _rol(url: str, team: str, moment: datetime | None) -> Rol:
    return Rol(url=url, zaak=f"{Z}/zaken/1", betrokkene_type="organisatorische_eenheid",
               omschrijving_generiek="behandelaar", registratiedatum=moment, identificatie=team, naam=team)


def test_pick_behandelaar_takes_the_first_of_the_tied_ones_in_the_source_order():
    """The source lists newest first: of equal registratiedatum the first listed was created last."""
    moment = datetime(2026, 5, 8, 9, 0, tzinfo=UTC)
    newest, older = _rol(f"{Z}/rollen/0001", "OE-NIEUW", moment), _rol(f"{Z}/rollen/ffff", "OE-OUD", moment)
    assert Enricher.pick_behandelaar([newest, older]).identificatie == "OE-NIEUW"  # not the higher URL
    assert Enricher.pick_behandelaar([older, newest]).identificatie == "OE-OUD"  # the order decides, as listed
    later = _rol(f"{Z}/rollen/0002", "OE-LATER", datetime(2026, 5, 8, 9, 0, 1, tzinfo=UTC))
    assert Enricher.pick_behandelaar([newest, older, later]).identificatie == "OE-LATER"  # a later moment wins
    assert Enricher.pick_behandelaar([_rol(f"{Z}/rollen/3", "OE-X", None), newest]).identificatie == "OE-NIEUW"
    assert Enricher.pick_behandelaar([]) is None
