"""The mock's SQLite file: one row per resource (compact JSON body + indexed filter columns).

`seq` (the rowid) is the creation sequence: lists are newest-created first (`seq DESC`), like Open Zaak.
Connections are pooled and shared between the server's request threads; writers are serialized by a lock
and readers see a consistent snapshot per page (WAL mode).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .filters import Paging, SqlQuery
from .resources import RESULTAAT_TEMPLATE, ROL_TEMPLATE, ZAAK_TEMPLATE, dumps, uuid_of

# table -> columns after `seq`; `body` is the compact JSON, the others are filter columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "zaken": (
        "uuid", "identificatie", "bronorganisatie", "zaaktype", "registratiedatum", "startdatum", "einddatum",
        "einddatum_gepland", "uiterlijke_einddatum", "publicatiedatum", "archiefnominatie", "archiefstatus",
        "archiefactiedatum", "scenario", "body",
    ),
    "rollen": (
        "uuid", "zaak", "betrokkene_type", "omschrijving_generiek", "omschrijving", "roltype", "betrokkene",
        "ident", "body",
    ),
    "resultaten": ("uuid", "zaak", "resultaattype", "body"),
    "statussen": ("uuid", "zaak", "statustype", "laatst", "body"),
    "catalogi": ("kind", "uuid", "body"),
    "verwijderd": ("uuid", "identificatie", "bronorganisatie", "verwijderd_op"),
}
INDEXES: tuple[str, ...] = (
    # In creation order, narrow: the deep pages of unfiltered lists. The zaken one also covers the columns
    # of non-selective filters, so those scan it in list order without touching the table.
    "CREATE INDEX IF NOT EXISTS zaken_volgorde ON zaken(seq, archiefstatus, einddatum, archiefactiedatum, startdatum,"
    " bronorganisatie)",
    "CREATE INDEX IF NOT EXISTS rollen_volgorde ON rollen(seq)",
    "CREATE INDEX IF NOT EXISTS resultaten_volgorde ON resultaten(seq)",
    "CREATE UNIQUE INDEX IF NOT EXISTS zaken_uuid ON zaken(uuid)",
    "CREATE INDEX IF NOT EXISTS zaken_identificatie ON zaken(identificatie)",
    "CREATE INDEX IF NOT EXISTS zaken_bronorganisatie ON zaken(bronorganisatie)",
    "CREATE INDEX IF NOT EXISTS zaken_zaaktype ON zaken(zaaktype)",
    "CREATE INDEX IF NOT EXISTS zaken_startdatum ON zaken(startdatum)",
    "CREATE INDEX IF NOT EXISTS zaken_einddatum ON zaken(einddatum)",
    "CREATE INDEX IF NOT EXISTS zaken_archiefstatus ON zaken(archiefstatus)",
    "CREATE INDEX IF NOT EXISTS zaken_archiefactiedatum ON zaken(archiefactiedatum, archiefstatus)",
    "CREATE UNIQUE INDEX IF NOT EXISTS rollen_uuid ON rollen(uuid)",
    "CREATE INDEX IF NOT EXISTS rollen_zaak ON rollen(zaak)",
    "CREATE INDEX IF NOT EXISTS rollen_soort ON rollen(betrokkene_type, omschrijving_generiek)",
    "CREATE INDEX IF NOT EXISTS rollen_ident ON rollen(ident)",
    "CREATE UNIQUE INDEX IF NOT EXISTS resultaten_uuid ON resultaten(uuid)",
    "CREATE INDEX IF NOT EXISTS resultaten_zaak ON resultaten(zaak)",
    "CREATE INDEX IF NOT EXISTS resultaten_resultaattype ON resultaten(resultaattype)",
    "CREATE UNIQUE INDEX IF NOT EXISTS statussen_uuid ON statussen(uuid)",
    "CREATE INDEX IF NOT EXISTS statussen_zaak ON statussen(zaak)",
    "CREATE UNIQUE INDEX IF NOT EXISTS catalogi_uuid ON catalogi(kind, uuid)",
    "CREATE UNIQUE INDEX IF NOT EXISTS verwijderd_uuid ON verwijderd(uuid)",
)
# Keys of betrokkeneIdentificatie that identify the betrokkene, per betrokkeneType (the `ident` column).
IDENT_KEYS = {
    "natuurlijk_persoon": "inpBsn", "niet_natuurlijk_persoon": "innNnpId", "vestiging": "vestigingsNummer",
    "organisatorische_eenheid": "identificatie", "medewerker": "identificatie",
}
_CACHE_SIZE = 1024


def _remember(cache: OrderedDict[tuple[Any, ...], int], key: tuple[Any, ...], value: int) -> None:
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def zaak_row(uuid: str, stored: dict[str, Any], scenario: str | None = None) -> tuple[Any, ...]:
    get, t = stored.get, ZAAK_TEMPLATE
    return (
        uuid, get("identificatie", t["identificatie"]), get("bronorganisatie", t["bronorganisatie"]),
        get("zaaktype", t["zaaktype"]), get("registratiedatum"), get("startdatum"), get("einddatum"),
        get("einddatumGepland"), get("uiterlijkeEinddatumAfdoening"), get("publicatiedatum"),
        get("archiefnominatie"), get("archiefstatus", t["archiefstatus"]), get("archiefactiedatum"), scenario,
        dumps(stored),
    )


def rol_row(uuid: str, stored: dict[str, Any]) -> tuple[Any, ...]:
    get, t = stored.get, ROL_TEMPLATE
    betrokkene_type = get("betrokkeneType", t["betrokkeneType"])
    identificatie = get("betrokkeneIdentificatie")
    ident = identificatie.get(IDENT_KEYS.get(betrokkene_type, "")) if isinstance(identificatie, dict) else None
    return (
        uuid, uuid_of(get("zaak", t["zaak"])).lower(), betrokkene_type,
        get("omschrijvingGeneriek", t["omschrijvingGeneriek"]), get("omschrijving", t["omschrijving"]),
        get("roltype", t["roltype"]), get("betrokkene", t["betrokkene"]), ident, dumps(stored),
    )


def resultaat_row(uuid: str, stored: dict[str, Any]) -> tuple[Any, ...]:
    return (uuid, uuid_of(stored["zaak"]).lower(), stored.get("resultaattype", RESULTAAT_TEMPLATE["resultaattype"]),
            dumps(stored))


def status_row(uuid: str, stored: dict[str, Any]) -> tuple[Any, ...]:
    return (
        uuid, uuid_of(stored["zaak"]).lower(), stored.get("statustype", ""),
        1 if stored.get("indicatieLaatstGezetteStatus") else 0, dumps(stored),
    )


def insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


class Database:
    """Pooled connections to one SQLite file, a write lock and a data version for caches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = 0
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._write_lock = threading.RLock()
        self._cache_lock = threading.Lock()
        self._counts: OrderedDict[tuple[Any, ...], int] = OrderedDict()
        self._bookmarks: OrderedDict[tuple[Any, ...], int] = OrderedDict()

    # -- connections ------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA cache_size=-16384")
        con.execute("PRAGMA mmap_size=268435456")
        con.execute("PRAGMA temp_store=MEMORY")
        return con

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            con = self._pool.get_nowait()
        except queue.Empty:
            con = self._connect()
        try:
            yield con
        finally:
            if con.in_transaction:
                con.execute("ROLLBACK")
            self._pool.put(con)

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: the statements inside see one state of the data."""
        with self.connection() as con:
            con.execute("BEGIN")
            yield con
            con.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock, self.connection() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
            self.version += 1

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return

    # -- schema and bulk loading --------------------------------------------------------------------------
    def create(self) -> None:
        """A fresh, empty file with the tables (indexes come after loading: `create_indexes`)."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connection() as con:
            con.execute("PRAGMA journal_mode=OFF")  # while loading; WAL once it serves (create_indexes)
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            for table, columns in COLUMNS.items():
                con.execute(f"CREATE TABLE {table} (seq INTEGER PRIMARY KEY, {', '.join(columns)})")

    def bulk_insert(self, table: str, rows: Iterable[Sequence[Any]]) -> None:
        """One batch in one transaction (used while generating or loading, before serving)."""
        with self.connection() as con:
            con.execute("PRAGMA synchronous=OFF")
            con.execute("BEGIN")
            con.executemany(insert_sql(table), rows)
            con.execute("COMMIT")
            con.execute("PRAGMA synchronous=NORMAL")

    def create_indexes(self) -> None:
        """Index the loaded data and switch to WAL: readers do not wait for a writer."""
        with self.connection() as con:
            for statement in INDEXES:
                con.execute(statement)
            con.execute("ANALYZE")  # full statistics: sampled ones mislead the planner on skewed columns
            con.execute("PRAGMA journal_mode=WAL")
        self.version += 1

    def set_meta(self, values: dict[str, str], con: sqlite3.Connection | None = None) -> None:
        rows = list(values.items())
        sql = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
        if con is not None:
            con.executemany(sql, rows)
            return
        with self.write() as own:
            own.executemany(sql, rows)

    def meta(self) -> dict[str, str]:
        try:
            with self.connection() as con:
                return dict(con.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            return {}

    # -- queries ------------------------------------------------------------------------------------------
    def count(self, con: sqlite3.Connection, version: int, table: str, where: str, params: Sequence[Any]) -> int:
        """COUNT(*), cached per data version (every page of a list asks for the same count)."""
        key = (version, table, where, tuple(params))
        with self._cache_lock:
            if key in self._counts:
                return self._counts[key]
        value = con.execute(f"SELECT COUNT(*) FROM {table} {where}", params).fetchone()[0]
        with self._cache_lock:
            _remember(self._counts, key, value)
        return value

    def page(self, table: str, query: SqlQuery, paging: Paging) -> tuple[int, int, list[tuple[str, str]]]:
        """(count, page number, [(uuid, body)]) of one page of a list.

        The seqs of the page come from an index-only scan, then the bodies by seq. In the default order
        (newest first) a page that follows the previous one continues after that page's last seq
        (a bookmark) instead of skipping `offset` rows, so a sync's deep pages cost as much as page 1.
        A selective range condition is answered from its index plus a sort (`+seq` stops SQLite from
        walking the whole table in seq order looking for matches).
        """
        version = self.version
        with self.snapshot() as con:
            count = self.count(con, version, table, query.where, query.params)
            number, offset = paging.offset(count)
            if offset >= count:
                return count, number, []
            order, where, params = query.order, query.where, list(query.params)
            if query.ranged and order == "seq DESC" and count * 5 < self.count(con, version, table, "", ()):
                order = "+seq DESC"
            key = (version, table, where, tuple(params), order)
            newest_first = order in ("seq DESC", "+seq DESC")
            with self._cache_lock:
                bookmark = self._bookmarks.get((*key, offset)) if newest_first else None
            if bookmark is not None:
                where = f"{where} AND {order[:-5]} < ?" if where else f"WHERE {order[:-5]} < ?"
                params.append(bookmark)
                offset = 0
            seqs = [row[0] for row in con.execute(
                f"SELECT seq FROM {table} {where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, paging.size, offset])]
            if seqs and newest_first:
                with self._cache_lock:
                    _remember(self._bookmarks, (*key, (number - 1) * paging.size + len(seqs)), seqs[-1])
            return count, number, self._bodies(con, table, seqs)

    @staticmethod
    def _bodies(con: sqlite3.Connection, table: str, seqs: list[int]) -> list[tuple[str, str]]:
        placeholders = ",".join("?" * len(seqs))
        found = {seq: (uuid, body) for seq, uuid, body in con.execute(
            f"SELECT seq, uuid, body FROM {table} WHERE seq IN ({placeholders})", seqs)}
        return [found[seq] for seq in seqs]

    def all_rows(self, table: str, where: str = "", params: Sequence[Any] = ()) -> list[tuple[str, str]]:
        """(uuid, body) of every matching row, newest first; for the small tables only."""
        with self.connection() as con:
            return con.execute(f"SELECT uuid, body FROM {table} {where} ORDER BY seq DESC", params).fetchall()

    def get(self, table: str, uuid: str, kind: str | None = None) -> str | None:
        with self.connection() as con:
            if kind is None:
                row = con.execute(f"SELECT body FROM {table} WHERE uuid = ?", (uuid,)).fetchone()
            else:
                row = con.execute(f"SELECT body FROM {table} WHERE kind = ? AND uuid = ?", (kind, uuid)).fetchone()
        return row[0] if row else None
