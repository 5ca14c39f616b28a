"""Computed figures kept per worker until the data behind them changes.

The backlog, archive, leaderboard and indicator figures aggregate hundreds of thousands of zaken (seconds
at a million on SQLite). They change only when a sync writes, the worker re-reads a notified zaak, a task
changes (a mark, an undo, the daily step) or the calendar moves; the data version is three index look-ups:
the newest sync run (id and outcome), the last processed notification and the newest task event. An entry
is served
- while the version is unchanged (while a sync is running, at most `FIGURES_CACHE_SECONDS`: it writes
  page by page under the same version), or
- for `FIGURES_STALE_SECONDS` after it was computed even if the version moved on: PiA staff marking tasks
  all day would otherwise make every request recompute everything. Pages show the fresh status of the
  tasks they list; the counts catch up within that many seconds. When a notification moved it, only for
  `FIGURES_PUSH_STALE_SECONDS` (a pushed change reaches the pages within seconds, and a stream of
  notifications recomputes a figure at most once per that many seconds).
Figures of the mirror alone (open zaken, data quality) ignore task events.
Tests switch it off with FIGURES_CACHE_SECONDS = 0.
"""

from __future__ import annotations

import copy
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from flask import current_app, has_app_context
from sqlalchemy import func, select

from ..db import db
from ..models import NotificatieWachtrij, SyncRun, TaakGebeurtenis

P = ParamSpec("P")
R = TypeVar("R")
MAX_ENTRIES = 256


@dataclass(frozen=True)
class Entry:
    computed: float
    version: tuple[Any, ...]
    value: Any


class FiguresCache:
    """A small LRU of (function, arguments) -> Entry."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable, version: tuple[Any, ...], max_age: float, stale: float,
            push_stale: float = 0.0) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                age = time.monotonic() - entry.computed
                running = version[0] is not None and version[0][1] == "bezig"
                pushed = entry.version[1] != version[1]
                if (age <= stale and (not pushed or age <= push_stale)) or (
                        entry.version == version and (not running or age <= max_age)):
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return entry
            self.misses += 1
            return None

    def put(self, key: Hashable, version: tuple[Any, ...], value: Any) -> None:
        with self._lock:
            self._entries[key] = Entry(time.monotonic(), version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)


def data_version(with_tasks: bool = True) -> tuple[Any, ...]:
    """What the figures depend on: the newest sync run (id, outcome), the last processed notification and,
    for figures about archive tasks, the newest task event id."""
    run = db.session.execute(select(SyncRun.id, SyncRun.uitkomst).order_by(SyncRun.id.desc()).limit(1)).first()
    pushed = db.session.scalar(select(func.max(NotificatieWachtrij.verwerkt_op)))
    event = db.session.scalar(select(func.max(TaakGebeurtenis.id))) if with_tasks else None
    return (tuple(run) if run else None, pushed, event)


def figures_cache() -> FiguresCache:
    return current_app.extensions.setdefault("figures_cache", FiguresCache())


def cached_figures(fn: Callable[P, R]) -> Callable[P, R]:
    """Serve `fn`'s result from the cache (a deep copy: callers may add to what they get). All arguments
    must be hashable; the peildatum is one of them, so a new day is a new key. For figures that read
    archive tasks: a task event is a new version."""
    return _cached(fn, with_tasks=True)


def cached_mirror_figures(fn: Callable[P, R]) -> Callable[P, R]:
    """Like cached_figures, for figures that read only the mirrored zaken: marks do not change them, only a
    sync does (so PiA staff marking all day do not make the team leads' pages recompute)."""
    return _cached(fn, with_tasks=False)


def _cached(fn: Callable[P, R], *, with_tasks: bool) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        max_age = current_app.config.get("FIGURES_CACHE_SECONDS", 0) if has_app_context() else 0
        if not max_age:
            return fn(*args, **kwargs)
        stale = min(current_app.config.get("FIGURES_STALE_SECONDS", 0), max_age)
        push_stale = min(current_app.config.get("FIGURES_PUSH_STALE_SECONDS", 0), stale)
        key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
        version = data_version(with_tasks)
        cache = figures_cache()
        entry = cache.get(key, version, max_age, stale, push_stale)
        if entry is None:
            value = fn(*args, **kwargs)
            cache.put(key, version, value)
        else:
            value = entry.value
        return copy.deepcopy(value)

    return wrapper
