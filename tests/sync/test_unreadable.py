"""One unreadable record skips one zaak, not the run; completeness is measured at the end of every run
(issue 14, domain.md "What a sync must keep true"). The hand-built dataset over HTTP, peildatum 15-05-2026."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import running_mock
from duo_zaak.db import db
from duo_zaak.models import Organisatie, SyncOvergeslagen, SyncRun, SyncVolledigheid, Zaak
from duo_zaak.settings import archive_settings
from duo_zaak.sync.run import run_sync, summary

from ..conftest import login
from ..handbuilt import PEILDATUM, RSIN, build_dataset, resultaattype_url, zaak_uuid, zaaktype_url

P = PEILDATUM.isoformat()
BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
PAGE = 5


def sync(app, mock, *, full: bool = False) -> tuple[SyncRun, str]:
    client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                      client_id=mock.client_id, secret=mock.secret, page_size=PAGE, backoff_factor=0))
    with app.app_context():
        run = run_sync(client, full=full, today=PEILDATUM, settings=archive_settings(),
                       organisaties=app.config["ORGANISATIES"])
        line = summary(run)
        db.session.expunge(run)
        db.session.remove()
    return run, line


def skipped(app, run_id: int) -> list[tuple[str, str, str, bool]]:
    """(zaak url, field, reason, in the mirror) of the run's skipped records."""
    with app.app_context():
        rows = db.session.execute(select(SyncOvergeslagen.zaak_url, SyncOvergeslagen.veld, SyncOvergeslagen.reden,
                                         SyncOvergeslagen.zaak_id).where(SyncOvergeslagen.run_id == run_id)
                                  .order_by(SyncOvergeslagen.zaak_url)).all()
        db.session.remove()
    return [(url, veld, reden, zaak_id is not None) for url, veld, reden, zaak_id in rows]


def completeness(app, run_id: int) -> dict[str, tuple[int | None, int, int | None, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(Organisatie.code, SyncVolledigheid.bron_alle, SyncVolledigheid.spiegel_alle,
                   SyncVolledigheid.bron_open, SyncVolledigheid.spiegel_open)
            .join(Organisatie, Organisatie.id == SyncVolledigheid.organisatie_id)
            .where(SyncVolledigheid.run_id == run_id)).all()
        db.session.remove()
    return {code: tuple(counts) for code, *counts in rows}


def _open(body: dict, org: str) -> dict[str | None, tuple[int, int, int]]:
    """team id -> (open, termijn_overschreden, onbekend) of one organisation."""
    organisation = next(o for o in body["organisaties"] if o["code"] == org)
    return {t["id"]: (t["open"], t["termijn_overschreden"], t["onbekend"]) for t in organisation["teams"]}


def _findings(client) -> dict[str, int]:
    return {f["code"]: f["aantal"] for f in client.get(f"/api/v1/kwaliteit?peildatum={P}").json["bevindingen"]}


# Before the change every configured organisation is complete: (bron alle, spiegel alle, bron open, spiegel open).
# Diemen: O1-O6, O16-O18 open, C1-C3, C6, C7, C9 closed; Duo+: O7-O10, C4, C5, C10; Ouder-Amstel: O11, C8;
# Uithoorn: O12-O14, C11. O15 belongs to no configured organisation.
COMPLETE = {"diemen": (15, 15, 9, 9), "duoplus": (7, 7, 4, 4), "ouder-amstel": (2, 2, 1, 1),
            "uithoorn": (4, 4, 3, 3)}


@BOTH
def test_one_unreadable_record_skips_one_zaak_and_every_other_figure_is_current(app, users):
    with running_mock(data=build_dataset()) as mock:
        full, _ = sync(app, mock, full=True)
        assert completeness(app, full.id) == COMPLETE
        store = mock.store
        # unreadable: O5 (open, OE-B, overdue 120 days) loses its startdatum; C1 (OE-A, archiveren due) is
        # archived and loses its startdatum, so no list returns it and the run asks for it by URL; a new zaak
        # N1 has no identificatie.
        store.update_zaak(zaak_uuid("O5"), startdatum=None)
        store.set_archiefstatus(zaak_uuid("C1"), "gearchiveerd")
        store.update_zaak(zaak_uuid("C1"), startdatum=None)
        new = store.add_zaak(zaaktype=zaaktype_url("ZT2"), bronorganisatie=RSIN["diemen"], startdatum=date(2026, 5, 10),
                             behandelaar=("OE-A", "Vergunningen"))
        store.update_zaak(new["uuid"], identificatie=None)
        # readable changes in the same run: O3 (OE-A) is closed, O11 gets its first team
        store.close_zaak(zaak_uuid("O3"), einddatum=PEILDATUM, resultaattype_url=resultaattype_url("RT1"))
        store.set_behandelaar(zaak_uuid("O11"), "OE-C", "Belastingen")

        run, line = sync(app, mock)
        assert run.uitkomst == "geslaagd", run.melding
        assert (run.overgeslagen, run.nieuw, run.gewijzigd, run.vernietigd) == (3, 0, 2, 0)
        # 2 catalogue pages; 23 nog_te_archiveren zaken (23 + N1 - C1) in 5 pages; C3 and C7 past their date in
        # 1 page; 1 GET for C1 (expected, not listed); O3's rollen and resultaat, O11's rollen; 8 counts
        assert run.verzoeken == 2 + 5 + 1 + 1 + 3 + 8
        base = mock.zaken_url + "/zaken/"
        assert skipped(app, run.id) == sorted([
            (base + zaak_uuid("C1"), "startdatum", "veld 'startdatum' ontbreekt", True),
            (base + zaak_uuid("O5"), "startdatum", "veld 'startdatum' ontbreekt", True),
            (base + new["uuid"], "identificatie", "veld 'identificatie' ontbreekt", False),
        ])
        with app.app_context():
            o5 = db.session.scalar(select(Zaak).filter_by(uuid=zaak_uuid("O5")))
            assert o5.startdatum == date(2026, 1, 1) and o5.onleesbaar_in_bron == "veld 'startdatum' ontbreekt"
            c1 = db.session.scalar(select(Zaak).filter_by(uuid=zaak_uuid("C1")))
            assert c1.archiefstatus == "nog_te_archiveren"  # the last good record
            db.session.remove()
        # completeness shows the zaak the mirror could not take in: N1 is Diemen's, open
        assert completeness(app, run.id) == {**COMPLETE, "diemen": (16, 15, 9, 8)}
        assert line.startswith("sync incrementeel geslaagd in ")
        # unchanged: the 23 listed zaken but O5, N1 (skipped), O3, O11 (changed) = 19, and C3, C7 = 21
        assert ("0 nieuw, 2 gewijzigd, 21 ongewijzigd, 0 vernietigd, 3 overgeslagen; volledigheid: bron telt 29 "
                "/ spiegel 28, open 17 / 16 (verschil bij Gemeente Diemen 16 / 15, open 9 / 8)") in line

        web = app.test_client()
        login(web, "programmateam")
        body = web.get(f"/api/v1/backlog?peildatum={P}").json
        # Diemen: OE-A lost O3 (closed), 4 open with O17 overdue; OE-B keeps O5 as it was (O4, O5, O6 overdue)
        assert _open(body, "diemen") == {"OE-A": (4, 1, 0), "OE-B": (4, 3, 0)}
        assert _open(body, "ouder-amstel") == {"OE-C": (1, 0, 1)}  # O11 found its team
        assert body["totaal"]["open"] == 17  # 18 - O3
        archive = web.get(f"/api/v1/archief?peildatum={P}").json
        diemen = next(o for o in archive["organisaties"] if o["code"] == "diemen")
        oe_a = next(t for t in diemen["teams"] if t["id"] == "OE-A")
        assert (oe_a["achterstand"], oe_a["per_soort"]["archiveren"]) == (3, 2)  # C1 still counts, as mirrored
        findings = _findings(web)
        assert (findings["onleesbaar_in_bron"], findings["geen_team"]) == (2, 1)  # O5 and C1; C8
        listed = web.get(f"/kwaliteit/onleesbaar_in_bron?peildatum={P}").get_data(as_text=True)
        assert "ZAAK-2026-0000000005" in listed and "Onleesbaar in de bron" in listed

        # InProces is repaired: the next run reads all three, the finding clears, the counts agree again
        store.update_zaak(zaak_uuid("O5"), startdatum="2026-01-01")
        store.update_zaak(zaak_uuid("C1"), startdatum="2026-04-01")
        store.update_zaak(new["uuid"], identificatie="ZAAK-2026-0000000099")
        repaired, line = sync(app, mock)
        assert (repaired.overgeslagen, repaired.nieuw, repaired.gewijzigd) == (0, 1, 1)  # N1 new, C1 archived
        assert skipped(app, repaired.id) == []
        assert completeness(app, repaired.id) == {**COMPLETE, "diemen": (16, 16, 9, 9)}
        assert "0 overgeslagen" in line and line.endswith("(gelijk)")
        assert _findings(web)["onleesbaar_in_bron"] == 0
        with app.app_context():
            assert db.session.scalar(select(Zaak.archiefstatus).filter_by(uuid=zaak_uuid("C1"))) == "gearchiveerd"
            db.session.remove()


def test_a_full_run_skips_an_unreadable_record_too_and_measures_completeness(app):
    """A full run lists every zaak: the unreadable one is skipped and listed, the others mirrored."""
    with running_mock(data=build_dataset()) as mock:
        mock.store.update_zaak(zaak_uuid("C4"), einddatum="6-2-2026")  # not JJJJ-MM-DD
        run, line = sync(app, mock, full=True)
        assert (run.uitkomst, run.nieuw, run.overgeslagen) == ("geslaagd", 28, 1)
        assert skipped(app, run.id) == [(mock.zaken_url + "/zaken/" + zaak_uuid("C4"), "einddatum",
                                         "veld 'einddatum' is geen datum (JJJJ-MM-DD): '6-2-2026'", False)]
        # C4 is Duo+'s and closed: the mirror misses one of Duo+'s zaken, none of its open ones
        assert completeness(app, run.id) == {**COMPLETE, "duoplus": (7, 6, 4, 4)}
        # catalogue 2 + behandelaar rollen (27 zaken with a team, O13 twice: 28) in 6 pages + resultaten (the 10
        # closed zaken but C2) in 2 pages + 29 zaken in 6 pages + 8 counts
        assert run.verzoeken == 2 + 6 + 2 + 6 + 8
        assert "1 overgeslagen" in line and "verschil bij Duo+ 7 / 6, open 4 / 4" in line


FOUT = {"rsin": "123456789", "code": "fout", "naam": "Foute gemeente"}  # 9 digits, fails the 11-proef


@pytest.mark.parametrize("app_config", [{"ORGANISATIES": [
    {"rsin": RSIN[code], "code": code, "naam": naam} for code, naam in (
        ("duoplus", "Duo+"), ("diemen", "Gemeente Diemen"), ("ouder-amstel", "Gemeente Ouder-Amstel"),
        ("uithoorn", "Gemeente Uithoorn"))] + [FOUT]}])
def test_a_configured_rsin_the_source_refuses_is_not_measured_and_the_run_goes_on(app, users):
    """Open Zaak answers a bronorganisatie filter that fails the 11-proef with 400: that organisation's counts
    are "niet gemeten", the run does not fail on it (a config mistake would otherwise fail every run)."""
    with running_mock(data=build_dataset()) as mock:
        run, line = sync(app, mock, full=True)
        assert run.uitkomst == "geslaagd"
        assert completeness(app, run.id) == {**COMPLETE, "fout": (None, 0, None, 0)}
        assert run.verzoeken == 2 + 6 + 2 + 6 + 8 + 1  # as above, and the one refused count
        assert line.endswith("open 17 / 17 (gelijk); niet gemeten bij Foute gemeente")
        web = app.test_client()
        login(web, "programmateam")
        html = web.get("/bron").get_data(as_text=True)
        assert html.count('data-oordeel="gelijk"') == 4 and 'data-oordeel="niet-gemeten"' in html
        assert "Bron en spiegel tellen overal evenveel zaken." in html
        assert web.get("/healthz").json["volledigheid_verschil"] is False
