"""PiA capacity planning (`/archief/planning`): at this staffing, when is the archive backlog within the IBT norms,
and how many FTE does it take by a target date. Programme team, PiA and beheerder may look and try other inputs;
programme team and beheerder record PiA's FTE per period (audited).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for
from werkzeug.datastructures import MultiDict

from ..accounts import audit
from ..accounts.auth import BEHEERDER, PIA, PROGRAMMATEAM, role_required
from ..figures import planning_export, planning_report
from ..figures.exports import filename
from ..figures.planning import ALLE_VIER, fte_history, record_fte
from ..figures.scope import organisations
from ..formatting import datum
from ..rules.archive import KINDS
from ..rules.planning import BANDS, NORM_CODES
from .planning_forms import FteForm, PlanningForm

bp = Blueprint("planning", __name__, url_prefix="/archief")

VIEWERS = (PROGRAMMATEAM, PIA, BEHEERDER)
EDITORS = (PROGRAMMATEAM, BEHEERDER)


def _orgs() -> list[Any]:
    return [org for org in organisations() if org.id is not None]


def _plan(form: PlanningForm) -> planning_report.Planning | None:
    """The planning for the form's inputs; None (with the reason on the form) when they do not validate."""
    if not form.validate():
        return None
    try:
        return planning_report.planning(form.effective_peildatum, organisatie=form.org, fte=form.fte.data,
                                        doeldatum=form.doeldatum.data)
    except planning_report.PlanningError as exc:
        form.doeldatum.errors = [*form.doeldatum.errors, str(exc)]
        return None


def _page(form: PlanningForm, fte_form: FteForm | None, status: int = 200) -> tuple[str, int]:
    plan = _plan(form)
    if plan is None:
        status = 400
    return render_template(
        "planning/index.html", form=form, fte_form=fte_form, plan=plan,
        doc=planning_report.document(plan) if plan else None,
        chart=planning_export.chart(plan) if plan else None,
        aannames=planning_report.aannames(plan.max_fte) if plan else [], history=fte_history(),
        soort_labels=planning_export.SOORT_LABELS, band_labels=planning_export.BAND_LABELS,
        bron_labels=planning_export.BRON_LABELS, vanaf=planning_export.vanaf_tekst,
        capaciteit=planning_export.capaciteit_tekst, fte_tekst=planning_report.fte_tekst,
        week_tekst=planning_report.week_tekst, kinds=KINDS, bands=BANDS, norm_codes=NORM_CODES,
        export_args=form.args() if plan else {}), status


@bp.get("/planning")
@role_required(*VIEWERS)
def index() -> tuple[str, int]:
    orgs = _orgs()
    fte_form = FteForm(orgs, formdata=None) if g.user.rol in EDITORS else None
    return _page(PlanningForm(orgs), fte_form)


@bp.post("/planning/fte")
@role_required(*EDITORS)
def fte() -> Any:
    orgs = _orgs()
    form = FteForm(orgs)
    if form.validate_on_submit():
        assert form.van.data is not None
        record_fte(form.organisatie_id, form.fte_value, form.van.data, form.tot.data, gebruiker_id=g.user.id,
                   notitie=form.notitie.data or "")
        wat = (f"{planning_report.fte_tekst(form.fte_value)} fte van {datum(form.van.data)}"
               f"{' tot en met ' + datum(form.tot.data) if form.tot.data else ''}")
        voor = next((org.naam for org in orgs if org.code == form.organisatie.data), ALLE_VIER)
        audit.record("fte_vastleggen", f"pia_fte {form.organisatie.data or '*'}", "ok",
                     details=f"{wat}; {form.notitie.data or ''}"[:500], commit=True)
        flash(f"Vastgelegd: {wat} voor {voor}.", "success")
        return redirect(url_for(".index"))
    audit.record("fte_vastleggen", "pia_fte", "geweigerd: ongeldige invoer", commit=True)
    return _page(PlanningForm(orgs, args=MultiDict()), form, 400)


@bp.get("/planning.xlsx")
@role_required(*VIEWERS)
def export() -> Response:
    form = PlanningForm(_orgs())
    plan = _plan(form)
    if plan is None:
        abort(400, description=" ".join(message for _, message in form.error_list()) or None)
    body = planning_export.workbook(plan)
    audit.record("planning_downloaden", "capaciteitsplanning.xlsx", "ok",
                 details=f"peildatum {plan.peildatum.isoformat()}, {plan.naam}", commit=True)
    response = Response(body, mimetype=planning_export.XLSX)
    name = filename("capaciteitsplanning", plan.organisatie.code if plan.organisatie else None, plan.peildatum,
                    ext="xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
