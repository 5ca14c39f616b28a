"""Shared fixtures of the mock InProces tests: one generated mock for the read-only tests, helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from connectors.mock_inproces.testing import RunningMock, running_mock

PEILDATUM = date(2026, 11, 29)  # the recording date of the Open Zaak fixtures
SECRET = "mock-inproces-test-secret-0123456789abcdef"
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "openzaak"


@pytest.fixture(scope="package")
def mock() -> Iterator[RunningMock]:
    """Generated data, shared: tests using it must not change it (use `running_mock` for that)."""
    with running_mock(zaken=400, seed=42, peildatum=PEILDATUM, secret=SECRET) as running:
        yield running


def get(mock: RunningMock, path: str, params: dict[str, Any] | None = None, *, token: bool = True,
        crs: bool = True, headers: dict[str, str] | None = None) -> requests.Response:
    """GET an API path (relative to the mock's base URL, or absolute) with a valid JWT and Accept-Crs."""
    sent = mock.headers() if token else {}
    if not crs:
        sent.pop("Accept-Crs", None)
    sent.update(headers or {})
    url = path if path.startswith("http") else mock.base_url + path
    return requests.get(url, params=params, headers=sent, timeout=10)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def fixture_meta(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.meta.json").read_text())


def uuid_of(mock: RunningMock, scenario: str) -> str:
    found = mock.store.zaak_uuids(scenario, limit=1)
    assert found, f"no generated zaak with scenario {scenario}"
    return found[0]
