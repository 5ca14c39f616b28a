"""Figures stored for today's peildatum: the aggregates every page reads, written where the data changes.

One row per (soort, organisatie, team) cell holds that cell's figures as JSON; `figuur_stand` says for which
peildatum a soort is complete. A soort without a stand row for the asked peildatum is computed on the spot.
The ids are plain integers, not foreign keys: a cell may name an organisation or team the mirror drops later,
and the next refresh replaces it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from .base import utcnow


class FiguurStand(db.Model):
    """Which peildatum the stored cells of a soort are complete for, and what last wrote them."""

    __tablename__ = "figuur_stand"
    soort: Mapped[str] = mapped_column(String(20), primary_key=True)
    peildatum: Mapped[date] = mapped_column(Date)
    berekend_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    aanleiding: Mapped[str] = mapped_column(String(40), default="")


class FiguurCel(db.Model):
    """The figures of one (organisatie_id, team_id) cell of a soort at the stand's peildatum."""

    __tablename__ = "figuur_cel"
    __table_args__ = (Index("ix_figuur_cel_soort", "soort", "organisatie_id", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    soort: Mapped[str] = mapped_column(String(20))
    organisatie_id: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(Integer)
    waarde: Mapped[str] = mapped_column(Text)
