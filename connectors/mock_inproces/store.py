"""The mock's data: generated demo data or a given dataset in SQLite, the reads the server needs, and the
control API tests use to change, close or destroy zaken between two syncs.

Control methods take URLs on any host and dates as `date` or ISO strings, and return resources as the
API would (with `base_url` as host once the server has set it, else with host-free paths). Each change is
published on kanaal `zaken` of the mock's Notificaties API (notificaties.py) as Open Zaak does, after it is
committed: `zaak` create/partial_update/destroy, `rol` create/destroy, and on closing only `resultaat` and
`status` create.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from connectors.zgw.durations import add_duration, parse_duration

from . import dataset, generator
from .db import COLUMNS, Database, insert_sql, resultaat_row, rol_row, status_row, zaak_row
from .faults import Faults
from .filters import ARCHIEFSTATUSSEN, Paging, SqlQuery
from .notificaties import Notificaties
from .resources import (
    CATALOGI_PREFIX,
    compact,
    dumps,
    expand,
    resource_path,
    status_moment,
    to_paths,
    uuid_of,
    with_host,
)

GENERATOR_VERSION = "3"  # bump when the generated data changes: files of older versions are regenerated


class NotFound(LookupError):
    pass


def _iso(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else date.fromisoformat(value).isoformat()


def _json_ready(value: Any) -> Any:
    """Control input as stored: dates as ISO strings, URLs to the mock as host-free paths."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    return to_paths(value)


# Links the server keeps: a client cannot set them (see update_zaak).
SERVER_FIELDS = frozenset({"url", "uuid", "rollen", "status", "resultaat"})


def rol_registratiedatum(value: datetime | date | str | None = None) -> str:
    """A rol's `registratiedatum` as Open Zaak writes it (UTC, microseconds). Open Zaak sets it to the
    creation time; a test may pass an older moment (naive = UTC), but never one after now."""
    now = datetime.now(UTC)
    if value is None:
        moment = now
    else:
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        elif not isinstance(value, datetime):
            value = datetime.combine(value, time(), UTC)
        moment = min((value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC), now)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class MockStore:
    def __init__(self, path: Path, faults: Faults | None = None) -> None:
        self.db = Database(Path(path))
        self.faults = faults or Faults()
        self.base_url: str | None = None
        self.notificaties = Notificaties()

    # -- opening ----------------------------------------------------------------------------------------
    @classmethod
    def generated(
        cls, path: Path, *, seed: int, zaken: int, peildatum: date,
        progress: Callable[[int, int], None] | None = None,
    ) -> MockStore:
        """Demo data for seed/size/peildatum; an existing untouched file made with the same is reused."""
        store = cls(path)
        wanted = {"bron": "generator", "versie": GENERATOR_VERSION, "seed": str(seed), "zaken": str(zaken),
                  "peildatum": peildatum.isoformat()}
        if not store._reusable(wanted):
            store.db.create()
            generator.generate(store.db, seed=seed, zaken=zaken, peildatum=peildatum, progress=progress)
            store._finish(wanted)
        return store

    @classmethod
    def from_dataset(cls, path: Path, data: dict[str, Any]) -> MockStore:
        store = cls(path)
        wanted = {"bron": "dataset", "sha256": dataset.digest(data)}
        if not store._reusable(wanted):
            store.db.create()
            dataset.load(store.db, data)
            store._finish(wanted)
        return store

    def _reusable(self, wanted: dict[str, str]) -> bool:
        meta = self.db.meta() if self.db.path.exists() else {}
        return meta.get("compleet") == "1" and meta.get("gewijzigd") != "1" and all(
            meta.get(key) == value for key, value in wanted.items())

    def _finish(self, wanted: dict[str, str]) -> None:
        self.db.create_indexes()
        self.db.set_meta({**wanted, "compleet": "1"})

    def close(self) -> None:
        self.notificaties.close()
        self.db.close()

    def meta(self) -> dict[str, str]:
        return self.db.meta()

    # -- reads for the server ---------------------------------------------------------------------------
    def page(self, kind: str, query: SqlQuery, paging: Paging) -> tuple[int, int, list[dict[str, Any]]]:
        """(count, page number, resources with host-free URLs) of one page of a zaken-side list."""
        count, number, rows = self.db.page(kind, query, paging)
        return count, number, [expand(kind, uuid, json.loads(body)) for uuid, body in rows]

    def detail(self, kind: str, uuid: str) -> dict[str, Any] | None:
        body = self.db.get(kind, uuid.lower())
        return None if body is None else expand(kind, uuid.lower(), json.loads(body))

    def catalogi(self, kind: str) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.db.all_rows("catalogi", "WHERE kind = ?", (kind,))]

    def catalogi_detail(self, kind: str, uuid: str) -> dict[str, Any] | None:
        body = self.db.get("catalogi", uuid.lower(), kind)
        return None if body is None else json.loads(body)

    # -- inspection -------------------------------------------------------------------------------------
    def count_zaken(self) -> int:
        with self.db.connection() as con:
            return con.execute("SELECT COUNT(*) FROM zaken").fetchone()[0]

    def get_zaak(self, uuid: str) -> dict[str, Any] | None:
        return self._public(self.detail("zaken", uuid))

    def zaak_uuids(self, scenario: str | None = None, limit: int | None = None) -> list[str]:
        """Uuids of zaken, newest first; `scenario`: a generated scenario or modifier (see scenarios.py)."""
        where, params = ("WHERE scenario LIKE ?", [f"% {scenario} %"]) if scenario else ("", [])
        with self.db.connection() as con:
            rows = con.execute(f"SELECT uuid FROM zaken {where} ORDER BY seq DESC LIMIT ?", [*params, limit or -1])
            return [row[0] for row in rows]

    def destroyed_uuids(self) -> list[str]:
        with self.db.connection() as con:
            return [row[0] for row in con.execute("SELECT uuid FROM verwijderd ORDER BY seq")]

    # -- control API ------------------------------------------------------------------------------------
    def set_faults(self, **settings: Any) -> None:
        """See Faults.set: fail_rate, fail_status, slow_ms, truncate_rate, fail_next, fail_matching, ..."""
        self.faults.set(**settings)

    def update_zaak(self, uuid: str, **fields: Any) -> dict[str, Any]:
        """Set zaak fields (API names) as a client PATCH would; nothing else changes. The links the server
        keeps (`rollen`, `status`, `resultaat`, `url`, `uuid`) are refused: use the methods below."""
        refused = sorted(SERVER_FIELDS & set(fields))
        if refused:
            raise ValueError(f"door de server bijgehouden, niet te wijzigen: {', '.join(refused)}")
        with self.db.write() as con:
            body = self._zaak_for_update(con, uuid)
            body.update({key: _json_ready(value) for key, value in fields.items()})
            self._save_zaak(con, body)
        self._notify(body, ("zaak", "partial_update", body["url"]))
        return self._public(body)

    def set_archiefstatus(self, uuid: str, archiefstatus: str) -> dict[str, Any]:
        if archiefstatus not in ARCHIEFSTATUSSEN:
            raise ValueError(f"onbekende archiefstatus: {archiefstatus!r}")
        return self.update_zaak(uuid, archiefstatus=archiefstatus)

    def close_zaak(
        self, uuid: str, einddatum: date | str, resultaattype_url: str | None = None, toelichting: str = "",
    ) -> dict[str, Any]:
        """Close a zaak the way the server does: resultaat, eindstatus, einddatum, and (when still empty)
        archiefnominatie from the resultaattype and archiefactiedatum = einddatum + archiefactietermijn.
        Without a resultaattype the zaak is closed without resultaat (a data-quality finding)."""
        eind = _iso(einddatum)
        resultaattype = None
        if resultaattype_url is not None:
            resultaattype = self.catalogi_detail("resultaattypen", uuid_of(resultaattype_url))
            if resultaattype is None:
                raise NotFound(f"resultaattype niet gevonden: {resultaattype_url}")
        with self.db.write() as con:
            zaak = self._zaak_for_update(con, uuid)
            zaak_path = resource_path("zaken", zaak["uuid"])
            zaak["einddatum"] = eind
            events = []
            if resultaattype is not None:
                resultaat_uuid = uuid_of(zaak["resultaat"]) if zaak.get("resultaat") else str(uuidlib.uuid4())
                con.execute("DELETE FROM resultaten WHERE uuid = ?", (resultaat_uuid,))
                con.execute(insert_sql("resultaten"), resultaat_row(resultaat_uuid, {
                    "zaak": zaak_path, "resultaattype": resultaattype["url"], "toelichting": toelichting}))
                zaak["resultaat"] = resource_path("resultaten", resultaat_uuid)
                events.append(("resultaat", "create", zaak["resultaat"]))
                zaak["startdatumBewaartermijn"] = eind
                if not zaak.get("archiefnominatie"):
                    zaak["archiefnominatie"] = resultaattype.get("archiefnominatie") or None
                if not zaak.get("archiefactiedatum") and resultaattype.get("archiefactietermijn"):
                    termijn = parse_duration(resultaattype["archiefactietermijn"])
                    zaak["archiefactiedatum"] = add_duration(date.fromisoformat(eind), termijn).isoformat()
            eindstatus = self._eindstatustype(zaak.get("zaaktype", ""))
            if eindstatus is not None:
                zaak["status"], status_path = self._add_status(con, zaak_path, eindstatus, f"{eind}T12:00:00Z")
                events.append(("status", "create", status_path))
            self._save_zaak(con, zaak)
        self._notify(zaak, *events)
        return self._public(zaak)

    def destroy_zaak(self, uuid: str) -> None:
        """Hard delete, like the source does: the zaak and its rollen, resultaten and statussen answer 404."""
        with self.db.write() as con:
            zaak = self._zaak_for_update(con, uuid)
            for table in ("rollen", "resultaten", "statussen"):
                con.execute(f"DELETE FROM {table} WHERE zaak = ?", (zaak["uuid"],))
            con.execute("DELETE FROM zaken WHERE uuid = ?", (zaak["uuid"],))
            con.execute(insert_sql("verwijderd"), (zaak["uuid"], zaak.get("identificatie"),
                                                     zaak.get("bronorganisatie"), date.today().isoformat()))
        self._notify(zaak, ("zaak", "destroy", zaak["url"]))

    def add_zaak(
        self, *, zaaktype: str, bronorganisatie: str, startdatum: date | str,
        behandelaar: tuple[str, str] | None = None, **fields: Any,
    ) -> dict[str, Any]:
        """A new zaak (first in the default newest-first order); `behandelaar` = (identificatie, naam)."""
        start = _iso(startdatum)
        zaak_uuid = str(fields.pop("uuid", None) or uuidlib.uuid4())
        body: dict[str, Any] = {
            "uuid": zaak_uuid, "bronorganisatie": bronorganisatie, "verantwoordelijkeOrganisatie": bronorganisatie,
            "zaaktype": to_paths(zaaktype), "startdatum": start, "registratiedatum": date.today().isoformat(),
        }
        body.update({key: _json_ready(value) for key, value in fields.items()})
        with self.db.write() as con:
            self._mark_changed(con)
            if "identificatie" not in body:
                body["identificatie"] = self._next_identificatie(con, start[:4])
            con.execute(insert_sql("zaken"), zaak_row(zaak_uuid, compact("zaken", body)))
            if behandelaar is not None:
                body["rollen"] = [self._add_behandelaar(con, body, *behandelaar, None)]
                self._save_zaak(con, body)
        zaak = self.detail("zaken", zaak_uuid) or body
        self._notify(zaak, ("zaak", "create", zaak["url"]), *[("rol", "create", path) for path in zaak["rollen"]])
        return self._public(zaak)

    def set_behandelaar(
        self, zaak_uuid: str, identificatie: str, naam: str, registratiedatum: datetime | date | str | None = None,
    ) -> dict[str, Any]:
        """A new behandelaar rol (organisatorische eenheid), appended to the zaak's `rollen`; the latest one
        is the zaak's team. `registratiedatum`: now, as on Open Zaak, or an older moment (see
        `rol_registratiedatum`). Lists show it first: they are newest-created first."""
        with self.db.write() as con:
            zaak = self._zaak_for_update(con, zaak_uuid)
            path = self._add_behandelaar(con, zaak, identificatie, naam, registratiedatum)
            zaak["rollen"] = [*zaak.get("rollen", []), path]
            self._save_zaak(con, zaak)
        self._notify(zaak, ("rol", "create", path))
        return self._public(self.detail("rollen", uuid_of(path)))

    def remove_rol(self, rol_uuid: str) -> dict[str, Any] | None:
        """Delete a rol as a client's DELETE does: it answers 404 and leaves its zaak's `rollen`. Returns
        the zaak as the API now returns it (None when the rol belonged to no known zaak)."""
        uuid = uuid_of(rol_uuid).lower()
        with self.db.write() as con:
            row = con.execute("SELECT zaak FROM rollen WHERE uuid = ?", (uuid,)).fetchone()
            if row is None:
                raise NotFound(f"rol niet gevonden: {rol_uuid}")
            self._mark_changed(con)
            con.execute("DELETE FROM rollen WHERE uuid = ?", (uuid,))
            if con.execute("SELECT 1 FROM zaken WHERE uuid = ?", (row[0],)).fetchone() is None:
                return None
            zaak = self._zaak_for_update(con, row[0])
            zaak["rollen"] = [path for path in zaak.get("rollen", []) if uuid_of(path).lower() != uuid]
            self._save_zaak(con, zaak)
        self._notify(zaak, ("rol", "destroy", resource_path("rollen", uuid)))
        return self._public(zaak)

    # -- helpers ----------------------------------------------------------------------------------------
    def _notify(self, zaak: dict[str, Any], *events: tuple[str, str, str]) -> None:
        """Publish (resource, actie, resource path) events about this zaak on kanaal zaken (after the commit)."""
        if self.base_url is None or not self.notificaties.has_abonnementen():
            return
        zaaktype = zaak.get("zaaktype") or ""
        found = self.catalogi_detail("zaaktypen", uuid_of(zaaktype)) if zaaktype.startswith(CATALOGI_PREFIX) else None
        self.notificaties.zaak_events(self.base_url, zaak, found, list(events))

    def _public(self, body: dict[str, Any] | None) -> Any:
        if body is None or self.base_url is None:
            return body
        return json.loads(with_host(dumps(body), self.base_url))

    def _zaak_for_update(self, con: Any, uuid: str) -> dict[str, Any]:
        row = con.execute("SELECT uuid, body FROM zaken WHERE uuid = ?", (uuid_of(uuid).lower(),)).fetchone()
        if row is None:
            raise NotFound(f"zaak niet gevonden: {uuid}")
        self._mark_changed(con)
        return expand("zaken", row[0], json.loads(row[1]))

    def _mark_changed(self, con: Any) -> None:
        """A changed file is not reused for a fresh start (see `_reusable`)."""
        self.db.set_meta({"gewijzigd": "1"}, con)

    @staticmethod
    def _save_zaak(con: Any, body: dict[str, Any]) -> None:
        columns = dict(zip(COLUMNS["zaken"], zaak_row(body["uuid"], compact("zaken", body)), strict=True))
        del columns["scenario"]
        uuid = columns.pop("uuid")
        assignments = ", ".join(f"{name} = ?" for name in columns)
        con.execute(f"UPDATE zaken SET {assignments} WHERE uuid = ?", (*columns.values(), uuid))

    def _next_identificatie(self, con: Any, year: str) -> str:
        row = con.execute("SELECT value FROM meta WHERE key = 'counters'").fetchone()
        counters = json.loads(row[0]) if row else {}
        counters[year] = counters.get(year, 0) + 1
        self.db.set_meta({"counters": json.dumps(counters)}, con)
        return f"ZAAK-{year}-{counters[year]:010d}"

    def _zaaktype_part(self, zaaktype_path: str, kind: str) -> list[dict[str, Any]]:
        """The statustypen or roltypen of a zaaktype (none when the zaaktype is unknown)."""
        zaaktype = self.catalogi_detail("zaaktypen", uuid_of(zaaktype_path)) if zaaktype_path.startswith(
            CATALOGI_PREFIX) else None
        parts = [self.catalogi_detail(kind, uuid_of(url)) for url in (zaaktype or {}).get(kind, [])]
        return [part for part in parts if part is not None]

    def _eindstatustype(self, zaaktype_path: str) -> str | None:
        statustypen = self._zaaktype_part(zaaktype_path, "statustypen")
        return max(statustypen, key=lambda s: s.get("volgnummer", 0))["url"] if statustypen else None

    def _add_status(self, con: Any, zaak_path: str, statustype: str, moment: str) -> tuple[str | None, str]:
        """A new status; returns the zaak's current status (which need not be the new one) and the new one."""
        status_uuid = str(uuidlib.uuid4())
        con.execute(insert_sql("statussen"), status_row(status_uuid, {
            "zaak": zaak_path, "statustype": statustype, "datumStatusGezet": moment}))
        return self._current_status(con, uuid_of(zaak_path)), resource_path("statussen", status_uuid)

    @staticmethod
    def _current_status(con: Any, zaak_uuid: str) -> str | None:
        """Open Zaak's `zaak.status`: the status set latest (`datumStatusGezet`; of equal ones the last
        created). Only that one carries `indicatieLaatstGezetteStatus`."""
        rows = con.execute("SELECT seq, uuid, laatst, body FROM statussen WHERE zaak = ?", (zaak_uuid,)).fetchall()
        if not rows:
            return None
        bodies = {seq: json.loads(body) for seq, _, _, body in rows}
        current = max(rows, key=lambda row: (status_moment(bodies[row[0]]), row[0]))
        for seq, status_uuid, laatst, _ in rows:
            wanted = seq == current[0]
            if bool(laatst) != wanted or bool(bodies[seq].get("indicatieLaatstGezetteStatus")) != wanted:
                body = bodies[seq]
                body.pop("indicatieLaatstGezetteStatus", None)
                if wanted:
                    body["indicatieLaatstGezetteStatus"] = True
                con.execute("UPDATE statussen SET laatst = ?, body = ? WHERE uuid = ?",
                            (int(wanted), dumps(body), status_uuid))
        return resource_path("statussen", current[1])

    def _add_behandelaar(
        self, con: Any, zaak: dict[str, Any], identificatie: str, naam: str,
        registratiedatum: datetime | date | str | None,
    ) -> str:
        roltypen = [r for r in self._zaaktype_part(zaak.get("zaaktype", ""), "roltypen")
                    if r.get("omschrijvingGeneriek") == "behandelaar"]
        rol_uuid = str(uuidlib.uuid4())
        con.execute(insert_sql("rollen"), rol_row(rol_uuid, {
            "zaak": resource_path("zaken", zaak["uuid"]), "betrokkeneType": "organisatorische_eenheid",
            "roltype": roltypen[0]["url"] if roltypen else "",
            "omschrijving": "Behandelaar", "omschrijvingGeneriek": "behandelaar",
            "roltoelichting": f"Behandelend team: {naam}", "registratiedatum": rol_registratiedatum(registratiedatum),
            "betrokkeneIdentificatie": {"identificatie": identificatie, "naam": naam},
        }))
        return resource_path("rollen", rol_uuid)
