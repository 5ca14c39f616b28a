"""Fault injection: random and one-shot failures, slowness, truncated bodies, missing fields."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests

from connectors.mock_inproces.faults import Faults
from connectors.mock_inproces.testing import RunningMock, running_mock

from .conftest import PEILDATUM, SECRET, get

ZAKEN = "/zaken/api/v1/zaken"


@pytest.fixture
def small() -> Iterator[RunningMock]:
    with running_mock(zaken=40, peildatum=PEILDATUM, secret=SECRET) as mock:
        yield mock


@pytest.mark.parametrize(("status", "code"), [(500, "error"), (503, "service_unavailable"), (429, "throttled")])
def test_fail_next_fails_exactly_n_requests(small: RunningMock, status: int, code: str) -> None:
    small.store.set_faults(fail_next=2, fail_status=status)
    answers = [get(small, ZAKEN) for _ in range(3)]
    assert [r.status_code for r in answers] == [status, status, 200]
    assert answers[0].json()["code"] == code and answers[0].headers["Content-Type"] == "application/json"
    assert answers[0].headers.get("Retry-After") == ("1" if status in (429, 503) else None)


def test_fail_matching_hits_only_matching_requests_and_counts_down(small: RunningMock) -> None:
    small.store.set_faults(fail_matching={"pattern": r"/rollen\?.*page=2", "status": 503, "count": 1})
    assert get(small, "/zaken/api/v1/rollen", {"pageSize": 10, "page": 2}).status_code == 503
    assert get(small, "/zaken/api/v1/rollen", {"pageSize": 10}).status_code == 200
    assert get(small, "/zaken/api/v1/rollen", {"pageSize": 10, "page": 2}).status_code == 200
    small.store.set_faults(fail_matching=r"/catalogi/")  # no count: every time, with the current fail_status
    assert [get(small, "/catalogi/api/v1/zaaktypen").status_code for _ in range(2)] == [500, 500]
    small.store.set_faults(fail_matching=[])
    assert get(small, "/catalogi/api/v1/zaaktypen").status_code == 200


def test_fail_rate_is_random_but_reproducible() -> None:
    def outcomes() -> list[int | None]:
        faults = Faults(seed=3)
        faults.set(fail_rate=0.3, fail_status=503)
        return [faults.decide("/zaken/api/v1/zaken").status for _ in range(200)]

    first = outcomes()
    assert first == outcomes()
    assert 30 < first.count(503) < 90 and set(first) == {None, 503}


def test_truncated_bodies_are_cut_mid_json(small: RunningMock) -> None:
    small.store.set_faults(truncate_next=1)
    cut = get(small, ZAKEN)
    assert cut.status_code == 200 and int(cut.headers["Content-Length"]) == len(cut.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    assert get(small, ZAKEN).json()["count"] == 40
    small.store.set_faults(truncate_rate=1.0)
    with pytest.raises(json.JSONDecodeError):
        json.loads(get(small, "/catalogi/api/v1/zaaktypen").content)


def test_slow_responses(small: RunningMock) -> None:
    small.store.set_faults(slow_ms=300)
    started = time.monotonic()
    assert get(small, ZAKEN, {"pageSize": 1}).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_omit_a_required_field_from_the_next_list_page(small: RunningMock) -> None:
    small.store.set_faults(omit_field={"field": "identificatie", "path": ZAKEN})
    get(small, "/zaken/api/v1/rollen")  # another list: not affected
    page = get(small, ZAKEN, {"pageSize": 5}).json()["results"]
    assert "identificatie" not in page[0] and all("identificatie" in z for z in page[1:])
    assert all("identificatie" in z for z in get(small, ZAKEN, {"pageSize": 5}).json()["results"])


def test_faults_from_running_mock_keywords_and_over_http() -> None:
    with running_mock(zaken=20, peildatum=PEILDATUM, secret=SECRET, fail_next=1, fail_status=429) as mock:
        assert get(mock, ZAKEN).status_code == 429
        assert requests.get(f"{mock.base_url}/_mock/info", timeout=10).status_code == 200  # never faulted
        settings = requests.post(f"{mock.base_url}/_mock/faults", json={"fail_rate": 1, "fail_status": 503},
                                 timeout=10).json()
        assert settings["fail_rate"] == 1.0 and settings["fail_status"] == 503
        assert get(mock, ZAKEN).status_code == 503
        requests.post(f"{mock.base_url}/_mock/faults/clear", timeout=10)
        assert get(mock, ZAKEN).status_code == 200


@pytest.mark.parametrize("settings", [{"fail_status": 404}, {"fail_rate": 1.5}, {"truncate_rate": -0.1}])
def test_invalid_fault_settings_are_refused(settings: dict) -> None:
    with pytest.raises(ValueError):
        Faults().set(**settings)
