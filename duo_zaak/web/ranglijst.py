"""The team leaderboard for PiA follow-up, and per team the list of its open archive tasks.

The ranking is `leaderboard.leaderboard` over all teams: every role sees the whole ranking (a teamleider
too, to see where the team stands). The follow-up list is the archive queue of one team; a teamleider may
only open (and export) the list of their own teams.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..accounts import audit
from ..accounts.auth import TEAMLEIDER, login_required
from ..figures.archive import TaskFilter, task_queue
from ..figures.leaderboard import leaderboard
from ..figures.scope import NIET_TOEGEWEZEN, Scope, organisations
from ..formatting import datum
from ..rules.leaderboard import RankedRow
from .archief import MARKERS, PER_PAGE, all_tasks, export_format, invalid_filter, queue_download
from .archief_forms import KIND_LABELS, PERIODS, STATUS_LABELS, PeriodForm, QueueQuery
from .filters import ParamError, page_number, team_filter_value, team_url_value

bp = Blueprint("ranglijst", __name__, url_prefix="/ranglijst")


@bp.context_processor
def _vocabulary() -> dict[str, Any]:
    return {"soort_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "team_url_value": team_url_value,
            "mag_melden": bool(g.get("user") and g.user.rol in MARKERS), "periodes": PERIODS}


def _may_follow_up(team_id: str | None) -> bool:
    """A teamleider follows up only their own teams; every other role every team."""
    return g.user.rol != TEAMLEIDER or (team_id is not None and team_id in g.user.team_ids)


@bp.get("/")
@login_required
def index() -> tuple[str, int] | str:
    form = PeriodForm()
    if not form.validate():
        return render_template("ranglijst/index.html", form=form, board=None), 400
    peildatum, van, tot = form.period()
    board = leaderboard(peildatum, Scope.everything(), van=van, tot=tot)
    ranked = [row for row in board.rows if row.rang is not None]
    unranked = [row for row in board.rows if row.rang is None]
    return render_template("ranglijst/index.html", form=form, board=board, ranked=ranked, unranked=unranked,
                           peildatum=peildatum, may_follow_up=_may_follow_up,
                           org_names={org.code: org.naam for org in organisations()})


def _team_request() -> tuple[str, str | None, Any]:
    """(URL team value, team identificatie or None for "Niet toegewezen", peildatum form) or abort."""
    value = request.args.get("team", "")
    if not value or len(value) > 100:
        abort(400, description="Kies een team uit de ranglijst (parameter 'team', hooguit 100 tekens).")
    team_id = team_filter_value(value) or None
    if not _may_follow_up(team_id):
        audit.record("toegang_geweigerd", request.full_path.rstrip("?"), "403: ander team", commit=True)
        abort(403)
    form = PeriodForm()
    if not form.validate():
        invalid_filter(form)
    return value, team_id, form


def _team_name(rows: list[RankedRow], team_id: str | None) -> tuple[str, RankedRow | None]:
    row = next((r for r in rows if r.id == team_id), None)
    if row is not None:
        return row.naam, row
    return (NIET_TOEGEWEZEN if team_id is None else team_id), None


@bp.get("/opvolging")
@login_required
def opvolging() -> str | Response:
    """One team's open archive tasks (the backlog at the peildatum), to send to its team lead."""
    if not request.args.get("team"):
        return redirect(url_for(".index"))
    value, team_id, form = _team_request()
    try:
        page = page_number()
    except ParamError as exc:
        abort(400, description=exc.message)
    peildatum, van, tot = form.period()
    board = leaderboard(peildatum, Scope.everything(), van=van, tot=tot)
    naam, row = _team_name(board.rows, team_id)
    tasks = task_queue(peildatum, Scope.everything(), TaskFilter(team=team_filter_value(value)), page=page,
                       per_page=PER_PAGE)
    return render_template("ranglijst/opvolging.html", form=form, team=value, naam=naam, row=row, tasks=tasks,
                           peildatum=peildatum)


@bp.get("/opvolging/export")
@login_required
def opvolging_export() -> Response:
    value, team_id, form = _team_request()
    fmt = export_format()
    peildatum = form.effective_peildatum
    query = QueueQuery(peildatum, TaskFilter(team=team_filter_value(value)), "dagen_open", True, 1)
    tasks = all_tasks(query, Scope.everything())
    naam = tasks[0].team.naam if tasks else (NIET_TOEGEWEZEN if team_id is None else value)
    return queue_download(tasks, fmt, titel=f"Open archieftaken van {naam}",
                          filters=[("Peildatum", datum(peildatum)), ("Team", naam)],
                          name=f"archieftaken_{value}", peildatum=peildatum)
