"""The Notificaties API 1.0 over HTTP (`/notificaties/api/v1/...`), with the JWT check of the other APIs:

    GET  /notificaties/api/v1/                    the resources (no JWT, like the other roots)
    GET  .../kanaal[?naam=]   POST .../kanaal     GET .../kanaal/<uuid>
    GET  .../abonnement       POST .../abonnement GET|PUT|PATCH|DELETE .../abonnement/<uuid>
    POST .../notificaties                         publish a message (routed like the store's own)

Lists are plain arrays (1.0). Creating, replacing or patching an abonnement verifies its callback first (see
notificaties.py); `auth` is write-only. Errors are problem details in Dutch, 400 with `invalidParams`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from .auth import AuthError, check_authorization
from .notificaties import PREFIX, Notificaties
from .problems import method_not_allowed, problem

RULES = [
    Rule(f"{PREFIX}/", endpoint="notificaties:root"),
    Rule(f"{PREFIX}/<any(kanaal,abonnement):kind>", endpoint="notificaties:list"),
    Rule(f"{PREFIX}/<any(kanaal,abonnement):kind>/<uuid>", endpoint="notificaties:detail"),
    Rule(f"{PREFIX}/notificaties", endpoint="notificaties:publish"),
]
VERSION = "1.0.0"
_URL = re.compile(r"https?://[^\s/?#]+(/\S*)?")


class _Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status, self.body = status, body


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json",
                    headers={"API-version": VERSION, **(headers or {})})


def _invalid(base: str, name: str, code: str, reason: str) -> _Refused:
    return _Refused(400, problem(base, 400, invalid_params=[{"name": name, "code": code, "reason": reason}]))


def handle(service: Notificaties, clients: dict[str, str], request: Request, base: str, endpoint: str,
           values: dict[str, Any]) -> Response:
    root = f"{base}{PREFIX}"
    if endpoint == "notificaties:root":
        return _json(200, {kind: f"{root}/{kind}" for kind in ("abonnement", "kanaal", "notificaties")})
    try:
        check_authorization(request.headers.get("Authorization"), clients)
    except AuthError as error:
        return _json(403, problem(base, 403, code=error.code, detail=error.detail))
    try:
        if endpoint == "notificaties:publish":
            if request.method != "POST":
                raise _Refused(405, method_not_allowed(base, request.method))
            message = _body(base, request)
            for name in ("kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum"):
                if not isinstance(message.get(name), str) or not message[name]:
                    raise _invalid(base, name, "required", "Dit veld is vereist.")
            service.publish(message)
            return _json(200, message)
        if values["kind"] == "kanaal":
            return _kanaal(service, request, base, root, values.get("uuid"))
        return _abonnement(service, request, base, root, values.get("uuid"))
    except _Refused as refused:
        return _json(refused.status, refused.body)


def _body(base: str, request: Request) -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise _invalid(base, "nonFieldErrors", "parse_error", "De body is geen JSON-object.")
    return data


def _kanaal_json(root: str, kanaal: dict[str, Any]) -> dict[str, Any]:
    return {"url": f"{root}/kanaal/{kanaal['uuid']}", "naam": kanaal["naam"],
            "documentatieLink": kanaal["documentatieLink"], "filters": kanaal["filters"]}


def _kanaal(service: Notificaties, request: Request, base: str, root: str, key: str | None) -> Response:
    if key is not None:
        if request.method not in ("GET", "HEAD"):
            raise _Refused(405, method_not_allowed(base, request.method))
        kanaal = service.kanalen.get(key)
        if kanaal is None:
            raise _Refused(404, problem(base, 404))
        return _json(200, _kanaal_json(root, kanaal))
    if request.method == "POST":
        data = _body(base, request)
        naam = data.get("naam")
        if not isinstance(naam, str) or not 0 < len(naam) <= 50:
            raise _invalid(base, "naam", "required", "Dit veld is vereist (hoogstens 50 tekens).")
        if service.kanaal_named(naam) is not None:
            raise _invalid(base, "naam", "unique", "Er bestaat al een kanaal met deze naam.")
        filters = data.get("filters") or []
        if not isinstance(filters, list) or not all(isinstance(item, str) for item in filters):
            raise _invalid(base, "filters", "invalid", "Verwacht een lijst van kenmerken.")
        kanaal = service.add_kanaal(naam, filters, str(data.get("documentatieLink") or ""))
        body = _kanaal_json(root, kanaal)
        return _json(201, body, {"Location": body["url"]})
    if request.method not in ("GET", "HEAD"):
        raise _Refused(405, method_not_allowed(base, request.method))
    unknown = sorted(set(request.args) - {"naam"})
    if unknown:
        raise _invalid(base, "nonFieldErrors", "unknown-parameters",
                       f"Onbekende query parameters: {', '.join(unknown)}")
    naam = request.args.get("naam")
    kanalen = [k for k in list(service.kanalen.values()) if naam is None or k["naam"] == naam]
    return _json(200, [_kanaal_json(root, k) for k in kanalen])


def _abonnement_json(root: str, abonnement: dict[str, Any]) -> dict[str, Any]:
    return {"url": f"{root}/abonnement/{abonnement['uuid']}", "callbackUrl": abonnement["callbackUrl"],
            "kanalen": abonnement["kanalen"]}


def _abonnement(service: Notificaties, request: Request, base: str, root: str, key: str | None) -> Response:
    if key is None:
        if request.method == "POST":
            return _save(service, request, base, root, None, {})
        if request.method not in ("GET", "HEAD"):
            raise _Refused(405, method_not_allowed(base, request.method))
        return _json(200, [_abonnement_json(root, a) for a in list(service.abonnementen.values())])
    current = service.abonnementen.get(key)
    if current is None:
        raise _Refused(404, problem(base, 404))
    if request.method in ("GET", "HEAD"):
        return _json(200, _abonnement_json(root, current))
    if request.method == "DELETE":
        service.abonnementen.pop(key, None)
        return Response(status=204, headers={"API-version": VERSION})
    if request.method in ("PUT", "PATCH"):
        return _save(service, request, base, root, key, current if request.method == "PATCH" else {})
    raise _Refused(405, method_not_allowed(base, request.method))


def _save(service: Notificaties, request: Request, base: str, root: str, key: str | None,
          current: dict[str, Any]) -> Response:
    """Validate, verify the callback (when new or changed), store; 201 for a new one, 200 otherwise."""
    data = {**{k: current[k] for k in ("callbackUrl", "auth", "kanalen") if k in current}, **_body(base, request)}
    callback, auth, kanalen = data.get("callbackUrl"), data.get("auth"), data.get("kanalen")
    if not isinstance(callback, str) or not callback:
        raise _invalid(base, "callbackUrl", "required", "Dit veld is vereist.")
    if len(callback) > 200 or not _URL.fullmatch(callback):
        raise _invalid(base, "callbackUrl", "invalid", "Voer een geldige URL in (hoogstens 200 tekens).")
    if not isinstance(auth, str) or not 0 < len(auth) <= 1000:
        raise _invalid(base, "auth", "required", "Dit veld is vereist (hoogstens 1000 tekens).")
    if not isinstance(kanalen, list):
        raise _invalid(base, "kanalen", "required", "Dit veld is vereist: een lijst van kanalen met filters.")
    groups = []
    for group in kanalen:
        naam = group.get("naam") if isinstance(group, dict) else None
        kanaal = service.kanaal_named(naam) if isinstance(naam, str) else None
        if kanaal is None:
            raise _invalid(base, "kanalen.naam", "does_not_exist", "Kanaal met deze naam bestaat niet.")
        filters = group.get("filters") or {}
        if not isinstance(filters, dict) or not all(isinstance(v, str) and v for v in filters.values()):
            raise _invalid(base, "kanalen.filters", "invalid", "Filters zijn kenmerken met een tekst als waarde.")
        if set(filters) - set(kanaal["filters"]):
            raise _invalid(base, "kanalen.filters", "invalid-filters",
                           "Filters moeten kenmerken van het kanaal zijn: " + ", ".join(kanaal["filters"]))
        groups.append({"naam": naam, "filters": dict(filters)})
    if not current or (callback, auth) != (current.get("callbackUrl"), current.get("auth")):
        reason = service.verify_callback(callback, auth)
        if reason is not None:
            raise _invalid(base, "callbackUrl", "invalid-callback-url", reason)
    saved = service.save_abonnement(key, callback, auth, groups)
    body = _abonnement_json(root, service.abonnementen[saved])
    return _json(201, body, {"Location": body["url"]}) if key is None else _json(200, body)
