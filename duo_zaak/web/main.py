"""Landing, overview and the health check."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ..accounts.auth import login_required
from ..db import database_reachable
from ..figures.bron import health
from ..figures.freshness import last_successful_sync

bp = Blueprint("main", __name__)

LANDING = {
    # role -> endpoint of its landing page; the workspaces register theirs here.
    "teamleider": "achterstand.index",
    "pia": "archief.index",
    "programmateam": "ibt.index",
}


@bp.route("/")
@login_required
def index() -> Response:
    from flask import current_app

    endpoint = LANDING.get(g.user.rol, "main.overzicht")
    if endpoint not in current_app.view_functions:
        endpoint = "main.overzicht"
    return redirect(url_for(endpoint))


@bp.route("/overzicht")
@login_required
def overzicht() -> str:
    return render_template("main/overzicht.html")


@bp.route("/healthz")
def healthz() -> tuple[dict, int]:
    """For monitoring: the database, the age of the last successful sync, the last run's outcome and skipped
    records, and whether the source's and the mirror's counts differed at the last measurement."""
    database_ok = database_reachable()
    age = None
    sync: dict[str, object] = {"laatste_sync_uitkomst": None, "laatste_sync_overgeslagen": None,
                               "volledigheid_verschil": None}
    if database_ok:
        sync = health()
        run = last_successful_sync()
        if run is not None:
            moment = run.geeindigd_op or run.gestart_op
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            age = int((datetime.now(UTC) - moment).total_seconds())
    body = {"status": "ok" if database_ok else "fout", "database": database_ok, "laatste_sync_leeftijd_s": age,
            **sync}
    return body, 200 if database_ok else 503
