from __future__ import annotations

import pytest

from .conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_login_without_csrf_token_is_400(client, users):
    response = client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/overzicht").status_code == 302  # nobody logged in


def test_state_changing_post_without_csrf_token_is_400(client, users):
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"gebruikersnaam": "admin", "wachtwoord": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.post("/beheer/gebruikers/1/uitschakelen").status_code == 400
