"""The mock InProces in a test: `with running_mock() as mock:` serves it on a free port in a thread.

    with running_mock(zaken=200, seed=42) as mock:          # generated data
        requests.get(mock.zaken_url + "/zaken", headers=mock.headers())
        mock.store.close_zaak(uuid, einddatum=date.today(), resultaattype_url=...)
    with running_mock(data=dataset, fail_next=2) as mock:   # a given dataset, faults as keywords
        ...
    mock.restart(down_seconds=0.5)                          # a restart: same port, same data, connections cut
"""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jwt
from werkzeug.serving import BaseWSGIServer

from .cli import today
from .resources import CATALOGI_PREFIX, ZAKEN_PREFIX
from .server import _QuietHandler, serve
from .store import MockStore


def make_token(client_id: str, secret: str, **claims: Any) -> str:
    """A JWT the mock accepts (`iat` a few seconds in the past); `claims` override or add claims."""
    payload = {"iss": client_id, "client_id": client_id, "iat": int(time.time()) - 5, "user_id": "test",
               "user_representation": "test", **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


class _Connections:
    """The open client connections of one mock, so a stop can cut them like a dying process does."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._open: set[socket.socket] = set()
        self._active = 0  # handler threads still running (a cut request may still be sleeping or writing)

    def handler(self) -> type[_QuietHandler]:
        connections = self

        class _TrackingHandler(_QuietHandler):
            def setup(self) -> None:
                super().setup()
                with connections._lock:
                    connections._open.add(self.connection)
                    connections._active += 1

            def finish(self) -> None:
                try:
                    super().finish()
                finally:
                    with connections._lock:
                        connections._open.discard(self.connection)
                        connections._active -= 1
                        connections._lock.notify_all()

        return _TrackingHandler

    def cut(self) -> int:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed by the other side
                sock.shutdown(socket.SHUT_RDWR)
        return len(sockets)

    def drain(self, timeout: float) -> bool:
        """Wait until no handler thread runs any more (before the store is closed under them)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._active == 0, timeout)


@dataclass
class RunningMock:
    base_url: str
    client_id: str
    secret: str
    store: MockStore
    _host: str = field(default="127.0.0.1", repr=False)
    _port: int = field(default=0, repr=False)
    _server: BaseWSGIServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _connections: _Connections = field(default_factory=_Connections, repr=False)

    @property
    def zaken_url(self) -> str:
        return f"{self.base_url}{ZAKEN_PREFIX}"

    @property
    def catalogi_url(self) -> str:
        return f"{self.base_url}{CATALOGI_PREFIX}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def headers(self, **claims: Any) -> dict[str, str]:
        """Request headers a ZGW client sends: a fresh JWT and `Accept-Crs`."""
        return {"Authorization": f"Bearer {make_token(self.client_id, self.secret, **claims)}",
                "Accept-Crs": "EPSG:4326"}

    def start(self) -> None:
        """Serve (again) on the same host and port, with the same store (and its faults)."""
        if self._server is not None:
            return
        server = serve(self.store, {self.client_id: self.secret}, self._host, self._port,
                       request_handler=self._connections.handler())
        self._port = server.port
        self.base_url = self.store.base_url or f"http://{self._host}:{server.port}"
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="mock-inproces", daemon=True)
        thread.start()
        self._server, self._thread = server, thread

    def stop(self) -> int:
        """Stop like a killed process: no new connections (refused), open ones cut mid-request.

        Returns the number of connections cut. Requests being answered at that moment may still finish
        writing into a cut socket; the client sees a reset or an incomplete answer."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return 0
        self._server = self._thread = None
        server.shutdown()
        server.server_close()
        thread.join()
        return self._connections.cut()

    def restart(self, down_seconds: float = 0.0) -> int:
        """stop(), wait `down_seconds` (connections are refused meanwhile), start(); returns connections cut."""
        cut = self.stop()
        if down_seconds:
            time.sleep(down_seconds)
        self.start()
        return cut


@contextmanager
def running_mock(
    data: dict[str, Any] | None = None, seed: int = 42, zaken: int = 200, peildatum: date | None = None,
    client_id: str = "duo-zaak-test", secret: str = "test-secret", **faults: Any,
) -> Iterator[RunningMock]:
    """Serve generated data (seed, zaken, peildatum) or `data` on 127.0.0.1 with a database in a temp dir;
    `faults` are `MockStore.set_faults` settings (fail_rate=0.1, slow_ms=50, fail_next=2, ...)."""
    with tempfile.TemporaryDirectory(prefix="mock-inproces-") as folder:
        path = Path(folder) / "inproces.sqlite3"
        if data is not None:
            store = MockStore.from_dataset(path, data)
        else:
            store = MockStore.generated(path, seed=seed, zaken=zaken, peildatum=peildatum or today())
        store.set_faults(**faults)
        mock = RunningMock("", client_id, secret, store)
        mock.start()
        try:
            yield mock
        finally:
            mock.stop()
            mock._connections.drain(timeout=30)
            store.close()
