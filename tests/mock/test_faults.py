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


@pytest.mark.parametrize(("status", "retry_after", "header"), [(429, 0, "0"), (503, 3, "3"), (429, None, None),
                                                              (500, 2, None)])
def test_retry_after_is_configurable(small: RunningMock, status: int, retry_after: int | None,
                                     header: str | None) -> None:
    small.store.set_faults(fail_next=1, fail_status=status, retry_after=retry_after)
    answer = get(small, ZAKEN)
    assert answer.status_code == status and answer.headers.get("Retry-After") == header
    small.store.faults.clear()
    assert small.store.faults.settings()["retry_after"] == 1


def test_slow_next_delays_only_the_next_requests(small: RunningMock) -> None:
    small.store.set_faults(slow_next=1, slow_next_ms=400)
    assert small.store.faults.settings()["slow_next"] == 1
    durations = []
    for _ in range(2):
        started = time.monotonic()
        assert get(small, ZAKEN, {"pageSize": 1}).status_code == 200
        durations.append(time.monotonic() - started)
    assert durations[0] >= 0.4 > durations[1]
    with pytest.raises(requests.exceptions.ReadTimeout):  # what a client with a short read timeout sees
        small.store.set_faults(slow_next=1, slow_next_ms=500)
        requests.get(small.base_url + ZAKEN, headers=small.headers(), timeout=(5, 0.2))


def test_drop_next_cuts_the_connection_halfway_through_the_body(small: RunningMock) -> None:
    small.store.set_faults(drop_next=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError, match="IncompleteRead"):
        get(small, ZAKEN)
    assert get(small, ZAKEN).json()["count"] == 40
    small.store.set_faults(fail_next=1, drop_next=1)  # a failing request does not use up the drop
    assert get(small, ZAKEN).status_code == 500
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(small, ZAKEN)


def test_restart_refuses_connections_while_down_and_keeps_data_and_port(small: RunningMock) -> None:
    base = small.base_url
    small.store.destroy_zaak(small.store.zaak_uuids(limit=1)[0])
    small.store.set_faults(slow_ms=2000)
    cut: list[BaseException] = []

    def slow_request() -> None:
        try:
            get(small, ZAKEN)
        except requests.RequestException as exc:
            cut.append(exc)

    import threading

    thread = threading.Thread(target=slow_request)
    thread.start()
    time.sleep(0.3)  # the request is being answered (slowly)
    assert small.stop() == 1  # its connection is cut, like a killed process's
    thread.join(5)
    assert len(cut) == 1 and isinstance(cut[0], requests.ConnectionError)
    with pytest.raises(requests.ConnectionError):
        get(small, ZAKEN)
    small.store.faults.clear()
    small.start()
    assert small.base_url == base and small.running
    assert get(small, ZAKEN).json()["count"] == 39  # the same store
    started = time.monotonic()
    small.restart(down_seconds=0.2)
    assert time.monotonic() - started >= 0.2 and get(small, ZAKEN).status_code == 200


def test_invalid_retry_after_is_refused() -> None:
    with pytest.raises(ValueError, match="retry_after"):
        Faults().set(retry_after=-1)


def test_rules_slow_truncate_drop_or_call_on_exactly_the_matching_requests(small: RunningMock) -> None:
    page2 = r"/zaken/api/v1/zaken\?.*\bpage=2(&|$)"
    calls: list[str] = []
    small.store.set_faults(fail_matching=[
        {"pattern": page2, "fault": "call", "call": lambda: calls.append("page 2"), "count": 1},
        {"pattern": page2, "fault": "slow", "ms": 300, "count": 1},
        {"pattern": page2, "fault": "truncate", "count": 1},
        {"pattern": page2, "fault": "drop", "count": 1},
    ])
    assert get(small, ZAKEN, {"pageSize": 10}).json()["count"] == 40 and calls == []  # page 1: untouched
    started = time.monotonic()
    cut = get(small, ZAKEN, {"pageSize": 10, "page": 2})
    assert time.monotonic() - started >= 0.3 and calls == ["page 2"]
    with pytest.raises(json.JSONDecodeError):  # truncate wins over drop; drop waits for the next one
        json.loads(cut.content)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(small, ZAKEN, {"pageSize": 10, "page": 2})
    assert len(get(small, ZAKEN, {"pageSize": 10, "page": 2}).json()["results"]) == 10
    assert [r["count"] for r in small.store.faults.settings()["fail_matching"]] == [0, 0, 0, 0]


def test_a_failing_request_does_not_use_up_a_truncate_or_drop_rule(small: RunningMock) -> None:
    small.store.set_faults(fail_matching=[{"pattern": "/zaken/api/v1/zaken", "status": 503, "count": 1},
                                          {"pattern": "/zaken/api/v1/zaken", "fault": "drop", "count": 1}])
    assert get(small, ZAKEN).status_code == 503
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(small, ZAKEN)
    assert get(small, ZAKEN).status_code == 200


def test_omit_field_on_the_page_matching_a_pattern(small: RunningMock) -> None:
    small.store.set_faults(omit_field={"field": "startdatum", "pattern": r"[?&]page=3(&|$)", "pages": 1})
    assert all("startdatum" in z for z in get(small, ZAKEN, {"pageSize": 5, "page": 2}).json()["results"])
    page3 = get(small, ZAKEN, {"pageSize": 5, "page": 3}).json()["results"]
    assert "startdatum" not in page3[0] and all("startdatum" in z for z in page3[1:])


@pytest.mark.parametrize("rule", [{"pattern": "x", "fault": "explode"}, {"pattern": "x", "fault": "call"},
                                  {"pattern": "x", "call": print}])
def test_invalid_rules_are_refused(rule: dict) -> None:
    with pytest.raises(ValueError):
        Faults().set(fail_matching=rule)


def test_a_page_that_disappears_answers_like_open_zaak(small: RunningMock) -> None:
    """Zaken destroyed between two pages: the `next` link of page 1 points past the end."""
    from .conftest import fixture, fixture_meta

    page1 = get(small, ZAKEN, {"pageSize": 10}).json()
    for uuid in small.store.zaak_uuids()[10:]:
        small.store.destroy_zaak(uuid)
    gone = get(small, page1["next"])
    recorded, meta = fixture("zaken_list_page_out_of_range"), fixture_meta("zaken_list_page_out_of_range")
    assert gone.status_code == meta["response"]["status"] == 404
    body = gone.json()
    assert set(body) == set(recorded)
    assert {k: body[k] for k in ("code", "title", "status", "detail")} == \
        {k: recorded[k] for k in ("code", "title", "status", "detail")}
    assert body["type"] == f"{small.base_url}/ref/fouten/NotFound/"
    for header in ("Content-Type", "API-version", "Content-Crs", "Allow", "Vary"):
        assert gone.headers[header] == meta["response"]["headers"][header]
