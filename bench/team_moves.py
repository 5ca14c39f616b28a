"""Requests of an incremental run with nothing changed and with three team moves, on the mock InProces.

    python -m bench.team_moves [--zaken 2000] [--page-size 100]

A full run mirrors a generated source (SQLite in a temporary folder); then an incremental run with nothing
changed; then three team moves at the source (a rol added to an assigned zaak, the latest behandelaar rol removed
from another, a first behandelaar on an unassigned open zaak) and another incremental run. Prints a table: the
requests and pages of each run, and how many of the three moved zaken the mirror has in their new team.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import running_mock
from duo_zaak import create_app
from duo_zaak.db import db
from duo_zaak.models import Team, Zaak
from duo_zaak.settings import archive_settings
from duo_zaak.sync.run import run_sync

PEILDATUM = date(2026, 5, 15)


def behandelaar_rollen(mock, zaak_uuid: str) -> list[dict]:
    """The zaak's behandelaar rollen at the source, newest first (as the API lists them)."""
    rollen = [mock.store.detail("rollen", url.rsplit("/", 1)[1]) for url in mock.store.get_zaak(zaak_uuid)["rollen"]]
    rollen = [r for r in rollen if r and r.get("omschrijvingGeneriek") == "behandelaar"]
    return sorted(rollen, key=lambda r: r["registratiedatum"], reverse=True)


def source_team(mock, zaak_uuid: str) -> str | None:
    rollen = behandelaar_rollen(mock, zaak_uuid)
    return rollen[0]["betrokkeneIdentificatie"]["identificatie"] if rollen else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zaken", type=int, default=2000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, running_mock(zaken=args.zaken, seed=7, peildatum=PEILDATUM) as mock:
        app = create_app({"MODE": "test", "TESTING": True, "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}"})
        with app.app_context():
            db.create_all()

        def run(full: bool = False):
            client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                              client_id=mock.client_id, secret=mock.secret,
                                              page_size=args.page_size, backoff_factor=0))
            with app.app_context():
                record = run_sync(client, full=full, today=PEILDATUM, settings=archive_settings(),
                                  organisaties=app.config["ORGANISATIES"])
                row = (record.verzoeken, record.paginas, record.nieuw, record.gewijzigd, record.uitkomst)
                db.session.remove()
            return row

        rows = [("volledig", *run(full=True)), ("incrementeel, niets gewijzigd", *run())]
        with app.app_context():
            open_zaken = db.session.execute(select(Zaak.uuid, Zaak.team_id).where(Zaak.einddatum.is_(None))
                                            .order_by(Zaak.id)).all()
            db.session.remove()
        assigned = [u for u, team in open_zaken if team is not None and len(behandelaar_rollen(mock, u)) == 1]
        unassigned = [u for u, team in open_zaken if team is None]
        added, removed = assigned[0], assigned[1]
        mock.store.set_behandelaar(added, "OE-BENCH", "Bench-team")
        mock.store.remove_rol(behandelaar_rollen(mock, removed)[0]["uuid"])
        first = unassigned[0] if unassigned else assigned[2]
        mock.store.set_behandelaar(first, "OE-BENCH-2", "Tweede bench-team")
        rows.append(("incrementeel, 3 teamwissels", *run()))
        moved = [added, removed, first]
        with app.app_context():
            mirrored = dict(db.session.execute(select(Zaak.uuid, Team.identificatie).outerjoin(
                Team, Team.id == Zaak.team_id).where(Zaak.uuid.in_(moved))).all())
            db.session.remove()
        right = sum(mirrored.get(u) == source_team(mock, u) for u in moved)
    print(f"{args.zaken} zaken, pageSize {args.page_size}{'' if unassigned else ' (geen zaak zonder team)'}")
    print("| run | verzoeken | pagina's | nieuw | gewijzigd | uitkomst |\n|---|---:|---:|---:|---:|---|")
    for name, *values in rows:
        print(f"| {name} | " + " | ".join(str(v) for v in values) + " |")
    print(f"teamwissels in de spiegel na de laatste run: {right} van 3 goed")


if __name__ == "__main__":
    main()
