"""The sync's bookkeeping: runs, skipped records, completeness counts, requested runs, the full run's scratch
table and the notification queue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from .base import utcnow


class SyncRun(db.Model):
    __tablename__ = "sync_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    gestart_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    geeindigd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    modus: Mapped[str] = mapped_column(String(20))
    uitkomst: Mapped[str] = mapped_column(String(20), default="bezig")
    paginas: Mapped[int] = mapped_column(Integer, default=0)
    verzoeken: Mapped[int] = mapped_column(Integer, default=0)
    nieuw: Mapped[int] = mapped_column(Integer, default=0)
    gewijzigd: Mapped[int] = mapped_column(Integer, default=0)
    ongewijzigd: Mapped[int] = mapped_column(Integer, default=0)
    vernietigd: Mapped[int] = mapped_column(Integer, default=0)
    overgeslagen: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    melding: Mapped[str] = mapped_column(Text, default="")
    # The derivation rules (sync.writing.SYNC_FIELDS_VERSION) a successful run wrote the zaken it read with;
    # NULL for runs before it was recorded. Another version than the code's makes the next run a full one.
    velden_versie: Mapped[str | None] = mapped_column(String(20))
    __table_args__ = (Index("ix_sync_run_uitkomst", "uitkomst", "gestart_op"),)


class SyncOvergeslagen(db.Model):
    """A zaak record a run could not read and skipped: its mirror row (if any) stayed as it was."""

    __tablename__ = "sync_overgeslagen"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"), index=True)
    zaak_url: Mapped[str] = mapped_column(String(1000), default="")  # "" when the record had no readable url
    zaak_id: Mapped[int | None] = mapped_column(ForeignKey("zaak.id"))  # None: not in the mirror
    veld: Mapped[str] = mapped_column(String(200), default="")
    reden: Mapped[str] = mapped_column(Text, default="")


class SyncVolledigheid(db.Model):
    """Completeness, measured by a run per configured organisation: the source's own `count` (None: not
    measured) beside the mirror's count of non-destroyed zaken, for all zaken and for open ones."""

    __tablename__ = "sync_volledigheid"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_run.id"), index=True)
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisatie.id"))
    bron_alle: Mapped[int | None] = mapped_column(Integer)
    spiegel_alle: Mapped[int] = mapped_column(Integer, default=0)
    bron_open: Mapped[int | None] = mapped_column(Integer)
    spiegel_open: Mapped[int] = mapped_column(Integer, default=0)


class SyncVerzoek(db.Model):
    """A run asked for on the page "Bron en volledigheid"; the worker picks it up at its next wake-up."""

    __tablename__ = "sync_verzoek"
    id: Mapped[int] = mapped_column(primary_key=True)
    aangevraagd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    aangevraagd_door: Mapped[str] = mapped_column(String(80))
    volledig: Mapped[bool] = mapped_column(Boolean, default=False)
    opgepakt_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_sync_verzoek_opgepakt_op", "opgepakt_op", "id"),)


class SyncVerrijking(db.Model):
    """Scratch space of a full sync: the behandelaar rollen and resultaten are listed before the zaken,
    so each zaak is written once, with its team and resultaattype, instead of inserted and then updated.
    A rol row has `rol_moment` (its registratiedatum as a timestamp); a resultaat row has none.
    Emptied at the start and the end of every full run; never read by the app."""

    __tablename__ = "sync_verrijking"
    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_url: Mapped[str] = mapped_column(String(1000), index=True)
    team_id: Mapped[int | None] = mapped_column(Integer)
    rol_moment: Mapped[float | None] = mapped_column(Float)
    resultaattype_url: Mapped[str | None] = mapped_column(String(1000))


class NotificatieWachtrij(db.Model):
    """Zaken a notification (Notificaties API, kanaal `zaken`) asked to re-read: written by the receiver,
    drained by the worker (sync/queue.py). One `wachtend` row per zaak URL: a later notification for the
    same zaak only counts (`aantal`). Processed rows keep their outcome for a week (the status command)."""

    __tablename__ = "notificatie_wachtrij"
    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_url: Mapped[str] = mapped_column(String(1000))
    # wachtend -> bezig -> verwerkt | vernietigd | onbekend | overgeslagen | samengevoegd | mislukt
    status: Mapped[str] = mapped_column(String(20), default="wachtend")
    aantal: Mapped[int] = mapped_column(Integer, default=1)
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    laatst_ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    laatste_melding: Mapped[str] = mapped_column(String(120), default="")  # resource and actie, e.g. "rol create"
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    verwerkt_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    melding: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        Index("uq_notificatie_wachtrij_wachtend", "zaak_url", unique=True,
              postgresql_where=text("status = 'wachtend'"), sqlite_where=text("status = 'wachtend'")),
        Index("ix_notificatie_wachtrij_status", "status", "ontvangen_op"),
        Index("ix_notificatie_wachtrij_verwerkt_op", "verwerkt_op"),
    )
