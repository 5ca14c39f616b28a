"""The bare query functions behind each benchmarked page, timed without the figures cache.

Run as `python -m bench.aggregates RUNS` with the app's environment; prints JSON {page: median ms}. The page
timings divided by these give the cost of the WSGI stack, templates and the cache on top of the SQL.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

from duo_zaak import create_app
from duo_zaak.figures.archive import archive_backlog, task_queue
from duo_zaak.figures.backlog import ZaakFilter, open_figures, open_zaken
from duo_zaak.figures.indicators import indicators_now
from duo_zaak.figures.leaderboard import leaderboard
from duo_zaak.figures.scope import Scope
from duo_zaak.formatting import today_amsterdam


def functions() -> dict[str, Callable[[], object]]:
    today, everything = today_amsterdam(), Scope.everything()
    overdue = ZaakFilter(state="termijn_overschreden")
    return {
        "/achterstand": lambda: open_figures(today, everything),
        "/achterstand/zaken": lambda: open_zaken(today, everything),
        "/achterstand/zaken?toestand=termijn_overschreden&sort=dagen_over_termijn&richting=desc":
            lambda: open_zaken(today, everything, overdue, sort="dagen_over_termijn", descending=True),
        "/archief": lambda: (archive_backlog(today, everything), task_queue(today, everything)),
        "/ranglijst": lambda: leaderboard(today, everything),
        "/ibt": lambda: indicators_now(today, everything),
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    app = create_app({"FIGURES_CACHE_SECONDS": 0})
    result: dict[str, float] = {}
    with app.app_context():
        for page, fn in functions().items():
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                fn()
                times.append((time.perf_counter() - started) * 1000)
            result[page] = statistics.median(times)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
