"""Local state on top of the mirror: archive tasks and their events, snapshots, norms and KPI judgements.

A sync may add and update tasks but never deletes marks, notes or history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .base import utcnow
from .mirror import Zaak

if TYPE_CHECKING:
    from .accounts import Gebruiker


class ArchiefTaak(db.Model):
    """An archive task; identity is zaak + soort. Status follows the life cycle in domain.md."""

    __tablename__ = "archief_taak"
    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaak.id"))
    soort: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30), default="open")
    vervaldatum: Mapped[date] = mapped_column(Date)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_sinds: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    gemeld_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gemeld_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notitie: Mapped[str] = mapped_column(Text, default="")
    eerder_gemeld: Mapped[bool] = mapped_column(Boolean, default=False)
    # Incremented on every status change; status changes are conditional UPDATEs (see archive.py).
    versie: Mapped[int] = mapped_column(Integer, default=1)

    zaak: Mapped[Zaak] = relationship()
    gemeld_door: Mapped[Gebruiker | None] = relationship()
    __table_args__ = (
        UniqueConstraint("zaak_id", "soort", name="uq_archief_taak_zaak_soort"),
        Index("ix_archief_taak_status_soort", "status", "soort", "vervaldatum"),
        Index("ix_archief_taak_gemeld_door", "gemeld_door_id", "status"),
    )


class TaakGebeurtenis(db.Model):
    """One step in a task's history; never updated or deleted."""

    __tablename__ = "taak_gebeurtenis"
    id: Mapped[int] = mapped_column(primary_key=True)
    taak_id: Mapped[int] = mapped_column(ForeignKey("archief_taak.id"), index=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gebeurtenis: Mapped[str] = mapped_column(String(40))
    van_status: Mapped[str | None] = mapped_column(String(30))
    naar_status: Mapped[str] = mapped_column(String(30))
    notitie: Mapped[str] = mapped_column(Text, default="")
    # The day a status change took effect (the sync's day, or the peildatum of a refresh).
    datum: Mapped[date] = mapped_column(Date, index=True)

    gebruiker: Mapped[Gebruiker | None] = relationship()


class Snapshot(db.Model):
    """A daily figure per organisation/team. `organisatie` '*' = all, '' = unknown organisation;
    `team` '*' = the whole organisation, '' = Niet toegewezen. Never rewritten once the day passed."""

    __tablename__ = "snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    datum: Mapped[date] = mapped_column(Date)
    organisatie: Mapped[str] = mapped_column(String(40))
    team: Mapped[str] = mapped_column(String(100))
    metriek: Mapped[str] = mapped_column(String(40))
    teller: Mapped[int | None] = mapped_column(Integer)
    noemer: Mapped[int | None] = mapped_column(Integer)
    waarde: Mapped[float | None] = mapped_column(Float)
    norm: Mapped[str | None] = mapped_column(String(100))
    voldoet: Mapped[bool | None] = mapped_column(Boolean)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    vastgelegd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (
        UniqueConstraint("datum", "organisatie", "team", "metriek", name="uq_snapshot_dag"),
        Index("ix_snapshot_metriek_datum", "metriek", "organisatie", "team", "datum"),
    )


class Norm(db.Model):
    """A norm version; the current norm for a code is the newest row. History = all rows."""

    __tablename__ = "norm"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    operator: Mapped[str] = mapped_column(String(20))
    waarde: Mapped[float] = mapped_column(Float)
    gewijzigd_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    toelichting: Mapped[str] = mapped_column(Text, default="")


class KpiOordeel(db.Model):
    """A qualitative KPI judgement version per organisation; the newest row is current."""

    __tablename__ = "kpi_oordeel"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisatie.id"))
    nummer: Mapped[int] = mapped_column(Integer)
    oordeel: Mapped[str | None] = mapped_column(String(10))
    eigenaar: Mapped[str] = mapped_column(String(200), default="")
    streefdatum: Mapped[date | None] = mapped_column(Date)
    notitie: Mapped[str] = mapped_column(Text, default="")
    bewijs: Mapped[str] = mapped_column(Text, default="")
    gewijzigd_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (Index("ix_kpi_oordeel_org_nummer", "organisatie_id", "nummer", "gewijzigd_op"),)


class PiaFte(db.Model):
    """PiA's capacity in FTE for a period (capacity planning). Rows are never updated or deleted: a later row wins
    for the days it covers, so the history shows every change with who made it. `organisatie_id` NULL = the
    four organisations together; `tot` NULL = open-ended (inclusive otherwise)."""

    __tablename__ = "pia_fte"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisatie_id: Mapped[int | None] = mapped_column(ForeignKey("organisatie.id"))
    fte: Mapped[float] = mapped_column(Float)
    van: Mapped[date] = mapped_column(Date)
    tot: Mapped[date | None] = mapped_column(Date)
    gewijzigd_door_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notitie: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_pia_fte_organisatie_van", "organisatie_id", "van"),)
