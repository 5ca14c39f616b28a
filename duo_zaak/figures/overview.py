"""The figures on each role's landing page (/overzicht): a team lead's teams, PiA's queue, the programme team's
readiness per organisation. Each figure is the same number as on the page it links to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..accounts.auth import BEHEERDER, PIA, PROGRAMMATEAM, TEAMLEIDER
from .archive import ArchiveFigures, archive_backlog
from .backlog import OpenFigures, open_figures
from .indicators import indicators_now
from .scope import OrgLabel, Scope, TeamLabel, team_sort_key


@dataclass(frozen=True)
class TeamOverview:
    team: TeamLabel
    figures: OpenFigures


@dataclass(frozen=True)
class Readiness:
    org: OrgLabel
    gereed: bool
    ontbreekt: int


@dataclass(frozen=True)
class Overview:
    peildatum: date
    teams: list[TeamOverview] | None  # team lead: their own teams; beheerder: every team
    open_totaal: OpenFigures | None
    archief: ArchiveFigures | None  # PiA and beheerder: the whole queue
    gereedheid: list[Readiness] | None  # programme team and beheerder: the configured organisations


def overview(rol: str, scope: Scope, peildatum: date) -> Overview:
    teams = open_totaal = archief = gereedheid = None
    if rol in (TEAMLEIDER, BEHEERDER):
        backlog = open_figures(peildatum, scope)
        found: dict[str | None, TeamOverview] = {}
        for org in backlog.organisaties:  # a team with zaken of two organisations is one row
            for team in org.teams:
                row = found.setdefault(team.team.id, TeamOverview(team.team, OpenFigures()))
                row.figures.add(team.figures)
        if scope.teams is not None:  # a team without open zaken still has a row, with zeros
            for team_id in scope.teams:
                found.setdefault(team_id, TeamOverview(TeamLabel(team_id, team_id), OpenFigures()))
        teams = sorted(found.values(), key=lambda row: team_sort_key(row.team))
        open_totaal = backlog.totaal
    if rol in (PIA, BEHEERDER):
        archief = archive_backlog(peildatum, scope).totaal
    if rol in (PROGRAMMATEAM, BEHEERDER):
        gereedheid = [Readiness(item.org, item.gereed_voor_opheffing, len(item.ontbreekt))
                      for item in indicators_now(peildatum, Scope.everything()) if item.org.code is not None]
    return Overview(peildatum, teams, open_totaal, archief, gereedheid)

