"""Configuration defaults for the embedded run, and the checks done at start-up."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

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
        "SESSION_COOKIE_SECURE": False,
        "IDLE_TIMEOUT_MINUTES": 30,
        "LOCKOUT_ATTEMPTS": 5,
        "LOCKOUT_MINUTES": 15,
        "WTF_CSRF_TIME_LIMIT": None,
        "POLL_INTERVAL_SECONDS": 300,
        "FULL_SYNC_DAYS": 7,
        "SYNC_BATCH_SIZE": 500,
        "INPROCES_ZAKEN_URL": "http://127.0.0.1:8001/zaken/api/v1",
        "INPROCES_CATALOGI_URL": "http://127.0.0.1:8001/catalogi/api/v1",
        "INPROCES_CLIENT_ID": "duo-zaak",
        "INPROCES_SECRET": None,
        "INPROCES_PAGE_SIZE": 500,
        "INPROCES_ZAAK_URL_TEMPLATE": "https://inproces.example/zaak/{identificatie}",
        "BINNENKORT_DAGEN": 7,
        "FIGURES_CACHE_SECONDS": 60,
        "FIGURES_STALE_SECONDS": 60,
        "AANVULLEN_DAGEN": 10,
        "ARCHIVEREN_DAGEN": 30,
        "OVERBRENGEN_JAREN": 20,
        "BEVESTIG_DAGEN": 14,
        "GEREED_MAANDEN": 3,
        "PLANNING_MAX_FTE": 25,
        "TIMEZONE": "Europe/Amsterdam",
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


def ensure_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Require SECRET_KEY outside dev/demo; in dev/demo keep a generated one in the instance folder."""
    if config.get("SECRET_KEY"):
        return
    if config.get("MODE") not in DEV_MODES:
        raise ConfigError(
            "SECRET_KEY ontbreekt: zet DUO_ZAAK_SECRET_KEY (of draai met DUO_ZAAK_MODE=development)."
        )
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        os.chmod(path, 0o600)
    config["SECRET_KEY"] = path.read_text().strip()
