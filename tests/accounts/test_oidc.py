"""Single sign-on: the claims mapping (pure), the refusals with ID tokens crafted here and signed by a key under
the test's control (served by a tiny provider in a thread: discovery, JWKS, token and userinfo endpoints), and
the real provider (oidc-provider-mock as a process) for a full round trip with the test client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from duo_zaak.accounts.auth import set_noodaccount, user_by_name
from duo_zaak.accounts.oidc import map_claims, parse_role_map
from duo_zaak.config import ConfigError
from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker

from ..conftest import PASSWORD
from ..sso import CLIENT_ID, ROLE_MAP, running_provider, sso_login

# -- the mapping, with plain dicts --------------------------------------------------------------------------------

MAP = {
    "tl-a": {"rol": "teamleider", "teams": ["OE-A"]},
    "tl-b": {"rol": "teamleider", "teams": ["OE-B", "OE-A"]},
    "pia": {"rol": "pia"},
    "prog": {"rol": "programmateam"},
    "admin": {"rol": "beheerder"},
}


def test_two_teamleider_groups_combine_their_teams():
    grant = map_claims({"groups": ["tl-a", "tl-b", "other"]}, "groups", MAP)
    # OE-A from both groups counts once: {OE-A} | {OE-B, OE-A} = [OE-A, OE-B]
    assert (grant.rol, grant.teams, grant.groups) == ("teamleider", ["OE-A", "OE-B"], ["tl-a", "tl-b"])


@pytest.mark.parametrize(("groups", "rol"), [
    (["tl-a", "pia"], "pia"),               # pia beats teamleider
    (["pia", "prog"], "programmateam"),     # programmateam beats pia
    (["prog", "admin", "tl-a"], "beheerder"),
])
def test_the_strongest_role_wins(groups, rol):
    assert map_claims({"roles": groups}, "roles", MAP).rol == rol


@pytest.mark.parametrize("claims", [{}, {"groups": []}, {"groups": ["other"]}, {"groups": 7}, {"groups": [1, None]}])
def test_no_mapped_group_gives_no_role(claims):
    assert map_claims(claims, "groups", MAP).rol is None


def test_one_string_counts_as_one_group():
    assert map_claims({"groups": "pia"}, "groups", MAP).rol == "pia"


@pytest.mark.parametrize("value", ["{not json", "[]", '{"g": {"rol": "baas"}}',
                                   '{"g": {"rol": "pia", "teams": "OE-A"}}'])
def test_a_wrong_role_map_is_refused_at_start(value):
    with pytest.raises(ConfigError):
        parse_role_map(value)


# -- a provider whose key the test holds ------------------------------------------------------------------------

def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class CraftingProvider:
    """Discovery, JWKS (one key, kid "k1"), a token endpoint answering with `self.id_token`, and userinfo."""

    def __init__(self) -> None:
        self.key = _key()
        self.id_token = ""
        self.userinfo: dict[str, object] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if self.path.startswith("/.well-known/openid-configuration"):
                    self._json({"issuer": provider.url, "authorization_endpoint": f"{provider.url}/authorize",
                                "token_endpoint": f"{provider.url}/token", "jwks_uri": f"{provider.url}/jwks",
                                "userinfo_endpoint": f"{provider.url}/userinfo",
                                "end_session_endpoint": f"{provider.url}/logout",
                                "id_token_signing_alg_values_supported": ["RS256"]})
                elif self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    self._json({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
                elif self.path == "/userinfo":
                    self._json(provider.userinfo)
                else:
                    self.send_error(404)

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._json({"access_token": "at-123", "token_type": "Bearer", "expires_in": 300,
                            "id_token": provider.id_token})

        return Handler

    def sign(self, claims: dict[str, object], key=None) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": "k1"})

    def claims(self, nonce: str, **changes: object) -> dict[str, object]:
        now = int(time.time())
        return {"iss": self.url, "sub": "u-1", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce,
                "preferred_username": "jan", "email": "jan@diemen.nl", "groups": ["duo-zaak-pia"], **changes}


@pytest.fixture
def crafting() -> Iterator[CraftingProvider]:
    provider = CraftingProvider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


@pytest.fixture
def app_config(request):
    if "crafting" in request.fixturenames:
        provider = request.getfixturevalue("crafting")
        return {"OIDC_DISCOVERY_URL": f"{provider.url}/.well-known/openid-configuration", "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": "s", "OIDC_ROLE_CLAIM": "groups", "OIDC_ROLE_MAP": ROLE_MAP}
    if "real_provider" in request.fixturenames:
        return request.getfixturevalue("real_provider").app_config()
    return {}


def _start(client) -> tuple[str, str]:
    """GET /login/sso: the state and nonce our redirect sends to the provider (and keeps in the session)."""
    response = client.get("/login/sso")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]  # PKCE
    return query["state"][0], query["nonce"][0]


def _callback(client, state: str):
    return client.get(f"/login/sso/callback?code=c-1&state={state}")


def _logged_in(client) -> bool:
    return client.get("/overzicht").status_code == 200


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_crafted_valid_token_logs_in(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce))
    response = _callback(client, state)
    assert response.status_code == 302 and _logged_in(client)
    with app.app_context():
        user = user_by_name("jan")
        assert (user.rol, user.extern_id, user.email) == ("pia", f"{crafting.url}|u-1", "jan@diemen.nl")


def test_within_the_leeway_an_expired_token_still_counts(client, crafting):
    state, nonce = _start(client)
    # exp 30 s ago, the leeway is 60 s: accepted
    crafting.id_token = crafting.sign(crafting.claims(nonce, exp=int(time.time()) - 30))
    assert _callback(client, state).status_code == 302


def _refused(app, client, response, status=400) -> None:
    assert response.status_code == status
    assert "Inloggen niet gelukt" in response.get_data(as_text=True)
    assert not _logged_in(client)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Gebruiker.id))) == 0  # no account made


def test_wrong_state_is_refused(app, client, crafting):
    _state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce))
    _refused(app, client, _callback(client, "not-the-state"))


def test_a_callback_without_a_started_login_is_refused(app, client, crafting):
    crafting.id_token = crafting.sign(crafting.claims("n"))
    _refused(app, client, _callback(client, "x"))


def test_a_replayed_nonce_is_refused(app, client, crafting):
    """A token from an earlier login (its nonce) replayed into a new login: the nonce is not this login's."""
    _old_state, old_nonce = _start(client)
    state, _nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(old_nonce))
    _refused(app, client, _callback(client, state))


def test_a_replayed_callback_is_refused(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce))
    assert _callback(client, state).status_code == 302
    client.post("/logout")
    assert _callback(client, state).status_code == 400  # the state (and its nonce) are used up


def test_an_expired_token_is_refused(app, client, crafting):
    state, nonce = _start(client)
    now = int(time.time())
    # exp 5 minutes ago: beyond the 60 s leeway
    crafting.id_token = crafting.sign(crafting.claims(nonce, iat=now - 900, exp=now - 300))
    _refused(app, client, _callback(client, state))


@pytest.mark.parametrize("changes", [
    {"aud": "some-other-app"},
    {"aud": ["some-other-app"], "azp": CLIENT_ID},  # our id as authorised party does not make us the audience
    {"aud": []},
])
def test_a_token_for_another_audience_is_refused(app, client, crafting, changes):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce, **changes))
    _refused(app, client, _callback(client, state))


def test_a_token_from_another_issuer_is_refused(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce, iss="https://evil.example"))
    _refused(app, client, _callback(client, state))


def test_a_token_signed_by_another_key_is_refused(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce), key=_key())  # same kid, a key not in the JWKS
    _refused(app, client, _callback(client, state))


def test_an_unmapped_group_gets_the_ask_page_and_no_account(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce, groups=["iedereen", "medewerkers"]))
    response = _callback(client, state)
    _refused(app, client, response, status=403)
    assert "functioneel beheerder" in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalars(db.select(AuditLog).filter_by(actie="inloggen_sso")).one()
        assert (row.object, row.resultaat) == ("u-1", "geweigerd: geen groep met toegang")
        assert "groepen=-" in row.details


def test_groups_from_userinfo_when_the_id_token_has_none(app, client, crafting):
    state, nonce = _start(client)
    claims = crafting.claims(nonce)
    del claims["groups"]
    crafting.id_token = crafting.sign(claims)
    crafting.userinfo = {"sub": "u-1", "groups": ["duo-zaak-beheer"]}
    assert _callback(client, state).status_code == 302
    with app.app_context():
        assert user_by_name("jan").rol == "beheerder"


def test_userinfo_of_another_subject_is_ignored(app, client, crafting):
    state, nonce = _start(client)
    claims = crafting.claims(nonce)
    del claims["groups"]
    crafting.id_token = crafting.sign(claims)
    crafting.userinfo = {"sub": "someone-else", "groups": ["duo-zaak-beheer"]}
    assert _callback(client, state).status_code == 403


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_role_follows_the_claims_and_ends_other_sessions(app, crafting):
    first, second = app.test_client(), app.test_client()
    for client, groups in ((first, ["duo-zaak-pia"]), (second, ["duo-zaak-teamleiders-oe-a"])):
        state, nonce = _start(client)
        crafting.id_token = crafting.sign(crafting.claims(nonce, groups=groups))
        assert _callback(client, state).status_code == 302
    assert _logged_in(second) and not _logged_in(first)  # the role changed: the older session ended
    with app.app_context():
        user = user_by_name("jan")
        assert (user.rol, user.team_ids) == ("teamleider", ["OE-A"])
        change = db.session.scalars(db.select(AuditLog).filter_by(actie="rol_wijzigen")).one()
        assert (change.actor, change.details) == ("sso", "rol: pia → teamleider; teams: - → OE-A")


def test_no_token_in_any_audit_row(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce))
    _callback(client, state)
    client.post("/logout")
    _callback(client, state)  # a refusal too
    with app.app_context():
        rows = db.session.scalars(db.select(AuditLog)).all()
        text = " ".join(f"{r.object} {r.resultaat} {r.details}" for r in rows)
    assert {"inloggen_sso", "uitloggen"} <= {r.actie for r in rows}
    assert crafting.id_token not in text and "at-123" not in text and "eyJ" not in text


def test_logout_goes_to_the_providers_end_session(app, client, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce))
    _callback(client, state)
    response = client.post("/logout")
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{crafting.url}/logout"
    assert query["id_token_hint"] == [crafting.id_token]
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert not _logged_in(client)


def test_a_local_account_with_the_same_name_is_not_taken_over(app, client, users, crafting):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce, preferred_username="admin", groups=["duo-zaak-pia"]))
    assert _callback(client, state).status_code == 302
    with app.app_context():
        assert user_by_name("admin").rol == "beheerder" and user_by_name("admin").extern_id is None
        sso_user = db.session.scalars(db.select(Gebruiker).filter(Gebruiker.extern_id.is_not(None))).one()
        assert sso_user.gebruikersnaam.startswith("admin~") and sso_user.rol == "pia"


# -- local login switched off --------------------------------------------------------------------------------------

@pytest.mark.parametrize("app_config", [{"LOCAL_LOGIN": "false"}])
def test_local_login_off_leaves_only_break_glass_beheerders(app, client, users, app_config):
    for name in ("tl", "admin"):
        assert client.post("/login", data={"gebruikersnaam": name, "wachtwoord": PASSWORD}).status_code == 401
    with app.app_context():
        set_noodaccount(user_by_name("admin"), True, actor="test")
    assert client.post("/login", data={"gebruikersnaam": "admin", "wachtwoord": PASSWORD}).status_code == 302
    with app.app_context():
        refused = db.session.scalars(db.select(AuditLog).filter_by(resultaat="geweigerd: lokaal inloggen uit"))
        assert sorted(r.object for r in refused) == ["admin", "tl"]


def test_noodaccount_command(app, runner, users):
    assert runner.invoke(args=["users", "noodaccount", "pia"]).exit_code == 1  # not a beheerder
    result = runner.invoke(args=["users", "noodaccount", "admin"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert user_by_name("admin").noodaccount
    assert runner.invoke(args=["users", "noodaccount", "admin", "--uit"]).exit_code == 0
    with app.app_context():
        assert not user_by_name("admin").noodaccount
        details = [r.details for r in db.session.scalars(db.select(AuditLog).filter_by(actie="noodaccount"))]
        assert details == ["aan", "uit"]


def test_login_page_shows_sso_first_only_when_configured(client, crafting):
    page = client.get("/login").get_data(as_text=True)
    assert page.index("Inloggen met uw organisatieaccount") < page.index('name="gebruikersnaam"')


def test_no_sso_button_and_no_sso_routes_without_configuration(client):
    assert "organisatieaccount" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/callback?code=x&state=y").status_code == 404


# -- the real provider ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_provider():
    with running_provider() as provider:
        yield provider


def test_round_trip_with_the_real_provider(app, client, real_provider):
    real_provider.set_user("sub-42", preferred_username="kees", email="kees@uithoorn.nl",
                           groups=["duo-zaak-teamleiders-oe-a", "niet-gekoppeld"])
    response = sso_login(client, real_provider, "sub-42")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _logged_in(client)
    with app.app_context():
        user = user_by_name("kees")
        assert (user.rol, user.team_ids, user.wachtwoord_hash) == ("teamleider", ["OE-A"], None)
        row = db.session.scalars(db.select(AuditLog).filter_by(actie="inloggen_sso")).one()
        assert row.resultaat == "ok" and "groepen=duo-zaak-teamleiders-oe-a;" in row.details


def test_the_logout_form_may_go_on_to_the_provider_only(client, crafting):
    """CSP form-action: this site and the provider's origin (where end_session_endpoint lives), nothing else."""
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {crafting.url};" in csp


def test_an_sso_account_gets_no_password(app, client, crafting, runner):
    state, nonce = _start(client)
    crafting.id_token = crafting.sign(crafting.claims(nonce))
    _callback(client, state)
    result = runner.invoke(args=["users", "reset-password", "jan"])
    assert result.exit_code == 1 and "organisatieaccount" in result.output
    with app.app_context():
        assert user_by_name("jan").wachtwoord_hash is None


def test_a_large_id_token_stays_out_of_the_cookie(client, crafting):
    """200 group object ids (Entra's limit before overage) make a token far over the cookie's 4 kB: the login
    works and the logout goes to the provider with client_id only."""
    state, nonce = _start(client)
    groups = ["duo-zaak-pia", *(f"{n:08d}-0000-0000-0000-000000000000" for n in range(200))]
    crafting.id_token = crafting.sign(crafting.claims(nonce, groups=groups))
    assert len(crafting.id_token) > 4096
    assert _callback(client, state).status_code == 302 and _logged_in(client)
    query = parse_qs(urlsplit(client.post("/logout").headers["Location"]).query)
    assert "id_token_hint" not in query and query["client_id"] == [CLIENT_ID]
