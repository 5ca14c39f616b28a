"""Data quality ("betrouwbaarheid en volledigheid"): the findings with counts, why each matters and who fixes it
in InProces, the zaken of each finding, and their exports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template, request, url_for

from ..accounts.auth import login_required
from ..figures.exports import Column, download, filename
from ..figures.quality import FindingZaak, finding_zaken, findings
from ..figures.scope import Scope
from ..formatting import datum, getal
from ..rules.quality import FINDINGS
from .filters import ParamError, QueryForm, page_number, query_args, zaak_link

bp = Blueprint("kwaliteit", __name__, url_prefix="/kwaliteit")

PER_PAGE = 50
EXPORT_BATCH = 1000
ARCHIEFSTATUS = {"nog_te_archiveren": "Nog te archiveren", "gearchiveerd": "Gearchiveerd",
                 "gearchiveerd_procestermijn_onbekend": "Gearchiveerd (procestermijn onbekend)",
                 "overgedragen": "Overgedragen"}
FINDING_COLUMNS = (Column("code", "Code"), Column("omschrijving", "Bevinding"), Column("aantal", "Aantal zaken", "int"),
                   Column("uitleg", "Waarom het telt en wie het oplost"))
ZAAK_COLUMNS = (
    Column("identificatie", "Identificatie"), Column("omschrijving", "Omschrijving"), Column("zaaktype", "Zaaktype"),
    Column("organisatie", "Organisatie"), Column("team", "Team"), Column("startdatum", "Startdatum", "date"),
    Column("einddatum", "Einddatum", "date"), Column("archiefstatus", "Archiefstatus"),
    Column("link", "Link naar InProces"),
)


def _filter_labels(form: QueryForm, scope: Scope) -> list[tuple[str, str]]:
    labels = [("Peildatum", datum(form.effective_peildatum))]
    if scope.teams is not None:
        labels.append(("Uw teams", ", ".join(sorted(scope.teams))))
    return labels


def _peildatum_args() -> dict[str, Any]:
    return query_args({"peildatum": request.args.get("peildatum")})


def _scope_name(scope: Scope) -> str | None:
    return "-".join(sorted(scope.teams)) if scope.teams is not None else None


def archiefstatus(value: str) -> str:
    return ARCHIEFSTATUS.get(value, value)


@bp.get("")
@login_required
def index() -> Any:
    form = QueryForm()
    if not form.validate():
        return render_template("kwaliteit/index.html", form=form, errors=form.error_list(), items=None), 400
    items = findings(form.effective_peildatum, Scope.for_user(g.user))
    return render_template(
        "kwaliteit/index.html", form=form, errors=[], items=items, uitleg={c: t.uitleg for c, t in FINDINGS.items()},
        peildatum=form.effective_peildatum, args=_peildatum_args(),
        export_url=lambda fmt: url_for("kwaliteit.export", fmt=fmt, **_peildatum_args()))


@bp.get("/<code>")
@login_required
def bevinding(code: str) -> Any:
    if code not in FINDINGS:
        abort(404)
    form = QueryForm()
    form.validate()
    errors = form.error_list()
    try:
        page = page_number()
    except ParamError as exc:
        errors.append(("", exc.message))
    text = FINDINGS[code]
    if errors:
        return render_template("kwaliteit/bevinding.html", form=form, errors=errors, code=code, text=text,
                               result=None), 400
    peildatum = form.effective_peildatum
    result = finding_zaken(code, peildatum, Scope.for_user(g.user), page=page, per_page=PER_PAGE)
    beyond = result.page < page  # past the end: the last page is shown
    notices = [f"Pagina {getal(page)} bestaat niet: deze lijst heeft {getal(result.pages)} "
               f"pagina{'' if result.pages == 1 else '’s'}; u ziet de laatste."] if beyond else []
    return render_template(
        "kwaliteit/bevinding.html", form=form, errors=[], notices=notices, code=code, text=text, result=result,
        pager=result, beyond=beyond, peildatum=peildatum, zaak_link=zaak_link, archiefstatus=archiefstatus,
        back_url=url_for("kwaliteit.index", **_peildatum_args()),
        first_page_url=url_for("kwaliteit.bevinding", code=code, **_peildatum_args()),
        export_url=lambda fmt: url_for("kwaliteit.export_bevinding", code=code, fmt=fmt, **_peildatum_args()))


def _zaak_row(z: FindingZaak) -> dict[str, Any]:
    return {"identificatie": z.identificatie, "omschrijving": z.omschrijving, "zaaktype": z.zaaktype,
            "organisatie": z.organisatie.naam, "team": z.team.naam, "startdatum": z.startdatum,
            "einddatum": z.einddatum, "archiefstatus": archiefstatus(z.archiefstatus),
            "link": zaak_link(z.identificatie, z.url) or ""}


def _invalid_export(form: QueryForm) -> tuple[str, int]:
    return render_template("fout.html", code=400, titel="Ongeldige filter",
                           tekst=" ".join(message for _, message in form.error_list())), 400


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str) -> Any:
    form = QueryForm()
    if not form.validate():
        return _invalid_export(form)
    scope = Scope.for_user(g.user)
    rows = [{"code": f.code, "omschrijving": f.omschrijving, "aantal": f.aantal, "uitleg": FINDINGS[f.code].uitleg}
            for f in findings(form.effective_peildatum, scope)]
    name = filename("kwaliteit", _scope_name(scope), form.effective_peildatum, ext=fmt)
    return download(rows, FINDING_COLUMNS, fmt, name=name, filters=_filter_labels(form, scope),
                    titel=f"Bevindingen datakwaliteit op {datum(form.effective_peildatum)}")


@bp.get("/<code>/export.<any(csv, xlsx):fmt>")
@login_required
def export_bevinding(code: str, fmt: str) -> Any:
    if code not in FINDINGS:
        abort(404)
    form = QueryForm()
    if not form.validate():
        return _invalid_export(form)
    scope = Scope.for_user(g.user)

    def rows() -> Any:
        page = 1
        while True:
            result = finding_zaken(code, form.effective_peildatum, scope, page=page, per_page=EXPORT_BATCH)
            yield from (_zaak_row(z) for z in result.items)
            if not result.has_next:
                return
            page += 1

    name = filename("kwaliteit", code, _scope_name(scope), form.effective_peildatum, ext=fmt)
    filters = [*_filter_labels(form, scope), ("Bevinding", FINDINGS[code].omschrijving)]
    return download(rows(), ZAAK_COLUMNS, fmt, name=name, filters=filters,
                    titel=f"{FINDINGS[code].omschrijving}: zaken op {datum(form.effective_peildatum)}")
