"""The mock InProces as a WSGI app (werkzeug): Zaken API 1.5 and Catalogi API 1.3, read-only, and the
Notificaties API 1.0 (notificaties_api.py).

Order of checks, as on Open Zaak: route (404), JWT (403), method (405), `Accept-Crs` on zaken (412/406),
query parameters (400), page (404), object (404). Injected faults come first of all. The API roots
(`/zaken/api/v1/`, `/catalogi/api/v1/`) list the resources without a JWT, as Open Zaak's do.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import control, notificaties_api
from .auth import AuthError, check_authorization
from .filters import InvalidParams, PageNotFound, catalogi_predicate, paging, sql_query
from .problems import INVALID_PAGE, method_not_allowed, problem, throttled
from .resources import CATALOGI_KINDS, CATALOGI_PREFIX, ZAKEN_KINDS, ZAKEN_PREFIX, dumps, to_path, with_host
from .store import MockStore

API_VERSIONS = {ZAKEN_PREFIX: "1.5.1", CATALOGI_PREFIX: "1.3.1"}
LIST_ALLOW = "GET, POST, HEAD, OPTIONS"
DETAIL_ALLOW = "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"
_ZAKEN = ", ".join(ZAKEN_KINDS)
_CATALOGI = ", ".join(CATALOGI_KINDS)
# The API roots list the resources the mock serves, in Open Zaak's order (Open Zaak lists more, such as
# zaakobjecten and besluittypen, which the mock does not serve). Like Open Zaak's they need no JWT.
ROOTS = {ZAKEN_PREFIX: ("zaken", "statussen", "rollen", "resultaten"),
         CATALOGI_PREFIX: ("catalogussen", "zaaktypen", "statustypen", "roltypen", "resultaattypen")}
ROOT_ALLOW = "GET, HEAD, OPTIONS"
URL_MAP = Map([
    Rule(f"{ZAKEN_PREFIX}/", endpoint="root"),
    Rule(f"{CATALOGI_PREFIX}/", endpoint="root"),
    Rule(f"{ZAKEN_PREFIX}/<any({_ZAKEN}):kind>", endpoint="list"),
    Rule(f"{ZAKEN_PREFIX}/<any({_ZAKEN}):kind>/<uuid>", endpoint="detail"),
    Rule(f"{CATALOGI_PREFIX}/<any({_CATALOGI}):kind>", endpoint="list"),
    Rule(f"{CATALOGI_PREFIX}/<any({_CATALOGI}):kind>/<uuid>", endpoint="detail"),
    *control.RULES,
    *notificaties_api.RULES,
], strict_slashes=False)


class _Response(Response):
    """Keeps `Allow` on a 304 like Open Zaak (werkzeug drops entity headers from 304 responses)."""

    def get_wsgi_headers(self, environ: dict[str, Any]) -> Any:
        headers = super().get_wsgi_headers(environ)
        if self.status_code == 304 and "Allow" in self.headers:
            headers["Allow"] = self.headers["Allow"]
        return headers


class ApiError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, dict(headers or {})


class MockInProces:
    """The WSGI application; `clients` maps client_id -> secret."""

    def __init__(self, store: MockStore, clients: Mapping[str, str]) -> None:
        self.store = store
        self.clients = dict(clients)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        base = request.host_url.rstrip("/")
        if self.store.base_url is None:
            self.store.base_url = base
        adapter = URL_MAP.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match(method="GET")
        except HTTPException:
            endpoint, values = None, {}
        if endpoint is not None and endpoint.startswith("control"):
            return control.handle(self.store, endpoint, values, request)
        if endpoint is not None and endpoint.startswith("notificaties:"):
            return notificaties_api.handle(self.store.notificaties, self.clients, request, base, endpoint, values)
        if endpoint is None and request.path in ("", "/"):
            return _json(200, {"zaken": f"{base}{ZAKEN_PREFIX}", "catalogi": f"{base}{CATALOGI_PREFIX}"}, {})
        return self._api(request, base, endpoint, values)

    def _api(self, request: Request, base: str, endpoint: str | None, values: dict[str, Any]) -> Response:
        path_qs = request.full_path.rstrip("?")
        decision = self.store.faults.decide(path_qs)
        for call in decision.calls:
            call()
        if decision.slow_seconds:
            time.sleep(decision.slow_seconds)
        kind = values.get("kind", "")
        headers = {}
        for prefix, version in API_VERSIONS.items():
            if request.path.startswith(prefix):
                headers["API-version"] = version
        if endpoint is not None:
            headers["Allow"] = {"list": LIST_ALLOW, "root": ROOT_ALLOW}.get(endpoint, DETAIL_ALLOW)
        if kind == "zaken":
            headers.update({"Content-Crs": "EPSG:4326", "Vary": "origin"})
        else:
            headers["Vary"] = "Accept, origin"
        try:
            if decision.status is not None:
                raise self._injected(base, decision.status, decision.retry_after)
            if endpoint is None:
                raise ApiError(404, problem(base, 404))
            if endpoint == "root":
                body = self._root(request, base)
            else:
                self._check_request(request, base, kind)
                body = self._list(request, base, kind) if endpoint == "list" else self._detail(
                    base, kind, values["uuid"])
        except ApiError as error:
            headers.update(error.headers)
            return _json(error.status, error.body, headers)
        text = with_host(dumps(body), base)
        if endpoint == "detail":
            etag = f'"{hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()}"'
            headers["ETag"] = etag
            if etag in request.headers.get("If-None-Match", ""):
                return _Response(status=304, headers={k: v for k, v in headers.items() if k != "API-version"})
        data = text.encode()
        if decision.truncate:
            data = data[: len(data) // 2]
        if decision.drop:
            # Promise the whole body, send half of it and close: the client reads fewer bytes than announced.
            response = Response(data[: len(data) // 2], status=200, headers=headers, content_type="application/json")
            response.headers["Content-Length"] = str(len(data))
            response.headers["Connection"] = "close"
            return response
        return Response(data, status=200, headers=headers, content_type="application/json")

    @staticmethod
    def _injected(base: str, status: int, retry_after: int | None) -> ApiError:
        wait = {"Retry-After": str(retry_after)} if retry_after is not None and status in (429, 503) else {}
        if status == 429:
            return ApiError(429, throttled(base, retry_after), wait)
        return ApiError(status, problem(base, status), wait)

    def _check_request(self, request: Request, base: str, kind: str) -> None:
        try:
            check_authorization(request.headers.get("Authorization"), self.clients)
        except AuthError as error:
            raise ApiError(403, problem(base, 403, code=error.code, detail=error.detail)) from None
        if request.method not in ("GET", "HEAD"):
            raise ApiError(405, method_not_allowed(base, request.method))
        if kind == "zaken":
            crs = request.headers.get("Accept-Crs")
            if crs is None:
                raise ApiError(412, problem(base, 412, detail="'Accept-Crs' header ontbreekt"))
            if crs != "EPSG:4326":
                raise ApiError(406, problem(base, 406, detail=f"CRS '{crs}' is niet ondersteund"))

    @staticmethod
    def _root(request: Request, base: str) -> dict[str, str]:
        if request.method not in ("GET", "HEAD"):
            raise ApiError(405, method_not_allowed(base, request.method))
        prefix = request.path.rstrip("/")
        return {kind: f"{base}{prefix}/{kind}" for kind in ROOTS[prefix]}

    def _list(self, request: Request, base: str, kind: str) -> dict[str, Any]:
        args = {key: values[-1] for key, values in request.args.lists()}  # Django's QueryDict: last value wins
        pages = paging(args)
        try:
            if kind in ZAKEN_KINDS:
                count, number, results = self.store.page(kind, sql_query(kind, args), pages)
            else:
                count, number, results = self._catalogi_page(kind, args, pages)
        except InvalidParams as error:
            raise ApiError(400, problem(base, 400, invalid_params=error.params)) from None
        except PageNotFound:
            raise ApiError(404, problem(base, 404, detail=INVALID_PAGE)) from None
        omit = self.store.faults.omission(request.full_path.rstrip("?"))
        if omit and results:
            results[0].pop(omit, None)
        url = request.url
        last = max(1, -(-count // pages.size))
        return {
            "count": count,
            "next": _page_url(url, number + 1) if number < last else None,
            "previous": _page_url(url, number - 1) if number > 1 else None,
            "results": results,
        }

    def _catalogi_page(self, kind: str, args: dict[str, str], pages: Any) -> tuple[int, int, list[dict[str, Any]]]:
        wanted = catalogi_predicate(kind, args)
        zaaktypen = {to_path(z["url"]): z for z in self.store.catalogi("zaaktypen")} if kind != "catalogussen" else {}
        matches = [body for body in self.store.catalogi(kind)
                   if wanted(body, zaaktypen.get(to_path(body.get("zaaktype", body.get("url", "")))))]
        number, offset = pages.offset(len(matches))
        return len(matches), number, matches[offset: offset + pages.size]

    def _detail(self, base: str, kind: str, uuid: str) -> dict[str, Any]:
        body = self.store.detail(kind, uuid) if kind in ZAKEN_KINDS else self.store.catalogi_detail(kind, uuid)
        if body is None:
            raise ApiError(404, problem(base, 404))
        return body


def _page_url(url: str, number: int) -> str:
    """DRF's replace_query_param/remove_query_param: sorted parameters, no `page` for page 1."""
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True) if key != "page"]
    if number > 1:
        params.append(("page", str(number)))
    return urlunsplit((scheme, netloc, path, urlencode(sorted(params, key=lambda item: item[0])), fragment))


def _json(status: int, body: Any, headers: Mapping[str, str]) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=dict(headers),
                    content_type="application/json")


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request (a sync makes thousands); errors are still logged."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def serve(store: MockStore, clients: Mapping[str, str], host: str, port: int,
          request_handler: type[WSGIRequestHandler] = _QuietHandler) -> BaseWSGIServer:
    """A threaded server for the mock, bound and ready (`port=0`: a free port); call serve_forever()."""
    server = make_server(host, port, MockInProces(store, clients), threaded=True, request_handler=request_handler)
    store.base_url = f"http://{host}:{server.port}"
    return server
