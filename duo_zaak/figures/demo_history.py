"""`flask --app app demo-history [--days 365]`: back-fill demo-labelled snapshots for past days that have
none, computed from the current mirror with the peildatum moved back day by day.

For the demo only. The open zaken of a day are those open on it (registered by then, not closed by then), but
the mirror holds no history of suspension, archive status or marks (a zaak archived last week is archived on
every earlier day too), so these figures approximate the past; every row written has `demo = True` and the
IBT pages say so. A day that already has any snapshot row is skipped, so real
snapshots are never rewritten; today is left to the real daily snapshot.

Cost, to stay well under a minute on 5,000 zaken: the last FULL_DAYS days (the team lead's 90-day trend,
the forecast's 8 weeks, the leaderboard's 30-day trend) get a full snapshot (`snapshots.take_snapshot`:
every organisation and team, about 0.1 s a day on SQLite). Older days get only the organisation-level rows
the IBT page and the organisation trends need: the seven indicators and the counts (open, overdue, archive
backlog per kind) per organisation and for all ('*'), team '*', from one `indicators.indicator_inputs`
query per day (about 0.03 s). 365 days take about 20-30 s on two busy cores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from ..db import db
from ..models import Snapshot
from ..rules.archive import KINDS
from .history import ACHTERSTAND, ALL, OPEN, TERMIJN_OVERSCHREDEN, org_key
from .indicators import Inputs, compute, current_norms, indicator_inputs
from .scope import Scope
from .snapshots import take_snapshot

FULL_DAYS = 90


@dataclass
class Backfill:
    volledig: int = 0
    organisatie: int = 0
    overgeslagen: int = 0
    rijen: int = 0


def organisation_rows(day: date) -> list[dict[str, Any]]:
    """The organisation-level snapshot rows of a day (team '*'), labelled demo: the same indicator and
    count figures `take_snapshot` writes for organisations and for all."""
    norms = current_norms()
    per_org = indicator_inputs(day, Scope.everything())
    total = Inputs(day)
    for inputs in per_org.values():
        total.add(inputs)
    rows: list[dict[str, Any]] = []
    for key, inputs in [*((org_key(org), inputs) for org, inputs in per_org.items()), (ALL, total)]:
        base = {"datum": day, "organisatie": key, "team": ALL, "demo": True}
        rows.extend({**base, "metriek": i.code, "teller": i.teller, "noemer": i.noemer, "waarde": i.waarde,
                     "norm": i.norm, "voldoet": i.voldoet} for i in compute(inputs, norms))
        counts = {OPEN: inputs.open, TERMIJN_OVERSCHREDEN: inputs.termijn_overschreden,
                  ACHTERSTAND: inputs.archief.achterstand,
                  **{f"{ACHTERSTAND}_{kind}": inputs.archief.per_soort[kind] for kind in KINDS}}
        rows.extend({**base, "metriek": metric, "teller": value, "waarde": float(value)}
                    for metric, value in counts.items())
    return rows


def backfill(days: int, today: date) -> Backfill:
    """Write demo snapshots for the `days` days before `today` that have no snapshot at all."""
    first = today - timedelta(days=days)
    present = set(db.session.scalars(select(Snapshot.datum).where(
        Snapshot.datum >= first, Snapshot.datum < today).distinct()))
    result = Backfill()
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if day in present:
            result.overgeslagen += 1
            continue
        if offset <= FULL_DAYS:
            # take_snapshot commits a past day without rows; label that day's rows demo straight after.
            result.rijen += take_snapshot(day)
            db.session.execute(update(Snapshot).where(Snapshot.datum == day).values(demo=True))
            result.volledig += 1
        else:
            rows = organisation_rows(day)
            db.session.execute(insert(Snapshot), rows)
            result.rijen += len(rows)
            result.organisatie += 1
        db.session.commit()
    return result
