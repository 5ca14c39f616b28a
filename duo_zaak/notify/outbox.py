"""The outbox: messages decided and waiting for SMTP, delivered with retry and back-off, and its state for the
beheer page, /healthz and the /bron page (`status()`).

A row is claimed with a conditional UPDATE (`wacht` -> `bezig`) before it is sent, so two senders (the worker
and a beheerder's test) never send one row twice; it is marked `verzonden` the moment the server accepted it.
SMTP down: the row goes back to `wacht` with its attempt counted and the next attempt after a back-off (1, 2, 4
... minutes, at most an hour); nothing is dropped until MAX_AGE_DAYS, and a message the server refuses for good
(a 5xx for the recipient or the content) is `mislukt`. A row left `bezig` by a sender that died is retried after
STALE_MINUTES, with the same Message-ID (the only moment a message could arrive twice: a crash between the
server's acceptance and our commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import make_msgid
from typing import Any

from sqlalchemy import func, select, update

from ..db import db
from ..formatting import datumtijd
from . import mailer
from .models import BEZIG, MISLUKT, VERZONDEN, WACHT, MailUitgaand
from .queries import db_moment
from .render import Bericht, mime, sender_domain

BACKOFF_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600
MAX_AGE_DAYS = 7
STALE_MINUTES = 15
BATCH = 500


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def enqueue(bericht: Bericht, *, gebruiker_id: int | None, ontvanger: str, sender: str, now: datetime) -> MailUitgaand:
    """Add a message to the outbox in the current transaction (the caller commits)."""
    row = MailUitgaand(gebruiker_id=gebruiker_id, soort=bericht.soort, ontvanger=ontvanger,
                       onderwerp=bericht.onderwerp, tekst=bericht.tekst, html=bericht.html,
                       message_id=make_msgid("duo-zaak", domain=sender_domain(sender)), afmeld_url=bericht.afmeld_url,
                       status=WACHT, pogingen=0, volgende_poging=now, aangemaakt_op=now)
    db.session.add(row)
    db.session.flush()
    return row


def backoff(pogingen: int) -> timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, ... minutes, at most BACKOFF_MAX_SECONDS."""
    return timedelta(seconds=min(BACKOFF_SECONDS * 2 ** max(0, pogingen - 1), BACKOFF_MAX_SECONDS))


@dataclass
class Delivery:
    verzonden: int = 0
    mislukt: int = 0  # given up
    uitgesteld: int = 0  # failed now, will be retried
    fout: str = ""


def _release_stale(now: datetime) -> None:
    db.session.execute(update(MailUitgaand).where(
        MailUitgaand.status == BEZIG, MailUitgaand.geclaimd_op < db_moment(now - timedelta(minutes=STALE_MINUTES)))
        .values(status=WACHT))
    db.session.commit()


def _claim(row_id: int, now: datetime) -> bool:
    claimed = db.session.execute(update(MailUitgaand).where(MailUitgaand.id == row_id, MailUitgaand.status == WACHT)
                                 .values(status=BEZIG, geclaimd_op=now)
                                 .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _failed(row: MailUitgaand, error: mailer.DeliveryError, now: datetime, result: Delivery) -> None:
    row.pogingen += 1
    row.laatste_fout = error.text
    row.laatste_fout_op = now
    too_old = aware(row.aangemaakt_op) < now - timedelta(days=MAX_AGE_DAYS)
    if error.permanent or too_old:
        row.status = MISLUKT
        if too_old and not error.permanent:
            row.laatste_fout = f"opgegeven na {MAX_AGE_DAYS} dagen: {error.text}"
        result.mislukt += 1
    else:
        row.status = WACHT
        row.volgende_poging = now + backoff(row.pogingen)
        result.uitgesteld += 1
    result.fout = row.laatste_fout


def deliver(now: datetime | None = None, *, ids: list[int] | None = None) -> Delivery:
    """Send what is due (or only the rows `ids`, when due); one SMTP session for the batch."""
    now = now or datetime.now(UTC)
    result = Delivery()
    mail = mailer.settings()
    if mail is None:
        return result
    _release_stale(now)
    query = (select(MailUitgaand.id).where(MailUitgaand.status == WACHT,
                                           MailUitgaand.volgende_poging <= db_moment(now))
             .order_by(MailUitgaand.id).limit(BATCH))
    if ids is not None:
        query = query.where(MailUitgaand.id.in_(ids))
    due = list(db.session.scalars(query))
    connection = mailer.Connection(mail)
    try:
        for index, row_id in enumerate(due):
            if not _claim(row_id, now):
                continue
            row = db.session.get(MailUitgaand, row_id)
            message = mime(sender=mail.sender, to=row.ontvanger, subject=row.onderwerp, text=row.tekst,
                           html=row.html, message_id=row.message_id, afmeld_url=row.afmeld_url)
            try:
                connection.send(message, row.ontvanger)
            except mailer.DeliveryError as error:
                _failed(row, error, now, result)
                if error.connection:  # the server is not there: the rest waits as well, counted
                    for other in due[index + 1:]:
                        waiting = db.session.get(MailUitgaand, other)
                        if waiting is not None and waiting.status == WACHT:
                            _failed(waiting, error, now, result)
                    db.session.commit()
                    break
                db.session.commit()
                continue
            row.status = VERZONDEN
            row.pogingen += 1
            row.verzonden_op = now
            db.session.commit()
            result.verzonden += 1
    finally:
        connection.close()
    return result


def status(now: datetime | None = None) -> dict[str, Any]:
    """The outbox in numbers, for /healthz, the beheer page and /bron: how many wait (and since when), how many
    failed for good, what went wrong last and when. No addresses, no message content, no secrets."""
    now = now or datetime.now(UTC)
    counts = dict(db.session.execute(select(MailUitgaand.status, func.count()).group_by(MailUitgaand.status)).all())
    oldest = aware(db.session.scalar(select(func.min(MailUitgaand.aangemaakt_op))
                                     .where(MailUitgaand.status.in_([WACHT, BEZIG]))))
    last = db.session.execute(select(MailUitgaand.laatste_fout, MailUitgaand.laatste_fout_op)
                              .where(MailUitgaand.laatste_fout_op.is_not(None))
                              .order_by(MailUitgaand.laatste_fout_op.desc(), MailUitgaand.id.desc()).limit(1)).first()
    sent = db.session.scalar(select(func.count()).select_from(MailUitgaand).where(
        MailUitgaand.status == VERZONDEN, MailUitgaand.verzonden_op >= db_moment(now - timedelta(days=1)))) or 0
    return {
        "geconfigureerd": mailer.settings() is not None,
        "wachtend": int(counts.get(WACHT, 0)) + int(counts.get(BEZIG, 0)),
        "mislukt": int(counts.get(MISLUKT, 0)),
        "verzonden_24u": int(sent),
        "oudste_wachtend_sinds": oldest.isoformat() if oldest else None,
        "laatste_fout": last.laatste_fout.split(":", 1)[0] if last else None,
        "laatste_fout_op": aware(last.laatste_fout_op).isoformat() if last else None,
    }


def recent(n: int = 20) -> list[MailUitgaand]:
    """The latest outbox rows, newest first (for the beheer page)."""
    return list(db.session.scalars(select(MailUitgaand).order_by(MailUitgaand.id.desc()).limit(n)))


def describe_status(row: MailUitgaand) -> str:
    """One line in Dutch for a row's state."""
    if row.status == VERZONDEN:
        return f"verzonden {datumtijd(row.verzonden_op)}"
    if row.status == MISLUKT:
        return f"mislukt na {row.pogingen} pogingen"
    if row.status == BEZIG:
        return "wordt verzonden"
    if row.pogingen:
        return f"wacht (poging {row.pogingen + 1} na {datumtijd(row.volgende_poging)})"
    return "wacht op verzending"
