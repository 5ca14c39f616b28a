"""The capacity planning on generated data: 12 weeks of PiA work replayed against the mock InProces, then the
planning as of today, printed as tables with timings.

    python -m bench.planning_demo [--zaken 5000] [--per-fte 12] [--db PATH] [--cohorts 4000]

- The mock serves generated zaken relative to today, as `make run` does. The app syncs fully on the Sunday 12
  weeks back; zaken that close after that day are in the mirror early, with their tasks upcoming.
- Every working day of those 12 weeks: the daily task step; PiA marks the oldest due tasks (not the ones that
  need the teams' data) as far as its FTE allows that day (`per-fte` tasks per FTE-week, +-30%), and the source
  carries the work out (archived, destroyed, transferred); the teams complete the archive data of a few zaken
  themselves; each evening a sync confirms. PiA has 2,0 FTE up to week 6 and 3,2 FTE from week 7.
- `--cohorts N` also times the projection and the FTE search on N synthetic due dates per kind (the cost at a
  large mirror: the search runs the projection up to 250 times).
Nothing here is part of the app or the tests.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from connectors.inproces import InProcesSettings, connect
from connectors.mock_inproces.testing import running_mock
from duo_zaak import create_app
from duo_zaak.accounts.auth import create_user
from duo_zaak.db import db
from duo_zaak.figures.archive import TaskFilter, task_queue
from duo_zaak.figures.planning import record_fte
from duo_zaak.figures.planning_export import vanaf_tekst
from duo_zaak.figures.planning_report import fte_tekst, planning, scopes
from duo_zaak.figures.scope import Scope
from duo_zaak.formatting import today_amsterdam
from duo_zaak.models import Zaak
from duo_zaak.rules.archive import KINDS
from duo_zaak.rules.ibt import DEFAULT_NORMS
from duo_zaak.rules.planning import NORM_CODES, Cohort, last_sunday
from duo_zaak.rules.projection import PlanInputs, Planner, fte_needed
from duo_zaak.settings import archive_settings
from duo_zaak.sync.run import run_sync
from duo_zaak.tasks.lifecycle import refresh_all
from duo_zaak.tasks.marks import mark_done

SECRET = "bench-secret-for-the-planning-demo-0123456789"
PIA_KINDS = ("vernietigen", "overbrengen", "archiveren")
DONE_IN_SOURCE = {"archiveren": "gearchiveerd", "overbrengen": "overgedragen"}


def _fte(day: date, week7: date) -> Fraction:
    return Fraction(16, 5) if day >= week7 else Fraction(2)


def replay(app, mock, start: date, today: date, per_fte: int, rng: random.Random) -> None:  # noqa: ANN001
    client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                      client_id=mock.client_id, secret=mock.secret, backoff_factor=0))
    settings = archive_settings()
    run = run_sync(client, full=True, today=start, settings=settings, organisaties=app.config["ORGANISATIES"])
    assert run.uitkomst == "geslaagd", run.melding
    refresh_all(start, settings)
    pia = create_user("pia", "een-lang-wachtwoord", "pia", "Petra")
    db.session.flush()
    pia_id = pia.id  # the session is removed after every day: keep the id, not the row
    db.session.commit()
    week7 = start + timedelta(days=1 + 6 * 7)
    record_fte(None, Decimal("2.0"), start + timedelta(days=1), week7 - timedelta(days=1), gebruiker_id=pia_id,
               notitie="bezetting tot de uitbreiding")
    record_fte(None, Decimal("3.2"), week7, None, gebruiker_id=pia_id, notitie="uitbreiding PiA")
    db.session.commit()
    day = start
    while day < today:
        day += timedelta(days=1)
        if day.weekday() < 5:
            budget = round(float(_fte(day, week7)) * per_fte / 5 * rng.uniform(0.7, 1.3))
            marked = []
            for task in task_queue(day, Scope.everything(), TaskFilter(), per_page=400).items:
                if len(marked) >= budget:
                    break
                if task.id is not None and task.soort in PIA_KINDS:
                    marked.append(task)
            mark_done([t.id for t in marked], pia_id, "pia", "", day,
                      moment=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
            for task in marked:
                uuid = task.zaak_url.rstrip("/").rsplit("/", 1)[-1]
                if task.soort == "vernietigen":
                    mock.store.destroy_zaak(uuid)
                else:
                    mock.store.set_archiefstatus(uuid, DONE_IN_SOURCE[task.soort])
            # the teams complete the archive data of a few zaken themselves (resolved in the source)
            for task in task_queue(day, Scope.everything(), TaskFilter(soort="archiefgegevens_aanvullen"),
                                   per_page=rng.randint(0, 3)).items:
                uuid = task.zaak_url.rstrip("/").rsplit("/", 1)[-1]
                mock.store.update_zaak(uuid, archiefnominatie="blijvend_bewaren",
                                       archiefactiedatum=(day + timedelta(days=3650)).isoformat())
        run = run_sync(client, full=False, today=day, settings=settings, organisaties=app.config["ORGANISATIES"])
        assert run.uitkomst == "geslaagd", run.melding
        refresh_all(day, settings)
        db.session.remove()


def report(today: date) -> None:
    for org in scopes():
        started = time.perf_counter()
        p = planning(today, organisatie=org)
        seconds = time.perf_counter() - started
        print(f"\n== {p.naam} (berekend in {seconds:.2f} s) ==")
        print(p.antwoord)
        now = p.stappen[0]
        print("achterstand nu:", {k: now.achterstand[k] for k in KINDS},
              f"A4 {now.a4_waarde}% ({now.achterstand['archiveren']}/{now.a4_noemer});",
              "oudste vernietigen", now.oudste_dagen("vernietigen"), "dagen, overbrengen",
              now.oudste_dagen("overbrengen"), "dagen")
        print("fte per week:", [fte_tekst(w.fte) if w.fte else "-" for w in p.weken])
        print("bevestigd per week:", [sum(w.bevestigd.values()) for w in p.weken],
              "opgelost in bron:", [sum(w.opgelost_in_bron.values()) for w in p.weken])
        for kind in (*KINDS, "totaal"):
            spread = (p.per_fte or {}).get(kind)
            if spread:
                print(f"  per fte-week {kind:26} p25 {float(spread.p25):5.2f}  mediaan {float(spread.mediaan):5.2f}"
                      f"  p75 {float(spread.p75):5.2f}")
        print(f"gesloten per week: {float(p.sluitingen_per_dag * 7):.1f}, waarvan "
              f"{float(p.aandeel_archiveren):.0%} een archiveertaak")
        print("stap  einde       bekend geschat  p75  med  p25  archiveren  A4%   A2 A3 A4")
        for index, state in enumerate(p.stappen[:27]):
            inflow = p.instroom[index - 1] if index else {"bekend": {}, "geschat": {}}
            print(f"{index:4}  {state.einde}  {sum(inflow['bekend'].values()):6} {sum(inflow['geschat'].values()):7}"
                  f" {p.banden['p75'][index].totaal:4} {state.totaal:4} {p.banden['p25'][index].totaal:4}"
                  f"  {state.achterstand['archiveren']:10}  {state.a4_waarde!s:5} "
                  + " ".join("ja" if state.voldoet[c] else "nee" for c in NORM_CODES))
        print("normen vanaf (mediaan):", {c: vanaf_tekst(p, p.vanaf("mediaan", c)) for c in NORM_CODES})


def synthetic(cohorts: int, today: date) -> None:
    """Time the projection and the FTE search on many distinct due dates (the cost at a large mirror)."""
    rng = random.Random(7)
    backlog = [Cohort(kind, today - timedelta(days=rng.randint(1, 3650)), rng.randint(1, 3)) for kind in KINDS
               for _ in range(cohorts)]
    inflow = [Cohort(kind, today + timedelta(days=rng.randint(1, 182)), rng.randint(1, 5)) for kind in KINDS
              for _ in range(cohorts // 20)]
    inputs = PlanInputs(today, tuple(backlog), tuple(inflow), {"": {today - timedelta(days=10): 200_000}},
                        {"": Fraction(500)}, DEFAULT_NORMS)
    planner = Planner(inputs, 26)
    started = time.perf_counter()
    planner.run(Fraction(500))
    one = time.perf_counter() - started
    started = time.perf_counter()
    needed = fte_needed(planner, Fraction(200), 13, Fraction(25))
    search = time.perf_counter() - started
    print(f"\nsynthetisch: {len(backlog)} achterstandscohorten, {len(inflow)} instroomcohorten: één projectie "
          f"{one * 1000:.0f} ms, fte-zoektocht {search:.2f} s (uitkomst {needed})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zaken", type=int, default=5000)
    parser.add_argument("--per-fte", type=int, default=12, help="taken per fte-week die PiA afhandelt")
    parser.add_argument("--db", default=None, help="SQLite-bestand (standaard een tijdelijk bestand)")
    parser.add_argument("--cohorts", type=int, default=0)
    args = parser.parse_args()
    today = today_amsterdam()
    start = last_sunday(today) - timedelta(days=84)
    folder = tempfile.mkdtemp(prefix="planning-demo-")
    path = args.db or str(Path(folder) / "demo.db")
    app = create_app({"MODE": "test", "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "INPROCES_SECRET": SECRET})
    started = time.perf_counter()
    with app.app_context(), running_mock(zaken=args.zaken, peildatum=today, secret=SECRET) as mock:
        db.create_all()
        replay(app, mock, start, today, args.per_fte, random.Random(42))
        print(f"replay {start} .. {today}: {time.perf_counter() - started:.0f} s; mirror {path}: "
              f"{db.session.scalar(select(db.func.count()).select_from(Zaak))} zaken")
        report(today)
        if args.cohorts:
            synthetic(args.cohorts, today)


if __name__ == "__main__":
    main()
