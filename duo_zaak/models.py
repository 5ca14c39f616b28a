"""The data model: the zaak mirror with its derived columns, local state (tasks, marks, judgements,
norms, snapshots), users and the audit log.

Derived columns hold what does not depend on the peildatum (see docs/architecture.md: derive at
sync, filter at query). Local state is never deleted by a sync.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import db


def utcnow() -> datetime:
    return datetime.now(UTC)


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
        # Due dates of archive tasks, only where they matter (destroyed zaken keep theirs as history).
        *(Index(f"ix_zaak_{column}", column, postgresql_where=text("vernietigd_op IS NULL"),
                sqlite_where=text("vernietigd_op IS NULL"))
          for column in ("aanvullen_vervalt", "vernietigen_vervalt", "overbrengen_vervalt", "archiveren_vervalt")),
        Index("ix_zaak_verrijken", "id", postgresql_where=text("verrijken"), sqlite_where=text("verrijken")),
        Index("ix_zaak_archief_vervalt", "archief_vervalt", "organisatie_id", "team_id",
              postgresql_where=text("vernietigd_op IS NULL AND archief_vervalt IS NOT NULL"),
              sqlite_where=text("vernietigd_op IS NULL AND archief_vervalt IS NOT NULL")),
    )


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
    melding: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_sync_run_uitkomst", "uitkomst", "gestart_op"),)


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


class Gebruiker(db.Model):
    """A user. `extern_id` is reserved for the subject of an external identity (OIDC) later."""

    __tablename__ = "gebruiker"
    id: Mapped[int] = mapped_column(primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(80), unique=True)
    naam: Mapped[str] = mapped_column(String(200), default="")
    wachtwoord_hash: Mapped[str | None] = mapped_column(String(300))
    rol: Mapped[str] = mapped_column(String(20))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    mislukte_pogingen: Mapped[int] = mapped_column(Integer, default=0)
    geblokkeerd_tot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    laatste_login: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    extern_id: Mapped[str | None] = mapped_column(String(300), unique=True)
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
