"""`python -m connectors.mock_inproces` as a subprocess: start, serve, control over HTTP, refuse without secret."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from connectors.mock_inproces.testing import make_token

from .test_dataset import _dataset

REPO = Path(__file__).resolve().parents[2]
SECRET = "cli-test-secret-0123456789abcdef0123456789"


@contextmanager
def _started(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen([sys.executable, "-m", "connectors.mock_inproces", "--port", "0", *args],
                               cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline() if process.stdout else ""
        assert first.startswith("Mock InProces draait op http://127.0.0.1:"), (first, process.stderr.read())
        yield first.split()[4], process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _headers(client_id: str = "duo-zaak") -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(client_id, SECRET)}", "Accept-Crs": "EPSG:4326"}


def test_generated_data_with_faults_and_control_over_http(tmp_path: Path) -> None:
    db = tmp_path / "mock.sqlite3"
    args = ("--zaken", "60", "--seed", "5", "--peildatum", "2026-11-29", "--db", str(db), "--fail-rate", "0")
    with _started(*args, "--fail-status", "503", env={"MOCK_INPROCES_SECRET": SECRET}) as (base, process):
        listed = requests.get(f"{base}/zaken/api/v1/zaken", headers=_headers(), timeout=10).json()
        assert listed["count"] == 60 and listed["results"][0]["url"].startswith(base)
        requests.post(f"{base}/_mock/faults", json={"fail_next": 1}, timeout=10)
        assert requests.get(f"{base}/zaken/api/v1/zaken", headers=_headers(), timeout=10).status_code == 503
        info = requests.get(f"{base}/_mock/info", timeout=10).json()
        assert info["meta"]["seed"] == "5" and info["faults"]["fail_status"] == 503
    assert db.exists()


def test_a_dataset_file_and_a_client_id_from_the_environment(tmp_path: Path) -> None:
    data = tmp_path / "dataset.json"
    data.write_text(json.dumps(_dataset()))
    env = {"MOCK_INPROCES_CLIENT_ID": "ander-client", "MOCK_INPROCES_SECRET": "wordt-overschreven"}
    with _started("--data", str(data), "--db", str(tmp_path / "d.sqlite3"), "--secret", SECRET, env=env) as (base, _):
        assert requests.get(f"{base}/zaken/api/v1/zaken", headers=_headers(), timeout=10).status_code == 403
        listed = requests.get(f"{base}/zaken/api/v1/zaken", headers=_headers("ander-client"), timeout=10).json()
        assert listed["count"] == 2 and "inproces.test" not in json.dumps(listed)


def test_no_start_without_a_secret() -> None:
    env = {key: value for key, value in os.environ.items() if key != "MOCK_INPROCES_SECRET"}
    done = subprocess.run([sys.executable, "-m", "connectors.mock_inproces", "--port", "0"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "geen secret" in done.stderr and "MOCK_INPROCES_SECRET" in done.stderr
