"""What a writer changed, said to whoever keeps figures about it.

The writers (the sync, the notification worker, the task life cycle, PiA marks) may not import the figures
(one direction of imports), yet the stored figures must be brought up to date in the writer's own transaction.
So a writer says what it changes, before it commits, and the figures package installs the listener at app
creation (`figures.stored.install`). Without a listener (a bare script) nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Protocol

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import aliased

from .db import db
from .models import ArchiefTaak, Zaak

EXTENSION = "duo_zaak.figures_listener"


class Listener(Protocol):
    def everything(self, today: date, reason: str, prepared: Any = None) -> None: ...

    def prepare(self, today: date) -> Any: ...

    def begin(self, today: date, ids: frozenset[int], tasks_only: bool) -> Any: ...

    def finish(self, pending: Any, ids: frozenset[int], reason: str) -> None: ...


def _listener() -> Listener | None:
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def everything_changed(today: date, reason: str, prepared: Any = None) -> None:
    """Anything may have changed (a sync run, the daily step): in the caller's transaction, before it commits.
    `prepared`: what `prepare_everything` computed just before, outside the transaction."""
    listener = _listener()
    if listener is not None:
        listener.everything(today, reason, prepared)


def prepare_everything(today: date) -> Any:
    """For a writer that is done changing but for its last small transaction (a sync run): compute the figures
    now, outside any lock, so `everything_changed` holds the writers' lock only to store them. Call with no
    transaction of the caller's open; it ends the read transaction it used."""
    listener = _listener()
    if listener is None:
        return None
    prepared = listener.prepare(today)
    db.session.rollback()
    return prepared


@contextmanager
def changing(today: date, zaak_ids: Callable[[], Iterable[int]], *, tasks_only: bool = False,
             reason: str) -> Iterator[None]:
    """Around a change of these zaken (or, `tasks_only`, of their archive tasks) in the caller's transaction.
    `zaak_ids` is asked before and after the change (a re-read zaak may be new); zaken sharing an identificatie
    with one of them count as touched too (a change to one member of a duplicate pair changes the other's
    finding)."""
    listener = _listener()
    if listener is None:
        yield
        return
    pending = listener.begin(today, _with_namesakes(zaak_ids(), tasks_only), tasks_only)
    yield
    listener.finish(pending, _with_namesakes(zaak_ids(), tasks_only), reason)


def zaken_of_tasks(task_ids: Iterable[int]) -> Callable[[], set[int]]:
    """The zaak ids of these archive tasks (for `changing`)."""
    ids = sorted(set(task_ids))
    return lambda: set(db.session.scalars(select(ArchiefTaak.zaak_id).where(ArchiefTaak.id.in_(ids))))


def _with_namesakes(ids: Iterable[int], tasks_only: bool) -> frozenset[int]:
    wanted = frozenset(ids)
    if tasks_only or not wanted:
        return wanted
    other = aliased(Zaak)
    namesakes = db.session.scalars(
        select(other.id).join(Zaak, (Zaak.bronorganisatie == other.bronorganisatie)
                              & (Zaak.identificatie == other.identificatie))
        .where(Zaak.id.in_(sorted(wanted))))
    return wanted | frozenset(namesakes)
