"""`flask --app app notificaties abonneer|status|verwerk`: push through the Notificaties API (kanaal `zaken`)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from connectors.zgw.errors import ZGWError, ZGWValidationError
from connectors.zgw.notificaties import FilterGroup, NotificatiesClient

from ..db import db
from ..sync import queue
from .sync import drain_notifications

KANAAL = "zaken"
notificaties = AppGroup("notificaties", help="Push: abonnement bij de Notificaties API en de wachtrij.")


def _client() -> NotificatiesClient:
    config = current_app.config
    url = config.get("NOTIFICATIES_URL")
    client_id = config.get("NOTIFICATIES_CLIENT_ID") or config.get("INPROCES_CLIENT_ID")
    secret = config.get("NOTIFICATIES_SECRET") or config.get("INPROCES_SECRET")
    missing = [name for name, value in (("NOTIFICATIES_URL", url), ("NOTIFICATIES_CLIENT_ID of INPROCES_CLIENT_ID",
                                                                     client_id),
                                        ("NOTIFICATIES_SECRET of INPROCES_SECRET", secret)) if not value]
    if missing:
        raise click.ClickException(f"Notificaties API niet geconfigureerd: {', '.join(missing)} ontbreekt")
    return NotificatiesClient(url, client_id, secret)


def _kanalen() -> list[FilterGroup]:
    """Kanaal zaken, once per configured organisation (a filter holds one value per kenmerk)."""
    return [FilterGroup(KANAAL, {"bronorganisatie": org["rsin"]}) for org in current_app.config["ORGANISATIES"]]


def _groups(groups: tuple[FilterGroup, ...]) -> str:
    return "; ".join(f"{g.naam} " + ", ".join(f"{k}={v}" for k, v in sorted(g.filters.items())) for g in groups)


@notificaties.command("abonneer")
@click.option("--callback", required=True, help="De URL van deze toepassing: https://.../api/v1/notificaties")
def abonneer_command(callback: str) -> None:
    """Neem een abonnement op kanaal zaken (of vernieuw het abonnement met deze callback)."""
    auth = current_app.config.get("NOTIFICATIES_AUTH")
    if not auth:
        raise click.ClickException("NOTIFICATIES_AUTH ontbreekt: de waarde van de Authorization-header die de "
                                   "Notificaties API meestuurt (bijvoorbeeld 'Token <lang geheim>')")
    if not callback.startswith(("https://", "http://")) or not callback.rstrip("/").endswith("/api/v1/notificaties"):
        raise click.ClickException("--callback moet de volledige URL van /api/v1/notificaties zijn")
    if len(auth) < 32:
        click.echo("Let op: NOTIFICATIES_AUTH is korter dan 32 tekens; gebruik een lang, willekeurig geheim.",
                   err=True)
    try:
        with _client() as client:
            if not client.kanalen(KANAAL):
                raise click.ClickException(f"de Notificaties API kent kanaal '{KANAAL}' niet (de Zaken API "
                                           "registreert het)")
            existing = [a for a in client.abonnementen() if a.callback_url == callback]
            if existing:
                abonnement = client.update_abonnement(existing[0].url, callback, auth, _kanalen())
                click.echo(f"abonnement vernieuwd: {abonnement.url}")
                for extra in existing[1:]:
                    click.echo(f"Let op: nog een abonnement met deze callback: {extra.url}", err=True)
            else:
                abonnement = client.create_abonnement(callback, auth, _kanalen())
                click.echo(f"abonnement aangemaakt: {abonnement.url}")
    except ZGWValidationError as exc:
        reasons = "; ".join(f"{p.get('name')}: {p.get('reason')}" for p in exc.invalid_params) or str(exc)
        raise click.ClickException(f"de Notificaties API weigert het abonnement: {reasons}") from exc
    except ZGWError as exc:
        raise click.ClickException(f"Notificaties API: {exc}") from exc
    click.echo(f"  kanalen: {_groups(abonnement.kanalen)}")
    click.echo(f"  callback: {abonnement.callback_url}")


@notificaties.command("status")
def status_command() -> None:
    """Toon het abonnement (of de abonnementen) en de wachtrij."""
    if current_app.config.get("NOTIFICATIES_URL"):
        try:
            with _client() as client:
                found = client.abonnementen()
            if not found:
                click.echo("geen abonnement bij de Notificaties API")
            for abonnement in found:
                click.echo(f"abonnement {abonnement.url}\n  callback: {abonnement.callback_url}\n"
                           f"  kanalen: {_groups(abonnement.kanalen)}")
        except ZGWError as exc:
            click.echo(f"Notificaties API niet bereikbaar: {exc}", err=True)
    else:
        click.echo("geen Notificaties API geconfigureerd (NOTIFICATIES_URL)")
    if not current_app.config.get("NOTIFICATIES_AUTH"):
        click.echo("NOTIFICATIES_AUTH ontbreekt: /api/v1/notificaties weigert elke notificatie", err=True)
    state = queue.status()
    oudste = ""
    if state.oudste is not None:
        oudste = f", oudste {int((datetime.now(UTC) - state.oudste).total_seconds())} s geleden"
    click.echo(f"wachtrij: {state.wachtend} wachtend{oudste}, {state.bezig} in verwerking")
    done = ", ".join(f"{n} {k}" for k, n in sorted(state.afgelopen_uur.items())) or "geen"
    click.echo(f"afgelopen uur verwerkt: {done} ({state.meldingen_afgelopen_uur} notificaties)")
    db.session.remove()


@notificaties.command("verwerk")
@click.option("--datum", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="De dag waarop taken worden bijgewerkt (standaard vandaag).")
def verwerk_command(datum: datetime | None) -> None:
    """Verwerk de wachtrij één keer (voor cron en tests): elke zaak opnieuw gelezen."""
    result = drain_notifications(today=datum.date() if datum else None)
    if result is None:
        click.echo("wachtrij leeg" if not queue.has_waiting() else "een synchronisatie loopt; later opnieuw")
        db.session.remove()
        return
    click.echo(result.summary())
    if result.melding:
        raise click.ClickException("niet alles verwerkt: " + result.melding)


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.cli.add_command(notificaties)
