"""The open-zaak list in its default order — most overdue first (fatale datum ascending, zaken without one last,
then by id) — by walking an index instead of sorting every open zaak.

A partial index holds the (einddatum, fatale_datum, id) of the zaken without einddatum that are not destroyed,
in order (einddatum is NULL throughout: it lets the planner match the query's equality on it to this index); a
page is read by walking it until enough rows pass the list's filters. The zaken "closed after the peildatum"
(open on a past peildatum) are few and read the plain way; both are merged here. At a million zaken the sort of
some 90,000 open zaken, with a table look-up each to filter them, was most of a list page's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from ..db import db
from ..models import Zaak
from .sqlfunctions import unordered


def overdue_first_ids(peildatum: date, conditions: Sequence[ColumnElement[bool]], offset: int,
                      limit: int) -> list[int]:
    """The ids of rows offset .. offset+limit of the open zaken meeting `conditions` (which must include
    "registered by the peildatum"), most overdue first."""
    need = offset + limit
    live = Zaak.vernietigd_op.is_(None)
    # The first part's WHERE names the partial index's own condition, so the planner walks it (einddatum, then
    # fatale_datum and id in order). The second part is sorted: `unordered` keeps SQLite from walking the whole
    # table in id order to avoid that sort when few zaken match.
    parts = ((and_(Zaak.einddatum.is_(None), live), Zaak.id),
             (and_(Zaak.einddatum > peildatum, live), unordered(Zaak.id)))
    dated: list[Any] = []
    for part, by_id in parts:
        # einddatum first: NULL throughout the first part, but it makes the order that of the index's columns
        # (PostgreSQL does not take IS NULL as fixing the leading column, as it would an equality).
        dated += db.session.execute(
            select(Zaak.fatale_datum, Zaak.id).where(part, Zaak.fatale_datum.is_not(None), *conditions)
            .order_by(Zaak.einddatum, Zaak.fatale_datum, by_id).limit(need)).all()
    ids = [row.id for row in sorted(dated, key=lambda row: (row.fatale_datum, row.id))[:need]]
    if len(ids) < need:
        undated: list[int] = []
        for part, by_id in parts:
            undated += db.session.scalars(select(Zaak.id).where(part, Zaak.fatale_datum.is_(None), *conditions)
                                          .order_by(Zaak.einddatum, Zaak.fatale_datum, by_id).limit(need - len(ids)))
        ids += sorted(undated)[:need - len(ids)]
    return ids[offset:offset + limit]
