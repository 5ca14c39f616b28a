"""Daily snapshots: every indicator per organisation and the daily counts per organisation and team.

Keys follow the Snapshot model: `organisatie` is a code, '*' = all organisations, '' = the unknown
organisation; `team` is an identificatie, '*' = the whole organisation, '' = "Niet toegewezen". Counts
(`open`, `termijn_overschreden`, `achterstand`, `achterstand_<soort>`) are written for every
organisation x team that has non-destroyed zaken (zeros included, so a missing row means "no snapshot"),
for every organisation with team '*', for every team with organisation '*' and for '*' x '*'.
Indicators (metriek = code) are written per organisation and for '*', with team '*'.

A day is written once: re-running for today replaces today's rows; a past day that has rows is left
alone; a past day without rows is computed with that day as peildatum (the data as they are now).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, select

from ..db import db
from ..formatting import today_amsterdam
from ..models import Snapshot, Zaak
from ..rules.archive import KINDS
from .archive import ArchiveFigures, backlog_cells
from .backlog import OpenFigures, open_cells
from .history import ACHTERSTAND, ALL, OPEN, TERMIJN_OVERSCHREDEN, org_key, team_key
from .indicators import indicators_for_snapshot
from .scope import NO_TEAM, Scope, org_label, org_lookup, team_labels


class SnapshotError(ValueError):
    """A snapshot that may not be taken (a day in the future)."""


@dataclass
class _Counts:
    open: int = 0
    termijn_overschreden: int = 0
    archive: ArchiveFigures | None = None

    def add(self, open_figures: OpenFigures | None, archive: ArchiveFigures | None) -> None:
        if open_figures is not None:
            self.open += open_figures.open
            self.termijn_overschreden += open_figures.termijn_overschreden
        if archive is not None:
            if self.archive is None:
                self.archive = ArchiveFigures(archive.peildatum)
            self.archive.add(archive)

    def metrics(self) -> dict[str, int]:
        per_soort = self.archive.per_soort if self.archive else dict.fromkeys(KINDS, 0)
        return {OPEN: self.open, TERMIJN_OVERSCHREDEN: self.termijn_overschreden,
                ACHTERSTAND: self.archive.achterstand if self.archive else 0,
                **{f"{ACHTERSTAND}_{kind}": per_soort[kind] for kind in KINDS}}


def _count_rows(day: date) -> list[dict[str, object]]:
    """The count metrics of every organisation x team with non-destroyed zaken, and their totals."""
    scope = Scope.everything()
    opens, archives = open_cells(day, scope), backlog_cells(day, scope)
    pairs: set[tuple[int | None, int | None]] = {
        (row.organisatie_id, row.team_id) for row in db.session.execute(
            select(Zaak.organisatie_id, Zaak.team_id).where(Zaak.vernietigd_op.is_(None)).distinct())}
    pairs |= set(opens) | set(archives)
    orgs, by_id = org_lookup()
    labels = team_labels({team_id for _, team_id in pairs})
    counts: dict[tuple[str, str], _Counts] = {(org_key(org), ALL): _Counts() for org in orgs}
    counts[(ALL, ALL)] = _Counts()
    for organisatie_id, team_id in pairs:
        org = org_key(org_label(by_id, organisatie_id))
        team = team_key(labels.get(team_id, NO_TEAM))
        for key in ((org, team), (org, ALL), (ALL, team), (ALL, ALL)):
            counts.setdefault(key, _Counts()).add(opens.get((organisatie_id, team_id)),
                                                  archives.get((organisatie_id, team_id)))
    return [{"organisatie": org, "team": team, "metriek": metric, "teller": value, "waarde": float(value)}
            for (org, team), item in sorted(counts.items()) for metric, value in item.metrics().items()]


def _indicator_rows(day: date) -> list[dict[str, object]]:
    rows = []
    for key, indicators in indicators_for_snapshot(day):
        rows.extend({"organisatie": key, "team": ALL, "metriek": i.code, "teller": i.teller, "noemer": i.noemer,
                     "waarde": i.waarde, "norm": i.norm, "voldoet": i.voldoet} for i in indicators)
    return rows


def take_snapshot(day: date) -> int:
    """Write the snapshot of `day`; returns the number of rows written (0: a past day already present)."""
    today = today_amsterdam()
    if day > today:
        raise SnapshotError(f"{day.isoformat()} ligt in de toekomst: een momentopname kan niet vooraf")
    existing = db.session.scalar(select(func.count()).select_from(Snapshot).where(Snapshot.datum == day)) or 0
    if existing and day < today:
        return 0
    rows = [{**row, "datum": day} for row in (*_count_rows(day), *_indicator_rows(day))]
    if existing:
        db.session.execute(delete(Snapshot).where(Snapshot.datum == day))
    db.session.execute(insert(Snapshot), rows)
    db.session.commit()
    return len(rows)
