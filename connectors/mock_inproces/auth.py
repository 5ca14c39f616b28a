"""The JWT check of Open Zaak (vng-api-common): HS256 with the secret of a registered client_id.

Every failure is a 403 with its own code (never 401); `iat` is required and may be at most 3600 s old,
without leeway, and up to 60 s in the future (as the recorded Open Zaak 1.21 accepts; further ahead is
refused as PyJWT does). Other claims (`exp`, `nbf`) are validated by PyJWT like on the server.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import jwt

from .problems import PERMISSION_DENIED

JWT_EXPIRY = 3600
IAT_AHEAD = 60  # seconds an `iat` may lie in the future (clock skew of the client)


class AuthError(Exception):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def check_authorization(header: str | None, clients: Mapping[str, str], now: float | None = None) -> str:
    """The client_id of a valid `Authorization: Bearer <JWT>` header; AuthError otherwise."""
    scheme, _, token = (header or "").partition(" ")
    if scheme != "Bearer" or not token.strip():
        raise AuthError("permission_denied", PERMISSION_DENIED)
    token = token.strip()
    try:
        unverified = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"])
    except jwt.DecodeError:
        raise AuthError("jwt-decode-error", "JWT kon niet worden gedecodeerd. Mogelijk is het token verkeerd "
                                            "gekopieerd.") from None
    if "client_id" not in unverified:
        raise AuthError("missing-client-identifier", "De 'client_id' claim ontbreekt in het JWT.")
    client_id = unverified["client_id"]
    secret = clients.get(client_id) if isinstance(client_id, str) else None
    if not secret:
        raise AuthError("invalid-client-identifier", "Client identifier bestaat niet")
    try:
        payload = jwt.decode(token, secret, algorithms=["HS256"], leeway=0, options={"verify_iat": False})
    except jwt.InvalidSignatureError:
        raise AuthError("invalid-jwt-signature", "Client credentials zijn niet geldig") from None
    except jwt.InvalidTokenError as exc:
        raise AuthError(f"jwt-{type(exc).__name__.lower()}", str(exc)) from None
    if "iat" not in payload:
        raise AuthError("jwt-missing-iat-claim", "De 'iat' claim is niet gevonden in het JWT.")
    iat = payload["iat"]
    if isinstance(iat, bool) or not isinstance(iat, int | float):
        raise AuthError("jwt-invalidissuedaterror", "Issued At claim (iat) must be an integer.")
    moment = time.time() if now is None else now
    if iat > moment + IAT_AHEAD:
        raise AuthError("jwt-immaturesignatureerror", "The token is not yet valid (iat)")
    if moment - iat > JWT_EXPIRY:
        raise AuthError("jwt-expired", "Het JWT voor deze request is vervallen")
    return client_id
