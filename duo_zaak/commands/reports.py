"""`flask --app app report ...` (the API's documents on the command line) and `flask --app app snapshot`.

`report` prints the document the API serves to a user who sees everything: JSON as is, or flattened with
pandas to one row per organisation and team (`csv`, `table`).
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click
from flask import Flask
from flask.cli import with_appcontext

from ..figures.demo_history import backfill
from ..figures.exports import neutralise
from ..figures.planning_report import planning_document
from ..figures.scope import Scope
from ..figures.snapshots import SnapshotError, take_snapshot
from ..formatting import today_amsterdam
from ..rules.planning import parse_fte

if TYPE_CHECKING:  # pandas is imported when a report is flattened, not by every flask command
    import pandas as pd
from ..figures.reports import REPORTS, Document

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _rows(name: str, document: Document) -> list[dict[str, Any]]:
    """One flat row per item of the document (organisation, team, indicator, finding)."""
    if name == "kwaliteit":
        return list(document["bevindingen"])
    if name == "planning":  # one row per week of the projection (step 0: the peildatum)
        org = document["organisatie"]
        return [{"organisatie": org["code"] if org else "*", "fte": document["fte"], **row}
                for row in document["projectie"]]
    if name == "ranglijst":
        return [{**row, "meest_verbeterd": document["meest_verbeterd"] is not None
                 and row["id"] == document["meest_verbeterd"]["id"]} for row in document["teams"]]
    rows: list[dict[str, Any]] = []
    for org in document["organisaties"]:
        base = {"organisatie": org["code"], "organisatie_naam": org["naam"]}
        if name == "indicatoren":
            extra = {"gereed_voor_opheffing": org["gereed_voor_opheffing"], "ontbreekt": "; ".join(org["ontbreekt"]),
                     "prognose_achterstand_nul": org["prognose_achterstand_nul"]}
            rows.extend({**base, **indicator, **extra} for indicator in org["indicatoren"])
            continue
        figures = {k: v for k, v in org.items() if k not in ("code", "naam", "teams")}
        rows.append({**base, "team": "*", "team_naam": "", **figures})
        for team in org["teams"]:
            rows.append({**base, "team": team["id"], "team_naam": team["naam"],
                         **{k: v for k, v in team.items() if k not in ("id", "naam")}})
    if "totaal" in document:
        rows.append({"organisatie": "*", "organisatie_naam": "Totaal", "team": "*", "team_naam": "",
                     **document["totaal"]})
    return rows


def flatten(name: str, document: Document) -> pd.DataFrame:
    """The document as a table; nested counts become columns like `ouderdom.1-30`."""
    import pandas as pd

    frame = pd.json_normalize(_rows(name, document))
    frame.insert(0, "peildatum", document["peildatum"])
    return frame


@click.command("report")
@click.argument("naam", type=click.Choice(list(REPORTS)))
@click.option("--peildatum", type=DATE, default=None, help="JJJJ-MM-DD (standaard vandaag).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "table"]), default="json", show_default=True)
@click.option("--fte", default=None, help="Alleen planning: fte van PiA, bijv. 3,2 (standaard de vastgelegde).")
@click.option("--doeldatum", type=DATE, default=None, help="Alleen planning: JJJJ-MM-DD (standaard over 13 weken).")
@click.option("--organisatie", default=None, help="Alleen planning: organisatiecode (standaard alle vier).")
@with_appcontext
def report_command(naam: str, peildatum: datetime | None, fmt: str, fte: str | None, doeldatum: datetime | None,
                   organisatie: str | None) -> None:
    """Druk een rapport af: backlog, archief, indicatoren, ranglijst, kwaliteit of planning."""
    day = peildatum.date() if peildatum else today_amsterdam()
    if naam == "planning":
        try:
            document = planning_document(day, fte=parse_fte(fte) if fte is not None else None,
                                         doeldatum=doeldatum.date() if doeldatum else None, organisatie=organisatie)
        except ValueError as exc:  # a bad --fte, or PlanningError
            raise click.BadParameter(str(exc), param_hint=f"--{getattr(exc, 'param', 'fte')}") from exc
    elif fte is not None or doeldatum is not None or organisatie is not None:
        raise click.UsageError("--fte, --doeldatum en --organisatie horen alleen bij 'report planning'.")
    else:
        document = REPORTS[naam](day, Scope.everything())
    if fmt == "json":
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    frame = flatten(naam, document)
    if fmt == "csv":  # team names come from InProces: never a live formula in a spreadsheet
        click.echo(frame.map(neutralise).to_csv(index=False), nl=False)
    else:
        import pandas as pd

        with pd.option_context("display.max_columns", None, "display.width", 200):
            click.echo(frame.to_string(index=False))


@click.command("snapshot")
@click.option("--date", "datum", type=DATE, default=None, help="De dag (standaard vandaag).")
@with_appcontext
def snapshot_command(datum: datetime | None) -> None:
    """Leg de momentopname van een dag vast (vandaag: vervangen; een eerdere dag: nooit herschreven)."""
    day: date = datum.date() if datum else today_amsterdam()
    try:
        written = take_snapshot(day)
    except SnapshotError as exc:
        raise click.ClickException(str(exc)) from exc
    if written == 0:
        click.echo(f"momentopname {day.isoformat()} bestaat al en wordt niet herschreven (de dag is voorbij)")
    else:
        click.echo(f"momentopname {day.isoformat()}: {written} regels vastgelegd")


@click.command("demo-history")
@with_appcontext
@click.option("--days", type=click.IntRange(1, 3650), default=365, show_default=True,
              help="Zoveel dagen terug vanaf gisteren.")
def demo_history_command(days: int) -> None:
    """Vul de historie aan met demo-momentopnamen (alleen voor de demo; dagen met een momentopname blijven)."""
    started = time.monotonic()
    result = backfill(days, today_amsterdam())
    click.echo(f"demo-historie: {result.volledig} dagen volledig, {result.organisatie} dagen op organisatieniveau, "
               f"{result.overgeslagen} dagen overgeslagen (al een momentopname); {result.rijen} rijen in "
               f"{time.monotonic() - started:.1f} s")


def register(app: Flask) -> None:
    app.cli.add_command(demo_history_command)
    app.cli.add_command(report_command)
    app.cli.add_command(snapshot_command)
