"""The SQLAlchemy handle, with a naming convention so Alembic migrations get stable names."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from flask_sqlalchemy import SQLAlchemy
from psycopg import sql
from sqlalchemy import Date, MetaData, Table, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: object, connection_record: object) -> None:
    """SQLite as a server-ish database: WAL so the web reads while the poller writes, a busy timeout
    instead of instant 'database is locked', a 32 MB page cache. No memory map: the pages read through
    indexes and stored figures, and a map counts every touched page of the file in each process's RSS."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # wal_autocheckpoint: the WAL is copied into the database file every 20,000 pages (80 MB) instead of SQLite's
    # 1,000. A sync writes the same index pages again page after page, and each checkpoint copied (and synced)
    # them anew: a full sync of 100,000 zaken spent a fifth of its writing time there. The WAL file keeps that size.
    for pragma in ("journal_mode=WAL", "busy_timeout=10000", "synchronous=NORMAL", "foreign_keys=ON",
                   "cache_size=-32768", "wal_autocheckpoint=20000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgres_settings(dbapi_connection: object, connection_record: object) -> None:
    """No JIT compilation: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, which costs the
    pages' larger queries 6-9 ms each at a million zaken and saves nothing on queries that read a few thousand
    rows. (SET is transactional, hence the commit.)"""
    if not isinstance(dbapi_connection, psycopg.Connection):
        return
    dbapi_connection.execute("SET jit = off")
    dbapi_connection.commit()


def private_sqlite_file(uri: str) -> None:
    """The SQLite file (zaak data, password hashes, the audit log) readable and writable by its owner only: created
    0600 before SQLite first opens it (SQLite gives its -wal and -shm files the same mode), and an existing one made
    so."""
    url = make_url(uri)
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite will say what is wrong
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(PermissionError):  # not ours: leave it to its owner
            if candidate.exists() and candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)


def bulk_insert(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows in the session's transaction, without RETURNING.

    PostgreSQL gets one COPY (psycopg adapts the Python values): a per-row INSERT costs a parse, plan and
    round trip each, which made the first full sync of a large mirror wait on the server most of its time.
    COPY bypasses SQLAlchemy, so the columns' Python-side defaults are applied here. Elsewhere (SQLite) it is
    one DB-API executemany with the columns' own bind processors. Every row must have the same keys."""
    if not rows:
        return
    connection = db.session.connection()
    names = list(rows[0])
    defaults = [(column.name, column.default) for column in table.columns
                if column.name not in rows[0] and column.default is not None
                and (column.default.is_scalar or column.default.is_callable)]
    values = [default.arg(None) if default.is_callable else default.arg for _, default in defaults]
    if connection.dialect.name != "postgresql":
        _executemany_insert(connection, table, names + [name for name, _ in defaults], rows, names, values)
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names + [n for n, _ in defaults])))
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in names] + values)


def _executemany_insert(connection: Any, table: Table, columns: list[str], rows: list[dict[str, Any]],
                        names: list[str], extra: list[Any]) -> None:
    """One DB-API executemany of a plain INSERT, with each value converted by its column type's own bind
    processor (the same conversion SQLAlchemy applies, so the stored bytes are the same): SQLAlchemy's per-row
    parameter handling of a Core insert cost more than the insert itself."""
    dialect = connection.dialect
    if dialect.paramstyle != "qmark":  # only SQLite's driver gets here; anything else takes the general path
        connection.execute(table.insert(), [dict(zip(columns, [row[n] for n in names] + extra, strict=True))
                                            for row in rows])
        return
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    quote = dialect.identifier_preparer.quote
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
                 f"VALUES ({', '.join('?' * len(columns))})")
    converting = [(index, process, isinstance(table.c[columns[index]].type, Date))
                  for index, process in enumerate(processors) if process is not None]
    params = []
    for row in rows:
        values = [row[name] for name in names] + extra
        for index, process, is_date in converting:
            value = values[index]
            if value is None:  # every processor passes None through
                continue
            # A plain date is what SQLite's DATE processor writes as YYYY-MM-DD; isoformat is the same, quicker.
            values[index] = value.isoformat() if is_date and type(value) is date else process(value)
        params.append(tuple(values))
    connection.exec_driver_sql(statement, params)


def discard_failed_transaction() -> None:
    """Roll back after an error, so a failed flush does not leave the session unusable for the error page."""
    db.session.rollback()


def database_reachable() -> bool:
    """One `SELECT 1`: False (and the session reset) when the database does not answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        db.session.rollback()
        return False
    return True
