"""Draining the notification queue: every queued zaak re-read (single.py) under the sync's writer lock.

`drain()` claims waiting rows in batches and records each outcome in the same transaction as the mirror
write. When the source fails (no answer, 5xx after retries, token refused, an unreadable answer) the drain
stops and puts the claimed rows back: the next wake-up tries again, and after MAX_ATTEMPTS failures of a
zaak the next poll is the safety net. An unreadable zaak record skips that zaak only. Nothing here trusts the
notification: only the zaak URL is used, and only when it lies under the configured Zaken API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from connectors.zgw.client import ZGWClient
from connectors.zgw.errors import (
    ZGWAuthError,
    ZGWConnectionError,
    ZGWError,
    ZGWRecordError,
    ZGWResponseError,
    ZGWServerError,
)

from .. import changes
from ..db import db
from ..models import Zaak
from ..rules.archive import ArchiveSettings
from . import queue
from .locking import sync_lock
from .single import SingleZaak

log = logging.getLogger("duo_zaak.notificaties")
BATCH = 100
# Zaken re-read per transaction: the stored figures are brought along once per transaction, and the writer's
# locks are held for no more than a few re-reads.
TRANSACTION = 10
SOURCE_DOWN = (ZGWConnectionError, ZGWServerError, ZGWAuthError, ZGWResponseError)


@dataclass
class DrainResult:
    uitkomsten: dict[str, int] = field(default_factory=dict)  # outcome -> zaken
    verzoeken: int = 0
    seconden: float = 0.0
    teruggezet: int = 0  # claimed rows put back because the source failed
    melding: str = ""

    @property
    def zaken(self) -> int:
        return sum(self.uitkomsten.values())

    def count(self, outcome: str) -> None:
        self.uitkomsten[outcome] = self.uitkomsten.get(outcome, 0) + 1

    def summary(self) -> str:
        parts = ", ".join(f"{n} {k}" for k, n in sorted(self.uitkomsten.items())) or "niets"
        zaken = f"{self.zaken} {'zaak' if self.zaken == 1 else 'zaken'}"
        text = f"notificaties: {zaken} in {self.seconden:.1f}s, {self.verzoeken} verzoeken ({parts})"
        if self.teruggezet:
            text += f"; {self.teruggezet} terug in de wachtrij"
        return text + (f" — {self.melding}" if self.melding else "")


def drain(client: ZGWClient, *, today: date, settings: ArchiveSettings, organisaties: list[dict[str, Any]],
          limit: int | None = None, should_stop: Callable[[], bool] | None = None) -> DrainResult:
    """Re-read the queued zaken (at most `limit`; None: until the queue is empty). Raises
    locking.LockBusy when a sync holds the writer lock: the queue then waits for the next wake-up."""
    stop = should_stop or (lambda: False)
    result = DrainResult()
    started, requests_before = time.monotonic(), client.requests_made
    with sync_lock(db.engine):
        queue.release(None, "vorige verwerking afgebroken")  # rows a stopped worker left `bezig`
        single = SingleZaak(client, today=today, settings=settings, organisaties=organisaties)
        single.load_mirror_catalogue()
        ours = client.zaken_url.rstrip("/") + "/zaken/"
        try:
            while not stop() and (limit is None or result.zaken < limit):
                claimed = queue.claim(BATCH if limit is None else min(BATCH, limit - result.zaken))
                if not claimed:
                    break
                if not _process(single, claimed, ours, result, stop):
                    break
        except BaseException:
            db.session.rollback()
            queue.release(None, "verwerking afgebroken door een fout")
            raise
        if result.zaken:
            queue.prune()
    result.verzoeken = client.requests_made - requests_before
    result.seconden = time.monotonic() - started
    if result.zaken or result.melding:
        (log.warning if result.melding else log.info)(result.summary())
    return result


def _process(single: SingleZaak, claimed: list[tuple[int, str]], ours: str, result: DrainResult,
             stop: Callable[[], bool]) -> bool:
    """Re-read one batch, TRANSACTION zaken per transaction; False when the drain must stop (the source failed,
    or a stop was asked)."""
    for start in range(0, len(claimed), TRANSACTION):
        if not _process_part(single, claimed[start:start + TRANSACTION], claimed[start + TRANSACTION:], ours,
                             result, stop):
            return False
    return True


def _process_part(single: SingleZaak, part: list[tuple[int, str]], later: list[tuple[int, str]], ours: str,
                  result: DrainResult, stop: Callable[[], bool]) -> bool:
    """Re-read a few zaken in one transaction: each in a savepoint (a zaak that fails is undone alone), the stored
    figures brought along once for all of them, before the commit. Rows to try again are put back after it."""
    back: list[tuple[list[int], str, bool, bool]] = []  # (row ids, melding, counts as an attempt, as put back)
    going_on = True
    urls = [url for _, url in part if url.startswith(ours)]
    with changes.changing(single.today, lambda: _ids(urls), reason="notificatie"):
        for position, (row_id, url) in enumerate(part):
            if stop():
                back.append(([other for other, _ in part[position:] + later], "gestopt op verzoek", False, True))
                going_on = False
                break
            if not url.startswith(ours):
                queue.finish(row_id, "overgeslagen", "geen zaak van de geconfigureerde Zaken API")
                result.count("overgeslagen")
                continue
            try:
                with db.session.begin_nested():
                    outcome = single.reread(url)
            except ZGWRecordError as exc:
                queue.finish(row_id, "overgeslagen", f"onleesbaar in de bron: {exc}")
                outcome = "overgeslagen"
            except SOURCE_DOWN as exc:
                result.melding = f"bron niet bereikbaar of weigert: {exc}"[:500]
                back.append(([row_id], result.melding, True, True))
                back.append(([other for other, _ in part[position + 1:] + later], "bron niet bereikbaar", False, True))
                going_on = False
                break
            except ZGWError as exc:
                back.append(([row_id], f"{type(exc).__name__}: {exc}", True, False))
                result.count("opnieuw")
                continue
            else:
                queue.finish(row_id, outcome)
            result.count(outcome)
    db.session.commit()
    for row_ids, melding, attempt, counted in back:
        if row_ids:
            returned = queue.release(row_ids, melding, attempt=attempt)
            result.teruggezet += returned if counted else 0
    return going_on


def _ids(urls: list[str]) -> list[int]:
    """The mirror's ids of the zaken at these URLs (none for a zaak the mirror lacks)."""
    return list(db.session.scalars(select(Zaak.id).where(Zaak.url.in_(urls)))) if urls else []
