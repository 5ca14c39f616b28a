"""Users, their teams, the login slow-down and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .base import utcnow


class Gebruiker(db.Model):
    """A user: local (a password) or from the organisation's OpenID provider (`extern_id`, no password)."""

    __tablename__ = "gebruiker"
    id: Mapped[int] = mapped_column(primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(80), unique=True)
    naam: Mapped[str] = mapped_column(String(200), default="")
    wachtwoord_hash: Mapped[str | None] = mapped_column(String(300))
    rol: Mapped[str] = mapped_column(String(20))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    laatste_login: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # In every session cookie of this user; raised on logout, a password, role or team change and disabling, which
    # ends all of the user's sessions at once.
    sessie_versie: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Set by a beheerder's reset (a one-time password): the next login must choose a new password first.
    wachtwoord_wijzigen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # "<iss>|<sub>" of the user's account at the organisation's OpenID provider (accounts/oidc.py).
    extern_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    # Break-glass: this (beheerder) account may still log in locally when DUO_ZAAK_LOCAL_LOGIN=false.
    noodaccount: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    email: Mapped[str | None] = mapped_column(String(320))  # for the signalering (accounts.set_email)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    teams: Mapped[list[GebruikerTeam]] = relationship(cascade="all, delete-orphan")

    @property
    def team_ids(self) -> list[str]:
        return sorted(t.team_identificatie for t in self.teams)


class GebruikerTeam(db.Model):
    """Binds a teamleider to a team by its identificatie (may precede the first sync of that team)."""

    __tablename__ = "gebruiker_team"
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id"), primary_key=True)
    team_identificatie: Mapped[str] = mapped_column(String(100), primary_key=True)


class InlogVertraging(db.Model):
    """Failed logins per key: a hash of account + client address, or of the client address alone (see
    accounts/throttle.py). The wait before the next attempt grows with every failure; a quiet key is forgotten.
    The rate limit of audit rows for unknown user names keeps its count here too."""

    __tablename__ = "inlog_vertraging"
    id: Mapped[int] = mapped_column(primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(64), unique=True)
    mislukt: Mapped[int] = mapped_column(Integer, default=0)
    geweigerd: Mapped[int] = mapped_column(Integer, default=0)
    laatste: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    actie: Mapped[str] = mapped_column(String(60))
    object: Mapped[str] = mapped_column(String(300), default="")
    resultaat: Mapped[str] = mapped_column(String(40))
    client_adres: Mapped[str] = mapped_column(String(60), default="")
    details: Mapped[str] = mapped_column(Text, default="")
