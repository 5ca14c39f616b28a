"""Completeness, measured at the end of every run (domain.md, "What a sync must keep true"): per configured
organisation the source's own `count` of all its zaken and of its open ones (`einddatum__isnull=true`), one
request each with pageSize=1, beside the mirror's count of non-destroyed zaken for the same filter.

Both are counted after the run has written everything, so they differ only when the mirror misses (or holds
too many) zaken, or when the source changed while the run was under way; the difference is shown, not hidden.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import case, func, select

from connectors.zgw.client import ZGWClient
from connectors.zgw.errors import ZGWValidationError

from ..db import db
from ..models import SyncVolledigheid, Zaak

log = logging.getLogger("duo_zaak.sync")


def mirror_counts(rsins: list[str]) -> dict[str, tuple[int, int]]:
    """rsin -> (non-destroyed zaken, of which open) in the mirror: one scan grouped by bronorganisatie."""
    if not rsins:
        return {}
    rows = db.session.execute(
        select(Zaak.bronorganisatie, func.count(Zaak.id), func.sum(case((Zaak.einddatum.is_(None), 1), else_=0)))
        .where(Zaak.vernietigd_op.is_(None), Zaak.bronorganisatie.in_(rsins)).group_by(Zaak.bronorganisatie))
    return {rsin: (int(alle), int(open_ or 0)) for rsin, alle, open_ in rows}


def source_counts(client: ZGWClient, rsin: str) -> tuple[int | None, int | None]:
    """(all, open) zaken of one organisation at the source. A configured RSIN the source refuses as a filter
    (400: Open Zaak checks the 11-proef) is not measured, rather than failing every run; other errors fail it."""
    try:
        return (client.count_zaken(bronorganisatie=rsin),
                client.count_zaken(bronorganisatie=rsin, einddatum__isnull=True))
    except ZGWValidationError as exc:
        log.warning("volledigheid van RSIN %s niet gemeten: %s", rsin, exc)
        return None, None


def measure(client: ZGWClient, organisaties: list[dict[str, Any]], org_ids: dict[str, int],
            run_id: int) -> list[SyncVolledigheid]:
    """2 requests per configured organisation; the rows are added to the session (the caller commits)."""
    mirror = mirror_counts([item["rsin"] for item in organisaties])
    rows = []
    for item in organisaties:
        rsin = item["rsin"]
        spiegel_alle, spiegel_open = mirror.get(rsin, (0, 0))
        bron_alle, bron_open = source_counts(client, rsin)
        rows.append(SyncVolledigheid(run_id=run_id, organisatie_id=org_ids[rsin], bron_alle=bron_alle,
                                     spiegel_alle=spiegel_alle, bron_open=bron_open, spiegel_open=spiegel_open))
    db.session.add_all(rows)
    return rows
