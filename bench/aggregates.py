"""The bare query functions behind each benchmarked page, timed without the stored figures: the reference.

Run as `python -m bench.aggregates RUNS` with the app's environment; prints JSON {page label: median ms}. For
every page of bench/web.py the domain calls its view makes (as the beheerder: the widest scope), nothing of the
WSGI stack, templates or JSON encoding. The stored figures are hidden for the measurement (their stand rows
deleted in a transaction that is rolled back), so every figure is computed by its bare query. The page timings
divided by these give what the stack adds and the stored figures save.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

from sqlalchemy import delete

from duo_zaak import create_app
from duo_zaak.db import db
from duo_zaak.figures import ibt_report, planning_report, reports, task_details
from duo_zaak.figures.archive import TaskFilter, archive_backlog, task_queue
from duo_zaak.figures.backlog import ZaakFilter, open_figures, open_zaken
from duo_zaak.figures.bron import completeness, last_finished_run, recent_runs, running_run, skipped_records
from duo_zaak.figures.leaderboard import leaderboard
from duo_zaak.figures.overview import overview
from duo_zaak.figures.quality import findings
from duo_zaak.figures.scope import Scope
from duo_zaak.formatting import today_amsterdam
from duo_zaak.models import FiguurStand
from duo_zaak.rules.archive import BACKLOG_STATUSES

from .web import PAGES

PER_PAGE_HTML, PER_PAGE_API = 50, 100


def functions() -> dict[str, Callable[[], object]]:
    today, everything = today_amsterdam(), Scope.everything()
    overdue = ZaakFilter(state="termijn_overschreden")
    backlog_tasks = TaskFilter(statuses=tuple(BACKLOG_STATUSES))

    def archive_page() -> object:
        backlog = archive_backlog(today, everything)
        task_details.zaaktype_options()
        return backlog, task_queue(today, everything, backlog_tasks, page=1, per_page=PER_PAGE_HTML)

    def bron() -> object:
        last = last_finished_run()
        return (recent_runs(20), completeness(), skipped_records(last.id) if last else [], running_run())

    return {
        "/overzicht": lambda: overview("beheerder", everything, today),
        "/achterstand": lambda: open_figures(today, everything),
        "/api/v1/backlog": lambda: reports.backlog_document(today, everything),
        "/achterstand/zaken": lambda: open_zaken(today, everything, per_page=PER_PAGE_HTML),
        "/achterstand/zaken (filter)": lambda: open_zaken(today, everything, overdue, per_page=PER_PAGE_HTML),
        "/achterstand/zaken (sortering)":
            lambda: open_zaken(today, everything, sort="startdatum", descending=False, per_page=PER_PAGE_HTML),
        "/api/v1/backlog/zaken": lambda: open_zaken(today, everything, per_page=PER_PAGE_API),
        "/archief": archive_page,
        "/api/v1/archief": lambda: reports.archive_document(today, everything),
        "/api/v1/archief/taken": lambda: task_queue(today, everything, backlog_tasks, page=1, per_page=PER_PAGE_API),
        "/archief/planning": lambda: planning_report.planning(today),
        "/api/v1/planning": lambda: planning_report.planning_document(today),
        "/ranglijst": lambda: leaderboard(today, everything),
        "/api/v1/ranglijst": lambda: reports.leaderboard_document(today, everything),
        "/ibt": lambda: ibt_report.overview(today, everything),
        "/api/v1/indicatoren": lambda: reports.indicators_document(today, everything),
        "/kwaliteit": lambda: findings(today, everything),
        "/api/v1/kwaliteit": lambda: reports.quality_document(today, everything),
        "/bron": bron,
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    app = create_app()
    result: dict[str, float] = {}
    with app.app_context():
        db.session.execute(delete(FiguurStand))  # never committed: the figures are computed on the spot
        table = functions()
        missing = [label for label, _ in PAGES if label not in table]
        if missing:
            raise SystemExit(f"geen kale query voor {missing}")
        for label, _ in PAGES:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                table[label]()
                times.append((time.perf_counter() - started) * 1000)
            result[label] = statistics.median(times)
        db.session.rollback()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
