"""The programme team's IBT workspace: indicators, readiness and forecast per organisation, the month
table, the qualitative KPIs, the norms and the report for the province (printable HTML and XLSX).

Every role may read; programmateam and beheerder edit KPIs, norms and the readiness window.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for

from ..accounts import audit
from ..accounts.auth import BEHEERDER, PIA, PROGRAMMATEAM, TEAMLEIDER, role_required
from ..figures import ibt_history, ibt_report, planning_export, planning_report
from ..figures.exports import filename
from ..figures.indicators import (
    VENSTER_CODE,
    current_kpis,
    current_norms,
    readiness_window,
    set_kpi,
    set_norm,
    set_readiness_window,
)
from ..figures.scope import OrgLabel, Scope, organisations
from ..formatting import datum, today_amsterdam
from ..rules import ibt as ibt_rules
from .fields import parse_datum
from .ibt_forms import KpiForm, NormForm, WindowForm

bp = Blueprint("ibt", __name__, url_prefix="/ibt")

READERS = (TEAMLEIDER, PROGRAMMATEAM, PIA, BEHEERDER)
EDITORS = (PROGRAMMATEAM, BEHEERDER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}")  # ISO from links, dd-mm-jjjj typed


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "can_edit": bool(g.get("user")) and g.user.rol in EDITORS,
        "indicatoren": ibt_rules.INDICATOREN,
        "kpi_namen": ibt_rules.KPI_NAMEN,
        "maand_naam": ibt_report.maand_naam,
        "waarde_tekst": ibt_report.waarde_tekst,
        "bewijs_links": ibt_report.evidence_links,
        "is_web_link": ibt_report.is_web_link,
        "iso_datum": lambda value: datum(date.fromisoformat(value)),
        "soort_labels": ibt_report.SOORT_LABELS,
        "count_codes": ibt_report.COUNT_CODES,
        "norm_tekst": ibt_rules.norm_tekst,
        "forecast_uitleg": "Lijn met punten: de gemeten achterstand per dag. Stippellijn: de rechte lijn door die "
                           "punten; daalt hij, dan doorgetrokken tot de dag van nul (hoogstens een jaar vooruit).",
    }


def _peildatum() -> date:
    value = request.args.get("peildatum", "").strip()
    if not value:
        return today_amsterdam()
    peildatum = parse_datum(value) if _DATE.fullmatch(value) else None
    if peildatum is None:
        abort(400, description=f"peildatum {value[:40]!r} is geen datum (dd-mm-jjjj)")
    if not 2000 <= peildatum.year <= 2100:
        abort(400, description="peildatum moet tussen 2000 en 2100 liggen")
    return peildatum


def _org(code: str) -> OrgLabel:
    """A configured, synced organisation (KPIs belong to one); 404 otherwise."""
    for org in organisations():
        if org.code == code and org.id is not None:
            return org
    abort(404)


def _overview() -> ibt_report.Overview:
    return ibt_report.overview(_peildatum(), Scope.for_user(g.user))


def _editors_only() -> None:
    if g.user.rol not in EDITORS:
        audit.record("toegang_geweigerd", request.path, "403", commit=True)
        abort(403)


@bp.get("")
@role_required(*READERS)
def index() -> str:
    view = _overview()
    sparks = {(org.slug, i.code): ibt_report.sparkline(org, i, view.maanden)
              for org in view.organisaties for i in org.item.indicatoren}
    forecasts = {org.slug: ibt_report.forecast_chart(org, view.peildatum) for org in view.organisaties}
    return render_template("ibt/index.html", view=view, sparks=sparks, forecasts=forecasts)


@bp.get("/maanden")
@role_required(*READERS)
def maanden() -> str:
    return render_template("ibt/maanden.html", view=_overview(), norms=current_norms())


@bp.get("/kpi/<code>")
@role_required(*READERS)
def kpis(code: str) -> str:
    org = _org(code)
    return render_template("ibt/kpis.html", org=org, kpis=current_kpis(org.id),
                           organisaties=[o for o in organisations() if o.id is not None])


@bp.route("/kpi/<code>/<int:nummer>", methods=["GET", "POST"])
@role_required(*READERS)
def kpi(code: str, nummer: int) -> Any:
    if request.method == "POST":
        _editors_only()
    org = _org(code)
    if nummer not in ibt_rules.KPI_NAMEN:
        abort(404)
    assert org.id is not None
    current = current_kpis(org.id)[nummer]
    form = KpiForm(data=_kpi_data(current) if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        row = set_kpi(org.id, nummer, form.oordeel.data or None, gebruiker_id=g.user.id,
                      eigenaar=form.eigenaar.data, streefdatum=form.streefdatum.data, notitie=form.notitie.data,
                      bewijs="\n".join(ibt_report.evidence_links(form.bewijs.data)))
        audit.record("kpi_wijzigen", f"{org.code}/KPI {nummer}", "ok",
                     details="; ".join(ibt_history.kpi_changes(current, row)), commit=True)
        flash(f"KPI {nummer} van {org.naam} is opgeslagen.", "success")
        return redirect(url_for("ibt.kpi", code=code, nummer=nummer))
    if request.method == "POST":
        status = 400
        audit.record("kpi_wijzigen", f"{org.code}/KPI {nummer}", "geweigerd: ongeldige invoer", commit=True)
    return render_template("ibt/kpi.html", org=org, nummer=nummer, naam=ibt_rules.KPI_NAMEN[nummer],
                           current=current, form=form, versions=ibt_history.kpi_versions(org.id, nummer)), status


def _kpi_data(row: Any) -> dict[str, Any]:
    if row is None:
        return {}
    return {"oordeel": row.oordeel or "", "eigenaar": row.eigenaar, "streefdatum": row.streefdatum,
            "notitie": row.notitie, "bewijs": row.bewijs}


@bp.get("/normen")
@role_required(*READERS)
def normen() -> str:
    norms = current_norms()
    defaults = {code: ibt_rules.norm_tekst(norm) for code, norm in ibt_rules.DEFAULT_NORMS.items()}
    rows = [(code, naam, ibt_rules.norm_tekst(norms[code]), ibt_history.norm_versions(code, defaults[code]))
            for code, naam in ibt_rules.INDICATOREN.items()]
    window = ibt_history.norm_versions(VENSTER_CODE, _configured_window_text())
    return render_template("ibt/normen.html", rows=rows, venster=readiness_window(),
                           venster_versies=window)


def _configured_window_text() -> str:
    return f"{int(current_app.config['GEREED_MAANDEN'])} maanden"


@bp.route("/normen/<code>", methods=["GET", "POST"])
@role_required(*READERS)
def norm(code: str) -> Any:
    _editors_only()
    if code not in ibt_rules.INDICATOREN:
        abort(404)
    old = current_norms()[code]
    form = NormForm(code, data={"operator": old.operator, "waarde": old.waarde} if request.method == "GET" else None)
    if form.validate_on_submit():
        new = ibt_rules.Norm(form.operator.data, float(form.waarde.data))
        set_norm(code, new.operator, new.waarde, gebruiker_id=g.user.id, toelichting=form.toelichting.data)
        change = f"{ibt_rules.norm_tekst(old)} → {ibt_rules.norm_tekst(new)}"
        audit.record("norm_wijzigen", code, "ok", details=change, commit=True)
        flash(f"Norm {code} gewijzigd: {change}. Eerdere momentopnamen houden hun norm van toen.", "success")
        return redirect(url_for("ibt.normen"))
    default = ibt_rules.norm_tekst(ibt_rules.DEFAULT_NORMS[code])
    return render_template("ibt/norm.html", form=form, titel=f"Norm {code} {ibt_rules.INDICATOREN[code]}",
                           huidig=ibt_rules.norm_tekst(old), versions=ibt_history.norm_versions(code, default)), \
        400 if request.method == "POST" else 200


@bp.route("/normen/venster", methods=["GET", "POST"])
@role_required(*READERS)
def venster() -> Any:
    _editors_only()
    old = readiness_window()
    form = WindowForm(data={"maanden": old} if request.method == "GET" else None)
    if form.validate_on_submit():
        set_readiness_window(form.maanden.data, gebruiker_id=g.user.id,
                                        toelichting=form.toelichting.data)
        audit.record("gereedvenster_wijzigen", "GEREED_MAANDEN", "ok", details=f"{old} → {form.maanden.data} maanden",
                     commit=True)
        flash(f"Venster voor gereedheid: {form.maanden.data} volledige maanden.", "success")
        return redirect(url_for("ibt.normen"))
    return render_template("ibt/norm.html", form=form, titel="Venster voor gereedheid", huidig=f"{old} maanden",
                           versions=ibt_history.norm_versions(VENSTER_CODE, _configured_window_text())), \
        400 if request.method == "POST" else 200


def _plans(view: ibt_report.Overview) -> list[planning_report.Planning]:
    """The capacity planning section: organisation-level, so only in the report of a user who sees everything."""
    return planning_report.summary(view.peildatum) if view.alles else []


@bp.get("/rapport")
@role_required(*READERS)
def rapport() -> str:
    view = _overview()
    forecasts = {org.slug: ibt_report.forecast_chart(org, view.peildatum) for org in view.organisaties}
    plans = _plans(view)
    return render_template("ibt/rapport.html", view=view, forecasts=forecasts, plans=plans,
                           planning_chart=planning_export.chart(plans[0], "planning-alle") if plans else None,
                           planning_aannames=planning_report.aannames(plans[0].max_fte) if plans else [],
                           planning_vanaf=planning_export.vanaf_tekst, fte_tekst=planning_report.fte_tekst)


@bp.get("/rapport.xlsx")
@role_required(*READERS)
def rapport_xlsx() -> Response:
    view = _overview()
    plans = _plans(view)
    body = ibt_report.workbook(view, lambda book: planning_export.add_summary_sheet(book, plans))
    audit.record("rapport_downloaden", "ibt-rapport.xlsx", "ok", details=f"peildatum {view.peildatum.isoformat()}",
                 commit=True)
    response = Response(body, mimetype=XLSX)
    name = filename("ibt-rapport", view.peildatum, ext="xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
