"""The notification queue (sync/queue.py) on SQLite and PostgreSQL: one waiting row per zaak URL, claims,
outcomes, rows a stopped worker left behind, and the status the `notificaties status` command shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from duo_zaak.db import db
from duo_zaak.models import NotificatieWachtrij as Rij
from duo_zaak.sync import queue

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
A = "http://inproces.test/zaken/api/v1/zaken/a"
B = "http://inproces.test/zaken/api/v1/zaken/b"
T0 = datetime(2026, 5, 15, 9, 0, tzinfo=UTC)


def _rows() -> list[tuple[str, str, int]]:
    return [(row.zaak_url, row.status, row.aantal) for row in db.session.scalars(select(Rij).order_by(Rij.id))]


@BOTH
def test_duplicates_collapse_while_waiting(app):
    with app.app_context():
        # past psycopg's prepare threshold (5) and PostgreSQL's 5 custom plans: a generic plan must still find the
        # partial index of the upsert
        for second in range(15):
            queue.enqueue(A, "rol create", now=T0 + timedelta(seconds=second))
        queue.enqueue(B, "zaak partial_update", now=T0)
        # fifteen notifications about A are one row that counts 15; B is a row of its own
        assert _rows() == [(A, "wachtend", 15), (B, "wachtend", 1)]
        row = db.session.scalar(select(Rij).where(Rij.zaak_url == A))
        assert (row.laatst_ontvangen_op.replace(tzinfo=UTC), row.laatste_melding) == (T0 + timedelta(seconds=14),
                                                                                     "rol create")


@BOTH
def test_a_notification_during_the_reread_makes_a_new_row(app):
    with app.app_context():
        queue.enqueue(A, "rol create", now=T0)
        claimed = queue.claim(10)
        assert [url for _, url in claimed] == [A]
        queue.enqueue(A, "rol destroy", now=T0 + timedelta(seconds=1))  # arrives while A is being re-read
        queue.finish(claimed[0][0], "verwerkt", now=T0 + timedelta(seconds=2))
        db.session.commit()
        assert _rows() == [(A, "verwerkt", 1), (A, "wachtend", 1)]
        assert queue.has_waiting()


@BOTH
def test_release_puts_rows_back_merges_and_gives_up(app):
    with app.app_context():
        queue.enqueue(A, now=T0)
        queue.enqueue(B, now=T0)
        claimed = dict((url, row_id) for row_id, url in queue.claim(10))
        queue.enqueue(A, now=T0)  # A is waiting again: the claimed A row is merged into that one
        assert queue.release(None, "afgebroken") == 1  # only B goes back
        assert sorted(_rows()) == sorted([(A, "samengevoegd", 1), (B, "wachtend", 1), (A, "wachtend", 1)])
        # B fails MAX_ATTEMPTS (5) times in a row: back to waiting four times, then mislukt
        for attempt in range(1, 6):
            [(row_id, url)] = [c for c in queue.claim(10) if c[1] == B]
            back = queue.release([row_id], "bron weg", attempt=True)
            assert back == (1 if attempt < 5 else 0)
        row = db.session.get(Rij, claimed[B])
        assert (row.status, row.pogingen, row.melding) == ("mislukt", 5, "bron weg")


@BOTH
def test_status_and_prune(app):
    with app.app_context():
        now = datetime.now(UTC)
        queue.enqueue(A, "rol create", now=now - timedelta(minutes=5))
        queue.enqueue(A, "rol create", now=now - timedelta(minutes=4))
        queue.enqueue(B, "zaak destroy", now=now - timedelta(minutes=3))
        [(b_id, _)] = [c for c in queue.claim(10) if c[1] == B]
        queue.finish(b_id, "vernietigd", now=now - timedelta(minutes=1))
        db.session.commit()
        queue.release(None)  # A (claimed with B) goes back to waiting
        state = queue.status(now)
        # A waits since 5 minutes (its first notification); B was processed a minute ago
        assert (state.wachtend, state.bezig, state.afgelopen_uur) == (1, 0, {"vernietigd": 1})
        assert state.oudste == now - timedelta(minutes=5)
        assert state.meldingen_afgelopen_uur == 1
        assert queue.prune(now + timedelta(days=8)) == 1  # B is older than a week then; A still waits
        assert _rows() == [(A, "wachtend", 2)]
