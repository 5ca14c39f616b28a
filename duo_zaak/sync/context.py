"""The state one sync run shares between its steps (catalogue, writing, enrichment, the run itself)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from connectors.zgw.client import ZGWClient
from connectors.zgw.records import ZaakType as ZaakTypeRecord

from ..db import db
from ..rules.archive import ArchiveSettings
from .record import RunStats

Progress = Callable[[str, int, int | None], None]
ROL_FILTER = {"betrokkeneType": "organisatorische_eenheid", "omschrijvingGeneriek": "behandelaar"}
ID_RANGE = 20_000  # zaak ids per statement when the whole mirror is compared with a sweep
# A full run (and the staging before it) commits its pages at most this often instead of after every page: each
# commit wrote the index pages the page touched, the same ones again and again. An incremental run still commits
# every page. On SQLite a commit ends the write lock, so the web's writes wait at most about this long.
FULL_RUN_COMMIT_SECONDS = 1.0


class RunContext:
    """One sync run's client, settings, caches and counters."""

    def __init__(self, client: ZGWClient, *, today: date, settings: ArchiveSettings,
                 organisaties: list[dict[str, Any]], progress: Progress | None = None,
                 should_stop: Callable[[], bool] | None = None) -> None:
        self.client = client
        self.should_stop = should_stop or (lambda: False)
        self.today = today
        self.settings = settings
        self.organisaties = organisaties
        self.progress = progress or (lambda stage, done, total: None)
        self.stats = RunStats()
        self.zaaktypen: dict[str, ZaakTypeRecord] = {}
        self.zaaktype_ids: dict[str, int] = {}
        self.resultaattypen: dict[str, int] = {}
        self.org_ids: dict[str, int] = {}
        self.team_ids: dict[str, int] = {}
        self.team_names: dict[int, str] = {}
        self.run_id = 0
        self.staged = False  # a full run: teams and resultaattypen come from sync_verrijking
        self.analysed_at = 0  # zaken inserted when the planner statistics were last refreshed
        self.written_due: dict[int, dict[str, date]] = {}  # due dates of the zaken the last page wrote
        self.skipped: set[str] = set()  # unreadable zaak records recorded in this run (see unreadable.py)
        self.committed_at = time.monotonic()

    def commit_pages(self, batched: bool) -> None:
        """Commit the pages written so far; `batched` (a full run): only once FULL_RUN_COMMIT_SECONDS have passed
        since the last commit. A failure rolls back the pages not yet committed; committed ones stay consistent."""
        now = time.monotonic()
        if not batched or now - self.committed_at >= FULL_RUN_COMMIT_SECONDS:
            db.session.commit()
            self.committed_at = now



def postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"
