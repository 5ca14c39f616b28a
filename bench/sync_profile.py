"""Where a full sync spends its time: a table per database of the sync process's CPU by kind of work.

    python -m bench.sync_profile --zaken 100000                  (SQLite and PostgreSQL)
    python -m bench.sync_profile --zaken 100000 --databases sqlite --repeat 3

Per database, on a fresh mirror each time:
  1. the bare download (plain requests + JSON decode of the pages a full sync fetches), wall and CPU seconds;
  2. `flask sync --full` as a child process without profiler: wall, CPU (user+sys from wait4) and peak RSS;
     the ratio full sync / bare download is the one bench/run.py reports;
  3. the same full sync under cProfile with a per-thread CPU clock (time.thread_time) in every thread (the
     read-ahead thread that fetches and parses pages, and the main thread that writes them). Each function's own
     time goes to a kind of work by its module; builtins and shared helpers (str methods, datetime, durations)
     go to the kinds of their callers, in proportion. The profiler slows small calls down, so the table shows
     shares; "CPU s (geschaald)" spreads the unprofiled CPU seconds by those shares.

The mock InProces server runs in its own process (one of the 2 cores); what counts is the sync's own CPU.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.run import DATA, PY, REPO, app_env, bare_download, start_mock

WAIT = "wachtrij: schrijver wacht op pagina / lezer op schrijver"
# (kind, test on the function key's file name and function name); the first that matches wins.
KINDS: list[tuple[str, object]] = [
    ("HTTP (requests, urllib3, sockets)", lambda f, n: any(p in f for p in (
        "/requests/", "/urllib3/", "http/client.py", "/socket.py", "/email/", "/ssl.py", "/idna/",
        "/charset_normalizer/"))
        or n.startswith(("<method 'recv_into' of '_socket", "<method 'sendall' of '_socket", "<method 'connect'",
                         "<method 'readinto' of '_io.BufferedReader"))),
    ("JWT per request", lambda f, n: "zgw/jwt.py" in f or f.endswith(("/hmac.py", "/base64.py"))),
    ("JSON decode", lambda f, n: "/json/" in f or "msgspec" in f or "msgspec" in n or "_json" in n
        or "orjson" in n),
    ("records parsen (connectors/zgw/records, quick)", lambda f, n: any(
        part in f for part in ("zgw/records.py", "zgw/quick.py", "zgw/client.py"))),
    ("afleiden (termijnen, taken)", lambda f, n: "duo_zaak/rules/" in f or n in ("derive", "derive_row")),
    ("hashen", lambda f, n: n in ("content_hash", "rollen_hash") or "_hashlib" in n or "hexdigest" in n),
    ("commit", lambda f, n: "'commit' of" in n or (n == "commit" and "/psycopg/" in f) or n == "do_commit"),
    ("driver: execute / COPY / fetch", lambda f, n: "/psycopg" in f or "sqlite3" in n or "psycopg" in n
        or n in ("do_execute", "do_executemany", "do_execute_no_params")
        or ("sqlalchemy/engine/cursor.py" in f and n.startswith("fetch"))),
    ("parameters omzetten (db.bulk_insert)", lambda f, n: f.endswith("duo_zaak/db.py")),
    ("SQLAlchemy (statements, parameters, results)", lambda f, n: "/sqlalchemy/" in f or "flask_sqlalchemy" in f),
    ("archieftaken (tasks/lifecycle)", lambda f, n: "duo_zaak/tasks/" in f),
    ("sync-logica (upsert, staging, ids)", lambda f, n: "duo_zaak/sync/" in f and "prefetch.py" not in f),
    (WAIT, lambda f, n: "prefetch.py" in f or f.endswith(("/queue.py", "/threading.py")) or "_thread.lock" in n),
]
# Files whose time belongs to whoever called them (standard library helpers, our value types).
SHARED = ("~", "/datetime.py", "/_strptime.py", "zgw/durations.py", "/calendar.py", "/enum.py", "/typing.py",
          "/dataclasses.py", "/functools.py", "/abc.py", "/re/", "/copy.py", "/contextlib.py", "/weakref.py",
          "/_weakrefset.py", "<string>", "/collections/")
OTHER = "overig (opstart, catalogus, volledigheid)"


def own_kind(key: tuple[str, int, str]) -> str | None:
    """The kind of a function by itself; None when its time belongs to its callers."""
    filename, _, name = key
    for kind, test in KINDS:
        if test(filename, name):  # type: ignore[operator]
            return kind
    if filename == "~" or any(part in filename for part in SHARED):
        return None
    return OTHER


def by_kind(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of own time per kind; shared functions split over their callers' kinds by the callers' share."""
    table = stats.stats  # type: ignore[attr-defined]
    memo: dict[tuple, dict[str, float]] = {}

    def shares(key: tuple, visiting: frozenset) -> dict[str, float]:
        if key in memo:
            return memo[key]
        kind = own_kind(key)
        if kind is not None:
            return {kind: 1.0}
        callers = table.get(key, (0, 0, 0, 0, {}))[4]
        weights = {caller: (edge[2] + edge[3]) or edge[1] for caller, edge in callers.items() if caller not in visiting}
        total = sum(weights.values())
        if not total:
            result = {OTHER: 1.0}
        else:
            result = defaultdict(float)
            for caller, weight in weights.items():
                for sub, share in shares(caller, visiting | {key}).items():
                    result[sub] += share * weight / total
        memo[key] = dict(result)
        return memo[key]

    seconds: dict[str, float] = defaultdict(float)
    for key, (_, _, own, _, _) in table.items():
        for kind, share in shares(key, frozenset()).items():
            seconds[kind] += own * share
    return seconds


FRAME = re.compile(r"^(.*) \((.*):(\d+)\)$")


def by_kind_sampled(path: str, rate: int) -> dict[str, dict[str, float]]:
    """Seconds per kind and thread role from py-spy's raw output (`--idle --threads`: every sample of every
    thread, so the main thread's seconds add up to the run's wall time). A sample goes to the innermost frame
    that has a kind of its own."""
    kinds: dict[str, dict[str, float]] = {}
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        role = "hoofd" if frames[0].endswith("MainThread") else "lezer"
        kind = OTHER
        for frame in reversed(frames[1:]):
            match = FRAME.match(frame)
            if match is None:
                continue
            found = own_kind(("/" + match.group(2), int(match.group(3)), match.group(1)))
            if found is not None:
                kind = found
                break
        kinds.setdefault(kind, defaultdict(float))[role] += int(count) / rate
    return kinds


def child(out: str) -> None:
    """Run one full sync in this process under a per-thread CPU profiler; write the merged stats to `out`."""
    from duo_zaak import create_app

    profiles: list[tuple[str, cProfile.Profile, float]] = []
    original_run = threading.Thread.run

    def profiled_run(thread: threading.Thread) -> None:
        profile = cProfile.Profile(time.thread_time)
        started = time.perf_counter()
        profile.enable()
        try:
            original_run(thread)
        finally:
            profile.disable()
            profiles.append(("lezer", profile, time.perf_counter() - started))

    threading.Thread.run = profiled_run  # type: ignore[method-assign]
    app = create_app()
    with app.app_context():
        from duo_zaak.commands.sync import sync_once

        profile = cProfile.Profile(time.thread_time)
        started = time.perf_counter()
        profile.enable()
        run = sync_once(True)
        profile.disable()
        profiles.append(("hoofd", profile, time.perf_counter() - started))
        print(f"run {run.uitkomst} {run.nieuw} nieuw", file=sys.stderr)
    for index, (role, prof, wall) in enumerate(profiles):
        prof.dump_stats(f"{out}.{role}.{index}")
        Path(f"{out}.{role}.{index}.wall").write_text(str(wall))


def timed(args: list[str], env: dict[str, str], check: bool = True) -> dict[str, float]:
    """Wall, CPU (user+sys) and peak RSS of a child process, from wait4."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if check and os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} faalde: {err.read()[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime, "sys": usage.ru_stime,
            "rss": usage.ru_maxrss / 1024}


def fresh_database(name: str, server: object | None) -> str:
    if name == "sqlite":
        path = DATA / f"profile-{os.getpid()}.db"
        for suffix in ("", "-wal", "-shm", ".sync.lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return server.create_database()  # type: ignore[union-attr]


def migrate(env: dict[str, str]) -> None:
    subprocess.run([PY, "-m", "flask", "db", "upgrade"], env=env, cwd=REPO, check=True, capture_output=True)


def sampled_profile(env: dict[str, str], py_spy: str, rate: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        out = f"{folder}/sync.txt"
        usage = timed([py_spy, "record", "-r", str(rate), "--idle", "--threads", "--format", "raw", "-o", out, "--",
                       PY, "-m", "flask", "sync", "--full"], env, check=False)  # py-spy 0.4.1 may lose the wait race
        kinds = by_kind_sampled(out, rate)
        if os.environ.get("SYNC_PROFILE_KEEP"):  # the raw stacks, for a closer look (flamegraph.pl reads them)
            Path(out).replace(os.environ["SYNC_PROFILE_KEEP"] + f".{env['DATABASE_URL'].split(':')[0]}.txt")
    walls = {role: sum(v.get(role, 0) for v in kinds.values()) for role in ("hoofd", "lezer")}
    return {"kinds": kinds, "walls": walls, "usage": usage, "sampler": f"py-spy {rate} Hz, --idle: wall per thread"}


def profile_database(name: str, server: object | None, base: str, secret: str, repeat: int,
                     profile: bool, py_spy: str | None = None, rate: int = 200) -> dict[str, object]:
    result: dict[str, object] = {"database": name, "bare": [], "full": []}
    for _ in range(repeat):
        cpu0 = time.process_time()
        wall, pages = bare_download(base, secret)
        result["bare"].append({"wall": wall, "cpu": time.process_time() - cpu0, "pages": pages})  # type: ignore
        env = app_env(fresh_database(name, server), base, secret)
        migrate(env)
        result["full"].append(timed([PY, "-m", "flask", "sync", "--full"], env))  # type: ignore[union-attr]
    if profile and py_spy:
        env = app_env(fresh_database(name, server), base, secret)
        migrate(env)
        result["profile"] = sampled_profile(env, py_spy, rate)
    elif profile:
        env = app_env(fresh_database(name, server), base, secret)
        migrate(env)
        with tempfile.TemporaryDirectory() as folder:
            out = f"{folder}/sync.prof"
            usage = timed([PY, "-m", "bench.sync_profile", "--child", out], env)
            kinds: dict[str, dict[str, float]] = {}
            walls: dict[str, float] = defaultdict(float)
            for path in sorted(Path(folder).glob("sync.prof.*")):
                if path.suffix == ".wall":
                    continue
                role = path.name.split(".")[2]
                for kind, seconds in by_kind(pstats.Stats(str(path))).items():
                    kinds.setdefault(kind, defaultdict(float))[role] += seconds
                walls[role] += float(Path(f"{path}.wall").read_text())
            result["profile"] = {"kinds": kinds, "walls": dict(walls), "usage": usage,
                                 "sampler": "cProfile, CPU-klok per thread"}
    for suffix in ("", "-wal", "-shm", ".sync.lock"):
        Path(f"{DATA / f'profile-{os.getpid()}.db'}{suffix}").unlink(missing_ok=True)
    return result


def render(result: dict[str, object]) -> str:
    bare, full = result["bare"], result["full"]
    lines = [f"### {result['database']}", "",
             "| meting | " + " | ".join(f"run {i + 1}" for i in range(len(full))) + " |",  # type: ignore[arg-type]
             "|---|" + "---|" * len(full)]  # type: ignore[arg-type]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row("bare download: wall s / CPU s / pagina's", [f"{b['wall']:.1f} / {b['cpu']:.1f} / {b['pages']}" for b in bare])
    row("volledige sync: wall s", [f"{f['wall']:.1f}" for f in full])
    row("volledige sync: CPU s (user + sys)", [f"{f['cpu']:.1f} ({f['user']:.1f} + {f['sys']:.1f})" for f in full])
    row("volledige sync: piek-RSS MB", [f"{f['rss']:.0f}" for f in full])
    row("volledige sync / bare download (wall)",
        [f"{f['wall'] / b['wall']:.2f}" for f, b in zip(full, bare, strict=True)])
    profile = result.get("profile")
    if profile:
        kinds, walls, usage = profile["kinds"], profile["walls"], profile["usage"]  # type: ignore[index]
        total = sum(sum(v.values()) for v in kinds.values())
        cpu = min(f["cpu"] for f in full)  # type: ignore[union-attr]
        if "py-spy" in profile["sampler"]:  # type: ignore[index]
            return "\n".join(lines + ["", render_sampled(kinds, walls, usage, profile["sampler"])]) + "\n"
        lines += ["", f"Profiel ({profile['sampler']}; geprofileerde run {usage['wall']:.1f} s wall, "
                      f"{usage['cpu']:.1f} s CPU; hoofdthread {walls.get('hoofd', 0):.1f} s wall, lezer-threads "
                      f"{walls.get('lezer', 0):.1f} s wall). Geschaald naar {cpu:.1f} CPU s van de snelste run zonder "
                      "profiler.", "",
                  "| soort werk | hoofdthread (schrijven) s | lezer-thread (ophalen) s | aandeel | CPU s (geschaald) |",
                  "|---|---|---|---|---|"]
        for kind, seconds in sorted(kinds.items(), key=lambda item: -sum(item[1].values())):
            own = sum(seconds.values())
            lines.append(f"| {kind} | {seconds.get('hoofd', 0):.1f} | {seconds.get('lezer', 0):.1f} | "
                         f"{100 * own / total:.1f}% | {cpu * own / total:.1f} |")
        main_total = sum(v.get("hoofd", 0) for v in kinds.values())
        reader_total = sum(v.get("lezer", 0) for v in kinds.values())
        lines.append(f"| **totaal** | {main_total:.1f} | {reader_total:.1f} | 100% | {cpu:.1f} |")
    return "\n".join(lines) + "\n"


def render_sampled(kinds: dict[str, dict[str, float]], walls: dict[str, float], usage: dict[str, float],
                   sampler: str) -> str:
    lines = [f"Profiel ({sampler}; geprofileerde run {usage['wall']:.1f} s wall). Per thread de seconden wall per "
             "soort werk: de hoofdthread schrijft (zijn totaal is de duur van de run), de lezer haalt en parst de "
             "volgende pagina's; wachten op de GIL telt bij de regel waar de thread staat.", "",
             "| soort werk | hoofdthread (schrijven) s | aandeel | lezer-thread (ophalen) s | aandeel |",
             "|---|---|---|---|---|"]
    main, reader = walls.get("hoofd", 0) or 1, walls.get("lezer", 0) or 1
    for kind, seconds in sorted(kinds.items(), key=lambda item: -item[1].get("hoofd", 0)):
        lines.append(f"| {kind} | {seconds.get('hoofd', 0):.1f} | {100 * seconds.get('hoofd', 0) / main:.0f}% | "
                     f"{seconds.get('lezer', 0):.1f} | {100 * seconds.get('lezer', 0) / reader:.0f}% |")
    lines.append(f"| **totaal** | {walls.get('hoofd', 0):.1f} | 100% | {walls.get('lezer', 0):.1f} | 100% |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zaken", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=1, help="unprofiled full syncs per database")
    parser.add_argument("--no-profile", action="store_true", help="only the timings, no cProfile run")
    parser.add_argument("--mock", help="base URL of a running mock (with --secret); default: start one")
    parser.add_argument("--secret", help="the running mock's secret")
    parser.add_argument("--py-spy", help="path of a py-spy binary: sample wall time per thread instead of cProfile")
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    secret = args.secret or secrets.token_urlsafe(32)
    mock, base = (None, args.mock.rstrip("/")) if args.mock else start_mock(args.zaken, secret)
    out = []
    try:
        for name in args.databases.split(","):
            server = None
            if name == "postgresql":
                sys.path.insert(0, str(REPO))
                from tests import postgres

                server = postgres.start()
            try:
                out.append(render(profile_database(name, server, base, secret, args.repeat, not args.no_profile,
                                                  args.py_spy, args.rate)))
                print(out[-1], flush=True)
            finally:
                if server is not None:
                    server.stop()
    finally:
        if mock is not None:
            mock.send_signal(signal.SIGTERM)
            mock.wait(30)
    print(f"## Volledige sync, {args.zaken:,} zaken — {time.strftime('%Y-%m-%d')} — {os.cpu_count()} cores\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
