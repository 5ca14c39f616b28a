"""Local accounts, roles, login with a slow-down instead of a lockout, revocable sessions (idle and absolute
timeouts), the role-required decorator and what a beheerder does with accounts.

A session is Flask's signed cookie, not permanent (it ends with the browser), holding the user id, the user's
`sessie_versie` at login, the login time and the last activity. `load_user` checks all of them on every request:
raising `sessie_versie` (logout, a password, role or team change, disabling) ends every session of that user at once.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import abort, current_app, flash, g, has_request_context, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from .. import labels
from ..db import db
from ..models import Gebruiker, GebruikerTeam, Team
from . import audit, throttle
from .passwords import one_time_password, password_problem

TEAMLEIDER = "teamleider"
PROGRAMMATEAM = "programmateam"
PIA = "pia"
BEHEERDER = "beheerder"
ROLES = (TEAMLEIDER, PROGRAMMATEAM, PIA, BEHEERDER)
ROLE_LABELS = labels.ROLLEN  # the one table of words (duo_zaak/labels.py)
# The same answer to every failed login, whatever the reason (unknown name, wrong password, disabled, slowed down).
LOGIN_FAILED = ("Onbekende gebruikersnaam of onjuist wachtwoord. Na herhaalde mislukte pogingen moet u even wachten "
                "voordat u het opnieuw kunt proberen.")
# What a user who must change a one-time password may still open.
WHILE_CHANGING_PASSWORD = {"auth.wachtwoord", "auth.logout"}
SESSION_ENDED = {
    "inactief": "Uw sessie is verlopen na een periode zonder activiteit. Log opnieuw in.",
    "absoluut": "Uw sessie is verlopen: u was de maximale tijd achter elkaar ingelogd. Log opnieuw in.",
    "beeindigd": "Uw sessie is beëindigd (uitgelogd, of uw account is gewijzigd). Log opnieuw in.",
}

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
    problem = password_problem(wachtwoord, gebruikersnaam)
    if problem:
        raise AccountError(problem)
    if db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam)):
        raise AccountError(f"gebruiker {gebruikersnaam!r} bestaat al")
    user = Gebruiker(gebruikersnaam=gebruikersnaam, naam=naam or gebruikersnaam,
                     wachtwoord_hash=hash_password(wachtwoord), rol=rol)
    user.teams = [GebruikerTeam(team_identificatie=t) for t in sorted(set(teams or []))]
    db.session.add(user)
    return user


# -- login ------------------------------------------------------------------------------------------------------

def authenticate(gebruikersnaam: str, wachtwoord: str) -> tuple[Gebruiker | None, str]:
    """Check credentials with the slow-down and commit the bookkeeping (counters, audit).

    Returns (user, "") or (None, LOGIN_FAILED)."""
    user = _check_credentials(gebruikersnaam, wachtwoord)
    db.session.commit()
    return user, "" if user is not None else LOGIN_FAILED


def _client_address() -> str:
    return (request.remote_addr or "") if has_request_context() else ""


def _check_credentials(gebruikersnaam: str, wachtwoord: str) -> Gebruiker | None:
    """Every failure does the same work: one password hash check, the slow-down counters, an audit entry."""
    now = datetime.now(UTC)
    adres = _client_address()
    keys = throttle.keys(gebruikersnaam, adres)
    throttle.purge(now)
    user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam))
    slowed = throttle.slowed(keys, now)
    stored = user.wachtwoord_hash if user is not None and not slowed else None
    correct = check_password_hash(stored or _DUMMY_HASH(), wachtwoord) and stored is not None
    if slowed:
        throttle.record_refusal(keys)
        _audit_failure(gebruikersnaam, user, "geweigerd: vertraagd na mislukte pogingen", adres, now)
        return None
    if user is None or not user.actief or not correct:
        throttle.record_failure(keys, now)
        reason = ("mislukt: onbekende gebruiker" if user is None else
                  "geweigerd: account uitgeschakeld" if not user.actief else "mislukt: onjuist wachtwoord")
        _audit_failure(gebruikersnaam, user, reason, adres, now)
        return None
    if not local_login_allowed(user):
        _audit_failure(gebruikersnaam, user, "geweigerd: lokaal inloggen uit", adres, now)
        return None
    throttle.clear(keys[0])
    user.laatste_login = now
    audit.record("inloggen", gebruikersnaam, "ok", actor=gebruikersnaam)
    return user


def local_login_allowed(user: Gebruiker) -> bool:
    """With LOCAL_LOGIN off only a break-glass beheerder (gebruiker.noodaccount) logs in with a password."""
    return bool(current_app.config.get("LOCAL_LOGIN", True)) or (user.noodaccount and user.rol == BEHEERDER)


def _audit_failure(gebruikersnaam: str, user: Gebruiker | None, reason: str, adres: str, now: datetime) -> None:
    """Known accounts: every failure. Unknown names: at most one row per address per AUDIT_UNKNOWN_LOGIN_SECONDS,
    saying how many were left out since the previous one (a flood of made-up names cannot flood the log)."""
    if user is not None:
        audit.record("inloggen", gebruikersnaam, reason, actor=gebruikersnaam)
        return
    due, left_out = throttle.unknown_name_audit_due(adres, now)
    if due:
        details = f"{left_out} eerdere mislukte pogingen met onbekende namen vanaf dit adres niet apart gelogd" \
            if left_out else ""
        audit.record("inloggen", gebruikersnaam, reason, actor=gebruikersnaam, details=details)


@functools.cache
def _DUMMY_HASH() -> str:  # noqa: N802 - a constant computed once
    return generate_password_hash("dummy-password-for-timing")


def password_attempt(user: Gebruiker, wachtwoord: str) -> bool:
    """Check the current password (to change it) under the login's slow-down: a session left open is no way to
    guess the password. Commits the bookkeeping."""
    now = datetime.now(UTC)
    keys = throttle.keys(user.gebruikersnaam, _client_address())
    slowed = throttle.slowed(keys, now)
    stored = user.wachtwoord_hash if not slowed else None
    correct = check_password_hash(stored or _DUMMY_HASH(), wachtwoord) and stored is not None
    if not correct:
        if slowed:
            throttle.record_refusal(keys)
        else:
            throttle.record_failure(keys, now)
        audit.record("wachtwoord_wijzigen", user.gebruikersnaam,
                     "geweigerd: vertraagd" if slowed else "mislukt: huidig wachtwoord onjuist")
        db.session.commit()
    return correct


# -- sessions ---------------------------------------------------------------------------------------------------

def login_session(user: Gebruiker) -> None:
    """Start a fresh session (no fixation: the old session's contents are dropped)."""
    session.clear()
    session.permanent = False  # a session cookie: gone with the browser, no 31-day expiry
    now = int(time.time())
    session["uid"] = user.id
    session["ver"] = user.sessie_versie
    session["start"] = now
    session["seen"] = now


def end_sessions(user: Gebruiker) -> None:
    """End every session of this user at once (their cookies carry the old version); in the caller's transaction."""
    user.sessie_versie = Gebruiker.sessie_versie + 1
    db.session.flush()


def _session_problem(user: Gebruiker | None, now: int) -> str | None:
    config = current_app.config
    if now - session.get("seen", 0) > config["IDLE_TIMEOUT_MINUTES"] * 60:
        return "inactief"
    if now - session.get("start", 0) > config["ABSOLUTE_SESSION_HOURS"] * 3600:
        return "absoluut"
    if user is None or not user.actief or session.get("ver") != user.sessie_versie:
        return "beeindigd"
    return None


def load_user() -> None:
    """before_request: put the logged-in, active user on `g`, enforcing the timeouts and ended sessions."""
    g.user = None
    uid = session.get("uid")
    if uid is None:
        return
    now = int(time.time())
    user = db.session.get(Gebruiker, uid) if isinstance(uid, int) else None
    problem = _session_problem(user, now)
    if problem is not None:
        if problem != "beeindigd":
            name = user.gebruikersnaam if user else str(uid)
            audit.record("sessie_verlopen", name, "ok", actor=user.gebruikersnaam if user else "anoniem",
                         details=problem, commit=True)
        session.clear()
        g.session_ended = SESSION_ENDED[problem]
        return
    g.user = user
    if now - session["seen"] >= 30:  # refresh the cookie at most twice a minute
        session["seen"] = now


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = g.get("user")
        if user is None:
            if request.path.startswith("/api/"):
                abort(401)
            if g.get("session_ended"):
                flash(g.session_ended, "warning")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if user.wachtwoord_wijzigen and request.endpoint not in WHILE_CHANGING_PASSWORD:
            if request.path.startswith("/api/"):
                abort(403, description="Wijzig eerst uw eenmalige wachtwoord (pagina 'Wachtwoord wijzigen').")
            flash("U bent ingelogd met een eenmalig wachtwoord. Kies nu uw eigen wachtwoord.", "warning")
            return redirect(url_for("auth.wachtwoord"))
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


# -- managing accounts (each change audited and ending the user's sessions) -------------------------------------

def all_users() -> list[Gebruiker]:
    return list(db.session.scalars(db.select(Gebruiker).order_by(Gebruiker.gebruikersnaam)))


def user_by_id(user_id: int) -> Gebruiker | None:
    return db.session.get(Gebruiker, user_id)


def user_by_name(gebruikersnaam: str) -> Gebruiker | None:
    return db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam))


def known_teams() -> list[tuple[str, str]]:
    """(identificatie, naam) of every team the mirror knows, by name."""
    teams = db.session.scalars(db.select(Team).order_by(Team.naam, Team.identificatie))
    return [(team.identificatie, team.naam) for team in teams]


def disable_user(user: Gebruiker, actor: str | None = None) -> None:
    """Disable an account and end its sessions, audited in the same transaction."""
    user.actief = False
    end_sessions(user)
    audit.record("gebruiker_uitschakelen", user.gebruikersnaam, "ok", actor=actor, commit=True)


def enable_user(user: Gebruiker, actor: str | None = None) -> None:
    user.actief = True
    end_sessions(user)
    audit.record("gebruiker_inschakelen", user.gebruikersnaam, "ok", actor=actor, commit=True)


def change_role_and_teams(user: Gebruiker, rol: str, teams: Sequence[str] | None, actor: str | None = None) -> bool:
    """Set the role and (for a teamleider) the teams; other roles keep no teams. Returns whether anything changed."""
    if rol not in ROLES:
        raise AccountError(f"onbekende rol {rol!r}; kies uit {', '.join(ROLES)}")
    old_rol, old_teams = user.rol, user.team_ids
    new_teams = sorted(set(teams or [])) if rol == TEAMLEIDER else []
    if (old_rol, old_teams) == (rol, new_teams):
        return False
    user.rol = rol
    if new_teams != old_teams:
        user.teams = [GebruikerTeam(team_identificatie=t) for t in new_teams]
    end_sessions(user)
    teams_text = f"{', '.join(old_teams) or '-'} → {', '.join(new_teams) or '-'}"
    audit.record("rol_wijzigen", user.gebruikersnaam, "ok", actor=actor,
                 details=f"rol: {old_rol} → {rol}; teams: {teams_text}", commit=True)
    return True


def set_noodaccount(user: Gebruiker, on: bool, actor: str | None = None) -> bool:
    """Flag (or unflag) a beheerder as break-glass account, audited and committed. Returns whether it changed."""
    if on and user.rol != BEHEERDER:
        raise AccountError(f"alleen een beheerder kan een noodaccount zijn ({user.gebruikersnaam} is {user.rol})")
    if user.noodaccount == on:
        return False
    user.noodaccount = on
    audit.record("noodaccount", user.gebruikersnaam, "ok", actor=actor, details="aan" if on else "uit", commit=True)
    return True


def reset_password(user: Gebruiker, actor: str | None = None) -> str:
    """A one-time password, to be changed at the next login; the user's sessions end. Returns it (shown once)."""
    if user.extern_id:
        raise AccountError(f"{user.gebruikersnaam} logt in met het organisatieaccount en heeft geen wachtwoord")
    password = one_time_password()
    user.wachtwoord_hash = hash_password(password)
    user.wachtwoord_wijzigen = True
    end_sessions(user)
    audit.record("wachtwoord_herstellen", user.gebruikersnaam, "ok", actor=actor,
                 details="eenmalig wachtwoord uitgegeven", commit=True)
    return password


def change_password(user: Gebruiker, wachtwoord: str) -> None:
    """The user's own new password (already checked against the rules); every session of the user ends."""
    problem = password_problem(wachtwoord, user.gebruikersnaam)
    if problem:
        raise AccountError(problem)
    user.wachtwoord_hash = hash_password(wachtwoord)
    user.wachtwoord_wijzigen = False
    end_sessions(user)
    audit.record("wachtwoord_wijzigen", user.gebruikersnaam, "ok", actor=user.gebruikersnaam, commit=True)
