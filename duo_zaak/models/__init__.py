"""The data model: the zaak mirror with its derived columns, local state (tasks, marks, judgements, norms,
snapshots), the sync's bookkeeping, users and the audit log. One module per part; every table is imported here."""

from __future__ import annotations

from .accounts import AuditLog, Gebruiker, GebruikerTeam, InlogVertraging
from .base import utcnow
from .mirror import ARCHIEF_VERVALT_SQL, Organisatie, ResultaatType, Team, Zaak, ZaakType
from .runs import NotificatieWachtrij, SyncOvergeslagen, SyncRun, SyncVerrijking, SyncVerzoek, SyncVolledigheid
from .stored import FiguurCel, FiguurStand
from .work import ArchiefTaak, KpiOordeel, Norm, PiaFte, Snapshot, TaakGebeurtenis

__all__ = [
    "ARCHIEF_VERVALT_SQL",
    "ArchiefTaak",
    "AuditLog",
    "Gebruiker",
    "FiguurCel",
    "FiguurStand",
    "GebruikerTeam",
    "InlogVertraging",
    "KpiOordeel",
    "Norm",
    "NotificatieWachtrij",
    "Organisatie",
    "PiaFte",
    "ResultaatType",
    "Snapshot",
    "SyncOvergeslagen",
    "SyncRun",
    "SyncVerrijking",
    "SyncVerzoek",
    "SyncVolledigheid",
    "TaakGebeurtenis",
    "Team",
    "Zaak",
    "ZaakType",
    "utcnow",
]
