"""The pages users meet, timed through gunicorn (the real WSGI stack): the first request after a sync and the
steady p50/p95, and the web worker's RSS.

"First request after a sync" is measured per page in its own one-worker gunicorn (a fleet, one instance per
page), so no page profits from figures another page computed just before it in the same worker:
- after the full sync: every instance is started after the sync has completed; its first page request is timed;
- after an incremental sync while gunicorn keeps running: the same instances (each has served its page) stay up
  while `flask sync` runs, then each gets its page once more.
"""

from __future__ import annotations

import re
import signal
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import requests

# (label, path as the UI links it: no redirects). The beheerder sees every page and the widest scope.
PAGES = [
    ("/overzicht", "/overzicht"),
    ("/achterstand", "/achterstand"),
    ("/api/v1/backlog", "/api/v1/backlog"),
    ("/achterstand/zaken", "/achterstand/zaken"),
    ("/achterstand/zaken (filter)", "/achterstand/zaken?toestand=termijn_overschreden"),
    ("/achterstand/zaken (sortering)", "/achterstand/zaken?sort=startdatum&richting=asc"),
    ("/api/v1/backlog/zaken", "/api/v1/backlog/zaken"),
    ("/archief", "/archief/"),
    ("/api/v1/archief", "/api/v1/archief"),
    ("/api/v1/archief/taken", "/api/v1/archief/taken"),
    ("/archief/planning", "/archief/planning"),
    ("/api/v1/planning", "/api/v1/planning"),
    ("/ranglijst", "/ranglijst/"),
    ("/api/v1/ranglijst", "/api/v1/ranglijst"),
    ("/ibt", "/ibt"),
    ("/api/v1/indicatoren", "/api/v1/indicatoren"),
    ("/kwaliteit", "/kwaliteit"),
    ("/api/v1/kwaliteit", "/api/v1/kwaliteit"),
    ("/bron", "/bron"),
]
USER, PASSWORD = "bench", "bench-wachtwoord-123"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TIMEOUT = 300


class Gunicorn:
    """One gunicorn with `workers` workers on a free loopback port (gunicorn.conf.py for the rest)."""

    def __init__(self, env: dict[str, str], repo: Path, py: str, port: int, workers: int = 1) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([str(Path(py).parent / "gunicorn"), "--workers", str(workers), "--bind",
                                      f"127.0.0.1:{port}", "app:app"], env=env, cwd=repo,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait(self, timeout: float = 120) -> None:
        """Until /healthz answers (it reads no figures): the worker has booted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(self.base + "/healthz", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError(f"{self.base} kwam niet op")

    def worker_rss(self) -> int:
        """RSS in MB of the largest worker of this gunicorn."""
        out = subprocess.run(["ps", "-eo", "pid=,ppid=,rss="], capture_output=True, text=True).stdout
        sizes = [int(rss) for _, ppid, rss in (line.split() for line in out.splitlines())
                 if int(ppid) == self.proc.pid]
        return max(sizes, default=0) // 1024

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def login(base: str) -> requests.Session:
    """A logged-in session; its cookie is valid on every instance on the same database and secret key."""
    session = requests.Session()
    page = session.get(base + "/login", timeout=TIMEOUT)
    found = CSRF.search(page.text)
    if not found:
        raise RuntimeError("geen CSRF-token op /login")
    response = session.post(base + "/login", data={"gebruikersnaam": USER, "wachtwoord": PASSWORD,
                                                   "csrf_token": found.group(1)}, timeout=TIMEOUT,
                            allow_redirects=False)  # not on to /overzicht: that would warm this worker
    if response.status_code != 302:
        raise RuntimeError(f"inloggen als {USER} mislukt: HTTP {response.status_code}")
    return session


def timed(session: requests.Session, url: str) -> float:
    """One GET in ms; anything but 200 stops the benchmark (a fast error page would flatter the table)."""
    started = time.perf_counter()
    response = session.get(url, timeout=TIMEOUT, allow_redirects=False)
    ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return ms


class Fleet:
    """One one-worker gunicorn per page, started after the full sync."""

    def __init__(self, env: dict[str, str], repo: Path, py: str, free_port: Callable[[], int]) -> None:
        self.servers: dict[str, Gunicorn] = {}
        self.last_request = time.monotonic()
        try:
            for index, (label, _) in enumerate(PAGES):
                self.servers[label] = Gunicorn(env, repo, py, free_port())
                if index % 4 == 3:  # boot a few at a time: two cores
                    for server in list(self.servers.values())[-4:]:
                        server.wait()
            for server in self.servers.values():
                server.wait()
            self.session = login(next(iter(self.servers.values())).base)
        except BaseException:
            self.stop()
            raise

    def first_requests(self) -> dict[str, float]:
        """Each page once on its own instance, one after the other."""
        times = {label: timed(self.session, self.servers[label].base + path) for label, path in PAGES}
        self.last_request = time.monotonic()
        return times

    def rss(self) -> dict[str, int]:
        return {label: server.worker_rss() for label, server in self.servers.items()}

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()


def steady(server: Gunicorn, runs: int) -> tuple[dict[str, dict[str, float]], int]:
    """p50/p95 over `runs` requests per page in one worker that serves them all (after one unmeasured request
    per page), and that worker's RSS afterwards."""
    session = login(server.base)
    rows: dict[str, dict[str, float]] = {}
    for label, path in PAGES:
        timed(session, server.base + path)
        times = sorted(timed(session, server.base + path) for _ in range(runs))
        rows[label] = {"p50": statistics.median(times), "p95": times[round(0.95 * (len(times) - 1))]}
    return rows, server.worker_rss()
