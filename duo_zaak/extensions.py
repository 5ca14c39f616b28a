"""Flask extensions: database, migrations, CSRF."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from .db import db

migrate = Migrate()
csrf = CSRFProtect()

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def register(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
