"""The PiA workspace: the archive backlog and task queue, marking and undoing, task detail, exports.

Figures come from `duo_zaak.figures.archive`; marks go through `duo_zaak.tasks.marks` (conditional updates:
of two concurrent marks exactly one wins). Every user may look at the queue within their scope; only
`pia` and `beheerder` may mark. Single tasks, their history and "mijn meldingen" come from
`duo_zaak.figures.task_details`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, NoReturn

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..accounts import audit
from ..accounts.auth import BEHEERDER, PIA, login_required, role_required
from ..figures import exports, task_details
from ..figures.archive import ArchiveFigures, QueueTask, archive_backlog, task_queue
from ..figures.scope import Breakdown, Scope, organisations
from ..formatting import today_amsterdam
from ..rules.archive import GEMELD_GEREED, VERNIETIGEN, can_mark, can_undo
from ..settings import archive_settings
from ..tasks.marks import MarkResult, mark_done, undo_mark
from .archief_forms import (
    EVENT_LABELS,
    KIND_LABELS,
    STATUS_LABELS,
    MarkAllForm,
    MarkForm,
    QueueFilterForm,
    QueueQuery,
    UndoForm,
    filter_summary,
)
from .filters import ParamError, page_number, team_url_value, zaak_link

bp = Blueprint("archief", __name__, url_prefix="/archief")

MARKERS = (PIA, BEHEERDER)
PER_PAGE = 50
MAX_REFUSALS_SHOWN = 5
CHUNK = 1000
MAX_ID = 2**31 - 1  # task ids in URLs stay within the database integer

QUEUE_COLUMNS = [
    exports.Column("zaak_identificatie", "Zaakidentificatie"),
    exports.Column("zaak_omschrijving", "Omschrijving"),
    exports.Column("zaaktype", "Zaaktype"),
    exports.Column("soort", "Soort taak"),
    exports.Column("organisatie", "Organisatie"),
    exports.Column("team", "Team"),
    exports.Column("vervaldatum", "Vervaldatum", "date"),
    exports.Column("dagen_open", "Dagen open", "int"),
    exports.Column("status", "Status"),
    exports.Column("eerder_gemeld", "Eerder gemeld"),
]
DESTRUCTION_COLUMNS = [
    exports.Column("identificatie", "Zaakidentificatie"),
    exports.Column("zaaktype", "Zaaktype"),
    exports.Column("resultaat", "Omschrijving resultaat"),
    exports.Column("archiefnominatie", "Archiefnominatie"),
    exports.Column("archiefactiedatum", "Archiefactiedatum", "date"),
    exports.Column("organisatie", "Organisatie"),
    exports.Column("team", "Team"),
]


@bp.context_processor
def _vocabulary() -> dict[str, Any]:
    user = g.get("user")
    return {"soort_labels": KIND_LABELS, "status_labels": STATUS_LABELS, "gebeurtenis_labels": EVENT_LABELS,
            "mag_melden": bool(user and user.rol in MARKERS), "team_url_value": team_url_value}


def _scope() -> Scope:
    return Scope.for_user(g.user)


def invalid_filter(form: QueueFilterForm | Any) -> NoReturn:
    """Abort with a 400 that names what is wrong with the filters (for pages without a filter form)."""
    abort(400, description=" ".join(message for _, message in form.error_list()) or None)


def _filter_form() -> tuple[QueueFilterForm, QueueQuery | None]:
    """The queue filters from the URL; the query is None when they do not validate."""
    form = QueueFilterForm(organisations())
    if not form.validate():
        return form, None
    return form, form.query()


def _options(form: QueueFilterForm, query: QueueQuery | None, scope: Scope) -> Breakdown[ArchiveFigures]:
    """Fill the team and zaaktype choices; returns the backlog figures they were taken from."""
    backlog = archive_backlog(query.peildatum if query else today_amsterdam(), scope)
    teams = {team_url_value(t.team.id): t.team.naam for org in backlog.organisaties for t in org.teams}
    form.set_options(sorted(teams.items(), key=lambda item: item[1].casefold()), task_details.zaaktype_options())
    return backlog


def all_tasks(query: QueueQuery, scope: Scope) -> list[QueueTask]:
    """Every task of the filtered queue (all pages), in the requested order."""
    items: list[QueueTask] = []
    page = 1
    while True:
        chunk = task_queue(query.peildatum, scope, query.filters, sort=query.sort,
                           descending=query.descending, page=page, per_page=CHUNK)
        items.extend(chunk.items)
        if not chunk.has_next:
            return items
        page += 1


@bp.get("/")
@login_required
def index() -> tuple[str, int] | str:
    scope = _scope()
    form, query = _filter_form()
    backlog = _options(form, query, scope)
    if query is None:
        return render_template("archief/index.html", form=form, query=None, backlog=backlog, queue=None), 400
    queue = task_queue(query.peildatum, scope, query.filters, sort=query.sort, descending=query.descending,
                       page=query.page, per_page=PER_PAGE)
    earlier = task_details.task_rows([t.id for t in queue.items if t.id is not None and t.eerder_gemeld])
    return render_template("archief/index.html", form=form, query=query, backlog=backlog, queue=queue,
                           earlier=earlier, mark_form=MarkForm(formdata=None),
                           terug=request.full_path.rstrip("?"))


def _back(target: str | None, default: str) -> str:
    """Only a path inside this workspace or the leaderboard; anything else goes to the default."""
    if (target and target.startswith(("/archief", "/ranglijst")) and "//" not in target and "\\" not in target
            and not any(ord(c) < 32 for c in target)):  # CR/LF would break the Location header
        return target
    return default


def _flash_result(result: MarkResult) -> None:
    """One line for the marked tasks and one per refused task (at most a few: flashes live in the cookie)."""
    if result.gelukt:
        n = len(result.gelukt)
        flash(f"{n} {'taak' if n == 1 else 'taken'} gereed gemeld.", "success")
    shown = result.geweigerd[:MAX_REFUSALS_SHOWN]
    rows = task_details.task_rows([task_id for task_id, _ in shown])
    for task_id, reason in shown:
        task = rows.get(task_id)
        if task is None:
            flash(f"Taak {task_id} bestaat niet en is niet gemeld.", "error")
            continue
        what = f"{task.zaak.identificatie} ({KIND_LABELS[task.soort].lower()})"
        if task.status == GEMELD_GEREED:
            wie = ("u" if task.gemeld_door_id == g.user.id
                   else task.gemeld_door.naam if task.gemeld_door else "een andere gebruiker")
            flash(f"{what} is niet opnieuw gemeld: {wie} heeft deze taak zojuist al gereed gemeld.", "warning")
        else:
            flash(f"{what} is niet gemeld: de taak heeft inmiddels status "
                  f"'{STATUS_LABELS.get(task.status, task.status)}' ({reason}).", "warning")
    rest = len(result.geweigerd) - len(shown)
    if rest:
        flash(f"Nog {rest} {'taak is' if rest == 1 else 'taken zijn'} niet gemeld, omdat ze inmiddels door "
              "iemand anders of door de bron zijn gewijzigd.", "warning")


@bp.post("/melden")
@role_required(*MARKERS)
def melden() -> Response:
    form = MarkForm()
    target = _back(form.terug.data, url_for(".index"))
    if form.taken.process_errors:  # malformed or too many ids: no form of ours sends those
        audit.record("taak_gemeld_gereed", "archief_taak", "geweigerd", details=form.taken.process_errors[0][:300],
                     commit=True)
        abort(400, description=form.taken.process_errors[0])
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(target)
    result = mark_done(form.taken.data, g.user.id, g.user.gebruikersnaam, (form.notitie.data or "").strip(),
                       today_amsterdam())
    _flash_result(result)
    return redirect(target)


@bp.route("/alles-melden", methods=["GET", "POST"])
@role_required(*MARKERS)
def alles_melden() -> tuple[str, int] | str | Response:
    """Mark every task of the current filter, after a confirmation step that shows the count."""
    form, query = _filter_form()
    if query is None:
        invalid_filter(form)
    scope = _scope()
    ids = [t.id for t in all_tasks(query, scope) if t.id is not None]
    mark_all = MarkAllForm()
    if mark_all.validate_on_submit():
        if mark_all.aantal.data != len(ids):
            mark_all.aantal.errors = [f"Het aantal taken in dit filter is inmiddels {len(ids)} in plaats van "
                                      f"{mark_all.aantal.data}. Controleer het aantal en bevestig opnieuw."]
        else:
            result = mark_done(ids, g.user.id, g.user.gebruikersnaam, (mark_all.notitie.data or "").strip(),
                               today_amsterdam())
            _flash_result(result)
            return redirect(url_for(".index", **query.args(page=None)))
    _options(form, query, scope)
    return render_template("archief/alles_melden.html", form=form, query=query, mark_all=mark_all, aantal=len(ids),
                           filters=filter_summary(query, form))


@bp.post(f"/taken/<int(max={MAX_ID}):taak_id>/intrekken")
@role_required(*MARKERS)
def intrekken(taak_id: int) -> Response:
    form = UndoForm()
    target = _back(form.terug.data, url_for(".mijn_meldingen"))
    if form.validate_on_submit():
        task = task_details.task(taak_id)
        marked_by = task.gemeld_door if task is not None else None
        reason = undo_mark(taak_id, g.user.id, g.user.gebruikersnaam, today_amsterdam())
        if reason is None and marked_by is not None and marked_by.id != g.user.id:
            flash(f"De gereedmelding van {marked_by.naam} is ingetrokken; de taak staat weer open.", "success")
        elif reason is None:
            flash("De gereedmelding is ingetrokken; de taak staat weer open.", "success")
        else:
            flash(f"De melding is niet ingetrokken: {reason}.", "warning")
    return redirect(target)


@bp.get("/mijn-meldingen")
@role_required(*MARKERS)
def mijn_meldingen() -> str:
    try:
        page = page_number()
    except ParamError as exc:
        abort(400, description=exc.message)
    marks = task_details.my_marks(g.user.id, page, PER_PAGE)
    return render_template("archief/mijn_meldingen.html", marks=marks, undo_form=UndoForm(formdata=None),
                           terug=request.full_path.rstrip("?"))


@bp.get(f"/taken/<int(max={MAX_ID}):taak_id>")
@login_required
def taak(taak_id: int) -> str:
    task = task_details.task(taak_id)
    if task is None:
        abort(404)
    scope = _scope()
    if not scope.is_all and (task.zaak.team is None or task.zaak.team.identificatie not in (scope.teams or ())):
        abort(404)
    zaak = task.zaak
    return render_template("archief/taak.html", task=task, zaak=zaak, history=task_details.task_history(task.id),
                           resultaattype=task_details.resultaattype_by_url(zaak.resultaattype_url),
                           settings=archive_settings(),
                           can_mark=can_mark(task.status), can_undo=can_undo(task.status),
                           mark_form=MarkForm(formdata=None), undo_form=UndoForm(formdata=None),
                           inproces_url=zaak_link(zaak.identificatie, zaak.url), terug=request.full_path.rstrip("?"))


def _queue_rows(tasks: Sequence[QueueTask]) -> list[dict[str, Any]]:
    return [{"zaak_identificatie": t.zaak_identificatie, "zaak_omschrijving": t.zaak_omschrijving,
             "zaaktype": t.zaaktype, "soort": KIND_LABELS[t.soort], "organisatie": t.organisatie.naam,
             "team": t.team.naam, "vervaldatum": t.vervaldatum, "dagen_open": t.dagen_open,
             "status": STATUS_LABELS.get(t.status, t.status), "eerder_gemeld": "ja" if t.eerder_gemeld else "nee"}
            for t in tasks]


def queue_download(tasks: Sequence[QueueTask], fmt: str, *, titel: str, filters: list[tuple[str, str]],
                   name: str, peildatum: date) -> Response:
    """A CSV/XLSX of queue rows (also used by the leaderboard's follow-up list)."""
    return exports.download(_queue_rows(tasks), QUEUE_COLUMNS, fmt, titel=titel, filters=filters,
                            name=exports.filename(name, peildatum, ext=fmt))


def export_format() -> str:
    """`formaat` of a download: csv or xlsx (default)."""
    fmt = request.args.get("formaat", "xlsx")
    if fmt not in ("csv", "xlsx"):
        abort(400, description=f"Onbekend formaat '{fmt[:20]}': kies csv of xlsx.")
    return fmt


def _export_query() -> tuple[QueueFilterForm, QueueQuery]:
    form, query = _filter_form()
    if query is None:
        invalid_filter(form)
    _options(form, query, _scope())
    return form, query


@bp.get("/export")
@login_required
def export() -> Response:
    """The filtered queue (every page) as CSV or XLSX."""
    fmt = export_format()
    form, query = _export_query()
    return queue_download(all_tasks(query, _scope()), fmt, titel="Archieftaken (werkvoorraad PiA)",
                          filters=filter_summary(query, form), name="archieftaken", peildatum=query.peildatum)


@bp.get("/vernietigingslijst")
@login_required
def vernietigingslijst() -> Response:
    """The `vernietigen` tasks under the current filter, shaped for a verklaring van vernietiging."""
    fmt = export_format()
    form, query = _export_query()
    tasks = [] if query.filters.soort not in (None, VERNIETIGEN) else all_tasks(
        replace(query, filters=replace(query.filters, soort=VERNIETIGEN)), _scope())
    details = task_details.destruction_details([t.zaak_id for t in tasks])
    rows = [{"identificatie": t.zaak_identificatie, "zaaktype": t.zaaktype,
             "resultaat": details[t.zaak_id].resultaat or "", "archiefnominatie": details[t.zaak_id].archiefnominatie,
             "archiefactiedatum": details[t.zaak_id].archiefactiedatum, "organisatie": t.organisatie.naam,
             "team": t.team.naam} for t in tasks]
    return exports.download(rows, DESTRUCTION_COLUMNS, fmt, titel="Vernietigingslijst",
                            filters=[*filter_summary(query, form), ("Aantal zaken", str(len(rows)))],
                            name=exports.filename("vernietigingslijst", query.peildatum, ext=fmt))
