"""The control API over HTTP (`/_mock/...`, POST JSON, no JWT) for a mock started as a subprocess.

    GET  /_mock/info                          meta data, counts, fault settings
    GET  /_mock/zaken?scenario=S&limit=N      uuids of zaken (of a generated scenario or modifier)
    POST /_mock/zaken                         add_zaak: {zaaktype, bronorganisatie, startdatum, behandelaar?, ...}
    POST /_mock/zaken/<uuid>                  update_zaak: {field: value, ...}
    POST /_mock/zaken/<uuid>/close            close_zaak: {einddatum, resultaattype?, toelichting?}
    POST /_mock/zaken/<uuid>/archiefstatus    set_archiefstatus: {archiefstatus}
    POST /_mock/zaken/<uuid>/destroy          destroy_zaak
    POST /_mock/zaken/<uuid>/behandelaar      set_behandelaar: {identificatie, naam, registratiedatum?}
    DELETE /_mock/rollen/<uuid>               remove_rol: the rol answers 404 and leaves its zaak's rollen;
                                              returns the zaak (null when it has none)
    POST /_mock/faults                        set_faults: {fail_rate, fail_status, slow_ms, truncate_rate,
                                              fail_next, fail_matching, omit_field, truncate_next,
                                              retry_after, slow_next, slow_next_ms, drop_next}
    POST /_mock/faults/clear                  no faults
    GET  /_mock/notificaties                  abonnementen (without auth), deliveries per outcome, settings
    POST /_mock/notificaties/faults           delivery faults and retry settings: {drop_next, drop_rate, delay_ms,
                                              duplicate_next, retries, backoff_factor, backoff_max, timeout}
    POST /_mock/notificaties/faults/clear     no delivery faults
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from .store import MockStore, NotFound

RULES = [
    Rule("/_mock/info", endpoint="control:info"),
    Rule("/_mock/zaken", endpoint="control:zaken"),
    Rule("/_mock/zaken/<uuid>", endpoint="control:update"),
    Rule("/_mock/zaken/<uuid>/<any(close,archiefstatus,destroy,behandelaar):action>", endpoint="control:action"),
    Rule("/_mock/rollen/<uuid>", endpoint="control:rol"),
    Rule("/_mock/faults", endpoint="control:faults"),
    Rule("/_mock/faults/clear", endpoint="control:clear"),
    Rule("/_mock/notificaties", endpoint="control:notificaties"),
    Rule("/_mock/notificaties/faults", endpoint="control:notificaties_faults"),
    Rule("/_mock/notificaties/faults/clear", endpoint="control:notificaties_clear"),
]
DELIVERY_FAULTS = ("drop_next", "drop_rate", "delay_ms", "duplicate_next")


def _reply(status: int, body: Any) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def handle(store: MockStore, endpoint: str, values: dict[str, Any], request: Request) -> Response:
    allowed = {"control:info": ("GET",), "control:zaken": ("GET", "POST"), "control:rol": ("DELETE",),
               "control:notificaties": ("GET",)}.get(endpoint, ("POST",))
    if request.method not in allowed:
        return _reply(405, {"detail": f"{request.method} is hier niet toegestaan"})
    try:
        payload = request.get_json() if request.method == "POST" and request.data else {}
        if not isinstance(payload, dict):
            raise ValueError("verwacht een JSON-object")
        return _reply(200, _run(store, endpoint, values, payload, request))
    except NotFound as error:
        return _reply(404, {"detail": str(error)})
    except (TypeError, ValueError, KeyError) as error:
        return _reply(400, {"detail": f"ongeldig verzoek: {error}"})


def _run(store: MockStore, endpoint: str, values: dict[str, Any], payload: dict[str, Any], request: Request) -> Any:
    if endpoint == "control:info":
        return {"meta": {k: json.loads(v) if k in ("summary", "counters") else v for k, v in store.meta().items()},
                "zaken": store.count_zaken(), "verwijderd": len(store.destroyed_uuids()),
                "faults": store.faults.settings()}
    if endpoint == "control:zaken":
        if request.method == "GET":
            limit = request.args.get("limit", type=int)
            return store.zaak_uuids(request.args.get("scenario"), limit)
        behandelaar = payload.pop("behandelaar", None)
        return store.add_zaak(behandelaar=tuple(behandelaar) if behandelaar else None, **payload)
    if endpoint == "control:update":
        return store.update_zaak(values["uuid"], **payload)
    if endpoint == "control:rol":
        return store.remove_rol(values["uuid"])
    if endpoint == "control:faults":
        store.set_faults(**payload)
        return store.faults.settings()
    if endpoint == "control:clear":
        store.faults.clear()
        return store.faults.settings()
    if endpoint.startswith("control:notificaties"):
        return _notificaties(store, endpoint, payload)
    uuid, action = values["uuid"], values["action"]
    if action == "close":
        return store.close_zaak(uuid, payload["einddatum"], payload.get("resultaattype"),
                                payload.get("toelichting", ""))
    if action == "archiefstatus":
        return store.set_archiefstatus(uuid, payload["archiefstatus"])
    if action == "behandelaar":
        return store.set_behandelaar(uuid, payload["identificatie"], payload["naam"], payload.get("registratiedatum"))
    store.destroy_zaak(uuid)
    return {"verwijderd": uuid}


def _notificaties(store: MockStore, endpoint: str, payload: dict[str, Any]) -> Any:
    service = store.notificaties
    if endpoint == "control:notificaties_faults":
        unknown = sorted(set(payload) - set(DELIVERY_FAULTS) - {"retries", "backoff_factor", "backoff_max", "timeout"})
        if unknown:
            raise ValueError(f"onbekende instelling(en): {', '.join(unknown)}")
        service.set_faults(**{k: v for k, v in payload.items() if k in DELIVERY_FAULTS})
        service.configure(**{k: v for k, v in payload.items() if k not in DELIVERY_FAULTS})
    elif endpoint == "control:notificaties_clear":
        service.clear_faults()
    deliveries = list(service.deliveries)
    return {"abonnementen": [{k: v for k, v in a.items() if k != "auth"} for a in service.abonnementen.values()],
            "afleveringen": {"totaal": len(deliveries), "afgeleverd": sum(d.delivered for d in deliveries),
                             "verloren": sum(d.lost for d in deliveries),
                             "opgegeven": sum(d.done and not d.delivered and not d.lost for d in deliveries),
                             "bezig": sum(not d.done for d in deliveries)},
            "instellingen": service.settings()}
