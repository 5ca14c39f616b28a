"""The read-only JSON API (`/api/v1`): logged in, scoped by role, every figure as of a peildatum.

Thin: validate the query string (unknown parameters and bad values are a 400 `{"fout": ...}` naming the
parameter), call the domain queries through `documents`, return JSON. Every read is in the audit log (who, which
request, how many rows); answers are `Cache-Control: no-store` (security.py).
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, g, request, url_for

from ..accounts import audit
from ..accounts.auth import BEHEERDER, PIA, PROGRAMMATEAM, login_required, role_required
from ..figures import reports as documents
from ..figures.archive import TaskFilter, task_queue
from ..figures.backlog import ZaakFilter, open_zaken
from ..figures.planning_report import PlanningError, planning_document
from ..figures.scope import Scope
from ..formatting import today_amsterdam
from ..rules.archive import BACKLOG_STATUSES, KINDS, STATUSES
from ..rules.deadlines import STATES
from ..rules.planning import parse_fte
from .achterstand_query import BINNENKORT
from .filters import MAX_PAGE, MAX_YEAR, MIN_YEAR, URL_UNKNOWN_ORG, org_filter_value, team_filter_value
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PAGE_SIZE = 100
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _args(*allowed: str) -> dict[str, str]:
    """The query parameters (empty values dropped), refusing unknown and repeated ones."""
    for name in request.args:
        if name not in allowed:
            abort(400, description=f"onbekende parameter '{name}'")
        if len(request.args.getlist(name)) > 1:
            abort(400, description=f"parameter '{name}' mag maar één keer voorkomen")
    return {name: value for name, value in request.args.items() if value != ""}


def _date(args: dict[str, str], name: str) -> date | None:
    value = args.get(name)
    if value is None:
        return None
    parsed = None
    if _DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            parsed = date.fromisoformat(value)
    if parsed is None:
        abort(400, description=f"parameter '{name}': ongeldige datum {value[:40]!r}, verwacht JJJJ-MM-DD")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        abort(400, description=f"parameter '{name}': {value!r} ligt niet tussen {MIN_YEAR} en {MAX_YEAR}")
    return parsed


def _peildatum(args: dict[str, str]) -> date:
    return _date(args, "peildatum") or today_amsterdam()


def _choice(args: dict[str, str], name: str, choices: list[str] | tuple[str, ...]) -> str | None:
    value = args.get(name)
    if value is not None and value not in choices:
        abort(400, description=f"parameter '{name}': onbekende waarde {value[:40]!r}; kies uit {', '.join(choices)}")
    return value


def _page(args: dict[str, str]) -> int:
    value = args.get("page", "1")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        abort(400, description=f"parameter 'page': {value[:40]!r} is geen paginanummer (1 tot en met {MAX_PAGE})")
    return int(value)


def _scope() -> Scope:
    return Scope.for_user(g.user)


def _link(endpoint: str, **values: Any) -> str:
    """An absolute link from the configured BASE_URL, or (with TRUSTED_HOSTS, which Flask checks the Host header
    against) from the request's host; else a link relative to this server. Never from an unchecked Host header."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    if current_app.config.get("TRUSTED_HOSTS"):
        return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, **values)


def _read(document: Any) -> Any:
    """Audit the read (who, which request, how many rows) and hand the document back."""
    rows = sum(len(value) for value in document.values() if isinstance(value, list))
    audit.record("api_lezen", request.full_path.rstrip("?"), "ok", details=f"{rows} rijen", commit=True)
    return document


@bp.get("/backlog")
@login_required
def backlog() -> Any:
    return _read(documents.backlog_document(_peildatum(_args("peildatum")), _scope()))


@bp.get("/backlog/zaken")
@login_required
def backlog_zaken() -> Any:
    """The zaken open on the peildatum, most overdue first, 100 per page; the filters of /achterstand/zaken
    (`organisatie=_onbekend`: the pseudo-organisation, `team=_geen`: no team)."""
    args = _args("peildatum", "organisatie", "team", "zaaktype", "toestand", "page")
    peildatum = _peildatum(args)
    codes = [org["code"] for org in current_app.config["ORGANISATIES"]]
    organisatie = _choice(args, "organisatie", [*codes, URL_UNKNOWN_ORG])
    toestand = _choice(args, "toestand", [*STATES, BINNENKORT])
    filters = ZaakFilter(organisatie=org_filter_value(organisatie), team=team_filter_value(args.get("team")),
                         zaaktype=args.get("zaaktype"), state=toestand if toestand in STATES else None,
                         binnenkort=toestand == BINNENKORT)
    page = _page(args)
    result = open_zaken(peildatum, _scope(), filters, page=page, per_page=PAGE_SIZE)
    next_url = None
    if result.has_next:
        next_url = url_for("api.backlog_zaken", _external=True,
                           **{**args, "peildatum": peildatum.isoformat(), "page": page + 1})
    return {"peildatum": peildatum.isoformat(), "opschorting_zoals_nu": peildatum < today_amsterdam(),
            "count": result.total, "next": next_url, "results": [documents.open_zaak_json(z) for z in result.items]}


@bp.get("/archief")
@login_required
def archief() -> Any:
    return _read(documents.archive_document(_peildatum(_args("peildatum")), _scope()))


@bp.get("/archief/taken")
@login_required
def archief_taken() -> Any:
    args = _args("peildatum", "status", "soort", "organisatie", "team", "page")
    peildatum = _peildatum(args)
    status = _choice(args, "status", STATUSES)
    codes = [org["code"] for org in current_app.config["ORGANISATIES"]]
    filters = TaskFilter(soort=_choice(args, "soort", KINDS), organisatie=_choice(args, "organisatie", codes),
                         team=args.get("team"), statuses=(status,) if status else tuple(BACKLOG_STATUSES))
    page = _page(args)
    result = task_queue(peildatum, _scope(), filters, page=page, per_page=PAGE_SIZE)
    if result.page < page:  # past the end: the pages show the last page, the API an empty one
        return {"count": result.total, "next": None, "results": []}
    next_url = None
    if result.has_next:
        next_url = _link("api.archief_taken", **{**args, "peildatum": peildatum.isoformat(), "page": page + 1})
    return _read({"count": result.total, "next": next_url, "results": [documents.task_json(t) for t in result.items]})


@bp.get("/indicatoren")
@login_required
def indicatoren() -> Any:
    return _read(documents.indicators_document(_peildatum(_args("peildatum")), _scope()))


@bp.get("/ranglijst")
@login_required
def ranglijst() -> Any:
    args = _args("peildatum", "van", "tot")
    peildatum = _peildatum(args)
    van, tot = _date(args, "van"), _date(args, "tot")
    if van is not None and van > (tot or peildatum):
        abort(400, description="parameter 'van': ligt na 'tot'")
    return _read(documents.leaderboard_document(peildatum, _scope(), van=van, tot=tot))


@bp.get("/kwaliteit")
@login_required
def kwaliteit() -> Any:
    return _read(documents.quality_document(_peildatum(_args("peildatum")), _scope()))


@bp.get("/planning")
@role_required(PROGRAMMATEAM, PIA, BEHEERDER)
def planning() -> Any:
    """PiA's capacity planning (all four, or `organisatie`); `fte` with a decimal comma or point."""
    args = _args("peildatum", "fte", "doeldatum", "organisatie")
    peildatum = _peildatum(args)
    fte = None
    if "fte" in args:
        try:
            fte = parse_fte(args["fte"])
        except ValueError as exc:
            abort(400, description=f"parameter 'fte': {exc}")
    doeldatum = _date(args, "doeldatum")
    codes = [org["code"] for org in current_app.config["ORGANISATIES"]]
    organisatie = _choice(args, "organisatie", codes)
    try:
        return planning_document(peildatum, fte=fte, doeldatum=doeldatum, organisatie=organisatie)
    except PlanningError as exc:
        abort(400, description=f"parameter '{exc.param}': {exc}")


@bp.get("/openapi.json")
@login_required
def openapi() -> Any:
    _args()
    return openapi_document()
