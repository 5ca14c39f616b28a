"""Reading the daily snapshots: the keys of their rows and the series the pages and the forecast draw.

Keys follow the Snapshot model: `organisatie` is a code, '*' = all organisations, '' = the unknown
organisation; `team` is an identificatie, '*' = the whole organisation, '' = "Niet toegewezen".
Writing them is `snapshots.take_snapshot`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select

from ..db import db
from ..models import Snapshot
from ..rules.archive import KINDS
from .scope import OrgLabel, TeamLabel

ALL = "*"
UNKNOWN_ORG_KEY = ""
NO_TEAM_KEY = ""
OPEN = "open"
TERMIJN_OVERSCHREDEN = "termijn_overschreden"
ACHTERSTAND = "achterstand"
COUNT_METRICS = (OPEN, TERMIJN_OVERSCHREDEN, ACHTERSTAND, *(f"{ACHTERSTAND}_{kind}" for kind in KINDS))


def org_key(org: OrgLabel) -> str:
    return UNKNOWN_ORG_KEY if org.code is None else org.code


def team_key(team: TeamLabel) -> str:
    return NO_TEAM_KEY if team.id is None else team.id


def snapshot_values(day: date, metriek: str, *, organisatie: str = ALL) -> dict[str, int]:
    """team key -> teller of one metric on one day, for the organisation key given."""
    rows = db.session.execute(select(Snapshot.team, Snapshot.teller).where(
        Snapshot.datum == day, Snapshot.metriek == metriek, Snapshot.organisatie == organisatie))
    return {row.team: row.teller for row in rows if row.teller is not None}


def series(metriek: str, organisatie: str, teams: Iterable[str], van: date, tot: date) -> list[tuple[date, int]]:
    """Daily totals of a count metric over the teams given (e.g. ['*']) from `van` to `tot` inclusive;
    days without a row for any of the teams are left out."""
    rows = db.session.execute(
        select(Snapshot.datum, func.sum(Snapshot.teller).label("teller"))
        .where(Snapshot.metriek == metriek, Snapshot.organisatie == organisatie, Snapshot.team.in_(list(teams)),
               Snapshot.datum >= van, Snapshot.datum <= tot)
        .group_by(Snapshot.datum).order_by(Snapshot.datum)).all()
    return [(row.datum, int(row.teller)) for row in rows if row.teller is not None]
