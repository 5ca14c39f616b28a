"""The team-lead workspace: open-zaak backlog per organisation and team, the zaak lists and their exports.

The figures are those of `backlog.open_figures` (the same as /api/v1/backlog); this module only narrows the
breakdown to the chosen organisation/team, orders rows and turns figures into tiles, tables and charts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template, url_for

from ..accounts.auth import login_required
from ..figures.backlog import OpenFigures, OpenZaak, open_figures, open_zaken
from ..figures.charts import Chart, bar_chart, line_chart
from ..figures.exports import Column, download, filename
from ..figures.history import ALL, series
from ..figures.scope import (
    NO_TEAM_ID,
    ONBEKENDE_ORGANISATIE,
    Breakdown,
    OrgFigures,
    OrgLabel,
    TeamLabel,
    team_sort_key,
)
from ..formatting import datum, getal
from ..rules.deadlines import AFGELEID, AGEING_BUCKETS, OPGESLAGEN, TERMIJN_OVERSCHREDEN, VERLENGING, Stap
from .achterstand_query import (
    COUNTS,
    TEAM_SORTS,
    TOESTANDEN,
    ZAAK_SORTS,
    Parsed,
    Selection,
    parse,
)
from .filters import (
    URL_NO_TEAM,
    URL_UNKNOWN_ORG,
    org_filter_value,
    org_url_value,
    query_args,
    safe_args,
    team_filter_value,
    team_url_value,
    zaak_link,
)

bp = Blueprint("achterstand", __name__, url_prefix="/achterstand")

PER_PAGE = 50
EXPORT_BATCH = 1000
TREND_DAGEN = 90


@dataclass(frozen=True)
class TeamRow:
    org: OrgLabel
    team: TeamLabel
    figures: OpenFigures


def _figures(sel: Selection, base: Breakdown[OpenFigures]) -> Breakdown[OpenFigures]:
    """The figures narrowed to the chosen organisation and team (orgs without teams dropped when narrowed)."""
    data = open_figures(sel.peildatum, sel.scope, zaaktype=sel.zaaktype) if sel.zaaktype else base
    org_code = org_filter_value(sel.organisatie)
    team_id = team_filter_value(sel.team)
    narrowed = team_id is not None or not sel.scope.is_all
    totaal, orgs = OpenFigures(), []
    for org in data.organisaties:
        if org_code is not None and (org.org.code or "") != org_code:
            continue
        teams = [t for t in org.teams if team_id is None or (t.team.id or NO_TEAM_ID) == team_id]
        if narrowed and not teams:
            continue
        figures = org.figures
        if team_id is not None:
            figures = OpenFigures()
            for team in teams:
                figures.add(team.figures)
        orgs.append(OrgFigures(org.org, figures, teams))
        totaal.add(figures)
    return Breakdown(totaal, orgs)


def _count(figures: OpenFigures, key: str) -> int:
    return int(getattr(figures, key))


def _team_rows(data: Breakdown[OpenFigures], toestand: str | None, sort: str, richting: str) -> list[TeamRow]:
    """Team rows; by default worst first: most overdue, then the oldest overdue, then norm exceeded."""
    rows = [TeamRow(org.org, team.team, team.figures) for org in data.organisaties for team in org.teams]
    if toestand:
        rows = [row for row in rows if _count(row.figures, toestand) > 0]
    order = {org.org: index for index, org in enumerate(data.organisaties)}
    rows.sort(key=lambda r: (team_sort_key(r.team), order[r.org]))
    descending = richting == "desc"
    if sort == "team":
        rows.sort(key=lambda r: team_sort_key(r.team), reverse=descending)
    elif sort == "organisatie":
        rows.sort(key=lambda r: order[r.org], reverse=descending)
    else:
        buckets = [bucket.label for bucket in reversed(AGEING_BUCKETS)]
        rows.sort(key=lambda r: (_count(r.figures, sort), *(r.figures.ouderdom[b] for b in buckets),
                                 r.figures.norm_overschreden), reverse=descending)
    return rows


def _ageing_chart(figures: OpenFigures) -> Chart:
    labels = [bucket.label for bucket in AGEING_BUCKETS]
    values = [figures.ouderdom[label] for label in labels]
    parts = [f"{getal(v)} {'meer dan 90' if bucket.tot is None else bucket.label} dagen"
             for bucket, v in zip(AGEING_BUCKETS, values, strict=True)]
    total = figures.termijn_overschreden
    beschrijving = (f"Van de {getal(total)} {'zaak' if total == 1 else 'zaken'} over de fatale datum: "
                    + ", ".join(parts[:-1]) + f" en {parts[-1]} over de termijn.")
    if not total:
        beschrijving = "Er zijn geen zaken over de fatale datum."
    return bar_chart("ouderdom", "Ouderdom van de zaken over de termijn", beschrijving, labels, values,
                     "Dagen over termijn", "Aantal zaken")


def _trend_keys(sel: Selection) -> tuple[str, list[str]]:
    """The snapshot keys (organisation, teams) for the selection; never a team outside the user's scope."""
    organisatie = ALL if sel.organisatie is None else (org_filter_value(sel.organisatie) or "")
    team_id = team_filter_value(sel.team)
    if sel.scope.teams is not None:
        teams = sorted(sel.scope.teams) if team_id is None else [t for t in sel.scope.teams if t == team_id]
    else:
        teams = [ALL] if team_id is None else [team_id]
    return organisatie, teams


def _trend_start(sel: Selection) -> date:
    return sel.peildatum - timedelta(days=TREND_DAGEN - 1)


def _trend_chart(sel: Selection) -> Chart | None:
    van = _trend_start(sel)
    points = series(TERMIJN_OVERSCHREDEN, *_trend_keys(sel), van, sel.peildatum)
    if not points:
        return None
    (first_day, first), (last_day, last) = points[0], points[-1]
    beschrijving = (f"Aantal open zaken over de fatale datum per dag van {datum(van)} tot en met "
                    f"{datum(sel.peildatum)}: {getal(first)} op {datum(first_day)}, "
                    f"{getal(last)} op {datum(last_day)}.")
    if sel.zaaktype:
        beschrijving += " Het zaaktypefilter geldt niet voor deze grafiek: de momentopnamen zijn per team."
    return line_chart("trend", "Zaken over de termijn, laatste 90 dagen", beschrijving,
                      [(day, value) for day, value in points], "Zaken over de termijn")


def toestand_text(zaak: OpenZaak) -> str:
    text = TOESTANDEN.get(zaak.state, zaak.state)
    if zaak.binnenkort_verlopend:
        text += ", binnenkort verlopend"
    if zaak.verstreken_tijdens_opschorting:
        text += ", termijn verstreken tijdens opschorting"
    return text


# Steps whose text does not name the date they lead to.
_MET_DATUM = (OPGESLAGEN, AFGELEID, VERLENGING)
ONBEKEND_UITLEG = ("zaken met een bronorganisatie (RSIN) die niet is ingesteld: zie de bevinding 'Onbekende "
                   "bronorganisatie' op /kwaliteit/onbekende_bronorganisatie")
VERLEDEN_UITLEG = ("De peildatum ligt in het verleden: u ziet de zaken die toen open waren (geregistreerd en nog "
                   "niet afgesloten). Opschorting wordt getoond zoals die nu is: van opschortingen is geen "
                   "geschiedenis bekend.")


def stap_tekst(stap: Stap) -> str:
    """One step of a herkomst for a reader: "afgeleid: startdatum + 8 weken → 12-06-2026"."""
    return f"{stap.tekst} → {datum(stap.datum)}" if stap.code in _MET_DATUM and stap.datum else stap.tekst


def herkomst_regels(zaak: OpenZaak) -> list[str]:
    """How the zaak's fatale datum came about, step by step, with a warning when the stored date differs."""
    regels = [stap_tekst(stap) for stap in zaak.herkomst.stappen]
    if zaak.herkomst_wijkt_af:
        regels.append(f"let op: opgeslagen is {datum(zaak.fatale_datum)}; de volgende synchronisatie werkt de "
                      "fatale datum bij")
    return regels


def dagen_over(zaak: OpenZaak) -> int | None:
    """Days over term, for the zaken that count as overdue."""
    return zaak.dagen_over_termijn if zaak.state == TERMIJN_OVERSCHREDEN else None


def _invalid(template: str, parsed: Parsed) -> tuple[str, int]:
    return render_template(template, form=parsed.form, errors=parsed.errors, notices=parsed.notices, sel=None,
                           back_url=url_for("achterstand.index")), 400


def _export_url(tabel: str, fmt: str) -> str:
    return url_for("achterstand.export", tabel=tabel, fmt=fmt, **query_args(safe_args("tabel", "fmt"), page=None))


@bp.get("")
@login_required
def index() -> Any:
    parsed = parse(TEAM_SORTS, TERMIJN_OVERSCHREDEN)
    sel = parsed.sel
    if sel is None:
        return _invalid("achterstand/index.html", parsed)
    data = _figures(sel, parsed.base)
    return render_template(
        "achterstand/index.html", form=parsed.form, errors=[], notices=parsed.notices, sel=sel, data=data,
        rows=_team_rows(data, sel.toestand, parsed.sort, parsed.richting), sort=parsed.sort,
        richting=parsed.richting, counts=COUNTS, buckets=[b.label for b in AGEING_BUCKETS],
        verleden_uitleg=VERLEDEN_UITLEG,
        ageing=_ageing_chart(data.totaal), trend=_trend_chart(sel), export_url=_export_url,
        zaken_url=lambda **kw: url_for("achterstand.zaken", **query_args(sel.link_args(), **kw)),
        org_url_value=org_url_value, team_url_value=team_url_value)


@bp.get("/zaken")
@login_required
def zaken() -> Any:
    parsed = parse(ZAAK_SORTS, "dagen_over_termijn", paged=True)
    sel, page = parsed.sel, parsed.page
    if sel is None:
        return _invalid("achterstand/zaken.html", parsed)
    result = open_zaken(sel.peildatum, sel.scope, sel.zaak_filter(), sort=parsed.sort,
                        descending=parsed.richting == "desc", page=page, per_page=PER_PAGE)
    beyond = result.page < page  # past the end: the last page is shown
    if beyond:
        parsed.notices.append(f"Pagina {getal(page)} bestaat niet: deze lijst heeft {getal(result.pages)} "
                              f"pagina{'' if result.pages == 1 else '’s'}; u ziet de laatste.")
    return render_template(
        "achterstand/zaken.html", form=parsed.form, errors=[], notices=parsed.notices, sel=sel, result=result,
        sort=parsed.sort, richting=parsed.richting, sort_label=ZAAK_SORTS[parsed.sort], pager=result,
        beyond=beyond, toestand_text=toestand_text, herkomst_regels=herkomst_regels, verleden_uitleg=VERLEDEN_UITLEG,
        dagen_over=dagen_over, zaak_link=zaak_link,
        back_url=url_for("achterstand.index", **query_args(sel.link_args(), toestand=None)),
        export_url=lambda fmt: _export_url("zaken", fmt),
        first_page_url=url_for("achterstand.zaken", **query_args(safe_args(), page=None)))


ZAAK_COLUMNS = (
    Column("identificatie", "Identificatie"), Column("zaaktype", "Zaaktype"), Column("organisatie", "Organisatie"),
    Column("team", "Team"), Column("startdatum", "Startdatum", "date"), Column("fatale_datum", "Fatale datum", "date"),
    Column("streefdatum", "Streefdatum", "date"), Column("dagen_over_termijn", "Dagen over termijn", "int"),
    Column("toestand", "Toestand"), Column("reden", "Reden opschorting"), Column("link", "Link naar InProces"),
    Column("herkomst", "Herkomst fatale datum"),
)
COUNT_COLUMNS = (*(Column(key, label, "int") for key, label in COUNTS.items()),
                 *(Column(b.label, f"{b.label} dagen", "int") for b in AGEING_BUCKETS))
TEAM_COLUMNS = (Column("team", "Team"), Column("team_id", "Team-identificatie"), Column("organisatie", "Organisatie"),
                *COUNT_COLUMNS)
ORG_COLUMNS = (Column("organisatie", "Organisatie"), *COUNT_COLUMNS)
TREND_COLUMNS = (Column("datum", "Datum", "date"), Column("aantal", "Zaken over de termijn", "int"))
TITLES = {"zaken": "Open zaken", "teams": "Achterstand per team", "organisaties": "Achterstand per organisatie",
          "trend": "Zaken over de termijn per dag"}


def _count_cells(figures: OpenFigures) -> dict[str, int]:
    return {**{key: _count(figures, key) for key in COUNTS}, **figures.ouderdom}


def _all_zaken(sel: Selection, sort: str, richting: str) -> Iterator[dict[str, Any]]:
    page = 1
    while True:
        result = open_zaken(sel.peildatum, sel.scope, sel.zaak_filter(), sort=sort, descending=richting == "desc",
                            page=page, per_page=EXPORT_BATCH)
        for z in result.items:
            yield {"identificatie": z.identificatie, "zaaktype": z.zaaktype, "organisatie": z.organisatie.naam,
                   "team": z.team.naam, "startdatum": z.startdatum, "fatale_datum": z.fatale_datum,
                   "streefdatum": z.streefdatum, "dagen_over_termijn": dagen_over(z), "toestand": toestand_text(z),
                   "reden": z.opschorting_reden, "link": zaak_link(z.identificatie, z.url) or "",
                   "herkomst": "; ".join(herkomst_regels(z))}
        if not result.has_next:
            return
        page += 1


def _name_parts(sel: Selection) -> tuple[str | None, str | None]:
    """Organisation and team(s) for an export's file name."""
    org = "onbekende-organisatie" if sel.organisatie == URL_UNKNOWN_ORG else sel.organisatie
    team = "niet-toegewezen" if sel.team == URL_NO_TEAM else sel.team
    if team is None and sel.scope.teams is not None:
        team = "-".join(sorted(sel.scope.teams))
    return org, team


@bp.get("/export/<any(organisaties, teams, zaken, trend):tabel>.<any(csv, xlsx):fmt>")
@login_required
def export(tabel: str, fmt: str) -> Any:
    parsed = parse(ZAAK_SORTS, "dagen_over_termijn") if tabel == "zaken" else parse(TEAM_SORTS, TERMIJN_OVERSCHREDEN)
    sel, sort, richting = parsed.sel, parsed.sort, parsed.richting
    if sel is None:
        return render_template("fout.html", code=400, titel="Ongeldige filter",
                               tekst=" ".join(message for _, message in parsed.errors)), 400
    filters = list(sel.labels)
    if sel.verleden and tabel != "trend":
        filters.append(("Let op", VERLEDEN_UITLEG))
    if tabel == "zaken":
        if sel.organisatie == URL_UNKNOWN_ORG:
            filters.append((ONBEKENDE_ORGANISATIE, ONBEKEND_UITLEG))
        rows: Any = _all_zaken(sel, sort, richting)
        columns: tuple[Column, ...] = ZAAK_COLUMNS
        filters.append(("Sortering", f"{ZAAK_SORTS[sort]}, {'aflopend' if richting == 'desc' else 'oplopend'}"))
    elif tabel == "trend":
        rows = [{"datum": day, "aantal": value} for day, value in
                series(TERMIJN_OVERSCHREDEN, *_trend_keys(sel), _trend_start(sel), sel.peildatum)]
        columns = TREND_COLUMNS
    else:
        data = _figures(sel, parsed.base)
        if any(org.org.code is None for org in data.organisaties):
            filters.append((ONBEKENDE_ORGANISATIE, ONBEKEND_UITLEG))
        if tabel == "teams":
            rows = [{"team": r.team.naam, "team_id": r.team.id or "", "organisatie": r.org.naam,
                     **_count_cells(r.figures)} for r in _team_rows(data, sel.toestand, sort, richting)]
            columns = TEAM_COLUMNS
        else:
            rows = [{"organisatie": o.org.naam, **_count_cells(o.figures)} for o in data.organisaties]
            columns = ORG_COLUMNS
    name = filename("achterstand", tabel, *_name_parts(sel), sel.peildatum, ext=fmt)
    return download(rows, columns, fmt, name=name, titel=f"{TITLES[tabel]} op {datum(sel.peildatum)}",
                    filters=filters)
