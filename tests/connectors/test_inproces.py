"""The InProces connector: settings to a configured ZGW client, credentials in the token, secret kept out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from connectors.inproces import InProcesSettings, connect

SECRET = "inproces-secret-of-at-least-32-bytes"


@pytest.fixture
def inproces() -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """A stand-in InProces that answers every GET with an empty page; yields (base url, requests seen)."""
    seen: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            seen.append((self.path, dict(self.headers)))
            body = b'{"count": 0, "next": null, "previous": null, "results": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def settings(base: str, **changes: object) -> InProcesSettings:
    values: dict[str, object] = {
        "zaken_url": f"{base}/inproces/zaken/api/v1/",
        "catalogi_url": f"{base}/inproces/catalogi/api/v1",
        "client_id": "duo-zaak",
        "secret": SECRET,
        **changes,
    }
    return InProcesSettings(**values)  # type: ignore[arg-type]


def test_connect_uses_the_settings(inproces: tuple[str, list[tuple[str, dict[str, str]]]]) -> None:
    base, seen = inproces
    with connect(settings(base, page_size=250, timeout_connect=3, timeout_read=30, retries=2)) as client:
        assert (client.timeout, client.retries, client.backoff_factor) == ((3, 30), 2, 0.5)
        assert list(client.iter_zaken(archiefstatus="nog_te_archiveren")) == []
        assert list(client.iter_zaaktypen()) == []

    assert [path for path, _ in seen] == [
        "/inproces/zaken/api/v1/zaken?archiefstatus=nog_te_archiveren&pageSize=250",
        "/inproces/catalogi/api/v1/zaaktypen?pageSize=250",
    ]
    token = seen[0][1]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert (claims["client_id"], claims["iss"], claims["user_id"]) == ("duo-zaak", "duo-zaak", "duo-zaak")


def test_defaults() -> None:
    defaults = settings("https://inproces.example")
    assert (defaults.user_id, defaults.page_size, defaults.timeout_connect, defaults.timeout_read) == (
        "duo-zaak", 500, 5, 60)
    assert (defaults.retries, defaults.backoff_factor) == (5, 0.5)


def test_secret_is_not_shown() -> None:
    configured = settings("https://inproces.example")
    client = connect(configured)
    assert SECRET not in repr(configured) and SECRET not in repr(client)
    assert SECRET not in repr(vars(client))
    client.close()


def test_missing_settings_name_the_config_keys() -> None:
    with pytest.raises(ValueError, match="INPROCES_ZAKEN_URL, INPROCES_SECRET ontbreekt"):
        settings("https://inproces.example", zaken_url="", secret="")
