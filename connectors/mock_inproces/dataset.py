"""A given dataset (`--data FILE`, or a dict in tests) loaded into the mock's database.

The file is one JSON object with lists `zaaktypen`, `resultaattypen`, `zaken`, `rollen`, `resultaten`
(optionally `statustypen`, `roltypen`, `catalogussen`, `statussen`) holding resources as the API returns
them, and optionally `verwijderd`: zaak URLs that answer 404. URLs to the mock's own APIs may use any
host. List order is creation order (the first zaak is the oldest). Links the server maintains (a zaak's
`rollen` in creation order, its `status`, `resultaat`) are filled in from the other lists when the zaak
leaves them empty; `indicatieLaatstGezetteStatus` is derived, as on Open Zaak: the status set latest.
Catalogi durations are served as Open Zaak does (`P8W` as `P56D`, see `resources.served_duration`).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from .db import Database, resultaat_row, rol_row, status_row, zaak_row
from .resources import (
    CATALOGI_KINDS,
    compact,
    dumps,
    resource_path,
    served_durations,
    status_moment,
    to_paths,
    uuid_of,
)


class DatasetError(ValueError):
    pass


def digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _uuid(body: dict[str, Any], kind: str) -> str:
    value = body.get("uuid") or (uuid_of(body["url"]) if body.get("url") else None)
    if not value:
        raise DatasetError(f"{kind}: een resource zonder url en uuid")
    return str(value).lower()


def load(db: Database, data: dict[str, Any]) -> dict[str, int]:
    """Fill an empty database with `data`; returns the number of resources per list."""
    if not isinstance(data, dict):
        raise DatasetError("de dataset moet één JSON-object zijn")
    data = to_paths(data)
    catalogi = [(kind, _uuid(body, kind), dumps(served_durations(body)))
                for kind in CATALOGI_KINDS for body in data.get(kind) or []]
    db.bulk_insert("catalogi", catalogi)
    gone = {uuid_of(url).lower() for url in data.get("verwijderd") or []}

    def alive(body: dict[str, Any]) -> bool:
        return uuid_of(body.get("zaak") or "").lower() not in gone

    rollen = [body for body in data.get("rollen") or [] if alive(body)]
    resultaten = [body for body in data.get("resultaten") or [] if alive(body)]
    statussen = [body for body in data.get("statussen") or [] if alive(body)]
    links: dict[str, dict[str, Any]] = defaultdict(dict)
    for kind, bodies in (("rollen", rollen), ("resultaten", resultaten)):
        for body in bodies:
            zaak = links[uuid_of(body.get("zaak") or "").lower()]
            path = resource_path(kind, _uuid(body, kind))
            if kind == "rollen":
                zaak.setdefault("rollen", []).append(path)
            else:
                zaak["resultaat"] = path
    statussen = _mark_current(statussen)
    for body in statussen:
        if body.get("indicatieLaatstGezetteStatus"):
            links[uuid_of(body.get("zaak") or "").lower()]["status"] = resource_path("statussen",
                                                                                     _uuid(body, "statussen"))
    zaken, verwijderd = [], {uuid: (uuid, None, None, None) for uuid in sorted(gone)}
    for body in data.get("zaken") or []:
        uuid = _uuid(body, "zaken")
        if uuid in gone:
            verwijderd[uuid] = (uuid, body.get("identificatie"), body.get("bronorganisatie"), None)
            continue
        stored = compact("zaken", body)
        for key, value in links.get(uuid, {}).items():
            if not body.get(key):
                stored[key] = value
        zaken.append(zaak_row(uuid, stored))
    db.bulk_insert("zaken", zaken)
    db.bulk_insert("verwijderd", list(verwijderd.values()))
    for kind, bodies, row in (("rollen", rollen, rol_row), ("resultaten", resultaten, resultaat_row),
                              ("statussen", statussen, status_row)):
        db.bulk_insert(kind, [row(_uuid(body, kind), compact(kind, body)) for body in bodies])
    return {"zaken": len(zaken), "verwijderd": len(verwijderd), "rollen": len(rollen),
            "resultaten": len(resultaten), "statussen": len(statussen), "catalogi": len(catalogi)}


def _mark_current(statussen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies with `indicatieLaatstGezetteStatus` on the status set latest of every zaak only (of equal
    moments the last in the list)."""
    current: dict[str, tuple[float, int]] = {}
    for position, body in enumerate(statussen):
        zaak = uuid_of(body.get("zaak") or "").lower()
        current[zaak] = max(current.get(zaak, (float("-inf"), -1)), (status_moment(body), position))
    latest = {position for _, position in current.values()}
    marked = []
    for position, body in enumerate(statussen):
        body = {key: value for key, value in body.items() if key != "indicatieLaatstGezetteStatus"}
        if position in latest:
            body["indicatieLaatstGezetteStatus"] = True
        marked.append(body)
    return marked
