"""The JSON documents of the read-only API; `flask report` prints the same ones.

Plain dicts of JSON types: dates `YYYY-MM-DD`, percentages numbers 0-100 with one decimal, counts integers,
teams `{"id", "naam"}` (id null = "Niet toegewezen"), organisations `{"code", "naam"}` (code null =
"Onbekende organisatie").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..rules.leaderboard import RankedRow
from .archive import ArchiveFigures, QueueTask, archive_backlog
from .backlog import OpenFigures, OpenZaak, open_figures
from .indicators import OrgIndicators, indicators_now
from .leaderboard import leaderboard
from .planning_report import planning_document
from .quality import findings
from .scope import Breakdown, OrgLabel, Scope, TeamLabel

Document = dict[str, Any]


def team_json(team: TeamLabel) -> Document:
    return {"id": team.id, "naam": team.naam}


def org_json(org: OrgLabel) -> Document:
    return {"code": org.code, "naam": org.naam}


def _tree(peildatum: date, data: Breakdown[Any], figures: Callable[[Any], Document]) -> Document:
    return {
        "peildatum": peildatum.isoformat(),
        "totaal": figures(data.totaal),
        "organisaties": [
            {**org_json(org.org), **figures(org.figures),
             "teams": [{**team_json(team.team), **figures(team.figures)} for team in org.teams]}
            for org in data.organisaties
        ],
    }


def _open_json(figures: OpenFigures) -> Document:
    return {
        "open": figures.open, "op_tijd": figures.op_tijd, "norm_overschreden": figures.norm_overschreden,
        "termijn_overschreden": figures.termijn_overschreden, "opgeschort": figures.opgeschort,
        "onbekend": figures.onbekend, "binnenkort_verlopend": figures.binnenkort_verlopend,
        "ouderdom": dict(figures.ouderdom),
    }


def backlog_document(peildatum: date, scope: Scope) -> Document:
    """GET /api/v1/backlog: open zaken per state, due soon and overdue by age."""
    return _tree(peildatum, open_figures(peildatum, scope), _open_json)


def open_zaak_json(zaak: OpenZaak) -> Document:
    """One open zaak of GET /api/v1/backlog/zaken, with how its fatale datum came about (the steps as data).
    `fatale_datum` is the stored date the state is computed with; `fatale_datum_herkomst.datum` is what its
    inputs give now, and differs only for a zaak the sync has not re-derived since they changed."""
    return {
        "identificatie": zaak.identificatie, "zaak_url": zaak.url, "organisatie": zaak.organisatie.code,
        "team": team_json(zaak.team), "zaaktype": zaak.zaaktype or None,
        "startdatum": zaak.startdatum.isoformat(), "fatale_datum": _iso(zaak.fatale_datum),
        "fatale_datum_herkomst": zaak.herkomst.as_dict(), "streefdatum": _iso(zaak.streefdatum),
        "toestand": zaak.state, "binnenkort_verlopend": zaak.binnenkort_verlopend,
        "dagen_over_termijn": zaak.dagen_over_termijn,
        "termijn_verstreken_tijdens_opschorting": zaak.verstreken_tijdens_opschorting,
        "opschorting_reden": zaak.opschorting_reden,
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _archive_json(figures: ArchiveFigures) -> Document:
    return {"achterstand": figures.achterstand, "per_soort": dict(figures.per_soort),
            "niet_bevestigd": figures.niet_bevestigd, "oudste_dagen": figures.oudste_dagen}


def archive_document(peildatum: date, scope: Scope) -> Document:
    """GET /api/v1/archief: the archive backlog per kind, organisation and team."""
    return _tree(peildatum, archive_backlog(peildatum, scope), _archive_json)


def task_json(task: QueueTask) -> Document:
    return {
        "id": task.id, "zaak_identificatie": task.zaak_identificatie, "zaak_url": task.zaak_url,
        "organisatie": task.organisatie.code, "team": team_json(task.team), "soort": task.soort,
        "vervaldatum": task.vervaldatum.isoformat(), "dagen_open": task.dagen_open, "status": task.status,
    }


def quality_document(peildatum: date, scope: Scope) -> Document:
    """GET /api/v1/kwaliteit: every finding with its number of zaken."""
    return {"peildatum": peildatum.isoformat(),
            "bevindingen": [{"code": f.code, "omschrijving": f.omschrijving, "aantal": f.aantal}
                            for f in findings(peildatum, scope)]}


def _org_indicators_json(item: OrgIndicators) -> Document:
    return {
        **org_json(item.org),
        "indicatoren": [{"code": i.code, "waarde": i.waarde, "teller": i.teller, "noemer": i.noemer,
                         "norm": i.norm, "voldoet": i.voldoet} for i in item.indicatoren],
        "kpis": [{"nummer": nummer, "oordeel": oordeel} for nummer, oordeel in item.kpis.items()],
        "gereed_voor_opheffing": item.gereed_voor_opheffing,
        "ontbreekt": list(item.ontbreekt),
        "prognose_achterstand_nul": item.prognose_achterstand_nul,
        "aantal_zaken": item.aantal_zaken,
        "bevinding": item.bevinding,
    }


def indicators_document(peildatum: date, scope: Scope) -> Document:
    """GET /api/v1/indicatoren: IBT indicators, KPI judgements, readiness and forecast per organisation. The
    pseudo-organisation (code null) has no readiness verdict (null), no KPIs and no forecast, and names the
    finding that explains it with its number of zaken."""
    return {"peildatum": peildatum.isoformat(),
            "organisaties": [_org_indicators_json(item) for item in indicators_now(peildatum, scope)]}


def leaderboard_document(peildatum: date, scope: Scope, van: date | None = None, tot: date | None = None) -> Document:
    """GET /api/v1/ranglijst: the team leaderboard over a period (default the 30 days up to the peildatum)."""
    board = leaderboard(peildatum, scope, van=van, tot=tot)
    return {
        "peildatum": peildatum.isoformat(),
        "periode": {"van": board.van.isoformat(), "tot": board.tot.isoformat()},
        "teams": [{"rang": row.rang, "id": row.id, "naam": row.naam, "organisatie": row.organisatie,
                   "gesloten": row.gesloten, "direct_goed": row.direct_goed, "achterstand": row.achterstand,
                   "achterstand_per_100": row.achterstand_per_100, "opgelost": row.opgelost, "trend": row.trend}
                  for row in board.rows],
        "meest_verbeterd": _team_ref(board.meest_verbeterd),
    }


def _team_ref(row: RankedRow | None) -> Document | None:
    return None if row is None else {"id": row.id, "naam": row.naam, "trend": row.trend}


REPORTS: dict[str, Callable[[date, Scope], Document]] = {
    "backlog": backlog_document,
    "archief": archive_document,
    "indicatoren": indicators_document,
    "ranglijst": leaderboard_document,
    "kwaliteit": quality_document,
    "planning": planning_document,
}
