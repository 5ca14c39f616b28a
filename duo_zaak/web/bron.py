"""Bron en volledigheid (`/bron`): is the mirror complete and current? Recent sync runs, the source's own counts
beside the mirror's, the records the last run could not read, and "Nu synchroniseren" (beheerder), which asks
the worker for a run: the web request never runs one itself."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField

from ..accounts import audit
from ..accounts.auth import BEHEERDER, PROGRAMMATEAM, role_required
from ..figures.bron import completeness, last_finished_run, recent_runs, running_run, skipped_records, waiting_request
from ..formatting import datumtijd
from ..notify import outbox
from ..sync import queue as notificatie_wachtrij
from ..sync import requests as sync_requests

bp = Blueprint("bron", __name__, url_prefix="/bron")

ROLES = (PROGRAMMATEAM, BEHEERDER)
MODI = {"incrementeel": "Incrementeel: de lopende en nog te archiveren zaken",
        "volledig": "Volledig: alle zaken (duurt langer)"}
UITKOMSTEN = {"geslaagd": "Geslaagd", "mislukt": "Mislukt", "afgebroken": "Afgebroken", "bezig": "Bezig"}


class SyncRequestForm(FlaskForm):
    modus = SelectField("Soort synchronisatie", choices=list(MODI.items()), default="incrementeel")
    submit = SubmitField("Nu synchroniseren")


def duur(seconden: float | None) -> str:
    """A run's duration in Dutch: "4,2 s", "3 min 05 s", or "loopt nog"."""
    if seconden is None:
        return "loopt nog"
    if seconden < 60:
        return f"{seconden:.1f}".replace(".", ",") + " s"
    minuten, rest = divmod(int(round(seconden)), 60)
    return f"{minuten} min {rest:02d} s"


def _page(form: SyncRequestForm, status: int = 200) -> tuple[str, int]:
    last = last_finished_run()
    return render_template(
        "bron/index.html", form=form, runs=recent_runs(20), counts=completeness(), last=last,
        skipped=skipped_records(last.id) if last else [], waiting=waiting_request(), running=running_run(),
        kan_synchroniseren=g.user.rol == BEHEERDER, modi=MODI, uitkomsten=UITKOMSTEN, duur=duur,
        wachtrij=notificatie_wachtrij.status(), mail_status=outbox.status(),
    ), status


@bp.get("")
@role_required(*ROLES)
def index() -> Any:
    return _page(SyncRequestForm())


@bp.post("/synchroniseren")
@role_required(BEHEERDER)
def synchroniseren() -> Any:
    form = SyncRequestForm()
    if not form.validate_on_submit():
        if form.modus.errors:
            form.modus.errors = ["Kies incrementeel of volledig."]
        return _page(form, 400)
    volledig = form.modus.data == "volledig"
    verzoek, nieuw = sync_requests.request_run(g.user.gebruikersnaam, volledig=volledig)
    audit.record("synchronisatie_aangevraagd", form.modus.data, "ok" if nieuw else "stond al klaar",
                 details=f"verzoek {verzoek.id}", commit=True)
    if nieuw:
        flash("Synchronisatie aangevraagd. De worker begint binnen enkele seconden; ververs deze pagina om de "
              "voortgang te zien.", "success")
    else:
        flash(f"Er stond al een synchronisatie klaar (aangevraagd door {verzoek.aangevraagd_door} op "
              f"{datumtijd(verzoek.aangevraagd_op)}); die wordt nu {'volledig ' if verzoek.volledig else ''}"
              "uitgevoerd.", "warning")
    return redirect(url_for(".index"))
