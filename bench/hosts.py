"""Do two hosts answer the same figures? A checker for `make load` (bench/load.py).

Two gunicorn instances ("host A" and "host B", each its own workers and figures) serve one PostgreSQL database.
While the load runs (reads, a sync, PiA users marking), the checker fetches each figure endpoint from both
hosts, back to back: first A, B, A, the next round B, A, B. A sync or a mark may commit between two fetches, so
a difference alone proves nothing. The rule: a round is a disagreement when the middle answer differs from both
outer answers (the same figures asked of the same host just before and just after). If the outer two are equal
the data did not move in that window and the middle host answered something else; if they differ, the middle
host matched neither the state before nor the state after. (Two commits inside one round, some 50 ms, could
still make a consistent middle answer look different; the report counts how often the outer two differed, so
such a case can be told apart.)

Fields that only say when the response itself was made are left out of the comparison (RESPONSE_TIME_FIELDS;
the documents have none today): what is compared is the figures.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

CHECKS = ["/api/v1/backlog", "/api/v1/archief", "/api/v1/indicatoren", "/api/v1/ranglijst", "/api/v1/kwaliteit"]
RESPONSE_TIME_FIELDS = frozenset({"gegenereerd_op", "opgevraagd_op", "tijdstip"})
TIMEOUT = 60


def figures(body: Any) -> Any:
    """The document without the response-time fields, at any depth."""
    if isinstance(body, dict):
        return {k: figures(v) for k, v in body.items() if k not in RESPONSE_TIME_FIELDS}
    if isinstance(body, list):
        return [figures(v) for v in body]
    return body


def first_difference(a: Any, b: Any, path: str = "") -> str:
    """Where two documents first differ, as a short path with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{path}[{index}]")
    return f"{path or '.'}: {json.dumps(a)[:60]} / {json.dumps(b)[:60]}"


@dataclass
class CheckResult:
    rounds: Counter[str] = field(default_factory=Counter)  # per endpoint
    disagreements: Counter[str] = field(default_factory=Counter)
    moved: Counter[str] = field(default_factory=Counter)  # outer two differed (data moved); middle matched one
    stable: Counter[str] = field(default_factory=Counter)  # disagreements with the outer two equal
    errors: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    @property
    def total_disagreements(self) -> int:
        return sum(self.disagreements.values())


class Checker:
    """Compares the hosts every `interval` seconds until `running()` is false."""

    def __init__(self, hosts: dict[str, tuple[requests.Session, str]], running: Callable[[], bool],
                 interval: float = 0.5) -> None:
        (self.name_a, self.host_a), (self.name_b, self.host_b) = hosts.items()
        self.running = running
        self.interval = interval
        self.result = CheckResult()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def join(self, timeout: float) -> None:
        self.thread.join(timeout)

    def _get(self, host: tuple[requests.Session, str], path: str) -> Any:
        session, base = host
        response = session.get(base + path, timeout=TIMEOUT, allow_redirects=False)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")
        return figures(response.json())

    def _run(self) -> None:
        flip = False
        while self.running():
            started = time.monotonic()
            for path in CHECKS:
                if not self.running():
                    return
                outer, middle = (self.host_b, self.host_a) if flip else (self.host_a, self.host_b)
                names = (self.name_b, self.name_a) if flip else (self.name_a, self.name_b)
                try:
                    first, between, last = self._get(outer, path), self._get(middle, path), self._get(outer, path)
                except (requests.RequestException, RuntimeError, ValueError) as exc:
                    self.result.errors.append(f"{path}: {exc!r}"[:200])
                    continue
                self.result.rounds[path] += 1
                if between != first and between != last:
                    self.result.disagreements[path] += 1
                    self.result.stable[path] += first == last
                    if len(self.result.examples) < 10:
                        self.result.examples.append(
                            f"{path} ({names[0]} {names[1]} {names[0]}{', data bewoog' if first != last else ''}): "
                            f"{first_difference(first, between)}")
                elif first != last:
                    self.result.moved[path] += 1
            flip = not flip
            time.sleep(max(0.0, self.interval - (time.monotonic() - started)))
