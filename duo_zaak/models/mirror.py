"""The mirror of InProces: organisations, teams, the catalogue and the zaken with their derived columns.

Derived columns hold what does not depend on the peildatum (derive at sync, filter at query). Only the sync
writes these tables."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from .base import utcnow


class Organisatie(db.Model):
    __tablename__ = "organisatie"
    id: Mapped[int] = mapped_column(primary_key=True)
    rsin: Mapped[str] = mapped_column(String(9), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(200))


class Team(db.Model):
    """An organisatorische eenheid that is behandelaar of zaken (from the Rol records)."""

    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(String(100), unique=True)
    naam: Mapped[str] = mapped_column(String(200))


class ZaakType(db.Model):
    __tablename__ = "zaaktype"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    identificatie: Mapped[str] = mapped_column(String(100), default="")
    omschrijving: Mapped[str] = mapped_column(String(300), default="")
    doorlooptijd: Mapped[str | None] = mapped_column(String(40))
    doorlooptijd_bruikbaar: Mapped[bool] = mapped_column(Boolean, default=False)
    servicenorm: Mapped[str | None] = mapped_column(String(40))
    verlenging_mogelijk: Mapped[bool] = mapped_column(Boolean, default=False)
    verlengingstermijn: Mapped[str | None] = mapped_column(String(40))


class ResultaatType(db.Model):
    __tablename__ = "resultaattype"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    zaaktype_url: Mapped[str] = mapped_column(String(1000), default="")
    omschrijving: Mapped[str] = mapped_column(String(300), default="")
    archiefnominatie: Mapped[str | None] = mapped_column(String(40))
    archiefactietermijn: Mapped[str | None] = mapped_column(String(40))
    afleidingswijze: Mapped[str | None] = mapped_column(String(60))


def _earliest(columns: list[str]) -> str:
    """SQL for the earliest non-NULL of `columns` (NULL when all are), valid on SQLite and PostgreSQL
    alike (PostgreSQL's LEAST and SQLite's multi-argument MIN treat NULL differently)."""
    if len(columns) == 1:
        return columns[0]
    first, rest = columns[0], columns[1:]
    smallest = " AND ".join(f"({other} IS NULL OR {first} <= {other})" for other in rest)
    return f"CASE WHEN {first} IS NOT NULL AND {smallest} THEN {first} ELSE {_earliest(rest)} END"


ARCHIEF_VERVALT_SQL = _earliest(["aanvullen_vervalt", "vernietigen_vervalt", "overbrengen_vervalt",
                                 "archiveren_vervalt"])


class Zaak(db.Model):
    """A mirrored zaak: source fields, derived columns and sync bookkeeping."""

    __tablename__ = "zaak"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    uuid: Mapped[str] = mapped_column(String(36), default="")
    identificatie: Mapped[str] = mapped_column(String(100), index=True)
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    zaaktype_url: Mapped[str] = mapped_column(String(1000))
    omschrijving: Mapped[str] = mapped_column(String(300), default="")
    registratiedatum: Mapped[date | None] = mapped_column(Date)
    startdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
    einddatum_gepland: Mapped[date | None] = mapped_column(Date)
    uiterlijke_einddatum_afdoening: Mapped[date | None] = mapped_column(Date)
    opgeschort: Mapped[bool] = mapped_column(Boolean, default=False)
    opschorting_reden: Mapped[str] = mapped_column(String(500), default="")
    verlenging_reden: Mapped[str | None] = mapped_column(String(500))
    verlenging_duur: Mapped[str | None] = mapped_column(String(40))
    status_url: Mapped[str | None] = mapped_column(String(1000))
    resultaat_url: Mapped[str | None] = mapped_column(String(1000))
    resultaattype_url: Mapped[str | None] = mapped_column(String(1000))
    archiefnominatie: Mapped[str | None] = mapped_column(String(40))
    archiefstatus: Mapped[str] = mapped_column(String(60))
    archiefactiedatum: Mapped[date | None] = mapped_column(Date)
    hoofdzaak_url: Mapped[str | None] = mapped_column(String(1000))
    bron_meldingen: Mapped[str] = mapped_column(String(500), default="")
    # sha256 of the zaak's sorted `rollen` URLs (None: no rollen): a team move changes only that list.
    rollen_hash: Mapped[str | None] = mapped_column(String(64))
    # Why the latest record the source gave could not be read (None: it could); the row keeps the last good one.
    onleesbaar_in_bron: Mapped[str | None] = mapped_column(String(500))

    # Derived at sync (independent of the peildatum).
    organisatie_id: Mapped[int | None] = mapped_column(ForeignKey("organisatie.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    zaaktype_id: Mapped[int | None] = mapped_column(ForeignKey("zaaktype.id"))
    fatale_datum: Mapped[date | None] = mapped_column(Date)
    streefdatum: Mapped[date | None] = mapped_column(Date)
    # Due date per archive task kind; NULL when the kind's condition does not hold.
    aanvullen_vervalt: Mapped[date | None] = mapped_column(Date)
    vernietigen_vervalt: Mapped[date | None] = mapped_column(Date)
    overbrengen_vervalt: Mapped[date | None] = mapped_column(Date)
    archiveren_vervalt: Mapped[date | None] = mapped_column(Date)
    # The earliest of the four: a zaak has a current archive task at P exactly when this is <= P. Generated
    # by the database (virtual on SQLite, stored on PostgreSQL) so every writer keeps it right; its partial
    # index lets the archive queries read only the zaken with a task due instead of the whole mirror.
    archief_vervalt: Mapped[date | None] = mapped_column(Date, Computed(ARCHIEF_VERVALT_SQL))
    # Written by an incremental run and still waiting for its team and resultaattype (asked for at the end of
    # the run): a run that fails or stops before then leaves it set, and the next run completes it.
    verrijken: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # True once the archiefgegevens_aanvullen condition held in any sync ("first time right").
    aanvullen_ooit: Mapped[bool] = mapped_column(Boolean, default=False)

    # Sync bookkeeping. Unchanged zaken are not rewritten, so `gewijzigd_op` is the last sync that wrote it.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    eerst_gezien: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    vernietigd_op: Mapped[date | None] = mapped_column(Date)

    organisatie: Mapped[Organisatie | None] = relationship()
    team: Mapped[Team | None] = relationship()
    zaaktype: Mapped[ZaakType | None] = relationship()

    __table_args__ = (
        Index("ix_zaak_open", "einddatum", "organisatie_id", "team_id", "fatale_datum"),
        Index("ix_zaak_organisatie_team", "organisatie_id", "team_id"),
        Index("ix_zaak_bron_identificatie", "bronorganisatie", "identificatie", "vernietigd_op"),
        Index("ix_zaak_archiefstatus", "archiefstatus"),
        Index("ix_zaak_team_einddatum", "team_id", "einddatum"),
        Index("ix_zaak_startdatum", "startdatum"),
        # The open-zaak list's default order (figures/open_order.py): open zaken by fatale datum, walked in order.
        Index("ix_zaak_open_fatale", "einddatum", "fatale_datum", "id",
              postgresql_where=text("einddatum IS NULL AND vernietigd_op IS NULL"),
              sqlite_where=text("einddatum IS NULL AND vernietigd_op IS NULL")),
        # Due dates of archive tasks, only where they matter (destroyed zaken keep theirs as history).
        *(Index(f"ix_zaak_{column}", column, postgresql_where=text("vernietigd_op IS NULL"),
                sqlite_where=text("vernietigd_op IS NULL"))
          for column in ("aanvullen_vervalt", "vernietigen_vervalt", "overbrengen_vervalt", "archiveren_vervalt")),
        Index("ix_zaak_verrijken", "id", postgresql_where=text("verrijken"), sqlite_where=text("verrijken")),
        Index("ix_zaak_archief_vervalt", "archief_vervalt", "organisatie_id", "team_id",
              postgresql_where=text("vernietigd_op IS NULL AND archief_vervalt IS NOT NULL"),
              sqlite_where=text("vernietigd_op IS NULL AND archief_vervalt IS NOT NULL")),
    )
