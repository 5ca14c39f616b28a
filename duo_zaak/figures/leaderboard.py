"""The team leaderboard (PiA follow-up): per behandelend team over a period, ranked by leaderboard_rules.

One row per team (its zaken in every organisation together; "Niet toegewezen" is one row). `organisatie`
is the code of the organisation where the team has most of the zaken counted here (closed in 365 days,
backlog, resolved tasks); ties go to configuration order, the pseudo-organisation gives null.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select

from ..db import db
from ..models import ArchiefTaak, TaakGebeurtenis, Zaak
from ..rules.archive import BEVESTIGD, OPGELOST_IN_BRON
from ..rules.leaderboard import RankedRow, TeamRow, meest_verbeterd, rank
from .archive import backlog_cells
from .history import ACHTERSTAND, ALL, snapshot_values, team_key
from .scope import NO_TEAM, Cell, Scope, org_label, org_lookup, team_labels
from .stored import stored_cells

PERIOD_DAYS = 30
YEAR_DAYS = 365


@dataclass(frozen=True)
class Leaderboard:
    van: date
    tot: date
    rows: list[RankedRow]
    meest_verbeterd: RankedRow | None


def period(peildatum: date, van: date | None = None, tot: date | None = None) -> tuple[date, date]:
    """The period: `tot` defaults to the peildatum, `van` to 29 days before `tot` (30 days inclusive)."""
    tot = tot or peildatum
    return van or tot - timedelta(days=PERIOD_DAYS - 1), tot


@stored_cells("ranglijst", load=lambda value, peildatum: value, tasks=True)
def stored_team_cells(peildatum: date, scope: Scope) -> dict[Cell, dict[str, int]]:
    """The counts behind the leaderboard over the standard period, per (organisatie_id, team_id)."""
    van, tot = period(peildatum)
    return team_cells(peildatum, scope, van, tot)


def team_cells(peildatum: date, scope: Scope, van: date, tot: date) -> dict[Cell, dict[str, int]]:
    """Per (organisatie_id, team_id): zaken closed in the period (`gesloten`, `goed` without aanvullen) and in
    the 365 days (`jaar`), and the tasks resolved in the period. (The archive backlog comes from its own soort.)"""
    cells: dict[Cell, dict[str, int]] = {}

    def cell(organisatie_id: int | None, team_id: int | None) -> dict[str, int]:
        return cells.setdefault((organisatie_id, team_id), dict.fromkeys(
            ("gesloten", "goed", "jaar", "opgelost"), 0))

    year_start = peildatum - timedelta(days=YEAR_DAYS - 1)
    in_period = and_(Zaak.einddatum >= van, Zaak.einddatum <= tot)
    closed = db.session.execute(scope.apply(
        select(Zaak.organisatie_id, Zaak.team_id,
               func.sum(case((in_period, 1), else_=0)).label("gesloten"),
               func.sum(case((and_(in_period, Zaak.aanvullen_ooit.is_(False)), 1), else_=0)).label("goed"),
               func.sum(case((and_(Zaak.einddatum >= year_start, Zaak.einddatum <= peildatum), 1), else_=0))
               .label("jaar"))
        .where(Zaak.vernietigd_op.is_(None), Zaak.einddatum >= min(van, year_start),
               Zaak.einddatum <= max(tot, peildatum))
        .group_by(Zaak.organisatie_id, Zaak.team_id))).all()
    for row in closed:
        item = cell(row.organisatie_id, row.team_id)
        item["gesloten"] += int(row.gesloten)
        item["goed"] += int(row.goed)
        item["jaar"] += int(row.jaar)
    resolved = db.session.execute(scope.apply(
        select(Zaak.organisatie_id, Zaak.team_id, func.count().label("aantal"))
        .select_from(TaakGebeurtenis).join(ArchiefTaak, ArchiefTaak.id == TaakGebeurtenis.taak_id)
        .join(Zaak, Zaak.id == ArchiefTaak.zaak_id)
        .where(TaakGebeurtenis.naar_status.in_((BEVESTIGD, OPGELOST_IN_BRON)),
               TaakGebeurtenis.datum >= van, TaakGebeurtenis.datum <= tot)
        .group_by(Zaak.organisatie_id, Zaak.team_id))).all()
    for row in resolved:
        cell(row.organisatie_id, row.team_id)["opgelost"] += int(row.aantal)
    return cells


@dataclass
class _Team:
    gesloten: int = 0
    goed: int = 0
    gesloten_jaar: int = 0
    achterstand: int = 0
    opgelost: int = 0


def leaderboard(peildatum: date, scope: Scope, *, van: date | None = None, tot: date | None = None) -> Leaderboard:
    """Every team with zaken closed in the 365 days, a backlog or resolved tasks, ranked."""
    standard = period(peildatum)
    van, tot = period(peildatum, van, tot)
    counted = stored_team_cells(peildatum, scope) if (van, tot) == standard else team_cells(peildatum, scope, van, tot)
    teams: dict[int | None, _Team] = {}
    weight: dict[int | None, Counter[int | None]] = {}
    for (organisatie_id, team_id), values in counted.items():
        weight.setdefault(team_id, Counter())[organisatie_id] += values["jaar"] + values["opgelost"]
        item = teams.setdefault(team_id, _Team())
        item.gesloten += values["gesloten"]
        item.goed += values["goed"]
        item.gesloten_jaar += values["jaar"]
        item.opgelost += values["opgelost"]
    for (organisatie_id, team_id), figures in backlog_cells(peildatum, scope).items():
        weight.setdefault(team_id, Counter())[organisatie_id] += figures.achterstand
        teams.setdefault(team_id, _Team()).achterstand += figures.achterstand
    labels = team_labels(set(teams))
    start = snapshot_values(van, ACHTERSTAND, organisatie=ALL)
    orgs, by_id = org_lookup()
    order = {org.id: i for i, org in enumerate(orgs)}
    rows = []
    for team_id, item in teams.items():
        label = labels.get(team_id, NO_TEAM)
        before = start.get(team_key(label))
        main_org = min(weight[team_id], key=lambda o: (-weight[team_id][o], order.get(o, len(order))))
        rows.append(TeamRow(
            id=label.id, naam=label.naam, organisatie=org_label(by_id, main_org).code, gesloten=item.gesloten,
            direct_goed_teller=item.goed, achterstand=item.achterstand, gesloten_365=item.gesloten_jaar,
            opgelost=item.opgelost, trend=None if before is None else item.achterstand - before))
    ranked = rank(rows)
    return Leaderboard(van, tot, ranked, meest_verbeterd(ranked))
