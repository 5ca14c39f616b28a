"""The real OpenID provider for the suite: `oidc-provider-mock` (PyPI) as a separate process that signs real
ID tokens, and a helper that runs the authorization-code round trip for Flask's test client."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from flask.testing import FlaskClient

CLIENT_ID = "duo-zaak-test"
CLIENT_SECRET = "test-client-secret"
# The groups the tests' provider hands out, one per role; "OE-A" is the hand-built dataset's team.
ROLE_MAP = {
    "duo-zaak-teamleiders-oe-a": {"rol": "teamleider", "teams": ["OE-A"]},
    "duo-zaak-programmateam": {"rol": "programmateam"},
    "duo-zaak-pia": {"rol": "pia"},
    "duo-zaak-beheer": {"rol": "beheerder"},
}
GROUP_FOR_ROLE = {entry["rol"]: group for group, entry in ROLE_MAP.items()}


@dataclass(frozen=True)
class Provider:
    url: str

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def app_config(self, **extra: object) -> dict[str, object]:
        return {"OIDC_DISCOVERY_URL": self.discovery_url, "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_ROLE_CLAIM": "groups", "OIDC_ROLE_MAP": ROLE_MAP,
                **extra}

    def set_user(self, sub: str, **claims: object) -> None:
        """The claims the provider puts in the ID token (and userinfo) for this subject."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        assert response.status_code == 204, response.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_provider() -> Iterator[Provider]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port",
                                str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    provider = Provider(f"http://127.0.0.1:{port}")
    try:
        for _ in range(200):
            try:
                if requests.get(provider.discovery_url, timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        else:
            raise RuntimeError("oidc-provider-mock did not start")
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


def sso_login(client: FlaskClient, provider: Provider, sub: str) -> object:
    """/login/sso -> the provider's authorize form, signed in as `sub` -> our callback; returns its response."""
    start = client.get("/login/sso")
    assert start.status_code == 302, start.get_data(as_text=True)
    authorize = start.headers["Location"]
    assert authorize.startswith(provider.url)
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text
    callback = urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")
