"""HTTP client for the ZGW Zaken API (1.5) and Catalogi API (1.3): lists, details, typed records and errors.

Requests per run: a list costs one request per page, pages = max(1, ceil(records / page_size)) (an empty
list still costs one); a detail (`get_zaak`) and a count (`count_zaken`) cost one. Every retry adds one
request. A sync that walks lists L1..Lk, asks d zaken by URL and c counts makes

    sum_i max(1, ceil(n_i / page_size)) + d + c + retries

requests. `requests_made` counts every attempt (retries included), `pages_fetched` every list page read.
The client never computes pages from `count`: it follows `next` until it is null.

Every request carries a fresh ZGW JWT (`iat` a few seconds back), `Accept-Crs: EPSG:4326` (Open Zaak
answers 412 on zaken endpoints without it), connect and read timeouts. Connection errors, read timeouts,
429, 502, 503 and 504 are retried with exponential backoff (a `Retry-After` in seconds is honoured, up
to a cap); other statuses are not. One client holds one pooled `requests.Session`: use one per thread.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter

from . import quick
from .errors import (
    ZGWAuthError,
    ZGWConnectionError,
    ZGWError,
    ZGWNotFound,
    ZGWRecordError,
    ZGWResponseError,
    ZGWServerError,
    ZGWValidationError,
)
from .jwt import make_token
from .records import Page, Resultaat, ResultaatType, Rol, Zaak, ZaakType

log = logging.getLogger(__name__)

T = TypeVar("T")
FilterValue = str | int | bool | date | datetime | Iterable[str] | None

RETRY_STATUSES = frozenset({429, 502, 503, 504})


class _ZGWAuth(requests.auth.AuthBase):
    """Signs every attempt with a fresh token. As an auth object it also keeps `.netrc` credentials out,
    and requests drops it on a redirect to another host."""

    def __init__(self, client_id: str, secret: str, user_id: str, user_representation: str, clock: Callable[[], float]):
        self._client_id = client_id
        self._secret = secret
        self._user_id = user_id
        self._user_representation = user_representation
        self._clock = clock

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = make_token(
            self._client_id, self._secret, self._user_id, self._user_representation, now=self._clock()
        )
        request.headers["Authorization"] = f"Bearer {token}"
        return request

    def __repr__(self) -> str:
        return f"<ZGW JWT for client_id={self._client_id!r}>"


class ZGWClient:
    """Reads zaken, rollen and resultaten (Zaken API) and zaaktypen and resultaattypen (Catalogi API)."""

    def __init__(
        self,
        zaken_url: str,
        catalogi_url: str,
        client_id: str,
        secret: str,
        *,
        user_id: str = "duo-zaak",
        user_representation: str = "",
        page_size: int | None = 500,
        timeout: tuple[float, float] = (5.0, 60.0),
        retries: int = 5,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        pool_maxsize: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ):
        """`zaken_url`/`catalogi_url` are the API roots (`.../zaken/api/v1`, `.../catalogi/api/v1`).

        `page_size` is sent as `pageSize` on the first page of every list (None: not sent, the server's
        default applies). Attempt n (from 0) that failed waits `backoff_factor * 2**n` seconds, at most
        `backoff_max`, or the server's `Retry-After`, at most `retry_after_max`. `sleep` and `clock` are
        there for tests.
        """
        self.zaken_url = zaken_url.rstrip("/")
        self.catalogi_url = catalogi_url.rstrip("/")
        self.client_id = client_id
        self.page_size = page_size
        self.timeout = timeout
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.requests_made = 0
        self.pages_fetched = 0
        self._sleep = sleep
        self._auth = _ZGWAuth(client_id, secret, user_id, user_representation, clock)
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=pool_maxsize, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"Accept": "application/json", "Accept-Crs": "EPSG:4326"})

    def __repr__(self) -> str:
        return (
            f"ZGWClient(zaken_url={self.zaken_url!r}, catalogi_url={self.catalogi_url!r}, "
            f"client_id={self.client_id!r})"
        )

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ZGWClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Zaken API

    def zaken_pages(self, *, skip_unreadable: bool = False, **filters: FilterValue) -> Iterator[Page[Zaak]]:
        """Pages of zaken. `skip_unreadable`: a zaak record that cannot be read (a required field missing or
        malformed) goes into the page's `skipped` instead of raising; an unreadable page still raises."""
        return self.pages(f"{self.zaken_url}/zaken", quick.zaak, skip_unreadable=skip_unreadable, **filters)

    def count_zaken(self, **filters: FilterValue) -> int:
        """The server's `count` of the zaken list with these filters: one request (pageSize=1, or the server's
        default page when `page_size` is None: a server that refuses pageSize), no records read."""
        params = {key: _format_filter(value) for key, value in filters.items() if value is not None}
        if self.page_size is not None:
            params["pageSize"] = "1"
        response = self._get(f"{self.zaken_url}/zaken", params)
        return _parse_page(self._json(response), response.url, lambda item: item).count

    def iter_zaken(self, **filters: FilterValue) -> Iterator[Zaak]:
        return _records(self.zaken_pages(**filters))

    def get_zaak(self, url: str) -> Zaak:
        """One zaak by its URL; ZGWNotFound when the source has deleted (destroyed) it."""
        return self.get(url, Zaak.from_api)

    def rollen_pages(self, **filters: FilterValue) -> Iterator[Page[Rol]]:
        return self.pages(f"{self.zaken_url}/rollen", quick.rol, **filters)

    def iter_rollen(self, **filters: FilterValue) -> Iterator[Rol]:
        return _records(self.rollen_pages(**filters))

    def resultaten_pages(self, **filters: FilterValue) -> Iterator[Page[Resultaat]]:
        return self.pages(f"{self.zaken_url}/resultaten", quick.resultaat, **filters)

    def iter_resultaten(self, **filters: FilterValue) -> Iterator[Resultaat]:
        return _records(self.resultaten_pages(**filters))

    # Catalogi API

    def zaaktypen_pages(self, **filters: FilterValue) -> Iterator[Page[ZaakType]]:
        return self.pages(f"{self.catalogi_url}/zaaktypen", ZaakType.from_api, **filters)

    def iter_zaaktypen(self, **filters: FilterValue) -> Iterator[ZaakType]:
        return _records(self.zaaktypen_pages(**filters))

    def resultaattypen_pages(self, **filters: FilterValue) -> Iterator[Page[ResultaatType]]:
        return self.pages(f"{self.catalogi_url}/resultaattypen", ResultaatType.from_api, **filters)

    def iter_resultaattypen(self, **filters: FilterValue) -> Iterator[ResultaatType]:
        return _records(self.resultaattypen_pages(**filters))

    # Generic

    def pages(self, url: str, parse: Callable[[Any], T], /, *, skip_unreadable: bool = False,
              **filters: FilterValue) -> Iterator[Page[T]]:
        """The pages of the list at `url`, one at a time, following `next` until it is null.

        `filters` go out verbatim as query parameters on the first request (dates as YYYY-MM-DD, lists
        comma-joined, booleans as true/false, None left out); later pages use the server's `next` URL as is,
        which keeps them. `parse` turns each JSON object of `results` into a record; with `skip_unreadable`
        a record it refuses (ZGWRecordError) is put in the page's `skipped`.
        """
        params = {key: _format_filter(value) for key, value in filters.items() if value is not None}
        if self.page_size is not None:
            params.setdefault("pageSize", str(self.page_size))
        next_url: str | None = url
        query: Mapping[str, str] | None = params
        seen: set[str] = set()
        while next_url is not None:
            response = self._get(next_url, query)
            query = None
            seen.add(response.url)
            page = _parse_page(self._json(response), response.url, parse, skip_unreadable=skip_unreadable)
            self.pages_fetched += 1
            if page.next is not None and page.next in seen:
                raise ZGWResponseError(f"GET {response.url}: 'next' verwijst terug naar {page.next}", url=response.url)
            yield page
            next_url = page.next

    def get(self, url: str, parse: Callable[[Any], T], /) -> T:
        """The object at `url`, parsed by `parse`."""
        response = self._get(url)
        return parse(self._json(response))

    # HTTP

    def _get(self, url: str, params: Mapping[str, str] | None = None) -> requests.Response:
        """GET with retries; returns a 2xx response, raises a typed error for anything else."""
        attempt = 0
        while True:
            self.requests_made += 1
            started = time.monotonic()
            try:
                response = self._session.get(url, params=params, timeout=self.timeout, auth=self._auth)
            except requests.exceptions.SSLError as exc:
                raise ZGWConnectionError(f"GET {url}: TLS-fout: {exc}", url=url) from exc
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                if attempt >= self.retries:
                    raise ZGWConnectionError(
                        f"GET {url}: geen antwoord na {attempt + 1} pogingen: {exc}", url=url
                    ) from exc
                delay = self._backoff(attempt)
                log.warning("GET %s: %s; poging %d van %d over %.1f s", url, type(exc).__name__, attempt + 2,
                            self.retries + 1, delay)
            except requests.RequestException as exc:
                raise ZGWConnectionError(f"GET {url}: {exc}", url=url) from exc
            else:
                log.debug("GET %s -> %d (%.0f ms)", response.url, response.status_code,
                          (time.monotonic() - started) * 1000)
                if 200 <= response.status_code < 300:
                    return response
                if response.status_code not in RETRY_STATUSES or attempt >= self.retries:
                    raise error_for(response, attempts=attempt + 1)
                delay = self._retry_after(response)
                if delay is None:
                    delay = self._backoff(attempt)
                log.warning("GET %s: HTTP %d; poging %d van %d over %.1f s", response.url, response.status_code,
                            attempt + 2, self.retries + 1, delay)
                response.close()
            self._sleep(delay)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_factor * 2**attempt, self.backoff_max)

    def _retry_after(self, response: requests.Response) -> float | None:
        """`Retry-After` in seconds, capped; None when absent or not a number (HTTP dates are not honoured)."""
        try:
            seconds = float(response.headers.get("Retry-After", ""))
        except ValueError:
            return None
        return min(max(seconds, 0.0), self.retry_after_max) if math.isfinite(seconds) else None

    def _json(self, response: requests.Response) -> Any:
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type.lower():
            raise ZGWResponseError(
                f"GET {response.url}: geen JSON maar {content_type or 'geen Content-Type'}: {_snippet(response)}",
                url=response.url,
                status=response.status_code,
            )
        try:
            return response.json()
        except ValueError as exc:
            raise ZGWResponseError(
                f"GET {response.url}: onleesbare of afgebroken JSON ({len(response.content)} bytes): {exc}",
                url=response.url,
                status=response.status_code,
            ) from exc


def _records(pages: Iterator[Page[T]]) -> Iterator[T]:
    for page in pages:
        yield from page.results


def _format_filter(value: FilterValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, Iterable):
        return ",".join(_format_filter(item) for item in value)
    raise TypeError(f"filterwaarde van type {type(value).__name__} wordt niet ondersteund")


def _parse_page(data: Any, url: str, parse: Callable[[Any], T], *, skip_unreadable: bool = False) -> Page[T]:
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ZGWResponseError(f"GET {url}: geen gepagineerde lijst (verwacht count/next/results)", url=url)
    count, next_url = data.get("count"), data.get("next") or None
    if not isinstance(count, int) or isinstance(count, bool):
        raise ZGWResponseError(f"GET {url}: 'count' ontbreekt of is geen getal: {count!r}", url=url)
    if next_url is not None and not (isinstance(next_url, str) and next_url.startswith(("http://", "https://"))):
        raise ZGWResponseError(f"GET {url}: 'next' is geen absolute URL: {next_url!r}", url=url)
    if not skip_unreadable:
        return Page(results=[parse(item) for item in data["results"]], count=count, url=url, next=next_url)
    results: list[T] = []
    skipped: list[ZGWRecordError] = []
    for item in data["results"]:
        try:
            results.append(parse(item))
        except ZGWRecordError as exc:
            skipped.append(exc)
    return Page(results=results, count=count, url=url, next=next_url, skipped=tuple(skipped))


def _problem(response: requests.Response) -> Mapping[str, Any]:
    """The problem-details body of an error response, or {} when it has none."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _snippet(response: requests.Response, limit: int = 200) -> str:
    text = " ".join(response.text.split())
    return text[:limit] + ("..." if len(text) > limit else "")


def error_for(response: requests.Response, *, method: str = "GET", attempts: int = 1) -> ZGWError:
    """The typed error of a non-2xx answer, with the problem-details code, detail and invalid parameters."""
    status, url = response.status_code, response.url
    problem = _problem(response)
    code = problem.get("code") if isinstance(problem.get("code"), str) else None
    detail = problem.get("detail") or problem.get("title") or ("" if problem else _snippet(response))
    message = f"{method} {url}: HTTP {status}" + (f" {code}" if code else "") + (f": {detail}" if detail else "")
    kwargs: dict[str, Any] = {"url": url, "status": status, "code": code}
    if status in (401, 403):
        return ZGWAuthError(message, **kwargs)
    if status in (404, 410):
        return ZGWNotFound(message, **kwargs)
    if status == 400:
        raw_params = problem.get("invalidParams")
        invalid_params = tuple(p for p in raw_params if isinstance(p, dict)) if isinstance(raw_params, list) else ()
        if invalid_params:
            message += " [" + "; ".join(
                f"{p.get('name')}: {p.get('reason')} ({p.get('code')})" for p in invalid_params
            ) + "]"
        return ZGWValidationError(message, invalid_params=invalid_params, **kwargs)
    if status >= 500 or status in RETRY_STATUSES:
        suffix = f" (na {attempts} pogingen)" if attempts > 1 else ""
        return ZGWServerError(message + suffix, **kwargs)
    if 300 <= status < 400:
        return ZGWResponseError(f"{method} {url}: onverwachte status HTTP {status}", **kwargs)
    return ZGWError(message, **kwargs)
