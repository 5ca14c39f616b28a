"""`python -m connectors.mock_inproces`: the mock InProces server for demos, tests and benchmarks."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .faults import FAIL_STATUSES, Faults
from .resources import CATALOGI_PREFIX, ZAKEN_PREFIX
from .server import serve
from .store import MockStore


def today() -> date:
    """Today in Europe/Amsterdam (all dates of the domain are calendar dates there)."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m connectors.mock_inproces", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="0: a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--zaken", type=int, default=5000, help="number of generated zaken")
    parser.add_argument("--peildatum", type=date.fromisoformat, default=None,
                        help="YYYY-MM-DD; generated dates are relative to it (default: today)")
    parser.add_argument("--data", type=Path, help="serve this dataset (JSON) instead of generated data")
    parser.add_argument("--db", type=Path, help="SQLite file (default: one per dataset in the temp dir)")
    parser.add_argument("--client-id", default=os.environ.get("MOCK_INPROCES_CLIENT_ID") or "duo-zaak")
    parser.add_argument("--secret", default=os.environ.get("MOCK_INPROCES_SECRET"),
                        help="JWT secret of the client (default: env MOCK_INPROCES_SECRET)")
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--fail-status", type=int, default=500, choices=FAIL_STATUSES)
    parser.add_argument("--slow-ms", type=int, default=0)
    parser.add_argument("--truncate-rate", type=float, default=0.0)
    parser.add_argument("--notificaties-backoff", type=float, default=1.0,
                        help="factor on the waits between retries of a failed notification (3, 6, 12, 24, 48 s)")
    return parser.parse_args(argv)


def open_store(args: argparse.Namespace) -> MockStore:
    folder = Path(tempfile.gettempdir()) / "duo-zaak-mock-inproces"
    if args.data is not None:
        data = json.loads(args.data.read_text(encoding="utf-8"))
        return MockStore.from_dataset(args.db or folder / f"data-{args.data.stem}.sqlite3", data)
    peildatum = args.peildatum or today()
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        print(f"  {done}/{total} zaken gegenereerd ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    path = args.db or folder / f"seed{args.seed}-zaken{args.zaken}.sqlite3"
    return MockStore.generated(path, seed=args.seed, zaken=args.zaken, peildatum=peildatum, progress=progress)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM (kill, a process manager) stops the server like Ctrl+C: connections are closed cleanly."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.secret:
        print("Mock InProces start niet: geen secret. Geef --secret of zet MOCK_INPROCES_SECRET.", file=sys.stderr)
        return 2
    faults = Faults()
    try:
        faults.set(fail_rate=args.fail_rate, fail_status=args.fail_status, slow_ms=args.slow_ms,
                   truncate_rate=args.truncate_rate)
    except ValueError as error:
        print(f"Mock InProces start niet: {error}", file=sys.stderr)
        return 2
    store = open_store(args)
    store.faults = faults
    store.notificaties.configure(backoff_factor=args.notificaties_backoff)
    server = serve(store, {args.client_id: args.secret}, args.host, args.port)
    base = store.base_url
    meta = store.meta()
    print(f"Mock InProces draait op {base} ({store.count_zaken()} zaken, bron {meta.get('bron')}, "
          f"db {store.db.path})", flush=True)
    print(f"  Zaken API:    {base}{ZAKEN_PREFIX}\n  Catalogi API: {base}{CATALOGI_PREFIX}\n"
          f"  Notificaties: {base}/notificaties/api/v1\n"
          f"  client_id:    {args.client_id}\n  besturing:    {base}/_mock/info", flush=True)
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()
    return 0
