"""One log line per request (method, path, status, duration, user); never query strings or bodies."""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request


def register(app: Flask) -> None:
    if not app.logger.handlers or app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)
    log = logging.getLogger("duo_zaak.request")

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):  # type: ignore[no-untyped-def]
        started = g.get("request_started")
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        user = g.get("user")
        log.info(
            "%s %s %s %.0fms user=%s",
            request.method,
            request.path,
            response.status_code,
            elapsed_ms,
            user.gebruikersnaam if user else "-",
        )
        return response
