"""One unreadable zaak record skips that zaak, not the run (domain.md, "What a sync must keep true").

The client hands over the records of a page it could not read (a required field missing or malformed) as
ZGWRecordErrors; the run records each once (`sync_overgeslagen`: zaak URL, field, reason), leaves the zaak's
mirror row as it was and gives it the finding `onleesbaar_in_bron`, which the next run that reads the record
clears (writing.PageWriter.upsert_page). An unreadable page is no record error: it still fails the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select, update

from connectors.zgw.errors import ZGWRecordError

from ..db import db
from ..models import SyncOvergeslagen, Zaak
from .idset import IdSet

log = logging.getLogger("duo_zaak.sync")


def record_skipped(errors: Iterable[ZGWRecordError], run_id: int, seen: IdSet, done: set[str]) -> int:
    """Record this run's unreadable zaak records (the caller commits); returns how many were new.

    `done` holds the keys already recorded in this run (a zaak listed twice is skipped once); a zaak that a
    list of this run returned readable is left alone. A skipped zaak of the mirror joins `seen`: it is not
    asked for by URL again in this run, which would only read the same record."""
    errors = list(errors)
    if not errors:
        return 0
    urls = {error.url for error in errors if error.url}
    ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(Zaak.url.in_(urls))).all()) if urls else {}
    added = 0
    for error in errors:
        url = error.url or ""
        key = url or str(error)
        zaak_id = ids.get(url)
        if key in done or (zaak_id is not None and zaak_id in seen):
            continue
        done.add(key)
        db.session.add(SyncOvergeslagen(run_id=run_id, zaak_url=url[:1000], zaak_id=zaak_id,
                                        veld=(error.field or "")[:200], reden=error.reason))
        if zaak_id is not None:
            db.session.execute(update(Zaak).where(Zaak.id == zaak_id).values(onleesbaar_in_bron=error.reason[:500]))
            seen.add(zaak_id)
        log.warning("sync: zaak overgeslagen (onleesbaar record): %s", error)
        added += 1
    return added
