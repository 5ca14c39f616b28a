"""Benchmarks at scale: sync and pages on SQLite and PostgreSQL; prints a table with every figure beside its
target and whether it was met ("gehaald", per database), and appends it to bench/RESULTS.md.

    python -m bench.run --zaken 1000000     (make bench)
    python -m bench.run --zaken 100000      (make bench-quick)
    python -m bench.run --zaken 100000 --only pages --no-write   (again on the mirror of the last run)

Part `sync`, per database on an empty one: a bare download of the pages a full sync fetches (plain requests +
JSON decode, no database) and the full sync itself (wall time, requests, peak RSS of the sync process, ratio to
the bare download); an incremental run with nothing changed and with 1% of the active set changed; then the
daily task step and the snapshot, as the worker does.

Part `pages` (bench/web.py): every page users meet and its API twin through gunicorn (the real WSGI stack): the
first request after the sync in a fresh worker (one gunicorn per page, started after the sync), p50/p95 over
--runs requests in one worker serving them all and that worker's RSS afterwards, then the first request per
page after an incremental sync (1% changed) while the gunicorns keep running; and the bare query functions
behind each page without the stored figures (bench/aggregates.py) as the reference.

The mirrors persist in bench/data (SQLite file, PostgreSQL cluster pg-N) and the figures in run-N.json, so
`--only pages` reruns the pages without a new full sync and the table still shows the sync figures.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import requests

from bench.table import render
from bench.web import PASSWORD, USER, Fleet, Gunicorn, steady

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bench" / "data"
PY = sys.executable
CLIENT_ID = "duo-zaak-bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"{url} kwam niet op")


def start_mock(zaken: int, secret: str, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """The mock on `port` (default a free one). The mirror stores the zaak URLs, so a rerun on the same mirror
    needs the mock on the port it was synced from."""
    DATA.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    env = {**os.environ, "MOCK_INPROCES_SECRET": secret, "MOCK_INPROCES_CLIENT_ID": CLIENT_ID}
    proc = subprocess.Popen([PY, "-m", "connectors.mock_inproces", "--port", str(port), "--zaken", str(zaken),
                             "--seed", "42", "--db", str(DATA / f"mock-{zaken}.sqlite")], env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/")
    return proc, base


def app_env(database_url: str, base: str, secret: str) -> dict[str, str]:
    return {**os.environ, "DUO_ZAAK_MODE": "development", "DUO_ZAAK_SECRET_KEY": "bench-" + secret,
            "DATABASE_URL": database_url, "DUO_ZAAK_INPROCES_ZAKEN_URL": base + "/zaken/api/v1",
            "DUO_ZAAK_INPROCES_CATALOGI_URL": base + "/catalogi/api/v1",
            "DUO_ZAAK_INPROCES_CLIENT_ID": CLIENT_ID, "DUO_ZAAK_INPROCES_SECRET": secret, "FLASK_APP": "app"}


def bare_download(base: str, secret: str) -> tuple[float, int]:
    """The pages a full sync fetches, with plain requests + JSON decode and no database."""
    from connectors.zgw.jwt import make_token

    session = requests.Session()
    count = 0
    started = time.perf_counter()
    lists = ["/catalogi/api/v1/zaaktypen", "/catalogi/api/v1/resultaattypen", "/zaken/api/v1/zaken",
             "/zaken/api/v1/rollen?betrokkeneType=organisatorische_eenheid&omschrijvingGeneriek=behandelaar",
             "/zaken/api/v1/resultaten"]
    for path in lists:
        url: str | None = base + path + ("&" if "?" in path else "?") + "pageSize=500"
        while url:
            headers = {"Authorization": "Bearer " + make_token(CLIENT_ID, secret), "Accept-Crs": "EPSG:4326"}
            body = session.get(url, headers=headers, timeout=120).json()
            count += 1
            url = body.get("next")
    return time.perf_counter() - started, count


def timed_command(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time, peak RSS in MB of this child alone (from wait4), and its last output line."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} faalde: {err.read()[-2000:]}")
        return elapsed, usage.ru_maxrss // 1024, out.read().strip().splitlines()[-1]


def last_run(env: dict[str, str]) -> dict[str, int]:
    code = ("from duo_zaak import create_app; from duo_zaak.db import db; from duo_zaak.models import SyncRun;"
            "app=create_app();\nwith app.app_context():\n r=db.session.scalar(db.select(SyncRun)"
            ".order_by(SyncRun.id.desc()));print(r.verzoeken, r.paginas, r.nieuw, r.gewijzigd)")
    out = subprocess.run([PY, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True).stdout
    verzoeken, paginas, nieuw, gewijzigd = map(int, out.split())
    return {"verzoeken": verzoeken, "paginas": paginas, "nieuw": nieuw, "gewijzigd": gewijzigd}


def change_active(base: str, secret: str, share: float) -> int:
    """Change `share` of the active set at the source (through the mock's control API)."""
    from connectors.zgw.jwt import make_token

    headers = {"Authorization": "Bearer " + make_token(CLIENT_ID, secret), "Accept-Crs": "EPSG:4326"}
    first = requests.get(base + "/zaken/api/v1/zaken?archiefstatus=nog_te_archiveren&pageSize=500",
                         headers=headers, timeout=120).json()
    wanted = max(1, int(first["count"] * share))
    uuids: list[str] = []
    url: str | None = first["next"]
    uuids.extend(z["uuid"] for z in first["results"])
    while len(uuids) < wanted and url:
        headers["Authorization"] = "Bearer " + make_token(CLIENT_ID, secret)
        page = requests.get(url, headers=headers, timeout=120).json()
        uuids.extend(z["uuid"] for z in page["results"])
        url = page["next"]
    for uuid in uuids[:wanted]:
        requests.post(f"{base}/_mock/zaken/{uuid}", json={"omschrijving": f"benchmark {time.time_ns()}"},
                      timeout=60).raise_for_status()
    return wanted


def _flask(env: dict[str, str], *args: str, check: bool = True) -> None:
    subprocess.run([PY, "-m", "flask", *args], env=env, cwd=REPO, check=check, capture_output=True)


def sync_part(env: dict[str, str], base: str, secret: str) -> dict[str, object]:
    """Bare download, full sync, incremental with nothing and with 1% changed, then the daily task step and the
    snapshot (what the worker does after a sync), on an empty database."""
    result: dict[str, object] = {}
    bare_s, bare_pages = bare_download(base, secret)
    result["bare"] = {"seconden": bare_s, "paginas": bare_pages}
    full_s, full_rss, _ = timed_command([PY, "-m", "flask", "sync", "--full"], env)
    result["full"] = {"seconden": full_s, "rss_mb": full_rss, **last_run(env), "ratio": full_s / bare_s}
    inc_s, _, _ = timed_command([PY, "-m", "flask", "sync"], env)
    result["incremental_unchanged"] = {"seconden": inc_s, **last_run(env)}
    changed = change_active(base, secret, 0.01)
    inc2_s, _, _ = timed_command([PY, "-m", "flask", "sync"], env)
    result["incremental_1pct"] = {"seconden": inc2_s, "bron_gewijzigd": changed, **last_run(env)}
    _flask(env, "tasks", "refresh")
    _flask(env, "snapshot")
    return result


def pages_part(env: dict[str, str], base: str, secret: str, runs: int, after_sync: bool) -> dict[str, object]:
    """First request per page in a fresh worker, steady p50/p95 and worker RSS, first request per page after an
    incremental sync while gunicorn keeps running, and the bare query functions. `after_sync` False (only the
    pages, on an existing mirror): an incremental sync first, so the fresh workers start right after a sync."""
    result: dict[str, object] = {}
    if not after_sync:
        seconds, _, _ = timed_command([PY, "-m", "flask", "sync"], env)
        result["sync_voor_paginas"] = {"seconden": seconds, **last_run(env)}
    fleet = Fleet(env, REPO, PY, free_port)
    try:
        result["first_fresh"] = fleet.first_requests()
        result["fleet_rss_mb"] = fleet.rss()
        main = Gunicorn(env, REPO, PY, free_port())
        try:
            main.wait()
            result["steady"], result["worker_rss_mb"] = steady(main, runs)
        finally:
            main.stop()
        changed = change_active(base, secret, 0.01)
        seconds, _, _ = timed_command([PY, "-m", "flask", "sync"], env)
        result["incremental_live"] = {"seconden": seconds, "bron_gewijzigd": changed, **last_run(env)}
        result["first_incremental"] = fleet.first_requests()
    finally:
        fleet.stop()
    out = subprocess.run([PY, "-m", "bench.aggregates", "5"], env=env, cwd=REPO, check=True, capture_output=True,
                         text=True).stdout
    result["kaal"] = json.loads(out.strip().splitlines()[-1])
    return result


def bench_database(name: str, database_url: str, base: str, secret: str, args: argparse.Namespace,
                   previous: dict[str, object]) -> dict[str, object]:
    env = app_env(database_url, base, secret)
    _flask(env, "db", "upgrade")
    _flask(env, "users", "create", USER, "--rol", "beheerder", "--wachtwoord", PASSWORD, check=False)  # may exist
    result: dict[str, object] = {**previous, "database": name}
    if "sync" in args.only:
        result.update(sync_part(env, base, secret))
    if "pages" in args.only:
        result.update(pages_part(env, base, secret, args.runs, after_sync="sync" in args.only))
    return result


class PersistentPostgres:
    """A PostgreSQL cluster in bench/data/pg-N that outlives the run, so `--only pages` can reuse the mirror."""

    def __init__(self, zaken: int) -> None:
        from tests import postgres

        self.pg = postgres
        self.base = DATA / f"pg-{zaken}"
        self.datadir = self.base / "data"
        self.port = free_port()
        if not self.datadir.exists():
            self.base.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                pw = pwd.getpwnam("postgres")
                os.chown(self.base, pw.pw_uid, pw.pw_gid)
            self._run("initdb", "-D", str(self.datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale")
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off " \
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.datadir), "-o", options, "-l", str(self.base / "log"), "-w", "start")

    def _run(self, binary: str, *args: str, check: bool = True) -> None:
        subprocess.run(self.pg._as_postgres([self.pg._binary(binary), *args]), check=check, capture_output=True)

    def database(self, fresh: bool) -> str:
        """The `bench` database; `fresh`: dropped and created empty."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench'").fetchone()
            if exists and fresh:
                conn.execute("DROP DATABASE bench WITH (FORCE)")
            if not exists or fresh:
                conn.execute("CREATE DATABASE bench")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/bench"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "stop", check=False)


def _previous(path: Path) -> dict[str, dict[str, object]]:
    try:
        return {r["database"]: r for r in json.loads(path.read_text())}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zaken", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50, help="requests per page for p50/p95")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--only", default="sync,pages",
                        help="parts to run: sync (a new mirror), pages (on the mirror of the last run); the table "
                             "takes the other part from bench/data/run-N.json")
    parser.add_argument("--no-write", action="store_true", help="print the table, do not append it to RESULTS.md")
    args = parser.parse_args()
    args.only = {part.strip() for part in args.only.split(",") if part.strip()}
    if not args.only or args.only - {"sync", "pages"}:
        parser.error("--only: kies uit sync, pages")
    sys.path.insert(0, str(REPO))
    secret = secrets.token_urlsafe(32)
    saved = DATA / f"run-{args.zaken}.json"
    previous = _previous(saved)
    port_file = DATA / f"mock-{args.zaken}.port"
    port = None if "sync" in args.only or not port_file.exists() else int(port_file.read_text())
    mock, base = start_mock(args.zaken, secret, port)
    port_file.write_text(base.rsplit(":", 1)[1])
    results: list[dict[str, object]] = []
    try:
        for name in args.databases.split(","):
            if name == "sqlite":
                label, path = "SQLite", DATA / f"bench-{args.zaken}.db"
                if "sync" in args.only:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{path}{suffix}").unlink(missing_ok=True)
                elif not path.exists():
                    raise SystemExit(f"{path} bestaat niet: eerst --only sync")
                results.append(bench_database(label, f"sqlite:///{path}", base, secret, args,
                                              {} if "sync" in args.only else previous.get(label, {})))
            else:
                label, server = "PostgreSQL", PersistentPostgres(args.zaken)
                try:
                    url = server.database(fresh="sync" in args.only)
                    results.append(bench_database(label, url, base, secret, args,
                                                  {} if "sync" in args.only else previous.get(label, {})))
                finally:
                    server.stop()
            print(json.dumps(results[-1], default=str, indent=1), flush=True)
            kept = [r for n, r in previous.items() if n not in {r["database"] for r in results}]
            saved.write_text(json.dumps(results + kept, default=str))
    finally:
        mock.send_signal(signal.SIGTERM)
        mock.wait(30)
    table = render(results, args.zaken)
    print(table)
    if not args.no_write:
        with open(REPO / "bench" / "RESULTS.md", "a") as handle:
            handle.write(f"\n<!-- {datetime.now().isoformat(timespec='seconds')} -->\n" + table)


if __name__ == "__main__":
    main()
