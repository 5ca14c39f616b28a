from __future__ import annotations

import pytest

from duo_zaak import ConfigError, create_app
from duo_zaak.config import database_url, parse_organisaties


def test_test_config_overrides_defaults(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret-key"
    assert [o["code"] for o in app.config["ORGANISATIES"]] == ["duoplus", "diemen", "ouder-amstel", "uithoorn"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_missing_secret_key_stops_start_up_outside_dev(monkeypatch, tmp_path):
    monkeypatch.delenv("DUO_ZAAK_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY ontbreekt"):
        create_app({"MODE": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_prefixed_env_and_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DUO_ZAAK_IDLE_TIMEOUT_MINUTES", "12")
    monkeypatch.setenv("DUO_ZAAK_ORGANISATIES", '[{"rsin": "123456782", "code": "x", "naam": "X"}]')
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    app = create_app({"MODE": "test", "SECRET_KEY": "k"})
    assert app.config["IDLE_TIMEOUT_MINUTES"] == 12
    assert app.config["ORGANISATIES"] == [{"rsin": "123456782", "code": "x", "naam": "X"}]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_database_url_normalisation():
    assert database_url("postgresql://a/b") == "postgresql+psycopg://a/b"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize(
    "value, message",
    [
        ("not json", "geen geldige JSON"),
        ('{"rsin": "1"}', "lijst"),
        ('[{"rsin": "12", "code": "a", "naam": "A"}]', "9-cijferig"),
        ('[{"rsin": "123456782", "code": "a"}]', "ongeldig element"),
        ('[{"rsin": "123456782", "code": "a", "naam": "A"}, {"rsin": "123456782", "code": "b", "naam": "B"}]',
         "dubbel"),
    ],
)
def test_invalid_organisaties_are_refused_with_a_clear_message(value, message):
    with pytest.raises(ConfigError, match=message):
        parse_organisaties(value)


def test_healthz_reports_database_and_sync_age(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": True, "laatste_sync_leeftijd_s": None,
                             "laatste_sync_uitkomst": None, "laatste_sync_overgeslagen": None,
                             "volledigheid_verschil": None,
                             "mail": {"geconfigureerd": False, "wachtend": 0, "mislukt": 0, "verzonden_24u": 0,
                                      "oudste_wachtend_sinds": None, "laatste_fout": None, "laatste_fout_op": None}}


def test_security_headers_on_every_response(client):
    for path in ("/login", "/healthz", "/bestaat-niet", "/beheer/"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_dutch_404_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Niet gevonden" in response.get_data(as_text=True)
