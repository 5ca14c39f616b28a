"""The ZGW JWT ("ZGW-token") that Open Zaak, InProces and other ZGW servers accept.

HS256, signed with the secret the server registered for `client_id`, claims `iss`, `iat`, `client_id`,
`user_id`, `user_representation`. Open Zaak refuses tokens older than 3600 s without any clock leeway,
so callers make a fresh token per request and date `iat` a few seconds back against clock skew.
"""

from __future__ import annotations

import time

import jwt

CLOCK_SKEW_SECONDS = 5


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
    end up in the server's audit trail.
    """
    issued_at = int(time.time() if now is None else now) - skew_seconds
    payload = {
        "iss": client_id,
        "iat": issued_at,
        "client_id": client_id,
        "user_id": user_id,
        "user_representation": user_representation or user_id,
    }
    return jwt.encode(payload, secret, algorithm="HS256")
