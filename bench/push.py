"""Push through the Notificaties API: from a change at the source to the figure on the page, and a worker that
was down. Prints a table.

    python -m bench.push [--zaken 5000] [--wijzigingen 20] [--achterstand 1000]

The mock InProces runs in this process (its control API makes the changes, a `call` fault counts every ZGW
request); the app runs as in production: gunicorn (2 workers) for the web, `flask poll --interval 3600` as the
worker (so no sync run happens while measuring), SQLite. Measured:
1. round trip, per change: a new behandelaar rol at the source (a team of its own per change) until
   `/achterstand/zaken?team=...` lists the zaak, and until `/api/v1/backlog` counts it (a stored figure),
   split into delivery (change -> queued), queue (queued -> re-read done) and page (re-read -> shown);
2. ZGW requests per notification while doing so;
3. the worker down: N zaken changed (plus a second notification for a fifth of them) while only the web runs,
   then the worker started: how fast the receiver queued them, how long draining took, whether every zaak
   reached its new team.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from .run import CLIENT_ID, DATA, PY, REPO, app_env, free_port, wait_http

PASSWORD = "bench-wachtwoord-123"
KNOWN_RSINS = {"002564440", "001234560", "007654327", "009876546"}


class Counter:
    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.count += 1


def start_mock(zaken: int, secret: str) -> tuple[Any, Any, str]:
    from connectors.mock_inproces.cli import today
    from connectors.mock_inproces.server import serve
    from connectors.mock_inproces.store import MockStore

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"push-mock-{zaken}.sqlite3"
    store = MockStore.generated(path, seed=42, zaken=zaken, peildatum=today())
    server = serve(store, {CLIENT_ID: secret}, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return store, server, store.base_url


def flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PY, "-m", "flask", *args], env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db, timeout=30) as con:
        return con.execute(sql, params).fetchall()


def wait_for(condition: Any, timeout: float, what: str, step: float = 0.05) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{what}: niet binnen {timeout} s")
        time.sleep(step)
    return time.monotonic() - started


def moment(text: str) -> float:
    value = datetime.fromisoformat(text)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = open(log, "a")  # noqa: SIM115 - closed when the process ends
    return subprocess.Popen([PY, "-m", "flask", "poll", "--interval", "3600"], env={**env, "PYTHONUNBUFFERED": "1"},
                            cwd=REPO, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(60)


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login", timeout=30)
    token = page.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    session.post(base + "/login", data={"gebruikersnaam": "bench", "wachtwoord": PASSWORD, "csrf_token": token},
                 timeout=30)
    return session


def candidates(store: Any, wanted: int, *, open_only: bool) -> list[dict[str, Any]]:
    """Zaken of the configured organisations (the abonnement filters on them), in random order."""
    rng = random.Random(7)
    uuids = store.zaak_uuids()
    rng.shuffle(uuids)
    found = []
    for uuid in uuids:
        zaak = store.get_zaak(uuid)
        if zaak["bronorganisatie"] in KNOWN_RSINS and (not open_only or zaak["einddatum"] is None):
            found.append(zaak)
            if len(found) == wanted:
                break
    return found


def team_open(session: requests.Session, base: str, team: str) -> int:
    document = session.get(base + "/api/v1/backlog", timeout=30).json()
    return sum(t["open"] for org in document["organisaties"] for t in org["teams"] if t["id"] == team)


def round_trips(store: Any, session: requests.Session, base: str, db: Path, zaken: list[dict[str, Any]],
                counter: Counter) -> dict[str, Any]:
    rows: list[dict[str, float]] = []
    before = counter.count
    rng = random.Random(11)
    for index, zaak in enumerate(zaken):
        team = f"OE-PUSH-{index:03d}"
        time.sleep(rng.uniform(0.2, 1.2))  # changes at random moments of the worker's wake-up cycle
        started = time.time()
        store.set_behandelaar(zaak["uuid"], team, f"Pushteam {index}")
        page = wait_for(lambda t=team, z=zaak: z["identificatie"] in session.get(
            f"{base}/achterstand/zaken?team={t}", timeout=30).text, 30, "pagina")
        figure = wait_for(lambda t=team: team_open(session, base, t) == 1, 30, "cijfer")
        [(received, processed)] = query(db, "SELECT ontvangen_op, verwerkt_op FROM notificatie_wachtrij "
                                            "WHERE zaak_url = ? ORDER BY id DESC LIMIT 1", zaak["url"])
        rows.append({"pagina": page, "cijfer": page + figure, "aflevering": moment(received) - started,
                     "wachtrij": moment(processed) - moment(received),
                     "getoond": started + page - moment(processed)})
    return {"rows": rows, "verzoeken": (counter.count - before) / len(zaken)}


def worker_down(store: Any, env: dict[str, str], db: Path, log: Path, zaken: list[dict[str, Any]],
                counter: Counter) -> dict[str, Any]:
    started = time.monotonic()
    for zaak in zaken:
        store.set_behandelaar(zaak["uuid"], "OE-PUSH-BULK", "Bulkteam")
    doubles = zaken[: len(zaken) // 5]
    for zaak in doubles:
        store.update_zaak(zaak["uuid"], omschrijving="bulk " + zaak["uuid"][:8])
    assert store.notificaties.wait_idle(600)
    queued_in = time.monotonic() - started
    deliveries = [d for d in store.notificaties.deliveries[-(len(zaken) + len(doubles)):]]
    [(waiting, notifications)] = query(db, "SELECT COUNT(*), SUM(aantal) FROM notificatie_wachtrij "
                                           "WHERE status = 'wachtend'")
    before = counter.count
    log_start = log.stat().st_size if log.exists() else 0
    started = time.monotonic()
    worker = start_worker(env, log)
    drained = wait_for(lambda: query(db, "SELECT COUNT(*) FROM notificatie_wachtrij WHERE status IN "
                                         "('wachtend', 'bezig')")[0][0] == 0, 600, "wachtrij leeg", 0.1)
    requests_made = counter.count - before
    text = log.read_text()[log_start:]
    # the poller's own lines (the same text is logged too, with a time stamp in front)
    syncs = re.findall(r"^sync \w+ geslaagd in ([\d.]+)s: (\d+) verzoeken", text, re.M)
    sync_requests = sum(int(n) for _, n in syncs)
    drain_seconds = sum(float(s) for s in re.findall(r"^notificaties: \d+ zak\w* in ([\d.]+)s", text, re.M))
    moved = query(db, "SELECT COUNT(*) FROM zaak JOIN team ON team.id = zaak.team_id "
                      "WHERE team.identificatie = 'OE-PUSH-BULK'")[0][0]
    return {"worker": worker, "zaken": len(zaken), "meldingen": len(zaken) + len(doubles),
            "afgeleverd": sum(d.delivered for d in deliveries), "pogingen": sum(len(d.statuses) for d in deliveries),
            "wachtend": waiting, "in_wachtrij": notifications, "ontvangst_s": queued_in, "leeg_na_s": drained,
            "drain_s": drain_seconds, "verzoeken_drain": requests_made - sync_requests,
            "verzoeken_sync": sync_requests, "sync_s": sum(float(s) for s, _ in syncs), "verplaatst": moved}


def render(zaken: int, trips: dict[str, Any], down: dict[str, Any]) -> str:
    def stats(key: str) -> str:
        values = sorted(row[key] for row in trips["rows"])
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        return f"{statistics.median(values):.2f} / {p90:.2f} / {max(values):.2f}"

    n = len(trips["rows"])
    lines = [f"## Push — {zaken:,} zaken in de bron, SQLite, gunicorn 2 workers, {os.cpu_count()} cores — "
             f"{datetime.now().date().isoformat()}", "",
             "| meting | waarde | doel |", "|---|---|---|",
             f"| bron -> zaak op /achterstand/zaken?team= (s, mediaan / p90 / max, n={n}) | {stats('pagina')} | < 5 |",
             f"| bron -> telling in /api/v1/backlog (s, mediaan / p90 / max) | {stats('cijfer')} | < 5 |",
             f"| waarvan aflevering: wijziging -> in wachtrij (s) | {stats('aflevering')} | |",
             f"| waarvan wachtrij: ontvangen -> verwerkt (s) | {stats('wachtrij')} | < 2 |",
             f"| waarvan pagina: verwerkt -> getoond (s; opgeslagen cijfers) | "
             f"{stats('getoond')} | |",
             f"| ZGW-verzoeken per notificatie (rol op open zaak) | {trips['verzoeken']:.2f} | <= 3 |",
             f"| worker uit: notificaties verstuurd / afgeleverd / aflevering-pogingen | {down['meldingen']} / "
             f"{down['afgeleverd']} / {down['pogingen']} | |",
             f"| worker uit: gewijzigd en afgeleverd in (s) / notificaties per seconde | {down['ontvangst_s']:.1f} / "
             f"{down['meldingen'] / down['ontvangst_s']:.0f} | |",
             f"| worker uit: rijen wachtend / notificaties erin | {down['wachtend']} / {down['in_wachtrij']} | "
             f"{down['zaken']} / {down['meldingen']} |",
             f"| worker gestart: wachtrij leeg na (s; eerst een incrementele sync van {down['sync_s']:.1f} s) | "
             f"{down['leeg_na_s']:.1f} | |",
             f"| worker gestart: verwerken zelf (s) / zaken per seconde | {down['drain_s']:.1f} / "
             f"{down['zaken'] / max(down['drain_s'], 0.001):.0f} | |",
             f"| worker gestart: verzoeken verwerken / per zaak (sync apart: {down['verzoeken_sync']}) | "
             f"{down['verzoeken_drain']} / {down['verzoeken_drain'] / down['zaken']:.2f} | <= 3 |",
             f"| zaken in het nieuwe team na verwerken | {down['verplaatst']} | {down['zaken']} |"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zaken", type=int, default=5000)
    parser.add_argument("--wijzigingen", type=int, default=20)
    parser.add_argument("--achterstand", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    secret = secrets.token_urlsafe(32)
    store, server, mock_base = start_mock(args.zaken, secret)
    counter = Counter()
    db = DATA / "push.db"
    log = DATA / "push-worker.log"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.sync.lock"), log):
        path.unlink(missing_ok=True)
    env = {**app_env(f"sqlite:///{db}", mock_base, secret), "DUO_ZAAK_NOTIFICATIES_AUTH": "Token " + secret,
           "DUO_ZAAK_NOTIFICATIES_URL": f"{mock_base}/notificaties/api/v1"}
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "bench", "--rol", "beheerder", "--wachtwoord", PASSWORD)
    flask(env, "sync", "--full")
    port = free_port()
    web = subprocess.Popen([str(Path(PY).parent / "gunicorn"), "--config", "gunicorn.conf.py", "--workers", "2",
                            "--bind", f"127.0.0.1:{port}", "app:app"], env=env, cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    worker = None
    try:
        wait_http(base + "/healthz", 60)
        print(flask(env, "notificaties", "abonneer", "--callback", f"{base}/api/v1/notificaties"), end="")
        store.set_faults(fail_matching={"pattern": r"^/(zaken|catalogi)/api/v1/", "fault": "call", "call": counter})
        worker = start_worker(env, log)
        wait_for(lambda: query(db, "SELECT COUNT(*) FROM sync_run WHERE uitkomst = 'geslaagd'")[0][0] >= 2, 600,
                 "eerste run van de worker", 0.2)
        session = login(base)
        open_sample = candidates(store, args.wijzigingen, open_only=True)
        taken = {z["uuid"] for z in open_sample}
        rest = [z for z in candidates(store, args.wijzigingen + args.achterstand, open_only=False)
                if z["uuid"] not in taken][: args.achterstand]
        trips = round_trips(store, session, base, db, open_sample, counter)
        stop(worker)
        down = worker_down(store, env, db, log, rest, counter)
        worker = down.pop("worker")
        table = render(args.zaken, trips, down)
        print(table)
    finally:
        if worker is not None:
            stop(worker)
        web.send_signal(signal.SIGTERM)
        web.wait(30)
        server.shutdown()
        store.close()


if __name__ == "__main__":
    main()
