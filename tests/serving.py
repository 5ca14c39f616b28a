"""Serve a WSGI app (the real app, or a small callback receiver) on a free port in a thread, for tests in which
another server must reach it over HTTP (the mock's Notificaties API posting to a callback)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`with serving(app) as base_url:` — a threaded werkzeug server on 127.0.0.1; stopped on exit."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Received:
    authorization: str | None
    body: Any


@dataclass
class Receiver:
    """A callback that records what it gets; `answer(received)` gives the status (default: 403 without the
    expected header, else 204 — what a correct receiver does)."""

    auth: str = "Token ontvanger-geheim"
    answer: Callable[[Received], int] | None = None
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        item = Received(request.headers.get("Authorization"), request.get_json(silent=True))
        with self.lock:
            self.received.append(item)
        answer = self.answer or (lambda got: 204 if got.authorization == self.auth else 403)
        return Response(status=answer(item))(environ, start_response)

    def messages(self, kanaal: str | None = None) -> list[Received]:
        with self.lock:
            return [r for r in self.received if kanaal is None or (r.body or {}).get("kanaal") == kanaal]
