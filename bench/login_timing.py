"""How long a failed login takes, per reason (issue #15, finding 3): an unknown name, a wrong password, a disabled
account and a slowed-down attempt must not be told apart by their answer time.

Run as `python -m bench.login_timing [RUNS]`; prints a table (median and 90th percentile in ms, through the Flask
test client, the real scrypt hashing, SQLite in a temporary folder). Timing is a measurement, never a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from duo_zaak import create_app
from duo_zaak.accounts.auth import create_user
from duo_zaak.db import db
from duo_zaak.models import Gebruiker

PASSWORD = "bench-wachtwoord-voor-de-meting"


def _time(call: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"MODE": "development", "SECRET_KEY": "bench-" + "x" * 40, "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.db'}",
                          # every attempt of the table is measured on its own key: no slow-down in between
                          "LOGIN_FREE_FAILURES": 10**9, "LOGIN_FREE_FAILURES_PER_ADDRESS": 10**9})
        with app.app_context():
            db.create_all()
            create_user("pia", PASSWORD, "pia")
            create_user("uit", PASSWORD, "pia")
            create_user("traag", PASSWORD, "pia")
            db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam="uit")).actief = False
            db.session.commit()
        def post(name: str, password: str, address: str = "192.0.2.1") -> object:
            return app.test_client().post("/login", data={"gebruikersnaam": name, "wachtwoord": password},
                               environ_base={"REMOTE_ADDR": address})

        rows = {
            "onbekende gebruikersnaam": lambda: post("niemand", "wat-dan-ook"),
            "onjuist wachtwoord": lambda: post("pia", "niet-het-wachtwoord"),
            "uitgeschakeld account (juist wachtwoord)": lambda: post("uit", PASSWORD),
        }
        for call in rows.values():  # warm up (the dummy hash is made on first use)
            call()

        def slowed() -> object:
            app.config["LOGIN_FREE_FAILURES"] = 0  # every failure of `traag` starts a wait
            try:
                return post("traag", PASSWORD, "192.0.2.9")
            finally:
                app.config["LOGIN_FREE_FAILURES"] = 10**9

        app.config["LOGIN_FREE_FAILURES"] = 0
        post("traag", "fout", "192.0.2.9")
        app.config["LOGIN_FREE_FAILURES"] = 10**9
        rows["vertraagd (juist wachtwoord, binnen de wachttijd)"] = slowed
        rows["gelukt (ter vergelijking)"] = lambda: post("pia", PASSWORD)
        # interleaved, so a busy neighbour on the machine slows every row alike
        times: dict[str, list[float]] = {name: [] for name in rows}
        for _ in range(runs):
            for name, call in rows.items():
                times[name].append(_time(call, 1)[0])
        results = {name: (statistics.median(values), sorted(values)[int(0.9 * (len(values) - 1))])
                   for name, values in times.items()}
        print(f"| mislukte login ({runs} keer) | mediaan ms | p90 ms |")
        print("|---|---|---|")
        for name, (median, p90) in results.items():
            print(f"| {name} | {median:.0f} | {p90:.0f} |")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
