"""The sync end to end over real HTTP against the mock InProces, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import running_mock
from duo_zaak.db import bulk_insert, db
from duo_zaak.models import ArchiefTaak, SyncRun, SyncVerrijking, TaakGebeurtenis, Team, Zaak
from duo_zaak.settings import archive_settings
from duo_zaak.sync.locking import sync_lock
from duo_zaak.sync.run import SyncBusy, SyncFailed, run_sync
from duo_zaak.tasks import marks

from ..handbuilt import PEILDATUM, build_dataset, resultaattype_url, zaak_uuid

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _client(mock, **kwargs):
    return connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                    client_id=mock.client_id, secret=mock.secret, backoff_factor=0, **kwargs))


def _sync(app, mock, *, full=False, today=PEILDATUM, client=None):
    with app.app_context():
        run = run_sync(client or _client(mock), full=full, today=today, settings=archive_settings(),
                       organisaties=app.config["ORGANISATIES"])
        result = {k: getattr(run, k) for k in ("uitkomst", "nieuw", "gewijzigd", "ongewijzigd", "vernietigd",
                                                "verzoeken", "paginas")}
        db.session.remove()
        return result


def _scalar(app, query):
    with app.app_context():
        value = db.session.scalar(query)
        db.session.remove()
        return value


@BOTH
def test_full_sync_mirrors_generated_source_and_second_run_changes_nothing(app):
    with running_mock(zaken=400, seed=7, peildatum=PEILDATUM) as mock:
        first = _sync(app, mock, full=True)
        assert first["uitkomst"] == "geslaagd"
        source = mock.store.count_zaken()
        assert first["nieuw"] == source
        assert _scalar(app, select(func.count(Zaak.id))) == source
        # teams come from the behandelaar rollen
        assert _scalar(app, select(func.count(Team.id))) >= 10
        again = _sync(app, mock, full=True)
        assert (again["nieuw"], again["gewijzigd"], again["vernietigd"]) == (0, 0, 0)
        assert again["ongewijzigd"] == source
        incremental = _sync(app, mock)
        assert (incremental["nieuw"], incremental["gewijzigd"], incremental["vernietigd"]) == (0, 0, 0)
        # no request per zaak: an incremental run with nothing changed asks only for list pages
        # + zaaktypen and resultaattypen pages + 2 completeness counts per configured organisation (4)
        assert incremental["verzoeken"] == incremental["paginas"] + 2 + 2 * 4


@BOTH
def test_changes_at_the_source_show_up_after_the_next_incremental_run(app):
    with running_mock(data=build_dataset()) as mock:
        _sync(app, mock, full=True)
        store = mock.store
        o3 = zaak_uuid("O3")
        c7 = zaak_uuid("C7")
        o13 = zaak_uuid("O13")
        store.close_zaak(o3, einddatum=PEILDATUM,
                         resultaattype_url=mock.catalogi_url + "/resultaattypen/00000002-0000-4000-8000-000000000001")
        store.update_zaak(o13, omschrijving="Gewijzigd")
        store.destroy_zaak(c7)
        run = _sync(app, mock, today=PEILDATUM + timedelta(days=1))
        assert (run["gewijzigd"], run["vernietigd"]) == (2, 1)
        with app.app_context():
            closed = db.session.scalar(select(Zaak).filter_by(uuid=zaak_uuid("O3")))
            assert closed.einddatum == PEILDATUM and closed.archiefnominatie == "blijvend_bewaren"
            assert closed.resultaattype_url.endswith("00000002-0000-4000-8000-000000000001")
            gone = db.session.scalar(select(Zaak).filter_by(uuid=zaak_uuid("C7")))
            assert gone.vernietigd_op == PEILDATUM + timedelta(days=1)
            assert db.session.scalar(select(Zaak.omschrijving).filter_by(uuid=zaak_uuid("O13"))) == "Gewijzigd"
            db.session.remove()
        # destroyed zaken stay in the mirror through a full run too
        full = _sync(app, mock, full=True, today=PEILDATUM + timedelta(days=2))
        assert full["vernietigd"] == 0
        assert _scalar(app, select(func.count(Zaak.id)).where(Zaak.vernietigd_op.is_not(None))) == 1


@BOTH
def test_task_life_cycle_across_syncs(app, users):
    settings_days = 14
    with running_mock(data=build_dataset()) as mock:
        _sync(app, mock, full=True)
        with app.app_context():
            def task_of(key, soort):
                return db.session.scalar(select(ArchiefTaak).join(Zaak).where(Zaak.uuid == zaak_uuid(key),
                                                                               ArchiefTaak.soort == soort))
            c7, c1, c2 = task_of("C7", "vernietigen"), task_of("C1", "archiveren"), task_of("C2",
                                                                                        "archiefgegevens_aanvullen")
            assert (c7.status, c1.status, c2.status) == ("open", "open", "open")
            marked = marks.mark_done([c7.id, c1.id], users["pia"], "pia", "vernietigd volgens lijst 12",
                                     PEILDATUM, moment=datetime(2026, 5, 15, 10, 0, tzinfo=UTC))
            db.session.commit()
            assert sorted(marked.gelukt) == sorted([c7.id, c1.id])
            ids = {"c7": c7.id, "c1": c1.id, "c2": c2.id}
            db.session.remove()
        # the source destroys C7 and completes C2's data; C1 stays unarchived
        mock.store.destroy_zaak(zaak_uuid("C7"))
        c2_uuid = zaak_uuid("C2")
        mock.store.update_zaak(c2_uuid, archiefnominatie="vernietigen", archiefactiedatum="2027-04-20")
        mock.store.close_zaak(c2_uuid, "2026-04-20", resultaattype_url=resultaattype_url("RT2"))  # adds the resultaat
        _sync(app, mock, today=PEILDATUM + timedelta(days=1))
        # a full resync keeps every mark, note and event
        _sync(app, mock, full=True, today=PEILDATUM + timedelta(days=2))
        with app.app_context():
            status = lambda i: db.session.get(ArchiefTaak, i).status  # noqa: E731
            assert status(ids["c7"]) == "bevestigd"
            assert status(ids["c2"]) == "opgelost_in_bron"
            assert status(ids["c1"]) == "gemeld_gereed"
            assert db.session.get(ArchiefTaak, ids["c1"]).notitie == "vernietigd volgens lijst 12"
            db.session.remove()
        # 14 days after the mark C1's condition still holds: back in the queue as niet_bevestigd
        _sync(app, mock, today=PEILDATUM + timedelta(days=settings_days - 1))
        assert _scalar(app, select(ArchiefTaak.status).filter_by(id=ids["c1"])) == "gemeld_gereed"
        _sync(app, mock, today=PEILDATUM + timedelta(days=settings_days))
        with app.app_context():
            task = db.session.get(ArchiefTaak, ids["c1"])
            assert task.status == "niet_bevestigd" and task.eerder_gemeld
            events = [e.gebeurtenis for e in db.session.scalars(
                select(TaakGebeurtenis).filter_by(taak_id=ids["c1"]).order_by(TaakGebeurtenis.id))]
            assert events == ["aangemaakt", "gemeld_gereed", "niet_bevestigd"]
            db.session.remove()


@BOTH
def test_failed_run_is_recorded_and_the_next_run_repairs(app):
    with running_mock(data=build_dataset()) as mock:
        mock.store.set_faults(fail_next=50, fail_status=500)
        with pytest.raises(SyncFailed):
            _sync(app, mock, full=True, client=_client(mock, retries=1))
        with app.app_context():
            run = db.session.scalar(select(SyncRun).order_by(SyncRun.id.desc()))
            assert run.uitkomst == "mislukt" and "500" in run.melding
            db.session.remove()
        mock.store.set_faults(fail_next=0)
        repaired = _sync(app, mock, full=True)
        assert repaired["uitkomst"] == "geslaagd"
        assert _scalar(app, select(func.count(Zaak.id))) == 29


@BOTH
def test_two_concurrent_syncs_one_refuses(app):
    with running_mock(data=build_dataset()) as mock:
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            with app.app_context(), sync_lock(db.engine):
                holding.set()
                release.wait(10)

        thread = threading.Thread(target=hold)
        thread.start()
        holding.wait(5)
        try:
            with pytest.raises(SyncBusy, match="another sync is running since"):
                _sync(app, mock)
        finally:
            release.set()
            thread.join()
        assert _sync(app, mock)["uitkomst"] == "geslaagd"


@BOTH
def test_full_run_writes_each_zaak_once_and_picks_up_a_new_behandelaar(app):
    """A full run stages rollen and resultaten first: a reassigned team is one changed zaak, nothing else
    is rewritten, and the staging table is empty afterwards."""
    with running_mock(data=build_dataset()) as mock:
        first = _sync(app, mock, full=True)
        o3 = zaak_uuid("O3")
        before = _scalar(app, select(Team.identificatie).join(Zaak, Zaak.team_id == Team.id).where(Zaak.uuid == o3))
        mock.store.set_behandelaar(o3, "OE-NIEUW", "Nieuw team", datetime(2026, 5, 15, 9, 0, tzinfo=UTC))
        again = _sync(app, mock, full=True, today=PEILDATUM + timedelta(days=1))
        assert (again["nieuw"], again["gewijzigd"]) == (0, 1)
        assert again["ongewijzigd"] == first["nieuw"] - 1
        after = _scalar(app, select(Team.naam).join(Zaak, Zaak.team_id == Team.id).where(Zaak.uuid == o3))
        assert before != "OE-NIEUW" and after == "Nieuw team"
        assert _scalar(app, select(func.count(SyncVerrijking.id))) == 0


@BOTH
def test_bulk_insert_applies_the_models_python_defaults(app):
    """COPY on PostgreSQL bypasses SQLAlchemy, so bulk_insert fills in the columns' own defaults."""
    with app.app_context():
        zaak_id = db.session.scalar(insert(Zaak).values(
            url="https://voorbeeld/zaken/1", identificatie="Z-1", bronorganisatie="002564440",
            zaaktype_url="https://voorbeeld/zaaktypen/1", startdatum=PEILDATUM, archiefstatus="nog_te_archiveren",
        ).returning(Zaak.id))
        bulk_insert(ArchiefTaak.__table__, [{"zaak_id": zaak_id, "soort": "archiveren", "status": "open",
                                             "vervaldatum": PEILDATUM}])
        db.session.commit()
        task = db.session.scalar(select(ArchiefTaak).filter_by(zaak_id=zaak_id))
        assert (task.versie, task.eerder_gemeld, task.notitie, task.gemeld_door_id) == (1, False, "", None)
        assert task.aangemaakt_op is not None and task.status_sinds is not None
        db.session.remove()


@BOTH
def test_after_an_upgrade_of_the_derivations_the_next_run_is_full(app):
    """A mirror written with another SYNC_FIELDS_VERSION (here: runs from before versions were recorded, and a
    stale fatale datum on a closed, archived zaak that no incremental run reads) is re-derived as a whole by the
    next run, even when an incremental one was asked for; the run after it is incremental again."""
    from duo_zaak.sync.writing import SYNC_FIELDS_VERSION

    with running_mock(data=build_dataset()) as mock:
        first = _sync(app, mock, full=True)
        assert first["nieuw"] == 29  # O1-O18 and C1-C11
        with app.app_context():
            assert db.session.scalar(select(SyncRun.velden_versie)) == SYNC_FIELDS_VERSION == "4"
            c4 = select(Zaak).where(Zaak.url.like(f"%{zaak_uuid('C4')}"))
            db.session.scalar(c4).fatale_datum = datetime(2000, 1, 1).date()  # as an older rule left it
            db.session.execute(Zaak.__table__.update().values(content_hash="versie-2"))
            db.session.execute(SyncRun.__table__.update().values(velden_versie=None))
            db.session.commit()
            db.session.remove()
        forced = _sync(app, mock)  # asked for an incremental run
        # every zaak was read and is derived again: all 29 hashes differ from the stored ones
        assert (forced["uitkomst"], forced["gewijzigd"], forced["ongewijzigd"]) == ("geslaagd", 29, 0)
        with app.app_context():
            runs = db.session.execute(select(SyncRun.modus, SyncRun.velden_versie).order_by(SyncRun.id)).all()
            assert [tuple(r) for r in runs] == [("volledig", None), ("volledig", "4")]
            # C4: uiterlijke einddatum 02-03-2026, no verlenging: the stored date as is
            assert db.session.scalar(c4).fatale_datum.isoformat() == "2026-03-02"
            db.session.remove()
        again = _sync(app, mock)
        assert (again["gewijzigd"], again["nieuw"]) == (0, 0)
        with app.app_context():
            last = db.session.execute(select(SyncRun.modus, SyncRun.velden_versie).order_by(SyncRun.id.desc())).first()
            assert tuple(last) == ("incrementeel", "4")
            db.session.remove()
