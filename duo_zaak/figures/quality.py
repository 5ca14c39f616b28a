"""Data-quality findings ("betrouwbaarheid en volledigheid") over the non-destroyed zaken in the mirror.

Each finding but one is a SQL condition on one zaak; their counts come from one scan with a conditional sum
per finding. `dubbele_identificatie` joins the groups of bronorganisatie + identificatie with more than one
live zaak in the whole mirror (every member counts) in a query of its own; the scope then decides which
members are counted and shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from ..db import db
from ..models import Zaak, ZaakType
from ..rules.quality import FINDINGS
from .scope import (
    NO_TEAM,
    UNKNOWN_ORG_CODE,
    Cell,
    OrgLabel,
    Page,
    Scope,
    TeamLabel,
    org_condition,
    org_label,
    org_lookup,
    paginate,
    team_labels,
)
from .sqlfunctions import unordered
from .stored import read, stored_cells


def _blank(column: Any) -> ColumnElement[bool]:
    return func.coalesce(column, "") == ""


def _duplicate_groups() -> Any:
    """bronorganisatie + identificatie shared by more than one non-destroyed zaak."""
    return (select(Zaak.bronorganisatie.label("bron"), Zaak.identificatie.label("ident"))
            .where(Zaak.vernietigd_op.is_(None)).group_by(Zaak.bronorganisatie, Zaak.identificatie)
            .having(func.count() > 1).subquery("dubbel"))


def _with_duplicates(query: Select[Any]) -> Select[Any]:
    """The query restricted to members of a duplicate group."""
    groups = _duplicate_groups()
    return query.join(groups, and_(groups.c.bron == Zaak.bronorganisatie, groups.c.ident == Zaak.identificatie))


def _duplicate_cells(scope: Scope) -> dict[Cell, int]:
    """Members of duplicate groups per (organisatie_id, team_id) in the scope: for a scope narrowed to a few
    zaken, an index look-up per zaak for another live zaak with its bronorganisatie and identificatie; else the
    groups of the whole mirror, joined."""
    if scope.narrowed:
        other = aliased(Zaak)
        member = select(other.id).where(other.bronorganisatie == Zaak.bronorganisatie,
                                        other.identificatie == Zaak.identificatie, other.id != Zaak.id,
                                        other.vernietigd_op.is_(None)).exists()
        query = select(Zaak.organisatie_id, Zaak.team_id, func.count().label("aantal")).where(member)
    else:
        groups = _duplicate_groups()
        query = select(Zaak.organisatie_id, Zaak.team_id, func.count().label("aantal")).join(
            groups, and_(groups.c.bron == Zaak.bronorganisatie, groups.c.ident == Zaak.identificatie))
    query = query.where(Zaak.vernietigd_op.is_(None)).group_by(Zaak.organisatie_id, Zaak.team_id)
    return {(row.organisatie_id, row.team_id): int(row.aantal) for row in db.session.execute(scope.apply(query))}


DUBBELE_IDENTIFICATIE = "dubbele_identificatie"
# code -> condition on one zaak at the peildatum (all findings but dubbele_identificatie)
CONDITIONS: dict[str, Callable[[date], ColumnElement[bool]]] = {
    "geen_team": lambda p: Zaak.team_id.is_(None),
    "zaaktype_onbekend": lambda p: Zaak.zaaktype_id.is_(None),
    "geen_doorlooptijd": lambda p: Zaak.zaaktype_id.in_(
        select(ZaakType.id).where(ZaakType.doorlooptijd_bruikbaar.is_(False))),
    "einddatum_voor_startdatum": lambda p: Zaak.einddatum < Zaak.startdatum,
    "startdatum_in_toekomst": lambda p: Zaak.startdatum > p,
    "gesloten_zonder_resultaat": lambda p: and_(Zaak.einddatum.is_not(None), _blank(Zaak.resultaat_url)),
    "uiterste_datum_voor_startdatum": lambda p: Zaak.uiterlijke_einddatum_afdoening < Zaak.startdatum,
    "gearchiveerd_zonder_archiefgegevens": lambda p: and_(
        Zaak.archiefstatus != "nog_te_archiveren",
        or_(_blank(Zaak.archiefnominatie), Zaak.archiefactiedatum.is_(None))),
    # The zaken shown under "Onbekende organisatie": the same condition as that pseudo-organisation's filter.
    "onbekende_bronorganisatie": lambda p: org_condition(UNKNOWN_ORG_CODE),
    "onleesbaar_in_bron": lambda p: Zaak.onleesbaar_in_bron.is_not(None),
}
CODES = tuple(FINDINGS)
assert set(CODES) == {*CONDITIONS, DUBBELE_IDENTIFICATIE}, "quality_rules.FINDINGS and the SQL must agree"


@dataclass(frozen=True)
class Finding:
    code: str
    omschrijving: str
    aantal: int


@stored_cells("kwaliteit", load=lambda value, peildatum: value, tasks=False)
def finding_cells(peildatum: date, scope: Scope) -> dict[Cell, dict[str, int]]:
    """The number of (non-destroyed, in-scope) zaken per finding, per (organisatie_id, team_id)."""
    sums = [func.sum(case((condition(peildatum), 1), else_=0)).label(code) for code, condition in CONDITIONS.items()]
    # `unordered`: one scan of the table, grouped after it, instead of walking an index (ix_zaak_organisatie_team,
    # or a partial index on "not destroyed") with a table look-up per zaak: several times slower on SQLite
    organisatie, team = unordered(Zaak.organisatie_id), unordered(Zaak.team_id)
    rows = db.session.execute(scope.apply(select(organisatie.label("organisatie_id"), team.label("team_id"), *sums)
                                          .where(unordered(Zaak.vernietigd_op).is_(None)).group_by(organisatie, team)))
    cells = {(row.organisatie_id, row.team_id): {code: int(getattr(row, code) or 0) for code in CONDITIONS}
             for row in rows}
    for cell, members in _duplicate_cells(scope).items():
        cells.setdefault(cell, dict.fromkeys(CONDITIONS, 0))[DUBBELE_IDENTIFICATIE] = members
    for counts in cells.values():
        counts.setdefault(DUBBELE_IDENTIFICATIE, 0)
    return cells


def _totals(peildatum: date, scope: Scope) -> Counter[str]:
    totals: Counter[str] = Counter()
    for counts in finding_cells(peildatum, scope).values():
        totals.update(counts)
    return totals


def findings(peildatum: date, scope: Scope) -> list[Finding]:
    """Every finding with its number of (non-destroyed, in-scope) zaken, in domain.md's order."""
    totals = _totals(peildatum, scope)
    return [Finding(code, description(code), totals[code]) for code in CODES]


ONBEKENDE_BRONORGANISATIE = "onbekende_bronorganisatie"


def count_finding(code: str, peildatum: date, scope: Scope) -> int:
    """The number of (non-destroyed, in-scope) zaken with one finding: from the stored cells, or without
    scanning for the others (for `onbekende_bronorganisatie` an index range on organisatie_id)."""
    if code not in CONDITIONS:
        raise ValueError(f"bevinding {code!r} wordt niet los geteld")
    stored = read("kwaliteit", peildatum, scope)
    if stored is not None:
        return sum(counts[code] for counts in stored.values())
    query = select(func.count()).select_from(Zaak).where(Zaak.vernietigd_op.is_(None), CONDITIONS[code](peildatum))
    return int(db.session.scalar(scope.apply(query)) or 0)


def description(code: str) -> str:
    """The Dutch omschrijving of a finding."""
    return FINDINGS[code].omschrijving


@dataclass(frozen=True)
class FindingZaak:
    id: int
    identificatie: str
    url: str
    omschrijving: str
    organisatie: OrgLabel
    team: TeamLabel
    zaaktype: str
    startdatum: date
    einddatum: date | None
    archiefstatus: str


def finding_zaken(code: str, peildatum: date, scope: Scope, *, page: int = 1,
                  per_page: int = 50) -> Page[FindingZaak]:
    """The zaken with this finding, by identificatie, one page."""
    if code not in CODES:
        raise ValueError(f"onbekende bevinding {code!r}")
    query = select(Zaak.id, Zaak.identificatie, Zaak.url, Zaak.omschrijving, Zaak.organisatie_id, Zaak.team_id,
                   ZaakType.omschrijving.label("zaaktype"), Zaak.startdatum, Zaak.einddatum, Zaak.archiefstatus)
    query = _with_duplicates(query) if code == DUBBELE_IDENTIFICATIE else query.where(CONDITIONS[code](peildatum))
    query = scope.apply(query.outerjoin(ZaakType, ZaakType.id == Zaak.zaaktype_id).where(Zaak.vernietigd_op.is_(None)))
    query = query.order_by(Zaak.identificatie, Zaak.id)
    result = paginate(query, page, per_page)
    _, by_id = org_lookup()
    labels = team_labels({row.team_id for row in result.items})
    items = [FindingZaak(row.id, row.identificatie, row.url, row.omschrijving,
                         org_label(by_id, row.organisatie_id), labels.get(row.team_id, NO_TEAM),
                         row.zaaktype or "", row.startdatum, row.einddatum, row.archiefstatus)
             for row in result.items]
    return result.replace(items)
