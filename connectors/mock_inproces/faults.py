"""Fault injection for tests and benchmarks: random failures, slowness and truncated bodies, plus
deterministic one-shot faults. Applies to the ZGW API paths only, never to `/_mock`.

Two kinds of cut-off body: `truncate_*` sends half the JSON with a matching Content-Length (a proxy or
server that produced garbage: the client sees a complete but unreadable body), `drop_next` promises the
whole body in Content-Length and closes the connection halfway (a connection lost mid-transfer: the
client sees an incomplete read).
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FAIL_STATUSES = (500, 503, 429)


RULE_FAULTS = ("status", "slow", "truncate", "drop", "call")


@dataclass
class Rule:
    """A fault for requests whose path+query matches `pattern` (a regex), `remaining` times (None: always).

    `fault`: "status" (answer `status`), "slow" (wait `ms` first), "truncate" or "drop" (the body, see the
    module docstring; only answers that would succeed count), "call" (run `call()` in the server before
    answering: a test changing the source at an exact moment of a run, e.g. between two pages)."""

    pattern: re.Pattern[str]
    status: int
    remaining: int | None
    fault: str = "status"
    ms: int = 0
    call: Callable[[], Any] | None = None


@dataclass
class Omission:
    """Leave `field` out of the first result of the next `pages` list pages under `path` (a prefix of the
    path) whose path+query matches `pattern` (a regex; "" matches all)."""

    field: str
    pages: int
    path: str
    pattern: str = ""


@dataclass(frozen=True)
class Decision:
    status: int | None = None
    slow_seconds: float = 0.0
    truncate: bool = False
    drop: bool = False
    retry_after: int | None = None  # the Retry-After header (seconds) of an injected 429/503
    calls: tuple[Callable[[], Any], ...] = ()


def _status(value: Any) -> int:
    status = int(value)
    if status not in FAIL_STATUSES:
        raise ValueError(f"fail_status moet een van {FAIL_STATUSES} zijn, niet {value!r}")
    return status


def _seconds(value: Any) -> int:
    seconds = int(value)
    if seconds < 0:
        raise ValueError(f"retry_after is een aantal seconden (0 of meer), niet {value!r}")
    return seconds


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
        self.retry_after: int | None = 1
        self._slow_next = 0
        self.slow_next_ms = 1000
        self._drop_next = 0

    def set(
        self, *, fail_rate: float | None = None, fail_status: int | None = None, slow_ms: int | None = None,
        truncate_rate: float | None = None, fail_next: int | None = None, fail_matching: Any = None,
        omit_field: Any = None, truncate_next: int | None = None, retry_after: Any = ...,
        slow_next: int | None = None, slow_next_ms: int | None = None, drop_next: int | None = None,
    ) -> None:
        """Change what is given, keep the rest.

        - `fail_next=N`: the next N requests fail with `fail_status` (0 clears);
        - `fail_matching`: a regex or `{"pattern", "status", "count", "fault", "ms", "call"}` adds a rule
          (see Rule; the default fault answers `status`), a list replaces them;
        - `omit_field`: a field name or `{"field", "pages", "path", "pattern"}`: the first result of the
          next list page(s) lacks that field ("" clears);
        - `truncate_next=N`: the next N responses are cut off in the middle of their JSON;
        - `retry_after`: seconds in the `Retry-After` header of injected 429 and 503 answers (default 1;
          0 allowed; None sends no header);
        - `slow_next=N`: the next N requests wait `slow_next_ms` (default 1000) before answering, on top of
          `slow_ms` (a read timeout that passes);
        - `drop_next=N`: the next N answers that would succeed promise their whole body and close the
          connection halfway through it.
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
            if retry_after is not ...:
                self.retry_after = None if retry_after is None else _seconds(retry_after)
            if slow_next_ms is not None:
                self.slow_next_ms = max(0, int(slow_next_ms))
            if slow_next is not None:
                self._slow_next = max(0, int(slow_next))
            if drop_next is not None:
                self._drop_next = max(0, int(drop_next))

    def _rule(self, spec: str | Mapping[str, Any]) -> Rule:
        spec = {"pattern": spec} if isinstance(spec, str) else spec
        count = spec.get("count")
        fault = spec.get("fault", "status")
        if fault not in RULE_FAULTS:
            raise ValueError(f"fault moet een van {RULE_FAULTS} zijn, niet {fault!r}")
        call = spec.get("call")
        if (fault == "call") != callable(call):
            raise ValueError("een regel met fault 'call' heeft een aanroepbare 'call' nodig (en alleen die)")
        return Rule(re.compile(spec["pattern"]), _status(spec.get("status", self.fail_status)),
                    None if count is None else int(count), fault, max(0, int(spec.get("ms", 0))), call)

    @staticmethod
    def _omission(spec: str | Mapping[str, Any]) -> Omission:
        spec = {"field": spec} if isinstance(spec, str) else spec
        pattern = spec.get("pattern", "")
        re.compile(pattern)  # refuse a bad regex now, not in the server
        return Omission(spec["field"], int(spec.get("pages", 1)), spec.get("path", ""), pattern)

    def clear(self) -> None:
        with self._lock:
            self.fail_rate = self.truncate_rate = 0.0
            self.slow_ms = self._truncate_next = self._slow_next = self._drop_next = 0
            self.fail_status = 500
            self.retry_after = 1
            self.slow_next_ms = 1000
            self._fail_next, self._rules, self._omissions = [], [], []

    def settings(self) -> dict[str, Any]:
        with self._lock:
            return {
                "fail_rate": self.fail_rate, "fail_status": self.fail_status, "slow_ms": self.slow_ms,
                "truncate_rate": self.truncate_rate, "fail_next": len(self._fail_next),
                "fail_matching": [{"pattern": r.pattern.pattern, "status": r.status, "count": r.remaining,
                                   "fault": r.fault, "ms": r.ms} for r in self._rules],
                "omit_field": [{"field": o.field, "pages": o.pages, "path": o.path, "pattern": o.pattern}
                               for o in self._omissions],
                "truncate_next": self._truncate_next, "retry_after": self.retry_after,
                "slow_next": self._slow_next, "slow_next_ms": self.slow_next_ms, "drop_next": self._drop_next,
            }

    def decide(self, path_qs: str) -> Decision:
        """What happens to this request (one-shot faults are used up here)."""
        with self._lock:
            status = self._fail_next.pop() if self._fail_next else None
            matching = [r for r in self._rules if r.remaining != 0 and r.pattern.search(path_qs)]
            used: list[Rule] = []
            if status is None:
                for rule in matching:
                    if rule.fault == "status":
                        status = rule.status
                        used.append(rule)
                        break
            if status is None and self.fail_rate and self._rng.random() < self.fail_rate:
                status = self.fail_status
            slow_ms, calls = self.slow_ms, []
            for rule in matching:
                if rule.fault == "slow":
                    slow_ms += rule.ms
                    used.append(rule)
                elif rule.fault == "call" and rule.call is not None:
                    calls.append(rule.call)
                    used.append(rule)
            truncate = drop = False
            if status is None:
                truncate_rule = next((r for r in matching if r.fault == "truncate"), None)
                drop_rule = next((r for r in matching if r.fault == "drop"), None)
                if truncate_rule is not None:
                    used.append(truncate_rule)
                    truncate = True
                elif self._truncate_next:
                    self._truncate_next -= 1
                    truncate = True
                elif self.truncate_rate:
                    truncate = self._rng.random() < self.truncate_rate
                if not truncate and drop_rule is not None:
                    used.append(drop_rule)
                    drop = True
                elif not truncate and self._drop_next:
                    self._drop_next -= 1
                    drop = True
            for rule in used:
                if rule.remaining is not None:
                    rule.remaining -= 1
            if self._slow_next:
                self._slow_next -= 1
                slow_ms += self.slow_next_ms
            return Decision(status, slow_ms / 1000, truncate, drop,
                            self.retry_after if status in (429, 503) else None, tuple(calls))

    def omission(self, path_qs: str) -> str | None:
        """The field to leave out of this list page, if an omission is pending for its path (and query)."""
        path = path_qs.split("?", 1)[0]
        with self._lock:
            for omission in self._omissions:
                if omission.pages > 0 and path.startswith(omission.path) and re.search(omission.pattern, path_qs):
                    omission.pages -= 1
                    return omission.field
            return None
