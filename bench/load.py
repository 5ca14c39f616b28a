"""Load test on loopback: a mixed read load through two gunicorn instances ("host A" and "host B", 2 workers
each) on one PostgreSQL database while a sync runs and PiA users mark tasks, and a check that the two hosts
answer the same figures; prints a table and appends it to bench/RESULTS.md.

    python -m bench.load --zaken 1000000            (make load)
    python -m bench.load --zaken 20000 --seconds 20 --no-write

Setup: the mock InProces (cached dataset), a throw-away PostgreSQL server (or --database-url), the
migrations, users (one beheerder for the reads, two PiA users), `flask sync --full`, `flask tasks refresh`
and `flask snapshot`; two gunicorns with --workers workers each (as two hosts behind a load balancer: reader
and PiA user i use host i mod 2), warmed up by --warmup seconds of unmeasured reads.

Then one phase per number in --clients (default 2,4,8), each exactly --seconds and at most --max-requests
reads, stopping by itself: that many threads issue back-to-back GETs over a weighted mix of pages and API
calls (a closed loop: the highest rate the stack sustains with that many users); meanwhile a loop changes
1% of the active set at the source and runs an incremental `flask sync`, and two PiA users mark tasks (and
now and then withdraw a mark) through the HTML forms. Every request is timed; a read with a status other
than 200, a form POST not answered with a redirect, or any exception is an error; a mark refused because
the other user just marked the task (the app redirects with a warning) counts as a conflict, not an
error. The result is the highest read rate of a phase with no errors and p95 <= 500 ms over all reads.

Meanwhile a checker (bench/hosts.py) asks both hosts for the figure endpoints of the API, back to back (A, B, A;
then B, A, B) and counts a disagreement when the middle answer differs from both outer ones; target 0.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin

import requests

from bench.hosts import CHECKS, Checker
from bench.run import CLIENT_ID, PY, REPO, app_env, change_active, free_port, start_mock, timed_command, wait_http

WORKERS = 2  # per host
HOSTS = ("A", "B")
PASSWORD = "load-wachtwoord-123"
READER = "load-lezer"
PIA_USERS = ("load-pia-1", "load-pia-2")
UNDO_EVERY = 8  # every so many actions a PiA user withdraws one of their marks instead
TIMEOUT = 60  # per request; gunicorn's worker timeout is 60 s too
LATENCY_TARGET_MS = 500
LATER_PAGE = 20
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TASK_IDS = re.compile(r'name="taken" value="(\d+)"')
MY_MARKS = re.compile(r'data-taak="(\d+)" data-status="gemeld_gereed"')
FLASH = re.compile(r'class="flash flash--(\w+)">([^<]*)<')

# (class, path, weight): the read mix. Paths as the UI links them (no redirects).
READS = [
    ("/achterstand", "/achterstand", 3),
    ("/achterstand/zaken", "/achterstand/zaken", 3),
    ("/achterstand/zaken (filter)",
     "/achterstand/zaken?toestand=termijn_overschreden&sort=dagen_over_termijn&richting=desc", 2),
    ("/achterstand/zaken (latere pagina)", f"/achterstand/zaken?page={LATER_PAGE}", 1),
    ("/archief", "/archief/", 3),
    ("/archief (filter)", "/archief/?soort=vernietigen&sort=vervaldatum&richting=asc", 2),
    ("/ranglijst", "/ranglijst/", 1),
    ("/ibt", "/ibt", 1),
    ("/kwaliteit", "/kwaliteit", 1),
    ("/api/v1/backlog", "/api/v1/backlog", 2),
    ("/api/v1/archief", "/api/v1/archief", 2),
    ("/api/v1/archief/taken", "/api/v1/archief/taken?soort=archiveren", 2),
    ("/api/v1/ranglijst", "/api/v1/ranglijst", 1),
    ("/api/v1/indicatoren", "/api/v1/indicatoren", 1),
    ("/api/v1/kwaliteit", "/api/v1/kwaliteit", 1),
]


@dataclass
class Sample:
    klass: str
    kind: str  # "lezen" or "pia"
    status: int | None
    ms: float
    end: float = field(default_factory=time.monotonic)


@dataclass
class Shared:
    """What the threads report; list.append and the counters under `lock` are thread-safe."""

    deadline: float
    max_requests: int
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    marks: Counter[str] = field(default_factory=Counter)
    syncs: list[dict[str, object]] = field(default_factory=list)
    issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def running(self) -> bool:
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def take(self) -> bool:
        """One more read request within --max-requests?"""
        with self.lock:
            if self.issued >= self.max_requests:
                return False
            self.issued += 1
            return True

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text[:300])


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("geen CSRF-token op de pagina")
    return found.group(1)


def login(base: str, user: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login", timeout=TIMEOUT)
    response = session.post(base + "/login", data={"gebruikersnaam": user, "wachtwoord": PASSWORD,
                                                   "csrf_token": csrf_token(page.text)}, timeout=TIMEOUT)
    if response.status_code != 200 or response.url.rstrip("/").endswith("/login"):
        raise RuntimeError(f"inloggen als {user} mislukt: {response.status_code}")
    return session


def timed_get(session: requests.Session, url: str, shared: Shared, klass: str, kind: str,
              allow_redirects: bool = False) -> requests.Response | None:
    started = time.perf_counter()
    try:
        response = session.get(url, timeout=TIMEOUT, allow_redirects=allow_redirects)
    except requests.RequestException as exc:
        shared.samples.append(Sample(klass, kind, None, (time.perf_counter() - started) * 1000))
        shared.error(f"{klass}: {exc!r}")
        return None
    shared.samples.append(Sample(klass, kind, response.status_code, (time.perf_counter() - started) * 1000))
    if response.status_code != 200:
        shared.error(f"{klass}: HTTP {response.status_code} {response.text[:120]!r}")
        return None
    return response


def timed_post(session: requests.Session, url: str, data: dict[str, object], shared: Shared,
               klass: str) -> requests.Response | None:
    """A form POST; the app answers 302 (Post/Redirect/Get), anything else is an error."""
    started = time.perf_counter()
    try:
        response = session.post(url, data=data, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as exc:
        shared.samples.append(Sample(klass, "pia", None, (time.perf_counter() - started) * 1000))
        shared.error(f"{klass}: {exc!r}")
        return None
    shared.samples.append(Sample(klass, "pia", response.status_code, (time.perf_counter() - started) * 1000))
    if response.status_code != 302:
        shared.error(f"{klass}: HTTP {response.status_code} {response.text[:120]!r}")
        return None
    return response


def reader(index: int, session: requests.Session, base: str, reads: list[tuple[str, str, int]],
           shared: Shared) -> None:
    rng = random.Random(index)
    weights = [w for _, _, w in reads]
    while shared.running() and shared.take():
        klass, path, _ = rng.choices(reads, weights)[0]
        timed_get(session, base + path, shared, klass, "lezen")


def marker(index: int, session: requests.Session, base: str, shared: Shared, interval: float) -> None:
    """A PiA user: every `interval` s one task from one of the first queue pages gereed, sometimes an undo.

    Both users pick from the same few pages, so now and then they race for one task: the loser gets the
    "zojuist al gereed gemeld" warning, counted as a conflict.
    """
    rng = random.Random(1000 + index)
    next_at = time.monotonic()
    action = 0
    while shared.running():
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
        if not shared.running():
            return
        action += 1
        try:
            if action % UNDO_EVERY == 0:
                _undo(session, base, shared, rng)
            else:
                _mark(session, base, shared, rng)
        except Exception as exc:  # a page without the expected form, a redirect without Location, ...
            shared.error(f"PiA: {exc!r}")


def _mark(session: requests.Session, base: str, shared: Shared, rng: random.Random) -> None:
    page = timed_get(session, f"{base}/archief/?page={rng.randint(1, 3)}", shared, "PiA: /archief (formulier)", "pia")
    if page is None:
        return
    ids = TASK_IDS.findall(page.text)
    if not ids:
        shared.marks["geen taak op de pagina"] += 1
        return
    response = timed_post(session, base + "/archief/melden",
                          {"taken": rng.choice(ids), "notitie": "belastingtest", "terug": "/archief/mijn-meldingen",
                           "csrf_token": csrf_token(page.text)}, shared, "PiA: gereed melden (POST)")
    if response is not None:
        _count_flash(session, urljoin(base, response.headers["Location"]), shared, "gemeld")


def _undo(session: requests.Session, base: str, shared: Shared, rng: random.Random) -> None:
    page = timed_get(session, base + "/archief/mijn-meldingen", shared, "PiA: mijn meldingen", "pia")
    if page is None:
        return
    ids = MY_MARKS.findall(page.text)
    if not ids:
        shared.marks["niets in te trekken"] += 1
        return
    response = timed_post(session, f"{base}/archief/taken/{rng.choice(ids)}/intrekken",
                          {"terug": "/archief/mijn-meldingen", "csrf_token": csrf_token(page.text)}, shared,
                          "PiA: intrekken (POST)")
    if response is not None:
        _count_flash(session, urljoin(base, response.headers["Location"]), shared, "ingetrokken")


def _count_flash(session: requests.Session, url: str, shared: Shared, done: str) -> None:
    """Follow the redirect and read the flash: success, conflict (warning) or an error."""
    page = timed_get(session, url, shared, "PiA: mijn meldingen", "pia")
    if page is None:
        return
    categories = [category for category, _ in FLASH.findall(page.text)]
    if "success" in categories:
        shared.marks[done] += 1
    elif "warning" in categories:
        shared.marks[f"{done}: conflict"] += 1
    else:
        shared.error(f"{done}: geen bevestiging, meldingen {FLASH.findall(page.text)}")


def sync_loop(env: dict[str, str], mock: str, secret: str, shared: Shared, holder: dict[str, subprocess.Popen]) -> None:
    """Change 1% of the active set at the source, run an incremental sync; again until the phase ends."""
    while shared.running():
        started = time.monotonic()
        try:
            changed = change_active(mock, secret, 0.01)
        except Exception as exc:  # the mock refused or answered something unexpected
            shared.error(f"bron wijzigen: {exc!r}")
            return
        sync_started = time.monotonic()
        proc = subprocess.Popen([PY, "-m", "flask", "sync"], env=env, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        holder["sync"] = proc
        out, err = proc.communicate()
        ended = time.monotonic()
        shared.syncs.append({"bron_gewijzigd": changed, "wijzigen_s": sync_started - started,
                             "sync_s": ended - sync_started, "rc": proc.returncode,
                             "binnen_meting": ended <= shared.deadline,
                             "uitvoer": (out.strip().splitlines() or [""])[-1], "fout": err.strip()[-500:]})
        if proc.returncode != 0:
            shared.error(f"flask sync: rc {proc.returncode}: {err.strip()[-200:]}")


def workers_rss(master: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid=,rss="], capture_output=True, text=True).stdout
    return [int(rss) // 1024 for pid, ppid, rss in (line.split() for line in out.splitlines()) if int(ppid) == master]


def _stat(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds of the process and of its reaped children) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), sum(int(v) for v in fields[11:15]) / ticks  # ppid; utime, stime, cutime, cstime


def tree_cpu(root: int) -> float:
    """CPU seconds of a process, its live children and every child it has reaped (gunicorn, postmaster)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid, seconds = _stat(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
            if int(entry.name) == root or ppid == root:
                total += seconds
    return total


@dataclass
class Meter:
    """CPU seconds per part of the stack, to see where a phase's time went."""

    roots: dict[str, int]  # name -> pid of the root process (web, PostgreSQL, mock)

    def read(self) -> dict[str, float]:
        values = {name: tree_cpu(pid) for name, pid in self.roots.items()}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the finished `flask sync` runs
        values["sync"] = children.ru_utime + children.ru_stime
        own = os.times()
        values["lastgenerator"] = own.user + own.system
        busy = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]  # user nice system idle iowait ...
        values["machine"] = (sum(int(v) for v in busy[:8]) - int(busy[3]) - int(busy[4])) / os.sysconf("SC_CLK_TCK")
        return values

    @staticmethod
    def delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        """Per part, plus `anderen`: what other processes on the machine used meanwhile."""
        used = {name: after[name] - before[name] for name in after if name != "machine"}
        used["anderen"] = max(0.0, after["machine"] - before["machine"] - sum(used.values()))
        return used


class PgWatch:
    """Samples pg_stat_activity for sessions waiting on a lock; reads the deadlock counter of the database."""

    def __init__(self, database_url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True)
        self.samples = 0
        self.waiting_samples = 0
        self.max_waiting = 0
        self.events: Counter[str] = Counter()
        self.active: Counter[str] = Counter()  # what the active sessions were running, sampled
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def deadlocks(self) -> int:
        row = self.conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return int(row.fetchone()[0])  # type: ignore[index]

    def start(self) -> None:
        self.samples = self.waiting_samples = self.max_waiting = 0
        self.events = Counter()
        self.active = Counter()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            rows = self.conn.execute("SELECT wait_event_type, wait_event, left(query, 300) FROM pg_stat_activity "
                                     "WHERE datname = current_database() AND state = 'active' "
                                     "AND pid <> pg_backend_pid()").fetchall()
            self.samples += 1
            self.active.update(" ".join(str(r[2]).split())[:110] for r in rows)
            waiting = [r for r in rows if r[0] == "Lock"]
            if waiting:
                self.waiting_samples += 1
                self.max_waiting = max(self.max_waiting, len(waiting))
                self.events.update(str(r[1]) for r in waiting)

    def close(self) -> None:
        self.conn.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))] if ordered else 0.0


def sync_runs(database_url: str, since: datetime) -> list[tuple[int, str, str, int, int, float]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, modus, uitkomst, verzoeken, gewijzigd, "
                                     "EXTRACT(EPOCH FROM geeindigd_op - gestart_op) FROM sync_run "
                                     "WHERE gestart_op >= :since ORDER BY id"), {"since": since}).all()
    finally:
        engine.dispose()
    return [(r[0], r[1], r[2], r[3], r[4], float(r[5] or 0)) for r in rows]


def run_cli(args: list[str], env: dict[str, str], check: bool = True) -> float:
    started = time.perf_counter()
    done = subprocess.run([PY, "-m", "flask", *args], env=env, cwd=REPO, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} faalde: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def start_mock_at(zaken: int, secret: str, path: Path) -> tuple[subprocess.Popen, str]:
    """bench.run.start_mock on another dataset file (so a trial does not touch the shared cache)."""
    port = free_port()
    env = {**os.environ, "MOCK_INPROCES_SECRET": secret, "MOCK_INPROCES_CLIENT_ID": CLIENT_ID}
    proc = subprocess.Popen([PY, "-m", "connectors.mock_inproces", "--port", str(port), "--zaken", str(zaken),
                             "--seed", "42", "--db", str(path)], env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/")
    return proc, base


def setup(env: dict[str, str]) -> dict[str, float]:
    times = {"migraties": run_cli(["db", "upgrade"], env)}
    for name, rol in [(READER, "beheerder"), *((name, "pia") for name in PIA_USERS)]:
        run_cli(["users", "create", name, "--rol", rol, "--wachtwoord", PASSWORD], env, check=False)
    print("volledige sync ...", flush=True)
    full_s, full_rss, line = timed_command([PY, "-m", "flask", "sync", "--full"], env)
    times["volledige sync"] = full_s
    print(f"  {full_s:.1f} s, piek-RSS {full_rss} MB: {line}", flush=True)
    times["tasks refresh"] = run_cli(["tasks", "refresh"], env)
    times["snapshot"] = run_cli(["snapshot"], env)
    for name, seconds in times.items():
        print(f"opzet {name}: {seconds:.1f} s", flush=True)
    return times


class Server:
    """One host: gunicorn with `workers` workers on a free loopback port, its output in `log`."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = WORKERS) -> None:
        self.log = log
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        with open(log, "w") as handle:
            self.proc = subprocess.Popen([str(Path(PY).parent / "gunicorn"), "--workers", str(workers), "--bind",
                                          f"127.0.0.1:{port}", "app:app"], env=env, cwd=REPO, stdout=handle,
                                         stderr=subprocess.STDOUT)

    def boots(self) -> int:
        """Workers started so far (--workers at start; every --max-requests restart adds one)."""
        return self.log.read_text(errors="replace").count("Booting worker")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


Client = tuple[requests.Session, str]  # a logged-in session and the base URL of its host


def prepare(servers: list[Server], clients: int, args: argparse.Namespace) -> tuple[list[Client], list[Client],
                                                                                   list[tuple[str, str, int]]]:
    """Log in every client (client i on host i mod 2), choose the later page, and warm the workers up with an
    unmeasured read load."""
    for server in servers:
        wait_http(server.base + "/healthz", 60)
    bases = [servers[i % len(servers)].base for i in range(max(clients, len(PIA_USERS)))]
    readers = [(login(bases[i], READER), bases[i]) for i in range(clients)]
    markers = [] if args.without_pia else [(login(bases[i], name), bases[i]) for i, name in enumerate(PIA_USERS)]
    reads = list(READS)
    session, base = readers[0]
    later = session.get(base + f"/achterstand/zaken?page={LATER_PAGE}", timeout=TIMEOUT)
    if later.status_code != 200 or "bestaat niet" in later.text:
        reads = [(k, p.replace(f"page={LATER_PAGE}", "page=2"), w) for k, p, w in reads]
    if args.warmup > 0:
        print(f"opwarmen: {args.warmup:.0f} s, {clients} lezers (niet gemeten)", flush=True)
        warm = Shared(deadline=time.monotonic() + args.warmup, max_requests=args.max_requests)
        threads = [threading.Thread(target=reader, args=(i, s, b, reads, warm), daemon=True)
                   for i, (s, b) in enumerate(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.warmup + TIMEOUT + 5)
        for error in warm.errors[:5]:
            print("fout bij het opwarmen:", error)
    return readers, markers, reads


def load_phase(servers: list[Server], env: dict[str, str], mock: str, secret: str, readers: list[Client],
               markers: list[Client], reads: list[tuple[str, str, int]],
               args: argparse.Namespace, meter: Meter, watch: PgWatch) -> dict[str, object]:
    """One measured phase with len(readers) clients; returns when the phase and its last sync have ended."""
    holder: dict[str, subprocess.Popen] = {}
    shared = Shared(deadline=float("inf"), max_requests=args.max_requests)
    print(f"meting: {args.seconds:.0f} s, {len(readers)} lezers, {len(markers)} PiA-gebruikers, "
          f"{'geen sync' if args.without_sync else 'sync-lus'}", flush=True)
    try:
        since = datetime.now(UTC)
        cpu_before, deadlocks_before = meter.read(), watch.deadlocks()
        boots_before = sum(server.boots() for server in servers)
        watch.start()
        started = time.monotonic()
        shared.deadline = started + args.seconds
        threads = [threading.Thread(target=reader, args=(i, s, b, reads, shared), daemon=True)
                   for i, (s, b) in enumerate(readers)]
        threads += [threading.Thread(target=marker, args=(i, s, b, shared, args.mark_interval), daemon=True)
                    for i, (s, b) in enumerate(markers)]
        checker = Checker({f"host {name}": (login(server.base, READER), server.base)
                           for name, server in zip(HOSTS, servers, strict=True)}, shared.running,
                          args.check_interval)
        checker.start()
        syncer = threading.Thread(target=sync_loop, args=(env, mock, secret, shared, holder), daemon=True)
        for thread in threads if args.without_sync else [*threads, syncer]:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, shared.deadline - time.monotonic()) + TIMEOUT + 5)
        elapsed = time.monotonic() - started
        checker.join(TIMEOUT * 3 + 5)
        rss = [mb for server in servers for mb in workers_rss(server.proc.pid)]
        shared.stop.set()
        if syncer.ident is not None:
            syncer.join(max(300.0, args.seconds * 5))  # let the running sync finish (its run is reported)
        cpu = Meter.delta(cpu_before, meter.read())
        watch.stop()
        locks = {"deadlocks": watch.deadlocks() - deadlocks_before, "monsters": watch.samples,
                 "met_wachten": watch.waiting_samples, "max": watch.max_waiting, "soorten": dict(watch.events),
                 "actief": watch.active.most_common(8)}
        return {"clients": len(readers), "shared": shared, "seconden": elapsed, "started": started, "rss": rss,
                "since": since, "cpu": cpu, "herstarts": sum(server.boots() for server in servers) - boots_before,
                "hosts": checker.result,
                "duur": time.monotonic() - started, "locks": locks}
    finally:
        shared.stop.set()
        watch.stop()
        sync = holder.get("sync")
        if sync is not None and sync.poll() is None:
            sync.send_signal(signal.SIGTERM)
            sync.wait(30)


def summarise(result: dict[str, object], database_url: str) -> dict[str, object]:
    shared: Shared = result["shared"]  # type: ignore[assignment]
    seconds: float = result["seconden"]  # type: ignore[assignment]
    reads = [s for s in shared.samples if s.kind == "lezen"]
    per_class: dict[str, list[float]] = {}
    for sample in shared.samples:
        per_class.setdefault(sample.klass, []).append(sample.ms)
    all_ms = [s.ms for s in reads]
    if reads:  # --max-requests may have ended the reads before the phase
        seconds = min(seconds, max(s.end for s in reads) - result["started"])  # type: ignore[operator]
    return {
        "clients": result["clients"], "seconden": seconds, "lezen": len(reads),
        "per_s": len(reads) / seconds if seconds else 0.0, "alle": all_ms, "klassen": per_class,
        "fouten": len(shared.errors), "eerste_fouten": shared.errors[:5],
        "statussen": Counter(s.status for s in shared.samples), "meldingen": shared.marks, "syncs": shared.syncs,
        "sync_runs": sync_runs(database_url, result["since"]),  # type: ignore[arg-type]
        "rss": result["rss"], "cpu": result["cpu"], "herstarts": result["herstarts"], "duur": result["duur"],
        "locks": result["locks"], "hosts": result["hosts"],
        "binnen_doel": not shared.errors and bool(reads) and percentile(all_ms, 0.95) <= LATENCY_TARGET_MS,
    }


def render(phases: list[dict[str, object]], zaken: int, args: argparse.Namespace, times: dict[str, float]) -> str:
    memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    pia = "geen PiA-gebruikers" if args.without_pia else \
        f"{len(PIA_USERS)} PiA-gebruikers (elke {args.mark_interval} s een actie van drie verzoeken: " \
        "de lijst, melden of intrekken, de pagina erna)"
    sync = "geen sync" if args.without_sync else "een sync-lus (1% van de actieve set gewijzigd, dan `flask sync`)"
    good = [p for p in phases if p["binnen_doel"]]
    best = max(good, key=lambda p: p["per_s"], default=None)  # type: ignore[arg-type,return-value]
    verdict = (f"**Volgehouden binnen het doel: {best['per_s']:.1f} leesverzoeken/s** ({best['clients']} clients)"
               if best else "**Geen fase haalde het doel.**")
    lines = [f"## Load — {zaken:,} zaken — {date.today().isoformat()} — {os.cpu_count()} cores, {memory} GiB", "",
             f"PostgreSQL, twee hosts (gunicorn A en B, elk {args.workers} workers; client i op host i mod 2); "
             f"per fase {args.seconds:.0f} s met N lezende clients (elk "
             f"verzoek direct na het vorige), {pia}, {sync}. Opzet: "
             + ", ".join(f"{name} {sec:.0f} s" for name, sec in times.items()) + f". {verdict} "
             f"(doel: 0 fouten en p95 over alle leesverzoeken <= {LATENCY_TARGET_MS} ms).", "",
             "| meting | " + " | ".join(f"{p['clients']} clients" for p in phases) + " | doel |",
             "|---|" + "---|" * len(phases) + "---|"]

    def row(label: str, fn, target: str = "") -> None:  # type: ignore[no-untyped-def]
        lines.append(f"| {label} | " + " | ".join(fn(p) for p in phases) + f" | {target} |")

    def pct(values: list[float] | None) -> str:
        if not values:
            return "–"
        return f"{percentile(values, 0.5):.0f} / {percentile(values, 0.95):.0f} / {percentile(values, 0.99):.0f}"

    def avg(syncs: list[dict[str, object]], key: str) -> str:
        return f"{sum(x[key] for x in syncs) / len(syncs):.1f}" if syncs else "–"  # type: ignore[misc]

    row("leesverzoeken per seconde (volgehouden)", lambda p: f"{p['per_s']:.1f}")
    row("leesverzoeken", lambda p: str(p["lezen"]))
    row("fouten", lambda p: str(p["fouten"]), "0")
    row("alle leesverzoeken p50 / p95 / p99 (ms)", lambda p: pct(p["alle"]), f"p95 <= {LATENCY_TARGET_MS}")
    classes = [k for k, _, _ in READS] + sorted({k for p in phases for k in p["klassen"] if k.startswith("PiA")})
    for klass in classes:
        row(f"{klass} p50 / p95 / p99 (ms)", lambda p, k=klass: pct(p["klassen"].get(k)))
    row("PiA gereed gemeld / conflict / ingetrokken",
        lambda p: " / ".join(str(p["meldingen"][k]) for k in ("gemeld", "gemeld: conflict", "ingetrokken")))
    row("syncs klaar binnen de fase / gestart",
        lambda p: f"{sum(1 for x in p['syncs'] if x['binnen_meting'])} / {len(p['syncs'])}")
    row("sync-runs (uitkomst)", lambda p: ", ".join(f"{k} {v}" for k, v in
                                                    sorted(Counter(r[2] for r in p["sync_runs"]).items())) or "–",
        "alle geslaagd")
    row("bron 1% wijzigen / `flask sync` (s, gemiddeld)", lambda p: f"{avg(p['syncs'], 'wijzigen_s')} / "
        f"{avg(p['syncs'], 'sync_s')}")
    row("PostgreSQL: deadlocks / monsters met een lock-wachtende sessie (max tegelijk)",
        lambda p: f"{p['locks']['deadlocks']} / {p['locks']['met_wachten']} van {p['locks']['monsters']} "
        f"({p['locks']['max']})", "0 deadlocks")
    row("gunicorn-workers herstart (max_requests)", lambda p: str(p["herstarts"]))
    row("CPU-seconden " + " / ".join(phases[0]["cpu"]) + " (fase + laatste sync; 2 cores)",  # type: ignore[arg-type]
        lambda p: " / ".join(f"{v:.0f}" for v in p["cpu"].values()) + f" in {p['duur']:.0f} s")
    row("web worker RSS na de fase (MB, max / som)", lambda p: f"{max(p['rss'], default=0)} / {sum(p['rss'])}",
        "<= 150 per worker")
    row("twee hosts: vergelijkingsrondes / fouten (" + ", ".join(CHECKS) + ")",
        lambda p: f"{sum(p['hosts'].rounds.values())} / {len(p['hosts'].errors)}")
    row("twee hosts: rondes waarin de data bewoog (midden gelijk aan één van beide)",
        lambda p: str(sum(p["hosts"].moved.values())))
    # With marks and undos every half second the data can move down and up within one round (A, B, A): a middle
    # answer then differs from both outer ones without any host being wrong. The target is on still data.
    row("twee hosts: verschillen terwijl de data bewoog (midden ≠ beide buitenste)",
        lambda p: str(p["hosts"].total_disagreements - sum(p["hosts"].stable.values())))
    row("twee hosts: verschillen bij stilstaande data (buitenste gelijk, midden anders)",
        lambda p: str(sum(p["hosts"].stable.values())), "0")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zaken", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60, help="length of each measured phase")
    parser.add_argument("--clients", default="2,4,8",
                        help="reading clients; a comma-separated list runs one phase per number")
    parser.add_argument("--warmup", type=float, default=10, help="unmeasured reads before the first phase (s)")
    parser.add_argument("--database-url",
                        help="an existing PostgreSQL database, postgresql+psycopg://... (default: a throw-away server)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="at most this many reads per phase")
    parser.add_argument("--mock-db", type=Path, help="dataset file of the mock (default: bench/data/mock-N.sqlite)")
    parser.add_argument("--mark-interval", type=float, default=0.5,
                        help="seconds between two actions (mark or undo) of one PiA user")
    parser.add_argument("--without-sync", action="store_true", help="no sync loop (to compare)")
    parser.add_argument("--without-pia", action="store_true", help="no PiA users marking (to compare)")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not append it to RESULTS.md")
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers per host")
    parser.add_argument("--check-interval", type=float, default=0.5,
                        help="seconds between two rounds of the two-host check")
    args = parser.parse_args()
    counts = [int(n) for n in args.clients.split(",")]
    secret = secrets.token_urlsafe(32)
    sys.path.insert(0, str(REPO))
    logs = Path(tempfile.mkdtemp(prefix="duo-zaak-load-"))
    pg = None
    mock = None
    servers: list[Server] = []
    phases = []
    try:
        print(f"mock InProces met {args.zaken:,} zaken ...", flush=True)
        mock, base = start_mock_at(args.zaken, secret, args.mock_db) if args.mock_db else start_mock(args.zaken, secret)
        database_url = args.database_url
        if database_url is None:
            from tests import postgres

            pg = postgres.start()
            database_url = pg.create_database()
        env = {**app_env(database_url, base, secret), "WEB_CONCURRENCY": str(args.workers)}
        times = setup(env)
        for name in HOSTS:
            servers.append(Server(env, logs / f"gunicorn-{name}.log", args.workers))
        readers, markers, reads = prepare(servers, max(counts), args)
        roots = {f"web {name}": server.proc.pid for name, server in zip(HOSTS, servers, strict=True)}
        roots["mock"] = mock.pid
        if pg is not None:
            roots["PostgreSQL"] = int((pg.datadir / "postmaster.pid").read_text().split()[0])
        meter = Meter(roots)
        watch = PgWatch(database_url)
        try:
            for count in counts:
                result = load_phase(servers, env, base, secret, readers[:count], markers, reads, args, meter, watch)
                phases.append(summarise(result, database_url))
        finally:
            watch.close()
    finally:
        for server in servers:
            server.stop()
        if mock is not None:
            mock.send_signal(signal.SIGTERM)
            mock.wait(30)
        if pg is not None:
            pg.stop()
    table = render(phases, args.zaken, args, times)
    print(table)
    for phase in phases:
        active = phase["locks"].pop("actief")  # type: ignore[attr-defined]
        print(f"{phase['clients']} clients: statussen {dict(phase['statussen'])}, PiA {dict(phase['meldingen'])}, "
              f"locks {phase['locks']}, CPU-s " + ", ".join(f"{k} {v:.1f}" for k, v in phase["cpu"].items()))
        for query, count in active:
            print(f"  PostgreSQL actief ({count}x gezien): {query}")
        for error in phase["eerste_fouten"]:  # type: ignore[attr-defined]
            print("  fout:", error)
        for sync in phase["syncs"]:  # type: ignore[attr-defined]
            print("  sync:", sync)
        hosts = phase["hosts"]
        print(f"  twee hosts: rondes {dict(hosts.rounds)}, verschillen {dict(hosts.disagreements)}, "  # type: ignore[attr-defined]
              f"data bewoog {dict(hosts.moved)}")  # type: ignore[attr-defined]
        for line in hosts.examples + hosts.errors[:5]:  # type: ignore[attr-defined]
            print("  twee hosts:", line)
    tracebacks = [f"{path.name}: {line}" for path in sorted(logs.glob("*.log"))
                  for line in path.read_text(errors="replace").splitlines() if "Error" in line or "Traceback" in line]
    if tracebacks:
        print(f"gunicorn-logs in {logs} ({len(tracebacks)} regels met fouten), de eerste:", *tracebacks[:10],
              sep="\n  ")
    else:
        shutil.rmtree(logs, ignore_errors=True)
    if not args.no_write:
        with open(REPO / "bench" / "RESULTS.md", "a") as handle:
            handle.write(f"\n<!-- {datetime.now().isoformat(timespec='seconds')} -->\n" + table)


if __name__ == "__main__":
    main()
