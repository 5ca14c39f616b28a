"""`world`: an app context with the configured organisations, two zaaktypen and builders for rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from duo_zaak.db import db

from .builders import World


@pytest.fixture
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        built = World(app.config["ORGANISATIES"])
        db.session.commit()
        yield built
        db.session.rollback()
