"""One writer for the mirror: a PostgreSQL advisory lock, or a file lock beside the SQLite file.

Both are released by the operating system or the server when the holder dies, so a crashed poller
never blocks the next one.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("duo_zaak.locking")
ADVISORY_KEY = 0x64756F7A  # "duoz"
_memory_lock = threading.Lock()


class LockBusy(RuntimeError):
    """Another sync holds the lock."""


def _unlock(conn: Connection) -> None:
    """Release the advisory lock. When the server dropped this connection it released the lock with it;
    an error here must not replace the run's own outcome (nor kill the poller), so it is only logged."""
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
        conn.commit()
    except DBAPIError as exc:
        log.warning("advisory lock not released explicitly (connection lost, the server released it): %s",
                    exc.orig)


@contextmanager
def sync_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
            conn.commit()
            if not got:
                raise LockBusy()
            try:
                yield
            finally:
                _unlock(conn)
        return
    database = engine.url.database
    if not database or database == ":memory:":
        if not _memory_lock.acquire(blocking=False):
            raise LockBusy()
        try:
            yield
        finally:
            _memory_lock.release()
        return
    fd = os.open(database + ".sync.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LockBusy() from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
