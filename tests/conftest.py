"""Shared fixtures: the app on SQLite (default) or PostgreSQL, client, runner, logged-in users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from duo_zaak import create_app
from duo_zaak.accounts.auth import create_user
from duo_zaak.db import db

from . import postgres

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[postgres.PostgresServer]:
    server = postgres.start()
    yield server
    server.stop()


def make_app(database_url: str, **extra: object) -> Flask:
    config = {
        "MODE": "test",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "INPROCES_SECRET": "test-secret-for-the-inproces-client-0123456789",
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("pg_server").create_database()
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app_config() -> dict[str, object]:
    """Override in a module to change configuration for its tests."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, object]) -> Iterator[Flask]:
    app = make_app(database_url, **app_config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def users(app: Flask) -> dict[str, int]:
    """One user per role; the teamleider leads team OE-A."""
    with app.app_context():
        created = {
            "teamleider": create_user("tl", PASSWORD, "teamleider", "Tessa", ["OE-A"]),
            "programmateam": create_user("prog", PASSWORD, "programmateam", "Paul"),
            "pia": create_user("pia", PASSWORD, "pia", "Petra"),
            "beheerder": create_user("admin", PASSWORD, "beheerder", "Bert"),
        }
        db.session.commit()
        return {role: user.id for role, user in created.items()}


USERNAMES = {"teamleider": "tl", "programmateam": "prog", "pia": "pia", "beheerder": "admin"}


def login(client: FlaskClient, role: str) -> None:
    response = client.post("/login", data={"gebruikersnaam": USERNAMES[role], "wachtwoord": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def handbuilt(app, users):  # type: ignore[no-untyped-def]
    """The hand-built dataset (tests/handbuilt.py) served by the mock InProces and synced once (full run)
    with peildatum 15-05-2026. Yields the running mock; the teamleider `tl` leads team OE-A."""
    from connectors.inproces import InProcesSettings, connect
    from connectors.mock_inproces.testing import running_mock
    from duo_zaak.settings import archive_settings
    from duo_zaak.sync.run import run_sync

    from .handbuilt import PEILDATUM, build_dataset

    with running_mock(data=build_dataset()) as mock:
        client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                          client_id=mock.client_id, secret=mock.secret, backoff_factor=0))
        with app.app_context():
            run = run_sync(client, full=True, today=PEILDATUM, settings=archive_settings(),
                           organisaties=app.config["ORGANISATIES"])
            assert run.uitkomst == "geslaagd", run.melding
            db.session.remove()
        yield mock
