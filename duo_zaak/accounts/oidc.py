"""Single sign-on with the organisation's OpenID provider (Entra ID, ADFS, Keycloak): the authorization-code flow
with PKCE, state and nonce through Authlib, and the mapping of the provider's groups (or app roles) to a duo-zaak
role and teams.

Authlib keeps state, nonce and the PKCE verifier in the (signed) session between the redirect and the callback,
refuses a callback whose `state` is not in this session, and checks the ID token: signature against the provider's
JWKS, `iss` (from the discovery document), `aud` (our client id), `exp`/`iat` with OIDC_LEEWAY_SECONDS of leeway,
and `nonce` (the one sent with this login). On every login the user's role and teams follow the claims.
No token ever goes into a log or audit row: refusals record the error's class and code only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from werkzeug.wrappers import Response

from ..config import ConfigError
from ..db import db
from ..models import Gebruiker, GebruikerTeam
from . import audit
from .auth import BEHEERDER, PIA, PROGRAMMATEAM, ROLES, TEAMLEIDER, AccountError, change_role_and_teams
from .mailadres import set_email

log = logging.getLogger(__name__)

# The strongest role wins when several groups map.
ROLE_ORDER = (BEHEERDER, PROGRAMMATEAM, PIA, TEAMLEIDER)
_EXTENSION = "duo_zaak_oidc"
NO_ACCESS = "geen_toegang"
DISABLED = "uitgeschakeld"
INVALID = "ongeldig"


# -- the pure part: claims -> role and teams ---------------------------------------------------------------------

@dataclass(frozen=True)
class RoleGrant:
    """What the claims give: a role (None: no group maps), the teams, and the groups that mapped."""

    rol: str | None
    teams: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


def parse_role_map(value: Any) -> dict[str, dict[str, Any]]:
    """DUO_ZAAK_OIDC_ROLE_MAP (JSON text or a dict) checked: {group: {"rol": ..., "teams": [...]}}; ConfigError."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError as exc:
            raise ConfigError(f"OIDC_ROLE_MAP is geen geldige JSON: {exc}") from exc
    if not isinstance(value, Mapping):
        raise ConfigError('OIDC_ROLE_MAP moet een JSON-object zijn: {"<groep>": {"rol": "pia"}}')
    checked: dict[str, dict[str, Any]] = {}
    for group, entry in value.items():
        if not isinstance(entry, Mapping) or entry.get("rol") not in ROLES:
            raise ConfigError(f"OIDC_ROLE_MAP[{group!r}]: geef een rol, een van {', '.join(ROLES)}")
        teams = entry.get("teams", [])
        if not isinstance(teams, list) or not all(isinstance(t, str) and t.strip() for t in teams):
            raise ConfigError(f"OIDC_ROLE_MAP[{group!r}]: teams moet een lijst met team-identificaties zijn")
        checked[str(group)] = {"rol": entry["rol"], "teams": [t.strip() for t in teams]}
    return checked


def claim_values(claims: Mapping[str, Any], claim: str) -> list[str]:
    """The group or role names in one claim: a list of strings or one string; anything else counts as none."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def map_claims(claims: Mapping[str, Any], claim: str, role_map: Mapping[str, Mapping[str, Any]]) -> RoleGrant:
    """The role and teams the claims give: the strongest mapped role, the teams of every mapped group together."""
    groups = sorted({g for g in claim_values(claims, claim) if g in role_map})
    if not groups:
        return RoleGrant(None)
    roles = {role_map[g]["rol"] for g in groups}
    rol = next(r for r in ROLE_ORDER if r in roles)
    teams = sorted({t for g in groups for t in role_map[g].get("teams", [])})
    return RoleGrant(rol, teams, groups)


# -- the Authlib glue ----------------------------------------------------------------------------------------------

def init_app(app: Flask) -> None:
    """Register the provider when OIDC_DISCOVERY_URL is set (checking the settings); otherwise SSO stays off."""
    config = app.config
    config["LOCAL_LOGIN"] = str(config.get("LOCAL_LOGIN", True)).strip().lower() not in ("false", "0", "nee", "no")
    config["OIDC_ROLE_MAP"] = parse_role_map(config.get("OIDC_ROLE_MAP") or {})
    if not config.get("OIDC_DISCOVERY_URL"):
        return
    if not config.get("OIDC_CLIENT_ID"):
        raise ConfigError("OIDC_DISCOVERY_URL is gezet maar OIDC_CLIENT_ID niet: zet DUO_ZAAK_OIDC_CLIENT_ID")
    scopes = str(config.get("OIDC_SCOPES") or "openid profile email")
    if "openid" not in scopes.split():
        raise ConfigError("OIDC_SCOPES moet 'openid' bevatten")
    # the provider's origin may receive the logout form's redirect (CSP form-action), nothing else of it
    parts = urlsplit(str(config["OIDC_DISCOVERY_URL"]))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"OIDC_DISCOVERY_URL {config['OIDC_DISCOVERY_URL']!r} is geen https-adres")
    config["CSP_FORM_ACTION_EXTRA"] = f"{parts.scheme}://{parts.netloc}"
    oauth = OAuth(app)
    client = oauth.register(
        "organisatie",
        server_metadata_url=config["OIDC_DISCOVERY_URL"],
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config.get("OIDC_CLIENT_SECRET") or None,
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "timeout": 10},
    )
    app.extensions[_EXTENSION] = client


def enabled() -> bool:
    return _EXTENSION in current_app.extensions


def _client() -> Any:
    return current_app.extensions[_EXTENSION]


def start_login(redirect_uri: str) -> Response:
    """The redirect to the provider; Authlib adds state, nonce and the PKCE challenge and keeps them in the session."""
    return _client().authorize_redirect(redirect_uri)


class SsoRefused(Exception):
    """A sign-in that did not lead to a session; `reason` is NO_ACCESS, DISABLED or INVALID."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SsoLogin:
    user: Gebruiker
    id_token: str


def finish_login() -> SsoLogin:
    """The callback: exchange the code, check the ID token, map the claims and create or update the user.

    Every outcome is audited (the subject, the groups that mapped, the result); raises SsoRefused."""
    client = _client()
    try:
        token = client.authorize_access_token(claims_options=_claims_options(client),
                                              leeway=int(current_app.config["OIDC_LEEWAY_SECONDS"]))
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub") or not claims.get("iss"):
            raise ValueError("no ID token")
        claim = current_app.config["OIDC_ROLE_CLAIM"]
        if claim not in claims:
            extra = client.userinfo(token=token)
            if extra.get("sub") == claims["sub"]:  # OIDC core 5.3.2: a userinfo response for someone else is void
                claims[claim] = extra.get(claim)
    except Exception as exc:  # noqa: BLE001 - Authlib, joserfc and requests raise many kinds; all mean "refused"
        code = getattr(exc, "error", "") or ""
        audit.record("inloggen_sso", "-", "geweigerd: ongeldig antwoord", actor="anoniem",
                     details=f"{type(exc).__name__} {code}".strip()[:200], commit=True)
        raise SsoRefused(INVALID) from None
    return _apply_claims(claims, str(token.get("id_token") or ""))


def _claims_options(client: Any) -> dict[str, Any]:
    """What the ID token must say. Authlib's default checks only `iss`: `aud` must name us explicitly (otherwise a
    token for another application of the same provider with our client id in `azp` would pass)."""
    issuer = client.load_server_metadata().get("issuer")
    if not issuer:
        raise ValueError("discovery document without issuer")
    return {"iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
            "sub": {"essential": True}, "exp": {"essential": True}, "iat": {"essential": True}}


def _apply_claims(claims: dict[str, Any], id_token: str) -> SsoLogin:
    extern_id = f"{claims['iss']}|{claims['sub']}"[:300]
    grant = map_claims(claims, current_app.config["OIDC_ROLE_CLAIM"], current_app.config["OIDC_ROLE_MAP"])
    subject = str(claims["sub"])[:200]
    details = f"sub={subject}; iss={str(claims['iss'])[:200]}; groepen={', '.join(grant.groups) or '-'}"
    user = db.session.scalar(db.select(Gebruiker).filter_by(extern_id=extern_id))
    name = user.gebruikersnaam if user else subject
    if grant.rol is None:
        audit.record("inloggen_sso", name, "geweigerd: geen groep met toegang", actor=name[:80], details=details,
                     commit=True)
        raise SsoRefused(NO_ACCESS)
    if user is not None and not user.actief:
        audit.record("inloggen_sso", name, "geweigerd: account uitgeschakeld", actor=name[:80], details=details,
                     commit=True)
        raise SsoRefused(DISABLED)
    if user is None:
        user = _create_user(claims, extern_id, grant)
    else:
        change_role_and_teams(user, grant.rol, grant.teams, actor="sso")  # audited; ends other sessions
    if claims.get("email"):
        try:
            set_email(user, str(claims["email"]), actor="sso", bron="sso")
        except AccountError as exc:
            log.warning("SSO: e-mailadres van %s niet overgenomen: %s", user.gebruikersnaam, exc)
    user.laatste_login = datetime.now(UTC)
    audit.record("inloggen_sso", user.gebruikersnaam, "ok", actor=user.gebruikersnaam,
                 details=f"{details}; rol={grant.rol}")
    db.session.commit()
    return SsoLogin(user, id_token)


def _create_user(claims: Mapping[str, Any], extern_id: str, grant: RoleGrant) -> Gebruiker:
    """A new account without a password; its name is the provider's username, made unique if a local one has it."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or claims["sub"]).strip()[:60] or "sso"
    name = wanted
    if db.session.scalar(db.select(Gebruiker.id).filter_by(gebruikersnaam=name)) is not None:
        name = f"{wanted}~{hashlib.sha256(extern_id.encode()).hexdigest()[:8]}"
    user = Gebruiker(gebruikersnaam=name, naam=str(claims.get("name") or name)[:200], wachtwoord_hash=None,
                     rol=grant.rol, extern_id=extern_id)
    user.teams = [GebruikerTeam(team_identificatie=t) for t in (grant.teams if grant.rol == TEAMLEIDER else [])]
    db.session.add(user)
    db.session.flush()
    audit.record("gebruiker_aanmaken", name, "ok", actor="sso",
                 details=f"via SSO; rol={grant.rol}; teams={', '.join(user.team_ids) or '-'}")
    return user


def logout_url(id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """The provider's end_session_endpoint with id_token_hint and post_logout_redirect_uri, or None."""
    if not enabled():
        return None
    try:
        endpoint = _client().load_server_metadata().get("end_session_endpoint")
    except Exception:  # noqa: BLE001 - the provider unreachable: the local session has ended anyway
        log.warning("SSO: discovery-document niet bereikbaar bij uitloggen")
        return None
    if not endpoint:
        return None
    parts = urlsplit(endpoint)
    if f"{parts.scheme}://{parts.netloc}" != current_app.config.get("CSP_FORM_ACTION_EXTRA"):
        log.warning("SSO: end_session_endpoint op een ander adres dan het discovery-document; alleen lokaal uitgelogd")
        return None
    params: dict[str, str] = {"post_logout_redirect_uri": post_logout_redirect_uri,
                              "client_id": current_app.config["OIDC_CLIENT_ID"]}
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"

