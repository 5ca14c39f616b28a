"""Benchmarks at scale: sync and pages on SQLite and PostgreSQL; prints a table and writes bench/RESULTS.md.

    python -m bench.run --zaken 1000000     (make bench)
    python -m bench.run --zaken 100000      (make bench-quick)

Measures, per database: a bare download of the pages a full sync fetches (plain requests + JSON decode,
no database) and the full sync itself (wall time, requests, peak RSS of the sync process, ratio to the bare
download); an incremental run with nothing changed and with 1% of the active set changed; p50/p95 of the
pages and their API twins over N requests through gunicorn (the real WSGI stack), with the ratio to the bare
query function behind each page; the web worker's RSS after the page runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bench" / "data"
PY = sys.executable
CLIENT_ID = "duo-zaak-bench"
PAGES = [
    ("/achterstand", "/api/v1/backlog"),
    ("/achterstand/zaken", None),
    ("/achterstand/zaken?toestand=termijn_overschreden&sort=dagen_over_termijn&richting=desc", None),
    ("/archief", "/api/v1/archief"),
    ("/ranglijst", "/api/v1/ranglijst"),
    ("/ibt", "/api/v1/indicatoren"),
]


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


def start_mock(zaken: int, secret: str) -> tuple[subprocess.Popen, str]:
    DATA.mkdir(parents=True, exist_ok=True)
    port = free_port()
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


def page_timings(env: dict[str, str], runs: int) -> tuple[list[dict[str, object]], int]:
    port = free_port()
    gunicorn = subprocess.Popen([str(Path(PY).parent / "gunicorn"), "--workers", "1", "--bind",
                                 f"127.0.0.1:{port}", "app:app"], env=env, cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/healthz", 60)
        session = requests.Session()
        login = session.get(base + "/login")
        token = login.text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        session.post(base + "/login", data={"gebruikersnaam": "bench", "wachtwoord": "bench-wachtwoord-123",
                                            "csrf_token": token})
        rows = []
        for page, api in PAGES:
            for path in filter(None, (page, api)):
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = session.get(base + path, timeout=120)
                    times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise RuntimeError(f"{path}: {response.status_code}")
                cold = times[0]  # the first request after the sync fills the figures cache
                times.sort()
                rows.append({"pagina": path, "p50": statistics.median(times),
                             "p95": times[int(0.95 * (len(times) - 1))], "koud": cold})
        worker_rss = _worker_rss(gunicorn.pid)
        return rows, worker_rss
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(30)


def _page_of_api(path: str) -> str | None:
    return next((page for page, api in PAGES if api == path), None)


def _worker_rss(master: int) -> int:
    out = subprocess.run(["ps", "-o", "pid=,ppid=,rss="], capture_output=True, text=True).stdout
    children = [int(rss) for pid, ppid, rss in (line.split() for line in out.splitlines()) if int(ppid) == master]
    return max(children, default=0) // 1024


def bench_database(name: str, database_url: str, base: str, secret: str, runs: int) -> dict[str, object]:
    env = app_env(database_url, base, secret)
    subprocess.run([PY, "-m", "flask", "db", "upgrade"], env=env, cwd=REPO, check=True, capture_output=True)
    subprocess.run([PY, "-m", "flask", "users", "create", "bench", "--rol", "beheerder", "--wachtwoord",
                    "bench-wachtwoord-123"], env=env, cwd=REPO, capture_output=True)
    result: dict[str, object] = {"database": name}
    bare_s, bare_pages = bare_download(base, secret)
    result["bare"] = {"seconden": bare_s, "paginas": bare_pages}
    full_s, full_rss, _ = timed_command([PY, "-m", "flask", "sync", "--full"], env)
    result["full"] = {"seconden": full_s, "rss_mb": full_rss, **last_run(env), "ratio": full_s / bare_s}
    inc_s, _, _ = timed_command([PY, "-m", "flask", "sync"], env)
    result["incremental_unchanged"] = {"seconden": inc_s, **last_run(env)}
    changed = change_active(base, secret, 0.01)
    inc2_s, _, _ = timed_command([PY, "-m", "flask", "sync"], env)
    result["incremental_1pct"] = {"seconden": inc2_s, "bron_gewijzigd": changed, **last_run(env)}
    subprocess.run([PY, "-m", "flask", "tasks", "refresh"], env=env, cwd=REPO, check=True, capture_output=True)
    subprocess.run([PY, "-m", "flask", "snapshot"], env=env, cwd=REPO, check=True, capture_output=True)
    pages, worker_rss = page_timings(env, runs)
    bare = json.loads(subprocess.run([PY, "-m", "bench.aggregates", "5"], env=env, cwd=REPO, check=True,
                                     capture_output=True, text=True).stdout.strip().splitlines()[-1])
    for page in pages:
        page["kaal"] = bare.get(page["pagina"]) or bare.get(_page_of_api(page["pagina"]))
    result["pages"] = pages
    result["worker_rss_mb"] = worker_rss
    return result


def render(results: list[dict[str, object]], zaken: int) -> str:
    lines = [f"## {zaken:,} zaken — {date.today().isoformat()} — {os.cpu_count()} cores, "
             f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
             f"{platform.python_implementation()} {platform.python_version()}", ""]
    lines += ["| meting | " + " | ".join(str(r["database"]) for r in results) + " | doel |",
              "|---|" + "---|" * len(results) + "---|"]

    def row(label: str, fn, target: str) -> None:  # type: ignore[no-untyped-def]
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + f" | {target} |")

    row("bare download (s / pagina's)", lambda r: f"{r['bare']['seconden']:.1f} / {r['bare']['paginas']}", "")
    row("volledige sync (s)", lambda r: f"{r['full']['seconden']:.1f}", "< 600")
    row("volledige sync / bare download", lambda r: f"{r['full']['ratio']:.2f}", "<= 1,5")
    row("volledige sync verzoeken", lambda r: str(r["full"]["verzoeken"]), "")
    row("volledige sync piek-RSS (MB)", lambda r: str(r["full"]["rss_mb"]), "<= 300")
    row("incrementeel, niets gewijzigd (s / verzoeken)",
        lambda r: f"{r['incremental_unchanged']['seconden']:.1f} / {r['incremental_unchanged']['verzoeken']}", "< 60")
    row("incrementeel, 1% gewijzigd (s / verzoeken)",
        lambda r: f"{r['incremental_1pct']['seconden']:.1f} / {r['incremental_1pct']['verzoeken']}", "")
    for index, page in enumerate(results[0]["pages"]):  # type: ignore[arg-type]
        row(f"{page['pagina']} p50 / p95 (ms)",
            lambda r, i=index: f"{r['pages'][i]['p50']:.0f} / {r['pages'][i]['p95']:.0f}", "p95 <= 200")
    for index, page in enumerate(results[0]["pages"]):  # type: ignore[arg-type]
        row(f"{page['pagina']} eerste verzoek / kale query (ms) / p50 ÷ kaal",
            lambda r, i=index: f"{r['pages'][i]['koud']:.0f} / {r['pages'][i]['kaal']:.0f} / "
                               f"{r['pages'][i]['p50'] / r['pages'][i]['kaal']:.2f}", "")
    row("web worker RSS (MB)", lambda r: str(r["worker_rss_mb"]), "<= 250")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--zaken", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    secret = secrets.token_urlsafe(32)
    mock, base = start_mock(args.zaken, secret)
    results = []
    try:
        for name in args.databases.split(","):
            if name == "sqlite":
                path = DATA / f"bench-{args.zaken}.db"
                path.unlink(missing_ok=True)
                results.append(bench_database("SQLite", f"sqlite:///{path}", base, secret, args.runs))
            else:
                sys.path.insert(0, str(REPO))
                from tests import postgres

                server = postgres.start()
                try:
                    results.append(bench_database("PostgreSQL", server.create_database(), base, secret, args.runs))
                finally:
                    server.stop()
            print(json.dumps(results[-1], default=str, indent=1))
    finally:
        mock.send_signal(signal.SIGTERM)
        mock.wait(30)
    table = render(results, args.zaken)
    print(table)
    with open(REPO / "bench" / "RESULTS.md", "a") as handle:
        handle.write(f"\n<!-- {datetime.now().isoformat(timespec='seconds')} -->\n" + table)


if __name__ == "__main__":
    main()
