"""Fault injection for tests and benchmarks: random failures, slowness and truncated bodies, plus
deterministic one-shot faults. Applies to the ZGW API paths only, never to `/_mock`.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FAIL_STATUSES = (500, 503, 429)


@dataclass
class Rule:
    """Fail requests whose path+query matches `pattern` (a regex), `remaining` times (None: always)."""

    pattern: re.Pattern[str]
    status: int
    remaining: int | None


@dataclass
class Omission:
    """Leave `field` out of the first result of the next `pages` list pages under `path`."""

    field: str
    pages: int
    path: str


@dataclass(frozen=True)
class Decision:
    status: int | None = None
    slow_seconds: float = 0.0
    truncate: bool = False


def _status(value: Any) -> int:
    status = int(value)
    if status not in FAIL_STATUSES:
        raise ValueError(f"fail_status moet een van {FAIL_STATUSES} zijn, niet {value!r}")
    return status


def _rate(value: Any) -> float:
    rate = float(value)
    if not 0 <= rate <= 1:
        raise ValueError(f"een kans ligt tussen 0 en 1, niet {value!r}")
    return rate


class Faults:
    """Thread-safe fault settings; random decisions come from a seeded generator (reproducible runs)."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.fail_rate = 0.0
        self.fail_status = 500
        self.slow_ms = 0
        self.truncate_rate = 0.0
        self._fail_next: list[int] = []  # statuses of the next failing requests
        self._rules: list[Rule] = []
        self._omissions: list[Omission] = []
        self._truncate_next = 0

    def set(
        self, *, fail_rate: float | None = None, fail_status: int | None = None, slow_ms: int | None = None,
        truncate_rate: float | None = None, fail_next: int | None = None, fail_matching: Any = None,
        omit_field: Any = None, truncate_next: int | None = None,
    ) -> None:
        """Change what is given, keep the rest.

        - `fail_next=N`: the next N requests fail with `fail_status` (0 clears);
        - `fail_matching`: a regex or `{"pattern", "status", "count"}` adds a rule, a list replaces them;
        - `omit_field`: a field name or `{"field", "pages", "path"}`: the first result of the next list
          page(s) lacks that field ("" clears);
        - `truncate_next=N`: the next N responses are cut off in the middle of their JSON.
        """
        with self._lock:
            if fail_status is not None:
                self.fail_status = _status(fail_status)
            if fail_rate is not None:
                self.fail_rate = _rate(fail_rate)
            if slow_ms is not None:
                self.slow_ms = max(0, int(slow_ms))
            if truncate_rate is not None:
                self.truncate_rate = _rate(truncate_rate)
            if fail_next is not None:
                self._fail_next = [self.fail_status] * max(0, int(fail_next))
            if fail_matching is not None:
                if isinstance(fail_matching, list):
                    self._rules = [self._rule(item) for item in fail_matching]
                else:
                    self._rules.append(self._rule(fail_matching))
            if omit_field is not None:
                self._omissions = [self._omission(omit_field)] if omit_field else []
            if truncate_next is not None:
                self._truncate_next = max(0, int(truncate_next))

    def _rule(self, spec: str | Mapping[str, Any]) -> Rule:
        spec = {"pattern": spec} if isinstance(spec, str) else spec
        count = spec.get("count")
        return Rule(re.compile(spec["pattern"]), _status(spec.get("status", self.fail_status)),
                    None if count is None else int(count))

    @staticmethod
    def _omission(spec: str | Mapping[str, Any]) -> Omission:
        spec = {"field": spec} if isinstance(spec, str) else spec
        return Omission(spec["field"], int(spec.get("pages", 1)), spec.get("path", ""))

    def clear(self) -> None:
        with self._lock:
            self.fail_rate = self.truncate_rate = 0.0
            self.slow_ms = self._truncate_next = 0
            self.fail_status = 500
            self._fail_next, self._rules, self._omissions = [], [], []

    def settings(self) -> dict[str, Any]:
        with self._lock:
            return {
                "fail_rate": self.fail_rate, "fail_status": self.fail_status, "slow_ms": self.slow_ms,
                "truncate_rate": self.truncate_rate, "fail_next": len(self._fail_next),
                "fail_matching": [{"pattern": r.pattern.pattern, "status": r.status, "count": r.remaining}
                                  for r in self._rules],
                "omit_field": [{"field": o.field, "pages": o.pages, "path": o.path} for o in self._omissions],
                "truncate_next": self._truncate_next,
            }

    def decide(self, path_qs: str) -> Decision:
        """What happens to this request (one-shot faults are used up here)."""
        with self._lock:
            status = None
            if self._fail_next:
                status = self._fail_next.pop()
            else:
                for rule in self._rules:
                    if rule.remaining != 0 and rule.pattern.search(path_qs):
                        status = rule.status
                        if rule.remaining is not None:
                            rule.remaining -= 1
                        break
            if status is None and self.fail_rate and self._rng.random() < self.fail_rate:
                status = self.fail_status
            truncate = False
            if status is None:
                if self._truncate_next:
                    self._truncate_next -= 1
                    truncate = True
                elif self.truncate_rate:
                    truncate = self._rng.random() < self.truncate_rate
            return Decision(status, self.slow_ms / 1000, truncate)

    def omission(self, path: str) -> str | None:
        """The field to leave out of this list page, if an omission is pending for its path."""
        with self._lock:
            for omission in self._omissions:
                if omission.pages > 0 and path.startswith(omission.path):
                    omission.pages -= 1
                    return omission.field
            return None
