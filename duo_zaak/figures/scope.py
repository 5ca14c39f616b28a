"""Who sees which zaken, and what every query module shares: organisation/team labels, the breakdown of
figures per organisation and team, the list filters and pagination.

A `Scope` is either everything or a set of team identificaties (a teamleider's teams); every query applies
it as a WHERE on `Zaak.team_id`. Organisations are listed in configuration order, then the pseudo-organisation
"Onbekende organisatie" for zaken of an RSIN not in the configuration (or of an organisation no longer in it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from flask import current_app
from sqlalchemy import ColumnElement, Row, Select, and_, false, func, or_, select

from ..accounts.auth import TEAMLEIDER
from ..db import db
from ..models import Organisatie, Team, Zaak, ZaakType

S = TypeVar("S", bound=Select[Any])
Cell = tuple[int | None, int | None]  # (organisatie_id, team_id)
T = TypeVar("T")

ONBEKENDE_ORGANISATIE = "Onbekende organisatie"
NIET_TOEGEWEZEN = "Niet toegewezen"
# Filter values for the pseudo-organisation and the pseudo-team (no real code or identificatie is empty).
UNKNOWN_ORG_CODE = ""
NO_TEAM_ID = ""


@dataclass(frozen=True)
class Scope:
    """All zaken (`teams` None) or only those of these team identificaties; `zaken`, when given, narrows it
    further to the zaken with these ids (a change's contribution to the stored figures)."""

    teams: frozenset[str] | None = None
    zaken: frozenset[int] | None = None  # only these zaak ids (a writer's contribution to the stored figures)

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def for_user(cls, user: Any) -> Scope:
        """A teamleider sees the zaken of their own teams; every other role sees all."""
        if user.rol == TEAMLEIDER:
            return cls(frozenset(user.team_ids))
        return cls(None)

    @property
    def is_all(self) -> bool:
        return self.teams is None and self.zaken is None

    @property
    def narrowed(self) -> bool:
        """Narrowed to zaak ids: never read from the stored figures."""
        return self.zaken is not None

    def condition(self, zaak: Any = Zaak) -> ColumnElement[bool] | None:
        """The WHERE clause on a zaak entity (or alias), or None for everything."""
        conditions = []
        if self.teams is not None:
            if not self.teams:
                return false()
            conditions.append(zaak.team_id.in_(select(Team.id).where(Team.identificatie.in_(sorted(self.teams)))))
        if self.zaken is not None:
            conditions.append(zaak.id.in_(sorted(self.zaken)) if self.zaken else false())
        return None if not conditions else conditions[0] if len(conditions) == 1 else and_(*conditions)

    def apply(self, query: S, zaak: Any = Zaak) -> S:
        """The query restricted to the scope's zaken."""
        condition = self.condition(zaak)
        return query if condition is None else query.where(condition)


@dataclass(frozen=True)
class OrgLabel:
    """An organisation as shown: `code` None is the pseudo-organisation of unknown RSINs."""

    id: int | None
    code: str | None
    naam: str


@dataclass(frozen=True)
class TeamLabel:
    """A team as shown: `id` is the team identificatie, None for "Niet toegewezen"."""

    id: str | None
    naam: str


UNKNOWN_ORG = OrgLabel(None, None, ONBEKENDE_ORGANISATIE)
NO_TEAM = TeamLabel(None, NIET_TOEGEWEZEN)


def organisations() -> list[OrgLabel]:
    """The configured organisations in configuration order (ids from the mirror, None when not synced yet)."""
    ids = dict(db.session.execute(select(Organisatie.rsin, Organisatie.id)).all())
    return [OrgLabel(ids.get(item["rsin"]), item["code"], item["naam"])
            for item in current_app.config["ORGANISATIES"]]


def org_lookup() -> tuple[list[OrgLabel], dict[int | None, OrgLabel]]:
    """(configured organisations, organisatie_id -> label); unknown ids map to the pseudo-organisation."""
    orgs = organisations()
    by_id: dict[int | None, OrgLabel] = {org.id: org for org in orgs if org.id is not None}
    return orgs, by_id


def org_label(by_id: dict[int | None, OrgLabel], organisatie_id: int | None) -> OrgLabel:
    return by_id.get(organisatie_id, UNKNOWN_ORG)


def team_labels(team_ids: set[int | None]) -> dict[int | None, TeamLabel]:
    """Team row id -> label for the ids given (None -> "Niet toegewezen")."""
    labels: dict[int | None, TeamLabel] = {None: NO_TEAM}
    wanted = [i for i in team_ids if i is not None]
    if wanted:
        rows = db.session.execute(select(Team.id, Team.identificatie, Team.naam).where(Team.id.in_(wanted)))
        labels.update({row.id: TeamLabel(row.identificatie, row.naam) for row in rows})
    return labels


def team_sort_key(label: TeamLabel) -> tuple[bool, str, str]:
    """Teams by name, "Niet toegewezen" last."""
    return (label.id is None, label.naam.lower(), label.id or "")


def org_order(orgs: list[OrgLabel], present: set[OrgLabel]) -> list[OrgLabel]:
    """Configured organisations in order, then the pseudo-organisation when it has figures."""
    return [*orgs, UNKNOWN_ORG] if UNKNOWN_ORG in present else list(orgs)


class Figures(Protocol):
    def add(self, other: Any) -> None: ...


F = TypeVar("F", bound=Figures)


@dataclass
class TeamFigures(Generic[F]):
    team: TeamLabel
    figures: F


@dataclass
class OrgFigures(Generic[F]):
    org: OrgLabel
    figures: F
    teams: list[TeamFigures[F]] = field(default_factory=list)


@dataclass
class Breakdown(Generic[F]):
    """Figures in total, per organisation (configuration order) and per team within it."""

    totaal: F
    organisaties: list[OrgFigures[F]]


def breakdown(cells: dict[tuple[int | None, int | None], F], factory: Callable[[], F]) -> Breakdown[F]:
    """Sum figures per (organisatie_id, team_id) cell up to teams, organisations and the total.

    Every configured organisation is listed; the pseudo-organisation only when it has a cell. Teams are
    listed when they have a cell, by name with "Niet toegewezen" last."""
    orgs, by_id = org_lookup()
    labels = team_labels({team_id for _, team_id in cells})
    per_org: dict[OrgLabel, dict[TeamLabel, F]] = {}
    for (organisatie_id, team_id), figures in cells.items():
        teams = per_org.setdefault(org_label(by_id, organisatie_id), {})
        team = labels.get(team_id, NO_TEAM)
        teams.setdefault(team, factory()).add(figures)
    totaal = factory()
    result = []
    for org in org_order(orgs, set(per_org)):
        org_figures = factory()
        teams = per_org.get(org, {})
        for figures in teams.values():
            org_figures.add(figures)
        totaal.add(org_figures)
        result.append(OrgFigures(org, org_figures, [TeamFigures(team, teams[team])
                                                    for team in sorted(teams, key=team_sort_key)]))
    return Breakdown(totaal, result)


@dataclass
class Page(Generic[T]):
    """One page of a list; `page` counts from 1."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    def replace(self, items: list[Any]) -> Page[Any]:
        """The same page with other items (e.g. rows turned into dataclasses)."""
        return Page(items, self.total, self.page, self.per_page)


def paginate(query: Select[Any], page: int, per_page: int, total: int | None = None,
             key: Any = None, keys: Callable[[int, int], list[Any]] | None = None) -> Page[Row[Any]]:
    """Run an ordered query for one page, with the total count (counted, unless the stored figures know it). A
    page past the end shows the last page.

    With `key` (a unique column of the query's rows) the page is found in two steps: the keys of the page in the
    query's order, then the rows of those keys. Sorting a hundred thousand open zaken with every shown column is
    twice the work of sorting their ids. `keys(offset, limit)`, when given, finds those keys instead (in the
    query's order)."""
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = min(page, max(1, -(-total // per_page)))
    window = query.limit(per_page).offset((page - 1) * per_page)
    if key is None:
        return Page(list(db.session.execute(window).all()), total, page, per_page)
    found = keys((page - 1) * per_page, per_page) if keys is not None else \
        list(db.session.scalars(window.with_only_columns(key, maintain_column_froms=True)))
    rows = {getattr(row, key.key): row for row in db.session.execute(query.order_by(None).where(key.in_(found)))}
    return Page([rows[k] for k in found if k in rows], total, page, per_page)


def cell_filter(organisatie: str | None, team: str | None) -> Callable[[Cell], bool]:
    """The (organisatie_id, team_id) cells a list's organisation and team filters keep (as `org_condition` and
    `team_condition` keep zaken), for totals read from the stored figures."""
    configured = {org.code: org.id for org in organisations()}
    known = {org_id for org_id in configured.values() if org_id is not None}
    team_id: int | None = None
    if team not in (None, NO_TEAM_ID):
        team_id = db.session.scalar(select(Team.id).where(Team.identificatie == team)) or -1

    def keep(cell: Cell) -> bool:
        organisatie_id, cell_team = cell
        if organisatie == UNKNOWN_ORG_CODE and organisatie_id in known:
            return False
        if organisatie not in (None, UNKNOWN_ORG_CODE) and organisatie_id != configured.get(organisatie, -1):
            return False
        return team is None or cell_team == team_id

    return keep


def org_condition(code: str, zaak: Any = Zaak) -> ColumnElement[bool]:
    """Zaken of the organisation with this code; `UNKNOWN_ORG_CODE` selects the pseudo-organisation."""
    orgs = organisations()
    if code == UNKNOWN_ORG_CODE:
        # No organisation, or one no longer configured: named positively (an IN list of the few organisation
        # rows not configured), so the index on organisatie_id finds them instead of a scan for NOT IN.
        configured = [org.id for org in orgs if org.id is not None]
        stale = list(db.session.scalars(select(Organisatie.id).where(Organisatie.id.not_in(configured))))
        return or_(zaak.organisatie_id.is_(None), zaak.organisatie_id.in_(stale)) if stale \
            else zaak.organisatie_id.is_(None)
    org_id = next((org.id for org in orgs if org.code == code), None)
    return false() if org_id is None else zaak.organisatie_id == org_id


def team_condition(identificatie: str, zaak: Any = Zaak) -> ColumnElement[bool]:
    """Zaken of the team with this identificatie; `NO_TEAM_ID` selects "Niet toegewezen"."""
    if identificatie == NO_TEAM_ID:
        return zaak.team_id.is_(None)
    return zaak.team_id.in_(select(Team.id).where(Team.identificatie == identificatie))


def zaaktype_condition(identificatie: str, zaak: Any = Zaak) -> ColumnElement[bool]:
    """Zaken of any version of the zaaktype with this identificatie."""
    return zaak.zaaktype_id.in_(select(ZaakType.id).where(ZaakType.identificatie == identificatie))


def zaaktype_choices() -> list[tuple[str, str]]:
    """(identificatie, omschrijving) of every zaaktype in the catalogue, one per identificatie, by name."""
    name = func.min(ZaakType.omschrijving)
    rows = db.session.execute(select(ZaakType.identificatie, name.label("naam")).where(ZaakType.identificatie != "")
                              .group_by(ZaakType.identificatie).order_by(name, ZaakType.identificatie))
    return [(row.identificatie, row.naam or row.identificatie) for row in rows]
