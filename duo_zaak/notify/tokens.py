"""Unsubscribe links: a token signed with the app's SECRET_KEY (itsdangerous) naming a user and a kind of
message. It needs no login and expires after AFMELDLINK_DAGEN days; every message carries a fresh one."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..rules.signalering import KINDS

SALT = "duo-zaak-signalering-afmelden"


class TokenError(ValueError):
    """A token that cannot be used; `verlopen` tells an expired one from a forged or damaged one."""

    def __init__(self, message: str, *, verlopen: bool = False) -> None:
        super().__init__(message)
        self.verlopen = verlopen


@dataclass(frozen=True)
class Afmelding:
    gebruiker_id: int
    soort: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(gebruiker_id: int, soort: str) -> str:
    if soort not in KINDS:
        raise ValueError(f"onbekende soort bericht {soort!r}")
    return _serializer().dumps({"u": gebruiker_id, "s": soort})


def read_token(token: str, max_age_days: int | None = None) -> Afmelding:
    """The user and kind a token names; TokenError when it is expired, forged or damaged."""
    days = int(current_app.config["AFMELDLINK_DAGEN"]) if max_age_days is None else max_age_days
    if len(token) > 500:
        raise TokenError("Ongeldige afmeldlink: de link is beschadigd.")
    try:
        data = _serializer().loads(token, max_age=days * 86400)
    except SignatureExpired as exc:
        raise TokenError("Deze afmeldlink is verlopen.", verlopen=True) from exc
    except BadSignature as exc:
        raise TokenError("Ongeldige afmeldlink: de link is beschadigd of niet van deze toepassing.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or data.get("s") not in KINDS:
        raise TokenError("Ongeldige afmeldlink: de link is beschadigd of niet van deze toepassing.")
    return Afmelding(data["u"], data["s"])
