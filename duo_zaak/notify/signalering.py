"""The worker's signalering: on every wake-up, decide which messages are due and put them in the outbox, then
deliver the outbox (`run_due`). `flask signalering run` does the same for a given day.

Never twice: a message is decided in one transaction that writes its sent-log row (unique per user, kind and
period), its outbox row and, for the daily message, the zaken it reports. A second run, a restarted worker or a
second worker fails on the key and sends nothing. Catch-up: a period whose moment passed while the worker was
down is decided at the next wake-up within that period (see rules/signalering.py); the daily message then
reports everything that changed since the previous one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts import audit
from ..db import db
from ..formatting import AMSTERDAM
from ..models import Gebruiker
from ..rules.signalering import (
    DEFAULT_HOUR,
    TEAMLEIDER_DAG,
    TEAMLEIDER_WEEK,
    TEST,
    available,
    due_period,
)
from . import content, mailer, outbox, preferences
from .models import MeldingLog, MeldingZaak
from .render import Bericht

TEAM_KINDS = (TEAMLEIDER_WEEK, TEAMLEIDER_DAG)


@dataclass
class RunResult:
    dag: date
    geconfigureerd: bool = True
    in_wachtrij: int = 0
    niets_te_melden: int = 0
    al_besloten: int = 0  # another run decided the same message first
    besluiten: list[str] = field(default_factory=list)  # one line per message decided (or, in a dry run, due)
    bezorging: outbox.Delivery | None = None

    def summary(self) -> str:
        if not self.geconfigureerd:
            return "signalering: geen MAIL_SERVER ingesteld, er wordt geen e-mail verstuurd"
        text = (f"signalering {self.dag.isoformat()}: {self.in_wachtrij} in de wachtrij, "
                f"{self.niets_te_melden} zonder iets te melden, {self.al_besloten} al besloten")
        if self.bezorging is not None:
            b = self.bezorging
            text += f"; bezorgd {b.verzonden}, uitgesteld {b.uitgesteld}, mislukt {b.mislukt}"
            if b.fout:
                text += f" (laatste fout: {b.fout})"
        return text


def _hour() -> int:
    return int(current_app.config.get("SIGNALERING_UUR", DEFAULT_HOUR))


def previous_daily(gebruiker_id: int, day: date) -> tuple[date | None, datetime | None]:
    """The day of the user's previous daily message before `day` and when it was decided."""
    row = db.session.execute(select(MeldingLog.periode, MeldingLog.beslist_op).where(
        MeldingLog.gebruiker_id == gebruiker_id, MeldingLog.soort == TEAMLEIDER_DAG,
        MeldingLog.periode < day.isoformat()).order_by(MeldingLog.periode.desc()).limit(1)).first()
    if row is None:
        return None, None
    return date.fromisoformat(row.periode), outbox.aware(row.beslist_op)


def build(user: Gebruiker, soort: str, day: date, shared: dict[str, Any] | None = None, door: str = "") -> Bericht:
    """The message as it would be decided for `day` now (nothing is written): the previews use this too."""
    since, since_moment = previous_daily(user.id, day) if soort == TEAMLEIDER_DAG else (None, None)
    return content.build(user, soort, day, since=since, since_moment=since_moment, shared=shared, door=door)


def _decide(user: Gebruiker, soort: str, periode: str, day: date, now: datetime, sender: str,
            shared: dict[str, Any], result: RunResult) -> None:
    bericht = build(user, soort, day, shared)
    name = user.gebruikersnaam  # read before a rollback expires the object
    try:  # one transaction: the sent-log row (its unique key decides), the outbox row, the zaken reported
        log = MeldingLog(gebruiker_id=user.id, soort=soort, periode=periode, peildatum=day)
        if not bericht.leeg:
            log.uitgaand_id = outbox.enqueue(bericht, gebruiker_id=user.id, ontvanger=user.email or "",
                                             sender=sender, now=now).id
        db.session.add(log)
        db.session.flush()
        for zaak_id, wijziging, fatale in bericht.meldingen:
            db.session.add(MeldingZaak(gebruiker_id=user.id, zaak_id=zaak_id, wijziging=wijziging,
                                       fatale_datum=fatale, log_id=log.id))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        result.al_besloten += 1
        return
    if bericht.leeg:
        result.niets_te_melden += 1
    else:
        result.in_wachtrij += 1
        result.besluiten.append(f"{name}: {soort} {periode}: {bericht.onderwerp}")


def run_due(now: datetime | None = None, *, dry_run: bool = False) -> RunResult:
    """Decide every message due at `now` that was not decided before, then deliver the outbox. A dry run only
    lists what would be decided (and writes and sends nothing)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    local = now.astimezone(AMSTERDAM)
    result = RunResult(local.date())
    mail = mailer.settings()
    if mail is None and not dry_run:
        result.geconfigureerd = False
        return result
    users = preferences.recipients()
    kinds = preferences.enabled(users)
    due = {(user.id, soort): period for user in users for soort in kinds[user.id]
           if (period := due_period(soort, local, _hour())) is not None}
    done = set()
    if due:
        done = set(db.session.execute(select(MeldingLog.gebruiker_id, MeldingLog.soort, MeldingLog.periode).where(
            MeldingLog.periode.in_(sorted(set(due.values()))))).all())
    shared: dict[str, Any] = {}
    for user in users:
        for soort in kinds[user.id]:
            period = due.get((user.id, soort))
            if period is None or (user.id, soort, period) in done or (soort in TEAM_KINDS and not user.team_ids):
                continue
            if dry_run:
                bericht = build(user, soort, result.dag, shared)
                result.besluiten.append(f"{user.gebruikersnaam}: {soort} {period}: "
                                        + ("niets te melden" if bericht.leeg else bericht.onderwerp))
                continue
            _decide(user, soort, period, result.dag, now, mail.sender if mail else "", shared, result)
    if dry_run:
        db.session.rollback()
        return result
    result.bezorging = outbox.deliver(now)
    return result


def send_test(user: Gebruiker, door: str, now: datetime | None = None) -> outbox.Delivery:
    """A test message to `user`, logged like any message and delivered at once (retried by the worker when the
    server does not take it now). ValueError (Dutch) when mail is not configured or the user has no address."""
    now = now or datetime.now(UTC)
    mail = mailer.settings()
    if mail is None:
        raise ValueError("Er wordt geen e-mail verstuurd: MAIL_SERVER is niet ingesteld.")
    if not user.email:
        raise ValueError(f"Gebruiker {user.gebruikersnaam} heeft geen e-mailadres.")
    bericht = build(user, TEST, now.astimezone(AMSTERDAM).date(), door=door)
    row = outbox.enqueue(bericht, gebruiker_id=user.id, ontvanger=user.email, sender=mail.sender, now=now)
    db.session.add(MeldingLog(gebruiker_id=user.id, soort=TEST, periode=f"{now:%Y%m%d%H%M%S%f}",
                              peildatum=now.astimezone(AMSTERDAM).date(), uitgaand_id=row.id))
    audit.record("testbericht_versturen", user.gebruikersnaam, "ok", actor=door or None)
    db.session.commit()
    return outbox.deliver(now, ids=[row.id])


def receives(user: Gebruiker, soort: str) -> str | None:
    """Why `user` would not get `soort` (Dutch), or None when they would."""
    if soort == TEST:
        return None if user.email else "heeft geen e-mailadres"
    if soort not in available(user.rol):
        return "krijgt dit soort bericht niet met deze rol"
    if not user.actief:
        return "is uitgeschakeld"
    if not user.email:
        return "heeft geen e-mailadres"
    if not preferences.preferences(user).get(soort):
        return "heeft dit bericht uitgezet"
    if soort in TEAM_KINDS and not user.team_ids:
        return "heeft geen teams"
    return None
