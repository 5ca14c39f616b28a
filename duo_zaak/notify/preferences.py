"""What each user gets: the kinds their role may choose, their own choices (no row = the role's default)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from ..accounts import audit
from ..db import db
from ..models import Gebruiker, utcnow
from ..rules.signalering import LABELS, available
from .models import MeldingVoorkeur


def _rows(user_ids: Iterable[int]) -> dict[tuple[int, str], bool]:
    ids = list(user_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(MeldingVoorkeur.gebruiker_id, MeldingVoorkeur.soort, MeldingVoorkeur.actief)
                              .where(MeldingVoorkeur.gebruiker_id.in_(ids)))
    return {(row.gebruiker_id, row.soort): bool(row.actief) for row in rows}


def preferences(user: Gebruiker) -> dict[str, bool]:
    """kind -> on/off, for the kinds the user's role may choose (in their order)."""
    chosen = _rows([user.id])
    return {kind: chosen.get((user.id, kind), default) for kind, default in available(user.rol).items()}


def enabled(users: Iterable[Gebruiker]) -> dict[int, list[str]]:
    """user id -> the kinds that user gets, for many users in one query."""
    users = list(users)
    chosen = _rows(user.id for user in users)
    return {user.id: [kind for kind, default in available(user.rol).items() if chosen.get((user.id, kind), default)]
            for user in users}


def _store(user: Gebruiker, kind: str, on: bool) -> None:
    row = db.session.get(MeldingVoorkeur, (user.id, kind))
    if row is None:
        db.session.add(MeldingVoorkeur(gebruiker_id=user.id, soort=kind, actief=on))
    else:
        row.actief = on
        row.gewijzigd_op = utcnow()


def set_preferences(user: Gebruiker, choices: Mapping[str, bool], *, actor: str | None = None) -> list[str]:
    """Store the user's choices for the kinds of their role (others are ignored), audited; returns the kinds
    that changed. The caller commits."""
    current = preferences(user)
    changed = [kind for kind, on in current.items() if kind in choices and bool(choices[kind]) != on]
    for kind in changed:
        _store(user, kind, bool(choices[kind]))
    if changed:
        audit.record("meldingen_wijzigen", user.gebruikersnaam, "ok", actor=actor,
                     details="; ".join(f"{kind}={'aan' if choices[kind] else 'uit'}" for kind in changed))
    return changed


def unsubscribe(user: Gebruiker, kind: str) -> bool:
    """Turn one kind off through an unsubscribe link (no login), audited and committed; False when it was off."""
    was_on = preferences(user).get(kind, False)
    _store(user, kind, False)
    audit.record("meldingen_afmelden", user.gebruikersnaam, "ok" if was_on else "ok: stond al uit",
                 actor=user.gebruikersnaam, details=f"{kind} via afmeldlink ({LABELS[kind]})")
    db.session.commit()
    return was_on


def user(gebruiker_id: int) -> Gebruiker | None:
    return db.session.get(Gebruiker, gebruiker_id)


def recipients() -> list[Gebruiker]:
    """Active users with an e-mail address, by name."""
    return list(db.session.scalars(select(Gebruiker).where(Gebruiker.actief.is_(True), Gebruiker.email.is_not(None))
                                   .order_by(Gebruiker.gebruikersnaam)))


def all_users() -> list[Gebruiker]:
    return list(db.session.scalars(select(Gebruiker).order_by(Gebruiker.gebruikersnaam)))


def commit() -> None:
    """Commit the web's changes (preferences, an e-mail address) with their audit entries."""
    db.session.commit()
