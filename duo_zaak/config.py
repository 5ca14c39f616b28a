"""Configuration defaults for the embedded run, and the checks done at start-up."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# The demo's four organisations; RSINs are made up (they pass the 11-proef). Production sets
# DUO_ZAAK_ORGANISATIES (a JSON list in the same shape) or ORGANISATIES in instance/config.py.
DEMO_ORGANISATIES: list[dict[str, str]] = [
    {"rsin": "002564440", "code": "duoplus", "naam": "Duo+"},
    {"rsin": "001234560", "code": "diemen", "naam": "Gemeente Diemen"},
    {"rsin": "007654327", "code": "ouder-amstel", "naam": "Gemeente Ouder-Amstel"},
    {"rsin": "009876546", "code": "uithoorn", "naam": "Gemeente Uithoorn"},
]

DEV_MODES = {"development", "demo", "test"}


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says what to set."""


def defaults(instance_path: str) -> dict[str, Any]:
    """Defaults for the embedded run: SQLite in the instance folder, the mock InProces locally."""
    return {
        "MODE": "production",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "duo_zaak.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "ORGANISATIES": DEMO_ORGANISATIES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": None,  # None: on outside development/demo/test (and with it HSTS)
        "IDLE_TIMEOUT_MINUTES": 30,
        "ABSOLUTE_SESSION_HOURS": 10,
        "LOGIN_FREE_FAILURES": 5,
        "LOGIN_FREE_FAILURES_PER_ADDRESS": 30,
        "LOGIN_MAX_DELAY_SECONDS": 900,
        "LOGIN_FORGET_MINUTES": 60,
        "AUDIT_UNKNOWN_LOGIN_SECONDS": 60,
        "BASE_URL": None,
        # Single sign-on (accounts/oidc.py, README "Inloggen met het organisatieaccount"): no discovery URL = off.
        "OIDC_DISCOVERY_URL": None,
        "OIDC_CLIENT_ID": None,
        "OIDC_CLIENT_SECRET": None,
        "OIDC_SCOPES": "openid profile email",
        "OIDC_ROLE_CLAIM": "groups",
        "OIDC_ROLE_MAP": {},
        "OIDC_LEEWAY_SECONDS": 60,
        "LOCAL_LOGIN": True,  # false: only break-glass accounts (gebruiker.noodaccount) log in with a password
        "PROXY_FIX_X_FOR": 0,
        "WTF_CSRF_TIME_LIMIT": None,
        "POLL_INTERVAL_SECONDS": 300,
        "FULL_SYNC_DAYS": 7,
        "SYNC_BATCH_SIZE": 500,
        "INPROCES_ZAKEN_URL": "http://127.0.0.1:8001/zaken/api/v1",
        "INPROCES_CATALOGI_URL": "http://127.0.0.1:8001/catalogi/api/v1",
        "INPROCES_CLIENT_ID": "duo-zaak",
        "INPROCES_SECRET": None,
        "INPROCES_PAGE_SIZE": 500,
        "INPROCES_ZAAK_URL": None,  # link to the zaak in InProces: a template with {identificatie} / {uuid}
        # Push (README "Push (Notificaties API)"): the Notificaties API to subscribe at, the Authorization
        # header value it must send to /api/v1/notificaties (no value: every notification is refused), and the
        # JWT credentials for it (none: those of InProces).
        "NOTIFICATIES_URL": None,
        "NOTIFICATIES_AUTH": None,
        "NOTIFICATIES_CLIENT_ID": None,
        "NOTIFICATIES_SECRET": None,
        "NOTIFICATIES_CHECK_SECONDS": 1,
        "NOTIFICATIES_BATCH": 1000,
        "BINNENKORT_DAGEN": 7,
        "AANVULLEN_DAGEN": 10,
        "ARCHIVEREN_DAGEN": 30,
        "OVERBRENGEN_JAREN": 20,
        "BEVESTIG_DAGEN": 14,
        "GEREED_MAANDEN": 3,
        "PLANNING_MAX_FTE": 25,
        "TIMEZONE": "Europe/Amsterdam",
        # E-mail signalering (notify/): no MAIL_SERVER = no mail is decided or sent.
        "MAIL_SERVER": None,
        "MAIL_PORT": None,  # default by MAIL_USE_TLS: 587 (starttls), 465 (ssl), 25 (geen)
        "MAIL_USE_TLS": "starttls",
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_SENDER": "duo-zaak <noreply@localhost>",
        "MAIL_TIMEOUT_SECONDS": 10,
        "SIGNALERING_UUR": 7,
        "AFMELDLINK_DAGEN": 90,
    }


def parse_organisaties(value: Any) -> list[dict[str, str | None]]:
    """Validate the RSIN -> organisation mapping (JSON text or a list of dicts)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"ORGANISATIES is geen geldige JSON: {exc}") from exc
    if not isinstance(value, list):
        raise ConfigError("ORGANISATIES moet een lijst van {rsin, code, naam} zijn")
    result = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("rsin", "code", "naam")):
            raise ConfigError(f"ORGANISATIES: ongeldig element {item!r}; verwacht {{rsin, code, naam}}")
        rsin = item["rsin"].strip()
        if not (len(rsin) == 9 and rsin.isdigit()):
            raise ConfigError(f"ORGANISATIES: RSIN {rsin!r} is geen 9-cijferig nummer")
        if rsin in seen:
            raise ConfigError(f"ORGANISATIES: RSIN {rsin} komt dubbel voor")
        seen.add(rsin)
        result.append({"rsin": rsin, "code": item["code"].strip(), "naam": item["naam"].strip()})
    return result


def database_url(url: str) -> str:
    """Normalise `postgres://` / `postgresql://` to the psycopg 3 driver SQLAlchemy needs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


MIN_SECRET_KEY_LENGTH = 32


def ensure_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Require a SECRET_KEY of 32+ characters outside dev/demo; in dev/demo keep a generated one in the instance
    folder."""
    production = config.get("MODE") not in DEV_MODES
    key = config.get("SECRET_KEY")
    if key and production and len(str(key)) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            f"SECRET_KEY is te kort ({len(str(key))} tekens): gebruik minstens {MIN_SECRET_KEY_LENGTH} willekeurige "
            "tekens, bijvoorbeeld de uitvoer van `python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    if key:
        return
    if production:
        raise ConfigError(
            "SECRET_KEY ontbreekt: zet DUO_ZAAK_SECRET_KEY (of draai met DUO_ZAAK_MODE=development)."
        )
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        os.chmod(path, 0o600)
    config["SECRET_KEY"] = path.read_text().strip()


MAIL_TLS_MODES = ("starttls", "ssl", "geen")


def check_mail(config: dict[str, Any]) -> None:
    """MAIL_USE_TLS is one of MAIL_TLS_MODES and MAIL_PORT a port number (or unset)."""
    mode = str(config.get("MAIL_USE_TLS") or "").strip().lower()
    if mode not in MAIL_TLS_MODES:
        raise ConfigError(f"MAIL_USE_TLS {config.get('MAIL_USE_TLS')!r}: kies starttls, ssl of geen")
    config["MAIL_USE_TLS"] = mode
    port = config.get("MAIL_PORT")
    if port not in (None, ""):
        try:
            port = int(port)
        except (TypeError, ValueError):
            port = 0
        if not 1 <= port <= 65535:
            raise ConfigError(f"MAIL_PORT {config.get('MAIL_PORT')!r} is geen poortnummer (1-65535)")
        config["MAIL_PORT"] = port


def apply_mode_defaults(config: dict[str, Any]) -> None:
    """Secure cookies (and HSTS) by default outside development/demo/test; the signed cookie itself is not accepted
    after the absolute session lifetime."""
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = config.get("MODE") not in DEV_MODES
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(config["ABSOLUTE_SESSION_HOURS"]))
    base = config.get("BASE_URL")
    if base:
        parts = urlsplit(str(base))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"BASE_URL {base!r} is geen adres als https://zaak.example.nl")
        config["BASE_URL"] = f"{parts.scheme}://{parts.netloc}"
