"""Client for the VNG Notificaties API 1.0: kanalen and abonnementen (`../shared/specs/notificaties-openapi.yaml`).

Signed with the same ZGW JWT as the Zaken client (a fresh token per request). Typed records, typed errors (the
ZGW client's: ZGWAuthError for 401/403, ZGWValidationError for 400 with its `invalidParams`, ...), no Flask, no
database. Creating or changing an abonnement makes Open Notificaties test the callback before it answers (a
`test` notification without and then with the `auth` value), so those calls get a long read timeout; a refused
test comes back as a 400 on `callbackUrl`. Lists are plain arrays in 1.0; a paginated answer
(`{results, next}`) is followed too. No retries: the commands that use it are run by a person.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from .client import _snippet, _ZGWAuth, error_for
from .errors import (
    ZGWConnectionError,
    ZGWResponseError,
)


@dataclass(frozen=True)
class FilterGroup:
    """One kanaal of an abonnement, with the kenmerken a notification must have (`{"bronorganisatie": ...}`)."""

    naam: str
    filters: Mapping[str, str] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        return {"naam": self.naam, "filters": dict(self.filters)}


@dataclass(frozen=True)
class Kanaal:
    url: str
    naam: str
    filters: tuple[str, ...]


@dataclass(frozen=True)
class Abonnement:
    """An abonnement as the API lists it (`auth` is write-only in Open Notificaties: never read back)."""

    url: str
    callback_url: str
    kanalen: tuple[FilterGroup, ...]


def _text(data: Mapping[str, Any], name: str, what: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ZGWResponseError(f"{what}: veld {name!r} ontbreekt of is geen tekst")
    return value


def _kanaal(data: Any) -> Kanaal:
    if not isinstance(data, dict):
        raise ZGWResponseError("kanaal: geen JSON-object")
    filters = data.get("filters") or []
    return Kanaal(url=_text(data, "url", "kanaal"), naam=_text(data, "naam", "kanaal"),
                  filters=tuple(str(item) for item in filters if isinstance(item, str)))


def _abonnement(data: Any) -> Abonnement:
    if not isinstance(data, dict):
        raise ZGWResponseError("abonnement: geen JSON-object")
    groups = []
    for group in data.get("kanalen") or []:
        if isinstance(group, dict) and isinstance(group.get("naam"), str):
            filters = group.get("filters") if isinstance(group.get("filters"), dict) else {}
            groups.append(FilterGroup(group["naam"], {str(k): str(v) for k, v in filters.items()}))
    return Abonnement(url=_text(data, "url", "abonnement"), callback_url=_text(data, "callbackUrl", "abonnement"),
                      kanalen=tuple(groups))


class NotificatiesClient:
    """Kanalen and abonnementen at one Notificaties API (`base_url` = `.../api/v1`)."""

    def __init__(self, base_url: str, client_id: str, secret: str, *, user_id: str = "duo-zaak",
                 timeout: tuple[float, float] = (5.0, 60.0), clock: Callable[[], float] = time.time) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.requests_made = 0
        self._auth = _ZGWAuth(client_id, secret, user_id, user_id, clock)
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json"})

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> NotificatiesClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def kanalen(self, naam: str | None = None) -> list[Kanaal]:
        return [_kanaal(item) for item in self._list(f"{self.base_url}/kanaal", {"naam": naam} if naam else None)]

    def abonnementen(self) -> list[Abonnement]:
        return [_abonnement(item) for item in self._list(f"{self.base_url}/abonnement")]

    def create_abonnement(self, callback_url: str, auth: str, kanalen: list[FilterGroup]) -> Abonnement:
        body = {"callbackUrl": callback_url, "auth": auth, "kanalen": [group.to_api() for group in kanalen]}
        return _abonnement(self._send("POST", f"{self.base_url}/abonnement", body))

    def update_abonnement(self, url: str, callback_url: str, auth: str, kanalen: list[FilterGroup]) -> Abonnement:
        """Replace an abonnement (PUT): callback, auth and kanalen."""
        body = {"callbackUrl": callback_url, "auth": auth, "kanalen": [group.to_api() for group in kanalen]}
        return _abonnement(self._send("PUT", url, body))

    def delete_abonnement(self, url: str) -> None:
        self._send("DELETE", url, None)

    # HTTP

    def _list(self, url: str, params: Mapping[str, str] | None = None) -> Iterator[Any]:
        next_url: str | None = url
        while next_url:
            data = self._send("GET", next_url, None, params)
            params = None
            if isinstance(data, list):
                yield from data
                return
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise ZGWResponseError(f"GET {next_url}: geen lijst", url=next_url)
            yield from data["results"]
            next_url = data.get("next") if isinstance(data.get("next"), str) else None

    def _send(self, method: str, url: str, body: Any, params: Mapping[str, str] | None = None) -> Any:
        self.requests_made += 1
        try:
            response = self._session.request(method, url, json=body, params=params, timeout=self.timeout,
                                             auth=self._auth)
        except requests.RequestException as exc:
            raise ZGWConnectionError(f"{method} {url}: geen antwoord: {exc}", url=url) from exc
        if 200 <= response.status_code < 300:
            if response.status_code == 204 or not response.content:
                return None
            try:
                return response.json()
            except ValueError as exc:
                raise ZGWResponseError(f"{method} {url}: geen JSON: {_snippet(response)}", url=url,
                                       status=response.status_code) from exc
        raise error_for(response, method=method)
