"""Landing, overview and the health check."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ..accounts.auth import login_required
from ..db import database_reachable
from ..figures.bron import health
from ..figures.freshness import last_successful_sync
from ..figures.overview import overview
from ..figures.scope import Scope
from ..notify import outbox
from .archief_forms import KIND_LABELS
from .filters import QueryForm, team_url_value

bp = Blueprint("main", __name__)

@bp.route("/")
@login_required
def index() -> Response:
    """Every role lands on its overview, with its own figures."""
    return redirect(url_for("main.overzicht"))


@bp.route("/overzicht")
@login_required
def overzicht() -> str | tuple[str, int]:
    form = QueryForm()
    if not form.validate():
        abort(400, description=" ".join(message for _, message in form.error_list()))
    peildatum = form.peildatum.data.isoformat() if form.peildatum.data else None  # carried into every link
    data = overview(g.user.rol, Scope.for_user(g.user), form.effective_peildatum)
    return render_template("main/overzicht.html", data=data, peildatum=peildatum, team_url_value=team_url_value,
                           soort_labels=KIND_LABELS)


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
    if database_ok:
        body["mail"] = outbox.status()  # the e-mail outbox: waiting, failed, last error (no addresses, no content)
    return body, 200 if database_ok else 503
