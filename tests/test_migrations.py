"""Migrations build the schema on fresh SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from duo_zaak.db import db

from .conftest import make_app


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_upgrade_builds_schema_matching_models(database_url):
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        tables = set(db.inspect(db.engine).get_table_names())
        assert {"zaak", "archief_taak", "taak_gebeurtenis", "snapshot", "gebruiker", "audit_log"} <= tables
        db.engine.dispose()
