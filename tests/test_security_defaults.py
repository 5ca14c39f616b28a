"""Safe defaults (issue #15, finding 4): secure cookies and HSTS outside development/demo, a SECRET_KEY of 32+
characters in production, `Cache-Control: no-store` on what a logged-in user gets, API links that do not follow the
Host header, and a SQLite file only its owner can read."""

from __future__ import annotations

import os
import stat

import pytest

from duo_zaak import ConfigError, create_app
from duo_zaak.db import db

from .conftest import PASSWORD, login, make_app

KEY = "k" * 32


def _production(tmp_path, **extra):
    return create_app({"MODE": "production", "SECRET_KEY": KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db",
                       **extra})


def test_production_has_secure_cookies_and_hsts(tmp_path, monkeypatch):
    monkeypatch.delenv("DUO_ZAAK_SESSION_COOKIE_SECURE", raising=False)
    app = _production(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # an explicit setting wins (plain HTTP on an internal network, knowingly)
    assert _production(tmp_path, SESSION_COOKIE_SECURE=False).config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("mode", ["development", "demo", "test"])
def test_development_and_demo_keep_plain_http(tmp_path, mode):
    app = create_app({"MODE": mode, "SECRET_KEY": "kort", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/d.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers


@pytest.mark.parametrize("key", ["x", "k" * 31])
def test_a_short_secret_key_is_refused_in_production(tmp_path, key):
    with pytest.raises(ConfigError, match=rf"SECRET_KEY is te kort \({len(key)} tekens\): gebruik minstens 32"):
        _production(tmp_path, SECRET_KEY=key)
    assert _production(tmp_path, SECRET_KEY="k" * 32).config["SECRET_KEY"] == "k" * 32


def test_no_store_on_authenticated_pages_api_and_downloads(client, users):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    assert client.get("/api/v1/backlog").headers["Cache-Control"] == "no-store"  # even the 401
    login(client, "beheerder")
    for path in ("/overzicht", "/beheer/", "/api/v1/backlog", "/api/v1/archief/taken", "/archief/export?formaat=csv",
                 "/achterstand/export/zaken.xlsx", "/ibt/rapport.xlsx"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


@pytest.fixture
def many_tasks(app):
    from .figures.builders import World

    with app.app_context():
        world = World(app.config["ORGANISATIES"])
        for _ in range(101):
            world.zaak(team="OE-A", einddatum="2026-01-01", archiveren_vervalt="2026-01-01")
        db.session.commit()


def _next(client, host=None):
    """The `next` link, asked with this Host header (the session cookie goes along, as a proxy would pass it)."""
    if host and client.get_cookie("session", domain=host) is None:
        client.set_cookie("session", client.get_cookie("session").value, domain=host)
    response = client.get("/api/v1/archief/taken?peildatum=2026-05-15", headers={"Host": host} if host else {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["next"]


def test_api_links_do_not_follow_the_host_header(client, users, many_tasks):
    login(client, "pia")
    assert _next(client, "evil.example") == "/api/v1/archief/taken?peildatum=2026-05-15&page=2"


@pytest.mark.parametrize("app_config", [{"BASE_URL": "https://zaak.example.nl/"}])
def test_api_links_from_the_configured_base_url(app, client, users, many_tasks):
    login(client, "pia")
    expected = "https://zaak.example.nl/api/v1/archief/taken?peildatum=2026-05-15&page=2"
    assert _next(client) == expected
    assert _next(client, "evil.example") == expected


@pytest.mark.parametrize("app_config", [{"TRUSTED_HOSTS": ["zaak.example.nl"]}])
def test_api_links_from_a_trusted_host_only(app, client, users, many_tasks):
    client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}, headers={"Host": "zaak.example.nl"})
    assert _next(client, "zaak.example.nl").startswith("http://zaak.example.nl/api/v1/archief/taken?")
    assert client.get("/api/v1/archief/taken", headers={"Host": "evil.example"}).status_code == 400


def test_a_bad_base_url_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="BASE_URL"):
        _production(tmp_path, BASE_URL="zaak.example.nl")


def test_the_sqlite_file_is_created_for_its_owner_only(tmp_path):
    path = tmp_path / "nieuw.db"
    old = os.umask(0o022)  # the usual umask: a file SQLite creates would be 0644
    try:
        app = make_app(f"sqlite:///{path}")
        with app.app_context():
            db.create_all()
            db.engine.dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for extra in ("-wal", "-shm"):
        other = path.with_name(path.name + extra)
        assert not other.exists() or stat.S_IMODE(other.stat().st_mode) == 0o600


def test_an_existing_world_readable_sqlite_file_is_made_private(tmp_path):
    path = tmp_path / "oud.db"
    path.touch()
    path.chmod(0o644)
    make_app(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
