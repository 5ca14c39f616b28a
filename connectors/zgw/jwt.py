"""The ZGW JWT ("ZGW-token") that Open Zaak, InProces and other ZGW servers accept.

HS256, signed with the secret the server registered for `client_id`, claims `iss`, `iat`, `client_id`,
`user_id`, `user_representation`. Open Zaak refuses tokens older than 3600 s without any clock leeway,
so callers make a fresh token per request and date `iat` a few seconds back against clock skew.

A secret shorter than 32 bytes (below RFC 7518's minimum for HS256) still works, since the server decides
what it accepts; instead of PyJWT's InsecureKeyLengthWarning on every token, one Dutch warning is logged
once per process.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from jwt import PyJWS
from jwt.algorithms import HMACAlgorithm

log = logging.getLogger(__name__)

CLOCK_SKEW_SECONDS = 5
MIN_SECRET_BYTES = 32
SHORT_SECRET_WARNING = "Het ZGW-clientgeheim is korter dan 32 tekens; gebruik 32 tekens of meer."


class _HS256(HMACAlgorithm):
    """HS256 without PyJWT's per-token key length warning: `make_token` logs its own, once."""

    def check_key_length(self, key: bytes) -> str | None:
        return None


_JWS = PyJWS(algorithms=[])
_JWS.register_algorithm("HS256", _HS256(HMACAlgorithm.SHA256))
_warned_lock = threading.Lock()
_warned = False


def _warn_short_secret_once(secret: str) -> None:
    global _warned
    if _warned or len(secret.encode()) >= MIN_SECRET_BYTES:
        return
    with _warned_lock:
        if _warned:
            return
        _warned = True
    log.warning(SHORT_SECRET_WARNING)


def make_token(
    client_id: str,
    secret: str,
    user_id: str = "",
    user_representation: str = "",
    *,
    now: float | None = None,
    skew_seconds: int = CLOCK_SKEW_SECONDS,
) -> str:
    """A signed token with `iat` = `now` (default: the current time) minus `skew_seconds`.

    `iss` is the client id (Open Zaak does not check it). `user_representation` defaults to `user_id`; both
    end up in the server's audit trail. The token is the one `jwt.encode(payload, secret, "HS256")` makes.
    """
    _warn_short_secret_once(secret)
    issued_at = int(time.time() if now is None else now) - skew_seconds
    payload = {
        "iss": client_id,
        "iat": issued_at,
        "client_id": client_id,
        "user_id": user_id,
        "user_representation": user_representation or user_id,
    }
    return _JWS.encode(json.dumps(payload, separators=(",", ":")).encode(), secret, algorithm="HS256")
