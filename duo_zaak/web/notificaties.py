"""`POST /api/v1/notificaties`: the callback of our abonnement at the Notificaties API 1.0 (kanaal `zaken`).

Machine traffic: no login and no CSRF token (exempt for this route only). The `Authorization` header must equal
NOTIFICATIES_AUTH, compared in constant time; missing, wrong or not configured is a 403 — which is also what
Open Notificaties checks when it accepts an abonnement (a `test` notification without the header must be
refused, one with it accepted). The body is checked against the Notificaties 1.0 `Message` (400 with Dutch
`invalidParams`). A notification is a hint, never data: for a zaak, rol, status or resultaat on kanaal `zaken`
the zaak URL (`hoofdObject`) goes into the queue (one upsert) and the answer is 204 at once; the worker re-reads
the zaak (sync/queue.py). Other resources and kanalen are accepted and ignored. No audit row per notification:
counts go to the log once a minute per process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..extensions import csrf
from ..sync import queue

bp = Blueprint("notificaties", __name__, url_prefix="/api/v1")
log = logging.getLogger("duo_zaak.notificaties")

MAX_BODY = 64 * 1024
# Resources whose change can move a figure: the zaak itself, its team (rol), status and resultaat.
RESOURCES = frozenset({"zaak", "rol", "status", "resultaat"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"https?://[^\s/?#]+(/[^\s]*)?")
_ZAAK_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
TEXT_FIELDS = {"kanaal": 50, "resource": 100, "actie": 100}  # field -> max length (Message schema)
URL_FIELDS = ("hoofdObject", "resourceUrl")
REQUIRED = ("kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum")


class _Counts:
    """Notifications per outcome in this process, logged at most once a minute."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._since = time.monotonic()

    def add(self, outcome: str) -> None:
        with self._lock:
            self._counts[outcome] += 1
            if time.monotonic() - self._since < 60:
                return
            counts, self._counts, self._since = self._counts, Counter(), time.monotonic()
        log.info("notificaties ontvangen: %s", ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


_counts = _Counts()


def _problem(status: int, title: str, detail: str, invalid: list[dict[str, str]] | None = None) -> Response:
    """A problem-details answer as the ZGW APIs give them (Dutch texts, nothing of the input but field names)."""
    code = {400: "invalid", 403: "permission_denied", 413: "too_large"}.get(status, "error")
    body: dict[str, Any] = {"type": "about:blank", "code": code, "title": title, "status": status, "detail": detail,
                            "instance": f"urn:uuid:{uuid.uuid4()}"}
    if invalid is not None:
        body["invalidParams"] = invalid
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")


def _authorized() -> bool:
    expected = current_app.config.get("NOTIFICATIES_AUTH") or ""
    received = request.headers.get("Authorization") or ""
    if not expected or not received:
        return False
    # Digests first: equal lengths, so the comparison time says nothing about the configured value.
    return hmac.compare_digest(hashlib.sha256(received.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def _invalid(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


def check_message(data: Any) -> list[dict[str, str]]:
    """What is wrong with a Notificaties 1.0 `Message` (empty: nothing)."""
    if not isinstance(data, dict):
        return [_invalid("nonFieldErrors", "parse_error",
                         "De body is geen JSON-object (Content-Type application/json).")]
    errors = []
    for name in REQUIRED:
        value = data.get(name)
        if value is None or value == "":
            errors.append(_invalid(name, "required", "Dit veld is vereist."))
        elif not isinstance(value, str):
            errors.append(_invalid(name, "invalid", "Dit veld moet tekst zijn."))
        elif _CONTROL.search(value):
            errors.append(_invalid(name, "invalid", "Dit veld bevat besturingstekens."))
        elif name in TEXT_FIELDS and len(value) > TEXT_FIELDS[name]:
            errors.append(_invalid(name, "max_length", f"Dit veld mag hoogstens {TEXT_FIELDS[name]} tekens bevatten."))
        elif name in URL_FIELDS and (len(value) > 1000 or not _URL.fullmatch(value)):
            errors.append(_invalid(name, "invalid", "Voer een geldige URL in (http of https, hoogstens 1000 tekens)."))
        elif name == "aanmaakdatum" and not _datetime(value):
            errors.append(_invalid(name, "invalid", "Geen geldige datum-tijd (ISO 8601, zoals 2026-05-15T09:30:00Z)."))
    kenmerken = data.get("kenmerken")
    if kenmerken is not None and not _kenmerken_ok(kenmerken):
        errors.append(_invalid("kenmerken", "invalid",
                               "Verwacht een object van hoogstens 50 kenmerken met tekst (hoogstens 1000 tekens) "
                               "als waarde."))
    return errors


def _datetime(value: str) -> bool:
    if "T" not in value or len(value) > 40:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _kenmerken_ok(kenmerken: Any) -> bool:
    return isinstance(kenmerken, dict) and len(kenmerken) <= 50 and all(
        isinstance(key, str) and 0 < len(key) <= 100 and not _CONTROL.search(key)
        and isinstance(value, str) and len(value) <= 1000 and not _CONTROL.search(value)
        for key, value in kenmerken.items())


def _is_our_zaak(url: str) -> bool:
    """A zaak of the configured Zaken API: the worker sends its token there, so never to another host."""
    base = (current_app.config.get("INPROCES_ZAKEN_URL") or "").rstrip("/") + "/zaken/"
    return url.startswith(base) and bool(_ZAAK_ID.fullmatch(url[len(base):].rstrip("/")))


@bp.post("/notificaties")
@csrf.exempt
def ontvang() -> Response:
    if not _authorized():
        _counts.add("geweigerd")
        return _problem(403, "Geen toegang", "De Authorization-header ontbreekt of is onjuist.")
    if (request.content_length or 0) > MAX_BODY:
        return _problem(413, "Te groot", f"Een notificatie is hoogstens {MAX_BODY // 1024} kB.")
    request.max_content_length = MAX_BODY
    try:
        data = request.get_json(silent=True)
    except RequestEntityTooLarge:
        return _problem(413, "Te groot", f"Een notificatie is hoogstens {MAX_BODY // 1024} kB.")
    errors = check_message(data)
    if not errors and data["kanaal"] == "zaken" and data["resource"] in RESOURCES and not _is_our_zaak(
            data["hoofdObject"]):
        errors = [_invalid("hoofdObject", "invalid", "Geen zaak van de Zaken API waarop deze toepassing is "
                                                     "aangesloten (INPROCES_ZAKEN_URL).")]
    if errors:
        _counts.add("ongeldig")
        log.info("notificatie geweigerd (400): %s", ", ".join(e["name"] for e in errors))
        return _problem(400, "Ongeldige notificatie",
                        "De notificatie voldoet niet aan de Notificaties API 1.0: "
                        + "; ".join(f"{e['name']}: {e['reason']}" for e in errors), errors)
    if data["kanaal"] == "test":
        _counts.add("test")
    elif data["kanaal"] == "zaken" and data["resource"] in RESOURCES:
        queue.enqueue(data["hoofdObject"], f"{data['resource']} {data['actie']}")
        _counts.add("in wachtrij")
    else:
        _counts.add("genegeerd")
    return Response(status=204)
