"""`flask --app app sync|poll|tasks refresh`: thin commands around the sync and the daily task step.

Between two syncs the poller looks at the notification queue every NOTIFICATIES_CHECK_SECONDS and drains it
(sync/push.py): a notified zaak is in the mirror within seconds, the polling interval stays the safety net."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from connectors.inproces import InProcesSettings, connect

from .. import labels
from ..db import db
from ..figures.stored import refresh_if_stale
from ..formatting import today_amsterdam
from ..models import SyncRun
from ..settings import archive_settings
from ..sync import push
from ..sync import queue as notificatie_queue
from ..sync import requests as sync_requests
from ..sync.locking import LockBusy
from ..sync.run import SyncBusy, SyncFailed, run_sync, summary
from ..tasks import lifecycle as tasks
from .signalering import tick as signalering_tick

REQUEST_CHECK_SECONDS = 2  # the poller looks for a run asked for on /bron this often while it waits


def inproces_settings() -> InProcesSettings:
    config = current_app.config
    try:
        return InProcesSettings(
            zaken_url=config["INPROCES_ZAKEN_URL"] or "", catalogi_url=config["INPROCES_CATALOGI_URL"] or "",
            client_id=config["INPROCES_CLIENT_ID"] or "", secret=config["INPROCES_SECRET"] or "",
            page_size=int(config["INPROCES_PAGE_SIZE"]),
        )
    except ValueError as exc:
        raise click.ClickException(f"InProces is niet geconfigureerd: {exc}") from exc


class _Bar:
    """A progress bar on a terminal; silent otherwise."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            if self.stage:
                click.echo(file=sys.stderr)
            self.stage = stage
        width = 30
        share = min(1.0, done / total) if total else 0.0
        bar = "#" * int(width * share)
        click.echo(f"\r{stage:<30} [{bar:<{width}}] {done}/{total or '?'}", nl=False, err=True)

    def close(self) -> None:
        if self.enabled and self.stage:
            click.echo(file=sys.stderr)


def sync_once(full: bool, today: date | None = None, should_stop: Callable[[], bool] | None = None) -> SyncRun:
    client = connect(inproces_settings())
    bar = _Bar()
    try:
        return run_sync(client, full=full, today=today or today_amsterdam(), settings=archive_settings(),
                        organisaties=current_app.config["ORGANISATIES"], progress=bar, should_stop=should_stop)
    finally:
        bar.close()


def drain_notifications(limit: int | None = None, should_stop: Callable[[], bool] | None = None,
                        today: date | None = None) -> push.DrainResult | None:
    """Re-read the zaken notifications queued (None: nothing waited, or a sync holds the writer lock and
    the queue waits for the next wake-up)."""
    if not notificatie_queue.has_waiting():
        return None
    client = connect(inproces_settings())
    try:
        return push.drain(client, today=today or today_amsterdam(), settings=archive_settings(),
                          organisaties=current_app.config["ORGANISATIES"], limit=limit, should_stop=should_stop)
    except LockBusy:
        return None
    finally:
        client.close()
        db.session.remove()


@click.command("sync")
@with_appcontext
@click.option("--full", is_flag=True, help="Alle zaken ophalen en controleren (anders alleen de actieve set).")
def sync_command(full: bool) -> None:
    """Eén synchronisatie met InProces; eindigt met een samenvatting op één regel."""
    try:
        run = sync_once(full)
    except SyncBusy as exc:
        raise click.ClickException(str(exc)) from exc
    except SyncFailed as exc:
        run = db.session.scalar(db.select(SyncRun).order_by(SyncRun.id.desc()))
        click.echo(summary(run), err=True)
        raise click.ClickException(f"synchronisatie mislukt: {exc}") from exc
    click.echo(summary(run))


def _needs_full(now: datetime) -> bool:
    last_full = db.session.scalar(
        db.select(SyncRun.gestart_op).filter_by(modus="volledig", uitkomst="geslaagd")
        .order_by(SyncRun.gestart_op.desc()).limit(1))
    if last_full is None:
        return True
    if last_full.tzinfo is None:
        last_full = last_full.replace(tzinfo=UTC)
    return now - last_full >= timedelta(days=int(current_app.config["FULL_SYNC_DAYS"]))


@click.command("poll")
@with_appcontext
@click.option("--interval", type=click.IntRange(min=1), default=None,
              help="Seconden tussen twee synchronisaties (standaard POLL_INTERVAL_SECONDS).")
@click.option("--once", is_flag=True, hidden=True, help="Eén ronde (voor tests).")
def poll_command(interval: int | None, once: bool) -> None:
    """Synchroniseer elke N seconden (en meteen als dat op /bron is gevraagd); wekelijks volledig; dagelijks
    taken en momentopname."""
    from ..figures.snapshots import take_snapshot

    interval = interval or int(current_app.config["POLL_INTERVAL_SECONDS"])
    stopping = {"flag": False}

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping["flag"] = True
        click.echo("stopsignaal ontvangen: de lopende ronde wordt afgemaakt", err=True)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    last_daily: date | None = None
    while not stopping["flag"]:
        asked = sync_requests.claim()  # runs asked for on /bron are served by this run
        try:
            full = _needs_full(datetime.now(UTC)) or bool(asked and asked.volledig)
            run = sync_once(full, should_stop=lambda: stopping["flag"])
            click.echo(summary(run))
        except (SyncBusy, SyncFailed) as exc:
            click.echo(f"synchronisatie niet gelukt: {exc}", err=True)
        today = today_amsterdam()
        if last_daily != today and not stopping["flag"]:
            changes = tasks.refresh_all(today, archive_settings())
            click.echo(f"taken bijgewerkt: {changes.aangemaakt} nieuw, {changes.gewijzigd} gewijzigd")
            take_snapshot(today)
            last_daily = today
        if not stopping["flag"]:
            signalering_tick(datetime.now(UTC))  # e-mail signalering (issue 17): decide what is due, deliver
        db.session.remove()
        if once:
            break
        _wait(interval, lambda: stopping["flag"])
    click.echo("poller gestopt")


def _wait(interval: float, stopped: Callable[[], bool]) -> None:
    """Until the next sync (or a run asked for on /bron): drain the notification queue every
    NOTIFICATIES_CHECK_SECONDS (a cheap look-up when it is empty; at most NOTIFICATIES_BATCH zaken per wake-up, so
    the next sync is not held up)."""
    check = float(current_app.config["NOTIFICATIES_CHECK_SECONDS"])
    deadline = time.monotonic() + interval
    next_check = time.monotonic()
    next_request_check = time.monotonic() + REQUEST_CHECK_SECONDS
    while not stopped() and time.monotonic() < deadline:
        if time.monotonic() >= next_request_check:  # a run asked for on /bron starts now
            asked_now = sync_requests.pending() is not None
            db.session.remove()  # no transaction held while waiting
            if asked_now:
                return
            next_request_check = time.monotonic() + REQUEST_CHECK_SECONDS
        if time.monotonic() >= next_check:
            try:
                refresh_if_stale(today_amsterdam())  # just after midnight: today's figures
                result = drain_notifications(int(current_app.config["NOTIFICATIES_BATCH"]), stopped)
            except Exception as exc:  # noqa: BLE001 - a failed drain must not stop the poller; the next one retries
                db.session.remove()
                click.echo(f"notificaties niet verwerkt: {type(exc).__name__}: {exc}", err=True)
            else:
                if result is not None and (result.zaken or result.melding):
                    click.echo(result.summary())
            next_check = time.monotonic() + check
        time.sleep(max(0.0, min(0.2, deadline - time.monotonic(), next_check - time.monotonic())))


taken = AppGroup("tasks", help="Archieftaken.")
STATUS_TEKST = {code: word.lower() for code, word in labels.TAAK_STATUSSEN.items()}


@taken.command("refresh")
@click.option("--date", "datum", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="De dag (standaard vandaag).")
def refresh_command(datum: datetime | None) -> None:
    """De dagelijkse stap: taken die door de kalender alleen vervallen of niet bevestigd worden."""
    changes = tasks.refresh_all(datum.date() if datum else today_amsterdam(), archive_settings())
    per_status = ", ".join(f"{count} {STATUS_TEKST.get(status, status)}"
                           for status, count in sorted(changes.per_status.items()))
    click.echo(f"taken bijgewerkt: {changes.aangemaakt} nieuw, {changes.gewijzigd} van status gewijzigd"
               + (f" ({per_status})" if per_status else ""))


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.cli.add_command(sync_command)
    app.cli.add_command(poll_command)
    app.cli.add_command(taken)
