"""What each kind of message says, from the same figures the pages show:

- teamleider_week: per own team the open zaken, those over the fatale datum and binnenkort verlopend
  (`backlog.open_figures`, as /achterstand), the ten most urgent zaken, and the trend against the snapshot of a
  week before (`history.snapshot_values`);
- teamleider_dag: the zaken that became binnenkort verlopend or passed their fatale datum since the previous
  daily message (`queries.changes`), each once per change;
- pia_week: the tasks `niet_bevestigd` (`archive.task_queue`, as /archief) and the user's marks, waiting or
  confirmed or not in the last week;
- programma_maand: per organisation the IBT indicators against their norms, readiness and what is missing
  (`indicators.indicators_now`, as /ibt), and what changed since the snapshot of a month before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from connectors.zgw.durations import add_months

from ..accounts.auth import ROLE_LABELS
from ..figures.archive import TaskFilter, archive_backlog, task_queue
from ..figures.backlog import binnenkort_dagen, open_figures
from ..figures.history import OPEN, TERMIJN_OVERSCHREDEN, org_key, snapshot_values
from ..figures.ibt_report import MAAND_NAMEN, SOORT_LABELS
from ..figures.indicators import indicators_now
from ..figures.scope import Scope
from ..formatting import datum, getal
from ..models import Gebruiker
from ..rules.archive import BEVESTIGD, GEMELD_GEREED, NIET_BEVESTIGD
from ..rules.signalering import (
    LABELS,
    OVERSCHREDEN,
    PIA_WEEK,
    PROGRAMMA_MAAND,
    TEAMLEIDER_DAG,
    TEAMLEIDER_WEEK,
    TEST,
    WHEN,
    previous_working_day,
)
from . import queries
from .render import Bericht, absolute_links, header_text, link, render
from .tokens import make_token

URGENT = 10
LIST_MAX = 10
COUNT_CODES = ("A2", "A3")


def _meervoud(n: int, een: str, meer: str) -> str:
    return f"{getal(n)} {een if n == 1 else meer}"


def _teken(n: int) -> str:
    return ("+" if n > 0 else "") + getal(n)


def _common(user: Gebruiker, soort: str, day: date) -> dict[str, Any]:
    afmeld = link("signalering.afmelden", token=make_token(user.id, soort)) if soort != TEST else None
    return {"naam": user.naam or user.gebruikersnaam, "rol": ROLE_LABELS.get(user.rol, user.rol), "soort": soort,
            "label": LABELS[soort], "wanneer": WHEN[soort], "dag": day, "afmeld_url": afmeld,
            "voorkeuren_url": link("signalering.voorkeuren"), "meervoud": _meervoud, "teken": _teken}


def _teamleider_week(user: Gebruiker, day: date) -> tuple[str, dict[str, Any]]:
    dagen = binnenkort_dagen()
    names = queries.team_names(user.team_ids)
    week_ago = day - timedelta(days=7)
    before = {metric: snapshot_values(week_ago, metric) for metric in (OPEN, TERMIJN_OVERSCHREDEN)}
    teams = []
    for team in user.team_ids:
        figures = open_figures(day, Scope(frozenset({team}))).totaal
        trend = None
        if team in before[OPEN] and team in before[TERMIJN_OVERSCHREDEN]:
            trend = {"open": figures.open - before[OPEN][team],
                     "over": figures.termijn_overschreden - before[TERMIJN_OVERSCHREDEN][team]}
        teams.append({
            "id": team, "naam": names.get(team, team), "f": figures, "trend": trend,
            "urgent": queries.most_urgent(day, team, URGENT, dagen),
            "url": link("achterstand.index", day, team=team),
            "url_open": link("achterstand.zaken", day, team=team),
            "url_over": link("achterstand.zaken", day, team=team, toestand="termijn_overschreden"),
            "url_binnenkort": link("achterstand.zaken", day, team=team, toestand="binnenkort_verlopend"),
        })
    over = sum(t["f"].termijn_overschreden for t in teams)
    which = teams[0]["naam"] if len(teams) == 1 else f"{len(teams)} teams"
    subject = (f"Weekoverzicht achterstand week {day.isocalendar()[1]} ({which}): "
               f"{_meervoud(over, 'zaak', 'zaken')} over de fatale datum")
    return subject, {"teams": teams, "vorige_week": week_ago, "binnenkort_dagen": dagen}


def _teamleider_dag(user: Gebruiker, day: date, since: date | None,
                    since_moment: datetime | None) -> tuple[str, dict[str, Any]]:
    dagen = binnenkort_dagen()
    since = since or previous_working_day(day)
    found = queries.changes(day, user.team_ids, since, since_moment, dagen, user.id)
    names = queries.team_names(user.team_ids)
    teams = []
    for team in user.team_ids:
        mine = [change for change in found if change.team == team]
        if mine:
            teams.append({
                "id": team, "naam": names.get(team, team),
                "over": [c for c in mine if c.wijziging == OVERSCHREDEN],
                "binnenkort": [c for c in mine if c.wijziging != OVERSCHREDEN],
                "url_over": link("achterstand.zaken", day, team=team, toestand="termijn_overschreden"),
                "url_binnenkort": link("achterstand.zaken", day, team=team, toestand="binnenkort_verlopend"),
            })
    over = sum(len(t["over"]) for t in teams)
    soon = sum(len(t["binnenkort"]) for t in teams)
    subject = (f"Signalering {datum(day)}: {_meervoud(over, 'zaak', 'zaken')} over de fatale datum, "
               f"{getal(soon)} binnenkort verlopend")
    return subject, {"teams": teams, "sinds": since, "binnenkort_dagen": dagen,
                     "meldingen": [(c.zaak_id, c.wijziging, c.fatale_datum) for c in found]}


def _pia_week(user: Gebruiker, day: date, shared: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if "pia" not in shared:  # the same for every PiA user in a run
        queue = task_queue(day, Scope.everything(), TaskFilter(statuses=(NIET_BEVESTIGD,)), sort="dagen_open",
                           per_page=LIST_MAX)
        shared["pia"] = {"niet_bevestigd": queue, "achterstand": archive_backlog(day, Scope.everything()).totaal,
                         "taken": [(task, link("archief.taak", taak_id=task.id) if task.id else None)
                                   for task in queue.items]}
    outcomes = [(m, link("archief.taak", taak_id=m.taak_id)) for m in queries.marks(user.id, day)]
    wachtend = [item for item in outcomes if item[0].status == GEMELD_GEREED]
    bevestigd = [item for item in outcomes if item[0].status == BEVESTIGD]
    niet = [item for item in outcomes if item[0].status == NIET_BEVESTIGD]
    total = shared["pia"]["niet_bevestigd"].total
    subject = (f"Weekoverzicht archief week {day.isocalendar()[1]}: {_meervoud(total, 'taak', 'taken')} "
               f"niet bevestigd")
    return subject, {**shared["pia"], "wachtend": wachtend, "bevestigd": bevestigd, "niet": niet,
                     "soort_labels": SOORT_LABELS, "week_start": day - timedelta(days=6), "lijst_max": LIST_MAX,
                     "url_archief": link("archief.index", day), "url_mijn": link("archief.mijn_meldingen")}


def _value(code: str, value: float | None) -> str:
    if value is None:
        return "–"
    return getal(value) if code in COUNT_CODES else getal(value, 1) + "%"


def _delta(code: str, now: float | None, before: float | None) -> str | None:
    if now is None or before is None:
        return None
    diff = now - before
    if code in COUNT_CODES:
        return ("+" if diff > 0 else "") + getal(diff)
    return ("+" if diff > 0 else "") + getal(diff, 1) + " procentpunt"


def _programma_maand(day: date, shared: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if "programma" not in shared:  # the same for every recipient in a run
        reference = add_months(day, -1)
        orgs = []
        for item in indicators_now(day, Scope.everything()):
            if item.org.code is None:
                continue  # the unknown organisation gets no readiness verdict (domain.md)
            then, rows = queries.indicator_snapshot(org_key(item.org), reference)
            indicators = []
            for indicator in item.indicatoren:
                row = rows.get(indicator.code)
                indicators.append({
                    "code": indicator.code, "naam": indicator.naam, "waarde": _value(indicator.code, indicator.waarde),
                    "norm": indicator.norm, "voldoet": indicator.voldoet,
                    "vorige": _value(indicator.code, row.waarde) if row else None,
                    "verschil": _delta(indicator.code, indicator.waarde, row.waarde if row else None),
                    "omgeslagen": row is not None and row.voldoet is not None
                    and bool(row.voldoet) != indicator.voldoet,
                })
            orgs.append({"naam": item.org.naam, "gereed": item.gereed_voor_opheffing, "ontbreekt": item.ontbreekt,
                         "vorige_datum": then, "indicatoren": indicators,
                         "url": link("ibt.kpis", day, code=item.org.code)})
        shared["programma"] = {"organisaties": orgs, "referentie": reference, "url_ibt": link("ibt.index", day),
                               "url_maanden": link("ibt.maanden", day)}
    data = shared["programma"]
    ready = sum(1 for org in data["organisaties"] if org["gereed"])
    subject = (f"IBT-maandoverzicht {MAAND_NAMEN[day.month - 1]} {day.year}: {getal(ready)} van "
               f"{getal(len(data['organisaties']))} organisaties gereed voor opheffing")
    return subject, data


def build(user: Gebruiker, soort: str, day: date, *, since: date | None = None, since_moment: datetime | None = None,
          shared: dict[str, Any] | None = None, door: str = "") -> Bericht:
    """The message of `soort` for `user` on `day` (nothing is written). For the daily message `since` is the day
    of the previous one (default: the working day before) and `since_moment` when it was decided. `shared`
    carries figures that are the same for every recipient of a run."""
    shared = {} if shared is None else shared
    with absolute_links():
        context = _common(user, soort, day)
        extra: dict[str, Any] = {}
        if soort == TEAMLEIDER_WEEK:
            subject, extra = _teamleider_week(user, day)
        elif soort == TEAMLEIDER_DAG:
            subject, extra = _teamleider_dag(user, day, since, since_moment)
        elif soort == PIA_WEEK:
            subject, extra = _pia_week(user, day, shared)
        elif soort == PROGRAMMA_MAAND:
            subject, extra = _programma_maand(day, shared)
        elif soort == TEST:
            subject, extra = "Testbericht van duo-zaak", {"door": door}
        else:
            raise ValueError(f"onbekende soort bericht {soort!r}")
    context.update(extra)
    text, html = render(soort, context)
    leeg = soort == TEAMLEIDER_DAG and not extra["meldingen"]
    return Bericht(soort, header_text(subject), text, html, context["afmeld_url"], leeg=leeg,
                   meldingen=list(extra.get("meldingen", [])))
