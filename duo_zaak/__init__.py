"""duo-zaak: case-based working and archive backlog for Duo+, Diemen, Ouder-Amstel and Uithoorn."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from .config import (
    ConfigError,
    apply_mode_defaults,
    check_mail,
    database_url,
    defaults,
    ensure_secret_key,
    parse_organisaties,
)
from .db import private_sqlite_file


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: defaults, instance config, DUO_ZAAK_* env, DATABASE_URL, then test_config."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("DUO_ZAAK")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["ORGANISATIES"] = parse_organisaties(app.config["ORGANISATIES"])
    ensure_secret_key(app.config, app.instance_path)
    check_mail(app.config)
    apply_mode_defaults(app.config)
    private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])

    from . import commands, extensions, logging_setup, security
    from .accounts import oidc

    # The soorten of stored figures register themselves when their modules load; the writers reach them by install.
    from .figures import archive, backlog, indicators, leaderboard, planning, quality, stored  # noqa: F401
    from .notify import models as _notify_tables  # noqa: F401  (the signalering's tables on the metadata)
    from .web import register_blueprints, register_template_helpers

    logging_setup.register(app)
    extensions.register(app)
    oidc.init_app(app)
    stored.install(app)
    security.register(app)
    register_template_helpers(app)
    register_blueprints(app)
    commands.register(app)
    return app


__all__ = ["ConfigError", "create_app"]
