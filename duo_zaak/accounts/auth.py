"""Local accounts, roles, login with lockout, the idle timeout and the role-required decorator."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import db
from ..models import Gebruiker, GebruikerTeam
from . import audit

TEAMLEIDER = "teamleider"
PROGRAMMATEAM = "programmateam"
PIA = "pia"
BEHEERDER = "beheerder"
ROLES = (TEAMLEIDER, PROGRAMMATEAM, PIA, BEHEERDER)
ROLE_LABELS = {
    TEAMLEIDER: "Teamleider",
    PROGRAMMATEAM: "Programmateam",
    PIA: "PiA (Postintake en Archief)",
    BEHEERDER: "Beheerder",
}
MIN_PASSWORD_LENGTH = 12

F = TypeVar("F", bound=Callable[..., Any])


class AccountError(ValueError):
    """A user-management request that cannot be carried out; the message is for the user."""


def hash_password(password: str) -> str:
    # werkzeug's default is scrypt, a memory-hard KDF.
    return generate_password_hash(password)


def create_user(gebruikersnaam: str, wachtwoord: str, rol: str, naam: str = "",
                teams: list[str] | None = None) -> Gebruiker:
    if rol not in ROLES:
        raise AccountError(f"onbekende rol {rol!r}; kies uit {', '.join(ROLES)}")
    if len(wachtwoord) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben")
    if db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam)):
        raise AccountError(f"gebruiker {gebruikersnaam!r} bestaat al")
    user = Gebruiker(gebruikersnaam=gebruikersnaam, naam=naam or gebruikersnaam,
                     wachtwoord_hash=hash_password(wachtwoord), rol=rol)
    user.teams = [GebruikerTeam(team_identificatie=t) for t in sorted(set(teams or []))]
    db.session.add(user)
    return user


def authenticate(gebruikersnaam: str, wachtwoord: str) -> tuple[Gebruiker | None, str]:
    """Check credentials with lockout and commit the bookkeeping (counters, audit).

    Returns (user, "") or (None, Dutch reason)."""
    user, reason = _check_credentials(gebruikersnaam, wachtwoord)
    db.session.commit()
    return user, reason


def _check_credentials(gebruikersnaam: str, wachtwoord: str) -> tuple[Gebruiker | None, str]:
    now = datetime.now(UTC)
    user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam))
    generic = "Onbekende gebruikersnaam of onjuist wachtwoord."
    if user is None:
        # Spend the same time as a real check so usernames cannot be probed by timing.
        check_password_hash(_DUMMY_HASH(), wachtwoord)
        audit.record("inloggen", gebruikersnaam, "mislukt: onbekende gebruiker", actor=gebruikersnaam)
        return None, generic
    blocked_until = _aware(user.geblokkeerd_tot)
    if blocked_until and blocked_until > now:
        audit.record("inloggen", gebruikersnaam, "geweigerd: geblokkeerd", actor=gebruikersnaam)
        return None, "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het later opnieuw."
    if not user.actief:
        audit.record("inloggen", gebruikersnaam, "geweigerd: account uitgeschakeld", actor=gebruikersnaam)
        return None, generic
    if not user.wachtwoord_hash or not check_password_hash(user.wachtwoord_hash, wachtwoord):
        user.mislukte_pogingen += 1
        result = "mislukt: onjuist wachtwoord"
        if user.mislukte_pogingen >= current_app.config["LOCKOUT_ATTEMPTS"]:
            user.geblokkeerd_tot = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
            user.mislukte_pogingen = 0
            result = "mislukt: account geblokkeerd"
        audit.record("inloggen", gebruikersnaam, result, actor=gebruikersnaam)
        return None, generic
    user.mislukte_pogingen = 0
    user.geblokkeerd_tot = None
    user.laatste_login = now
    audit.record("inloggen", gebruikersnaam, "ok", actor=gebruikersnaam)
    return user, ""


@functools.cache
def _DUMMY_HASH() -> str:  # noqa: N802 - a constant computed once
    return generate_password_hash("dummy-password-for-timing")


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they are stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def login_session(user: Gebruiker) -> None:
    """Start a fresh session (no fixation: the old session's contents are dropped)."""
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["seen"] = int(time.time())


def load_user() -> None:
    """before_request: put the logged-in, active user on `g`, enforcing the idle timeout."""
    g.user = None
    uid = session.get("uid")
    if uid is None:
        return
    idle = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    seen = session.get("seen", 0)
    now = int(time.time())
    if now - seen > idle:
        user = db.session.get(Gebruiker, uid)
        audit.record("sessie_verlopen", user.gebruikersnaam if user else str(uid), "ok",
                     actor=user.gebruikersnaam if user else "anoniem", commit=True)
        session.clear()
        g.session_expired = True
        return
    user = db.session.get(Gebruiker, uid)
    if user is None or not user.actief:
        session.clear()
        return
    g.user = user
    if now - seen >= 30:  # refresh the cookie at most twice a minute
        session["seen"] = now


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            if request.path.startswith("/api/"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow only the given roles (logged in); others get 403 and an audit entry."""

    def decorator(view: F) -> F:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user.rol not in roles:
                audit.record("toegang_geweigerd", request.path, "403", commit=True)
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def all_users() -> list[Gebruiker]:
    return list(db.session.scalars(db.select(Gebruiker).order_by(Gebruiker.gebruikersnaam)))


def user_by_id(user_id: int) -> Gebruiker | None:
    return db.session.get(Gebruiker, user_id)


def disable_user(user: Gebruiker) -> None:
    """Disable an account, audited in the same transaction."""
    user.actief = False
    audit.record("gebruiker_uitschakelen", user.gebruikersnaam, "ok", commit=True)
