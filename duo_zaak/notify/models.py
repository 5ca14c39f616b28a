"""The tables of the e-mail signalering: preferences, the sent-log, the per-zaak change records and the outbox.

Local state, never touched by a sync. The sent-log's unique key (user, kind, period) is what makes a message go
out once: the log row, the outbox row and the change records are written in one transaction, so a second run
(or a second worker) that decides the same message fails on the key and sends nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ..models import utcnow

WACHT = "wacht"  # waiting for (another) delivery attempt
BEZIG = "bezig"  # claimed by a sender, being delivered
VERZONDEN = "verzonden"
MISLUKT = "mislukt"  # given up (refused by the server, or too old)
STATUSES = (WACHT, BEZIG, VERZONDEN, MISLUKT)


class MeldingVoorkeur(db.Model):
    """A user's choice for one kind of message; no row = the role's default."""

    __tablename__ = "melding_voorkeur"
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id"), primary_key=True)
    soort: Mapped[str] = mapped_column(String(30), primary_key=True)
    actief: Mapped[bool] = mapped_column(Boolean)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailUitgaand(db.Model):
    """The outbox: a message decided and waiting for SMTP, or its delivery record."""

    __tablename__ = "mail_uitgaand"
    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    soort: Mapped[str] = mapped_column(String(30))
    ontvanger: Mapped[str] = mapped_column(String(320))
    onderwerp: Mapped[str] = mapped_column(String(300))
    tekst: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))  # the same on every attempt
    afmeld_url: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20), default=WACHT)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    volgende_poging: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    geclaimd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    laatste_fout: Mapped[str] = mapped_column(Text, default="")
    laatste_fout_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verzonden_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_mail_uitgaand_status", "status", "volgende_poging"),)


class MeldingLog(db.Model):
    """The sent-log: one row per (user, kind, period) decided. `uitgaand_id` is None when there was nothing to
    report (a daily message without changes): the period counts as done all the same."""

    __tablename__ = "melding_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id"))
    soort: Mapped[str] = mapped_column(String(30))
    periode: Mapped[str] = mapped_column(String(20))
    peildatum: Mapped[date] = mapped_column(Date)
    beslist_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    uitgaand_id: Mapped[int | None] = mapped_column(ForeignKey("mail_uitgaand.id"))
    __table_args__ = (UniqueConstraint("gebruiker_id", "soort", "periode", name="uq_melding_log_periode"),)


class MeldingZaak(db.Model):
    """A zaak the daily message reported to a user: once per (user, zaak, kind of change, fatale datum), so a
    deadline moved by a verlenging is a new change and the same one is never reported twice."""

    __tablename__ = "melding_zaak"
    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id"))
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id"))
    wijziging: Mapped[str] = mapped_column(String(20))
    fatale_datum: Mapped[date] = mapped_column(Date)
    log_id: Mapped[int] = mapped_column(ForeignKey("melding_log.id"))
    __table_args__ = (UniqueConstraint("gebruiker_id", "zaak_id", "wijziging", "fatale_datum",
                                       name="uq_melding_zaak_wijziging"),)
