"""`flask --app app signalering run|preview|test|status`: the e-mail signalering on the command line, and the
poller's one call per wake-up (`tick`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import click
from flask import Flask
from flask.cli import AppGroup

from ..db import db
from ..formatting import AMSTERDAM, today_amsterdam
from ..models import Gebruiker
from ..notify import outbox
from ..notify.signalering import build, receives, run_due, send_test
from ..rules.signalering import KINDS, TEST

signalering = AppGroup("signalering", help="Berichten per e-mail (signalering).")
DATE = click.DateTime(formats=["%Y-%m-%d"])


def tick(now: datetime) -> None:
    """The poller's wake-up: decide what is due and deliver the outbox. A failure is reported, never raised:
    the poller goes on syncing, and the next wake-up tries again (nothing was decided twice)."""
    try:
        result = run_due(now)
    except Exception as exc:  # noqa: BLE001 - the poller must keep running
        db.session.rollback()
        click.echo(f"signalering niet gelukt: {type(exc).__name__}: {exc}", err=True)
        return
    if result.in_wachtrij or result.bezorging and (result.bezorging.verzonden or result.bezorging.fout):
        click.echo(result.summary())


def _user(gebruikersnaam: str) -> Gebruiker:
    user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam))
    if user is None:
        raise click.ClickException(f"gebruiker {gebruikersnaam!r} bestaat niet")
    return user


@signalering.command("run")
@click.option("--date", "datum", type=DATE, default=None,
              help="Doe wat de worker aan het eind van deze dag doet (JJJJ-MM-DD; standaard: nu).")
@click.option("--dry-run", is_flag=True, help="Toon alleen wat er besloten zou worden; schrijf en verstuur niets.")
def run_command(datum: datetime | None, dry_run: bool) -> None:
    """Besluit welke berichten aan de beurt zijn, zet ze in de wachtrij en verstuur de wachtrij."""
    now = (datetime.combine(datum.date(), time(23, 59, 59), AMSTERDAM).astimezone(UTC) if datum
           else datetime.now(UTC))
    result = run_due(now, dry_run=dry_run)
    for line in result.besluiten:
        click.echo(("zou versturen: " if dry_run else "in de wachtrij: ") + line)
    if dry_run:
        click.echo(f"proefdraai {result.dag.isoformat()}: {len(result.besluiten)} berichten aan de beurt; "
                   "niets geschreven of verstuurd")
        return
    click.echo(result.summary())


@signalering.command("preview")
@click.argument("gebruikersnaam")
@click.argument("soort", type=click.Choice([*KINDS, TEST]))
@click.option("--date", "datum", type=DATE, default=None, help="De peildatum (standaard vandaag).")
@click.option("--html", is_flag=True, help="De HTML-versie in plaats van de tekst.")
def preview_command(gebruikersnaam: str, soort: str, datum: datetime | None, html: bool) -> None:
    """Toon een bericht zoals het nu voor deze gebruiker gemaakt zou worden (er wordt niets verstuurd)."""
    user = _user(gebruikersnaam)
    bericht = build(user, soort, datum.date() if datum else today_amsterdam())
    reason = receives(user, soort)
    if reason:
        click.echo(f"(let op: {gebruikersnaam} {reason})", err=True)
    click.echo(f"Onderwerp: {bericht.onderwerp}\n")
    click.echo(bericht.html if html else bericht.tekst)


@signalering.command("test")
@click.argument("gebruikersnaam")
def test_command(gebruikersnaam: str) -> None:
    """Stuur een testbericht aan een gebruiker."""
    user = _user(gebruikersnaam)
    try:
        result = send_test(user, "cli")
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("testbericht verzonden" if result.verzonden else f"testbericht wacht: {result.fout}")


@signalering.command("status")
def status_command() -> None:
    """De stand van de wachtrij (JSON)."""
    click.echo(json.dumps(outbox.status(), ensure_ascii=False, indent=2))


def register(app: Flask) -> None:
    app.cli.add_command(signalering)
