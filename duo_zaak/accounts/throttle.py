"""Slowing down password guessing, instead of locking accounts.

Failures are counted per key in `inlog_vertraging`: per account from one client address (LOGIN_FREE_FAILURES free,
default 5) and per client address over all accounts (LOGIN_FREE_FAILURES_PER_ADDRESS, default 30). After the free
ones, every failure doubles the wait before that key's next attempt is looked at: 1 s, 2 s, 4 s, ... up to
LOGIN_MAX_DELAY_SECONDS (default 900). An attempt within the wait is refused without checking the password and does
not count, so it cannot prolong the wait. A key without failures for LOGIN_FORGET_MINUTES (default 60) starts again
from zero; a successful login clears its account + address key.

Nobody can lock another person out: someone typing wrong passwords for the beheerder slows down only their own
address, and the beheerder logs in from theirs. Keys are hashes, so a password typed into the user name field is
not stored here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..models import InlogVertraging


@dataclass(frozen=True)
class Key:
    sleutel: str
    free: int


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def keys(gebruikersnaam: str, adres: str) -> list[Key]:
    config = current_app.config
    return [Key(_hash("account", gebruikersnaam.strip().casefold(), adres), config["LOGIN_FREE_FAILURES"]),
            Key(_hash("adres", adres), config["LOGIN_FREE_FAILURES_PER_ADDRESS"])]


def wait_seconds(failures: int, free: int) -> float:
    """The wait after `failures` failures of which `free` cost nothing: 0, then 1, 2, 4, ... capped."""
    if failures <= free:
        return 0.0
    return float(min(2 ** min(failures - free - 1, 30), current_app.config["LOGIN_MAX_DELAY_SECONDS"]))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC


def _forget_before(now: datetime) -> datetime:
    return now - timedelta(minutes=current_app.config["LOGIN_FORGET_MINUTES"])


def _rows(wanted: list[Key]) -> dict[str, InlogVertraging]:
    found = db.session.scalars(select(InlogVertraging).where(
        InlogVertraging.sleutel.in_([key.sleutel for key in wanted])))
    return {row.sleutel: row for row in found}


def slowed(wanted: list[Key], now: datetime) -> bool:
    """True while any of the keys is in its wait."""
    rows = _rows(wanted)
    for key in wanted:
        row = rows.get(key.sleutel)
        if row is None or _aware(row.laatste) < _forget_before(now):
            continue
        if now < _aware(row.laatste) + timedelta(seconds=wait_seconds(row.mislukt, key.free)):
            return True
    return False


def _row(sleutel: str, now: datetime) -> InlogVertraging:
    """The key's row, created when missing (two workers creating it at once: the loser reads the winner's)."""
    row = db.session.scalar(select(InlogVertraging).where(InlogVertraging.sleutel == sleutel))
    if row is not None:
        return row
    try:
        with db.session.begin_nested():
            row = InlogVertraging(sleutel=sleutel, mislukt=0, geweigerd=0, laatste=now)
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(select(InlogVertraging).where(InlogVertraging.sleutel == sleutel))
    return row


def record_failure(wanted: list[Key], now: datetime) -> None:
    """Count a failed attempt on every key (a forgotten key starts again at one)."""
    for key in wanted:
        row = _row(key.sleutel, now)
        if _aware(row.laatste) < _forget_before(now):
            row.mislukt, row.geweigerd = 0, 0
        db.session.execute(update(InlogVertraging).where(InlogVertraging.id == row.id)
                           .values(mislukt=InlogVertraging.mislukt + 1, laatste=now))


def record_refusal(wanted: list[Key]) -> None:
    """An attempt refused within the wait: counted apart, the wait stays as it was."""
    db.session.execute(update(InlogVertraging).where(InlogVertraging.sleutel.in_([k.sleutel for k in wanted]))
                       .values(geweigerd=InlogVertraging.geweigerd + 1))


def clear(key: Key) -> None:
    db.session.execute(delete(InlogVertraging).where(InlogVertraging.sleutel == key.sleutel))


def purge(now: datetime) -> None:
    """Forget the keys that had no failure for LOGIN_FORGET_MINUTES (so made-up names do not pile up)."""
    db.session.execute(delete(InlogVertraging).where(InlogVertraging.laatste < _forget_before(now)))


def unknown_name_audit_due(adres: str, now: datetime) -> tuple[bool, int]:
    """Failed logins with unknown user names are audited at most once per AUDIT_UNKNOWN_LOGIN_SECONDS per address.

    Returns (write a row now, how many were left out since the previous row)."""
    row = _row(_hash("audit-onbekend", adres), now)
    window = timedelta(seconds=current_app.config["AUDIT_UNKNOWN_LOGIN_SECONDS"])
    if row.geweigerd and now - _aware(row.laatste) < window:  # `geweigerd` = a row was written in this window
        row.mislukt += 1
        return False, 0
    left_out = row.mislukt
    row.mislukt, row.geweigerd, row.laatste = 0, 1, now
    return True, left_out
