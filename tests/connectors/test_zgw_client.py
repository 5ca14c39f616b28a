"""The ZGW client against a real local HTTP server serving scripted and recorded (Open Zaak) responses."""

from __future__ import annotations

import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import jwt
import pytest

from connectors.zgw import (
    Page,
    Resultaat,
    ResultaatType,
    Rol,
    Zaak,
    ZaakType,
    ZGWAuthError,
    ZGWClient,
    ZGWConnectionError,
    ZGWError,
    ZGWNotFound,
    ZGWRecordError,
    ZGWResponseError,
    ZGWServerError,
    ZGWValidationError,
)

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "openzaak"
RECORDED_SERVER = "http://127.0.0.1:8800"
SECRET = "test-secret-of-at-least-32-bytes-long"
CLIENT_ID = "duo-zaak-test"


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    target: str  # path + query as sent
    headers: dict[str, str]
    client_port: int

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)


class FakeZGW:
    """A ZGW server that answers every GET with the next scripted Reply and records what it received."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.received: list[Received] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is observable

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with fake._lock:
                    fake.received.append(Received(self.path, dict(self.headers), self.client_address[1]))
                    reply = fake.replies.pop(0) if fake.replies else Reply(599, {"detail": "no scripted reply"})
                time.sleep(reply.delay)
                body = reply.body
                if isinstance(body, dict | list):
                    body = json.dumps(body)
                if isinstance(body, str):
                    body = body.encode()
                headers = {"Content-Type": "application/json", **reply.headers}
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if reply.status != 304:
                    self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                if body and reply.status != 304:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that timed out and hung up is part of the tests

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FakeZGW]:
    fake = FakeZGW()
    yield fake
    fake.close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_client(server: FakeZGW, sleeps: list[float], **options: Any) -> ZGWClient:
    options = {"retries": 3, "timeout": (2.0, 2.0), "sleep": sleeps.append, **options}
    return ZGWClient(f"{server.base_url}/zaken/api/v1", f"{server.base_url}/catalogi/api/v1", CLIENT_ID, SECRET,
                     **options)


@pytest.fixture
def client(server: FakeZGW, sleeps: list[float]) -> Iterator[ZGWClient]:
    with make_client(server, sleeps) as zgw:
        yield zgw


def zaak_json(base_url: str, n: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "url": f"{base_url}/zaken/api/v1/zaken/{n:08d}-0000-0000-0000-000000000000",
        "uuid": f"{n:08d}-0000-0000-0000-000000000000",
        "identificatie": f"ZAAK-2026-{n:010d}",
        "bronorganisatie": "002564440",
        "zaaktype": f"{base_url}/catalogi/api/v1/zaaktypen/1",
        "startdatum": "2026-11-01",
        "archiefstatus": "nog_te_archiveren",
    }
    data.update(overrides)
    return data


def page_json(results: list[Any], next_url: str | None = None, count: int | None = None) -> dict[str, Any]:
    return {"count": len(results) if count is None else count, "next": next_url, "previous": None, "results": results}


# Pagination


def test_follows_next_keeping_filters_and_never_uses_count(client: ZGWClient, server: FakeZGW) -> None:
    base = server.base_url
    next_url = (
        f"{base}/zaken/api/v1/zaken?archiefactiedatum__lt=2026-11-30"
        "&archiefstatus__in=nog_te_archiveren%2Cgearchiveerd&einddatum__isnull=true&page=2&pageSize=500"
    )
    # count says 1 and then 999: the client follows `next`, whatever count says
    server.replies = [
        Reply(body=page_json([zaak_json(base, 1), zaak_json(base, 2)], next_url, count=1)),
        Reply(body=page_json([zaak_json(base, 3)], None, count=999)),
    ]

    pages = list(client.zaken_pages(
        archiefstatus__in=["nog_te_archiveren", "gearchiveerd"],
        archiefactiedatum__lt=date(2026, 11, 30),
        einddatum__isnull=True,
    ))

    assert [len(p.results) for p in pages] == [2, 1]
    assert [p.count for p in pages] == [1, 999]
    assert pages[0].next == next_url and pages[1].next is None
    assert all(isinstance(z, Zaak) for p in pages for z in p.results)
    first, second = server.received
    assert first.path == "/zaken/api/v1/zaken"
    assert first.query == {
        "pageSize": ["500"],
        "archiefstatus__in": ["nog_te_archiveren,gearchiveerd"],
        "archiefactiedatum__lt": ["2026-11-30"],
        "einddatum__isnull": ["true"],
    }
    assert pages[0].url == f"{base}{first.target}"
    assert f"{base}{second.target}" == next_url  # `next` is followed verbatim, no parameters added
    assert (client.requests_made, client.pages_fetched) == (2, 2)


def test_iter_zaken_yields_records_page_by_page(client: ZGWClient, server: FakeZGW) -> None:
    base = server.base_url
    server.replies = [
        Reply(body=page_json([zaak_json(base, 1)], f"{base}/zaken/api/v1/zaken?page=2&pageSize=500")),
        Reply(body=page_json([zaak_json(base, 2)])),
    ]
    zaken = client.iter_zaken()

    assert next(zaken).identificatie == "ZAAK-2026-0000000001"
    assert len(server.received) == 1  # the second page is fetched only when needed
    assert [z.identificatie for z in zaken] == ["ZAAK-2026-0000000002"]
    assert client.pages_fetched == 2


def test_recorded_pages_follow_next_with_the_recorded_query(server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [recorded_reply("zaken_open_page1", server.base_url),
                      recorded_reply("zaken_open_page2", server.base_url)]
    with make_client(server, sleeps, page_size=10) as zgw:
        pages = list(itertools.islice(zgw.zaken_pages(einddatum__isnull=True), 2))

    assert [len(p.results) for p in pages] == [10, 10]
    assert {z.einddatum for p in pages for z in p.results} == {None}
    for received, name in zip(server.received, ["zaken_open_page1", "zaken_open_page2"], strict=True):
        assert sorted(parse_qsl(urlsplit(received.target).query)) == sorted(parse_qsl(recorded_query(name)))


def test_page_size_none_is_not_sent(server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [Reply(body=page_json([]))]
    with make_client(server, sleeps, page_size=None) as zgw:
        assert list(zgw.iter_zaken(archiefstatus="gearchiveerd", ordering=None)) == []
    assert server.received[0].query == {"archiefstatus": ["gearchiveerd"]}


def test_next_pointing_back_is_refused(client: ZGWClient, server: FakeZGW) -> None:
    loop = f"{server.base_url}/zaken/api/v1/zaken?page=1&pageSize=500"
    server.replies = [Reply(body=page_json([], loop)), Reply(body=page_json([], loop))]
    with pytest.raises(ZGWResponseError, match="verwijst terug"):
        list(client.zaken_pages(page=1))


def test_each_list_uses_its_endpoint(client: ZGWClient, server: FakeZGW) -> None:
    server.replies = [recorded_reply(name, server.base_url) for name in
                      ("zaaktypen_list", "resultaattypen_list", "rollen_list_zaak", "resultaten_list")]
    zaak = f"{server.base_url}/zaken/api/v1/zaken/d3578117-48f5-4e10-98fa-22e7af9a5d3e"

    assert {type(r) for r in client.iter_zaaktypen()} == {ZaakType}
    assert {type(r) for r in client.iter_resultaattypen()} == {ResultaatType}
    rollen = list(client.iter_rollen(zaak=zaak))
    assert {(r.betrokkene_type, r.identificatie) for r in rollen} == {
        ("natuurlijk_persoon", None), ("organisatorische_eenheid", "OE-VERG")}
    assert len(list(client.iter_resultaten())) == 15

    assert [r.path for r in server.received] == [
        "/catalogi/api/v1/zaaktypen", "/catalogi/api/v1/resultaattypen", "/zaken/api/v1/rollen",
        "/zaken/api/v1/resultaten"]
    assert server.received[2].query == {"zaak": [zaak], "pageSize": ["500"]}


# Retries


def test_retries_503_with_exponential_backoff(server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [Reply(503, "busy", {"Content-Type": "text/plain"}), Reply(503), Reply(body=page_json([]))]
    with make_client(server, sleeps, backoff_factor=0.5) as zgw:
        assert list(zgw.iter_zaken()) == []
    assert sleeps == [0.5, 1.0]
    assert (zgw.requests_made, zgw.pages_fetched) == (3, 1)


def test_retry_after_is_honoured_and_capped(server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [
        Reply(429, {"detail": "rustig aan"}, {"Retry-After": "7"}),
        Reply(503, None, {"Retry-After": "86400"}),
        Reply(502, None, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}),  # not seconds: backoff
        Reply(body=page_json([])),
    ]
    with make_client(server, sleeps, backoff_factor=0.25, retry_after_max=60) as zgw:
        list(zgw.iter_zaken())
    assert sleeps == [7.0, 60.0, 1.0]
    assert zgw.requests_made == 4


def test_server_error_after_retries_exhausted(client: ZGWClient, server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [Reply(504, {"code": "gateway", "detail": "upstream timeout"}) for _ in range(4)]
    with pytest.raises(ZGWServerError, match="na 4 pogingen") as caught:
        client.get_zaak(f"{server.base_url}/zaken/api/v1/zaken/x")
    assert caught.value.status == 504
    assert client.requests_made == 4 and len(sleeps) == 3


def test_no_retry_on_500(client: ZGWClient, server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [Reply(500, "<html>Internal Server Error</html>", {"Content-Type": "text/html"})]
    with pytest.raises(ZGWServerError, match="Internal Server Error"):
        list(client.iter_zaken())
    assert client.requests_made == 1 and sleeps == []


def test_no_retry_on_400(client: ZGWClient, server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [recorded_reply("error_400_invalid_filter_value", server.base_url)]
    with pytest.raises(ZGWValidationError) as caught:
        list(client.iter_zaken(archiefstatus="foo"))
    assert caught.value.invalid_params[0]["name"] == "archiefstatus"
    assert "invalid_choice" in str(caught.value)
    assert client.requests_made == 1 and sleeps == []


def test_read_timeout_is_retried(server: FakeZGW, sleeps: list[float]) -> None:
    server.replies = [Reply(body=page_json([]), delay=0.5), Reply(body=page_json([]))]
    with make_client(server, sleeps, timeout=(1.0, 0.1), backoff_factor=0) as zgw:
        assert list(zgw.zaken_pages())[0].results == []
    assert zgw.requests_made == 2 and sleeps == [0.0]


def test_connection_refused_is_retried_then_raised(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    zgw = ZGWClient(f"{base}/zaken/api/v1", f"{base}/catalogi/api/v1", CLIENT_ID, SECRET, retries=2,
                    backoff_factor=0, sleep=sleeps.append)
    with zgw, pytest.raises(ZGWConnectionError, match="geen antwoord na 3 pogingen"):
        list(zgw.iter_zaaktypen())
    assert zgw.requests_made == 3 and zgw.pages_fetched == 0


# Errors and malformed responses


def test_401_from_other_servers_is_an_auth_error(client: ZGWClient, server: FakeZGW) -> None:
    server.replies = [Reply(401, "Unauthorized", {"Content-Type": "text/plain", "WWW-Authenticate": "Bearer"})]
    with pytest.raises(ZGWAuthError, match="HTTP 401: Unauthorized") as caught:
        list(client.iter_zaken())
    assert caught.value.code is None


def test_get_zaak_404_is_not_found(client: ZGWClient, server: FakeZGW) -> None:
    server.replies = [recorded_reply("error_404_deleted_zaak", server.base_url)]
    url = f"{server.base_url}/zaken/api/v1/zaken/0b3f79eb-9788-44a6-8e66-ced47e8963dc"
    with pytest.raises(ZGWNotFound) as caught:
        client.get_zaak(url)
    assert caught.value.url == url and url in str(caught.value)
    assert caught.value.code == "not_found"


@pytest.mark.parametrize(
    ("body", "content_type", "match"),
    [
        ('{"count": 1, "next": null, "results": [{"url": "http://x/zaken/1", "identifi', "application/json",
         "afgebroken JSON"),
        ("<html>login</html>", "text/html; charset=utf-8", "geen JSON maar text/html"),
        ('[{"url": "http://x/zaken/1"}]', "application/json", "geen gepagineerde lijst"),
        ('{"next": null, "results": []}', "application/json", "'count' ontbreekt"),
        ('{"count": 0, "next": "?page=2", "results": []}', "application/json", "geen absolute URL"),
    ],
)
def test_malformed_response(client: ZGWClient, server: FakeZGW, body: str, content_type: str, match: str) -> None:
    server.replies = [Reply(body=body, headers={"Content-Type": content_type})]
    with pytest.raises(ZGWResponseError, match=match) as caught:
        list(client.iter_zaken())
    assert caught.value.url is not None and caught.value.url.startswith(server.base_url)


def test_record_missing_required_field(client: ZGWClient, server: FakeZGW) -> None:
    broken = zaak_json(server.base_url, 2)
    del broken["startdatum"]
    server.replies = [Reply(body=page_json([zaak_json(server.base_url, 1), broken]))]
    with pytest.raises(ZGWRecordError, match="startdatum") as caught:
        list(client.iter_zaken())
    assert caught.value.url == broken["url"] and caught.value.field == "startdatum"
    assert broken["url"] in str(caught.value)


def test_unreadable_records_are_skipped_when_asked(client: ZGWClient, server: FakeZGW) -> None:
    """With skip_unreadable the page keeps the readable zaken and lists the others (record url, field); the
    next page is read as usual. Without it the first unreadable record raises (above)."""
    base = server.base_url
    no_start = zaak_json(base, 2)
    del no_start["startdatum"]
    bad_date = zaak_json(base, 4, einddatum="29-11-2026")
    next_url = f"{base}/zaken/api/v1/zaken?page=2&pageSize=500"
    server.replies = [Reply(body=page_json([zaak_json(base, 1), no_start, "geen object"], next_url, count=5)),
                      Reply(body=page_json([zaak_json(base, 3), bad_date], count=5))]
    first, second = list(client.zaken_pages(skip_unreadable=True))
    assert [z.identificatie for z in first.results] == ["ZAAK-2026-0000000001"]
    assert [(e.url, e.field) for e in first.skipped] == [(no_start["url"], "startdatum"), (None, None)]
    assert [z.identificatie for z in second.results] == ["ZAAK-2026-0000000003"]
    assert [(e.url, e.field, e.reason) for e in second.skipped] == [
        (bad_date["url"], "einddatum", "veld 'einddatum' is geen datum (JJJJ-MM-DD): '29-11-2026'")]


def test_an_unreadable_page_still_raises_when_records_are_skipped(client: ZGWClient, server: FakeZGW) -> None:
    server.replies = [Reply(body='{"count": 2, "next": null, "results": [{"url": "x"', )]
    with pytest.raises(ZGWResponseError, match="onleesbare of afgebroken JSON"):
        list(client.zaken_pages(skip_unreadable=True))
    server.replies = [Reply(body={"count": 2, "next": None, "results": "geen lijst"})]
    with pytest.raises(ZGWResponseError, match="geen gepagineerde lijst"):
        list(client.zaken_pages(skip_unreadable=True))


def test_count_zaken_is_one_request_of_one_record_and_reads_no_record(client: ZGWClient, server: FakeZGW) -> None:
    """Completeness: the server's own `count`; the one record on the page is not read (it may be unreadable)."""
    server.replies = [Reply(body=page_json(["niet eens een object"], f"{server.base_url}/zaken?page=2", count=12345))]
    assert client.count_zaken(bronorganisatie="001234560", einddatum__isnull=True) == 12345
    assert client.requests_made == 1 and len(server.received) == 1
    assert server.received[0].path == "/zaken/api/v1/zaken"
    assert server.received[0].query == {"bronorganisatie": ["001234560"], "einddatum__isnull": ["true"],
                                        "pageSize": ["1"]}


def test_record_with_unparseable_date(client: ZGWClient, server: FakeZGW) -> None:
    url = f"{server.base_url}/zaken/api/v1/zaken/1"
    server.replies = [Reply(body=zaak_json(server.base_url, 1, url=url, einddatum="29-11-2026"))]
    with pytest.raises(ZGWRecordError, match="einddatum") as caught:
        client.get_zaak(url)
    assert (caught.value.url, caught.value.field) == (url, "einddatum")


# Authentication and headers


def test_fresh_token_per_request_with_iat_in_the_past(server: FakeZGW, sleeps: list[float]) -> None:
    ticks = iter([1_700_000_000.0, 1_700_000_030.0, 1_700_000_090.0])
    server.replies = [Reply(503), Reply(body=page_json([])), Reply(body=page_json([]))]
    with make_client(server, sleeps, clock=lambda: next(ticks), user_id="sync") as zgw:
        list(zgw.iter_zaken())
        list(zgw.iter_zaaktypen())

    tokens = [r.headers["Authorization"].removeprefix("Bearer ") for r in server.received]
    assert len(set(tokens)) == 3  # a retry gets a fresh token too
    claims = [jwt.decode(t, SECRET, algorithms=["HS256"]) for t in tokens]
    assert [c["iat"] for c in claims] == [1_699_999_995, 1_700_000_025, 1_700_000_085]
    assert claims[0] == {"iss": CLIENT_ID, "iat": 1_699_999_995, "client_id": CLIENT_ID, "user_id": "sync",
                         "user_representation": "sync"}
    assert jwt.get_unverified_header(tokens[0])["alg"] == "HS256"


def test_token_iat_is_a_few_seconds_ago(client: ZGWClient, server: FakeZGW) -> None:
    server.replies = [Reply(body=page_json([]))]
    list(client.iter_zaken())
    token = server.received[0].headers["Authorization"].removeprefix("Bearer ")
    iat = jwt.decode(token, SECRET, algorithms=["HS256"])["iat"]
    assert time.time() - 10 < iat < time.time() - 2


def test_accept_crs_sent_on_every_request_and_connection_reused(client: ZGWClient, server: FakeZGW) -> None:
    server.replies = [Reply(body=page_json([])), Reply(body=page_json([])),
                      Reply(body=zaak_json(server.base_url, 1))]
    list(client.iter_zaken())
    list(client.iter_zaaktypen())
    client.get_zaak(f"{server.base_url}/zaken/api/v1/zaken/1")

    assert [r.headers["Accept-Crs"] for r in server.received] == ["EPSG:4326"] * 3
    assert {r.headers["Accept"] for r in server.received} == {"application/json"}
    assert len({r.client_port for r in server.received}) == 1  # one pooled keep-alive connection


def test_secret_and_token_never_logged(server: FakeZGW, sleeps: list[float], caplog: pytest.LogCaptureFixture) -> None:
    server.replies = [Reply(503), Reply(403, {"code": "jwt-expired", "detail": "vervallen"})]
    caplog.set_level(logging.DEBUG)
    with make_client(server, sleeps) as zgw, pytest.raises(ZGWAuthError) as caught:
        list(zgw.iter_zaken())
    token = server.received[0].headers["Authorization"].removeprefix("Bearer ")
    logged = caplog.text + str(caught.value) + repr(zgw)
    assert "HTTP 503" in caplog.text
    assert SECRET not in logged and token not in logged


# Every recorded Open Zaak response, replayed over HTTP

INDEX = json.loads((FIXTURES / "index.json").read_text())
RECORDINGS = [entry["name"] for entry in INDEX["files"]]
PARSERS: dict[str, Any] = {
    "zaken": Zaak.from_api,
    "zaak": Zaak.from_api,
    "rollen": Rol.from_api,
    "resultaten": Resultaat.from_api,
    "resultaattypen": ResultaatType.from_api,
    "zaaktypen": ZaakType.from_api,
    "zaaktype": ZaakType.from_api,
}
ERRORS: dict[int, type[ZGWError]] = {
    400: ZGWValidationError, 403: ZGWAuthError, 404: ZGWNotFound, 304: ZGWResponseError, 412: ZGWError,
}


def recorded_meta(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.meta.json").read_text())


def recorded_query(name: str) -> str:
    return urlsplit(recorded_meta(name)["request"]["path"]).query


def recorded_body(name: str, base_url: str) -> Any:
    path = FIXTURES / f"{name}.json"
    return json.loads(path.read_text().replace(RECORDED_SERVER, base_url)) if path.exists() else None


def recorded_reply(name: str, base_url: str) -> Reply:
    response = recorded_meta(name)["response"]
    return Reply(response["status"], recorded_body(name, base_url), dict(response["headers"]))


def test_every_recording_is_listed() -> None:
    on_disk = {p.name.removesuffix(".meta.json") for p in FIXTURES.glob("*.meta.json")}
    assert on_disk == set(RECORDINGS)


@pytest.mark.parametrize("name", RECORDINGS)
def test_recorded_response(name: str, server: FakeZGW, sleeps: list[float]) -> None:
    meta = recorded_meta(name)
    status = meta["response"]["status"]
    body = recorded_body(name, server.base_url)
    url = server.base_url + meta["request"]["path"]
    parse = PARSERS.get(name.split("_")[0], dict)
    server.replies = [recorded_reply(name, server.base_url)]

    with make_client(server, sleeps, page_size=None) as zgw:
        if status == 200 and "results" in body:
            page = next(zgw.pages(url, parse))
            assert isinstance(page, Page)
            assert (page.count, page.next, len(page.results)) == (body["count"], body["next"], len(body["results"]))
            assert [getattr(r, "url", None) or r["url"] for r in page.results] == [r["url"] for r in body["results"]]
        elif status == 200:
            record = zgw.get(url, parse)
            assert record.url == body["url"]
        else:
            with pytest.raises(ERRORS[status]) as caught:
                zgw.get(url, parse)
            error = caught.value
            assert type(error) is ERRORS[status]
            assert error.url == url and url in str(error)
            if body is not None:
                assert error.status == status
                assert error.code == body["code"] and body["code"] in str(error)
            if status == 400:
                assert isinstance(error, ZGWValidationError)
                assert list(error.invalid_params) == body["invalidParams"]

    received = server.received[0]
    assert sorted(parse_qsl(urlsplit(received.target).query)) == sorted(parse_qsl(recorded_query(name)))
    assert received.headers["Accept-Crs"] == "EPSG:4326"
    assert zgw.requests_made == 1 and sleeps == []
