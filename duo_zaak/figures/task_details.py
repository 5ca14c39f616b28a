"""Look-ups of single archive tasks for the PiA pages: a task with its zaak, its history, the earlier mark
of a niet_bevestigd task, "mijn meldingen", the destruction list's result types, the zaaktype filter options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..db import db
from ..models import ArchiefTaak, Gebruiker, ResultaatType, TaakGebeurtenis, Zaak, ZaakType
from ..rules.archive import GEMELD_GEREED
from .scope import Page, paginate

CHUNK = 1000


def task(task_id: int) -> ArchiefTaak | None:
    return db.session.get(ArchiefTaak, task_id)


def zaaktype_options() -> list[tuple[str, str]]:
    """(identificatie, omschrijving) of every zaaktype, for the filter."""
    rows = db.session.execute(select(ZaakType.identificatie, func.max(ZaakType.omschrijving))
                              .where(ZaakType.identificatie != "").group_by(ZaakType.identificatie)).all()
    return sorted(((r[0], r[1] or r[0]) for r in rows), key=lambda item: item[1].casefold())


def task_rows(ids: Sequence[int]) -> dict[int, ArchiefTaak]:
    """Task rows with their zaak and who marked them (the earlier mark of a niet_bevestigd task)."""
    if not ids:
        return {}
    query = (select(ArchiefTaak).where(ArchiefTaak.id.in_(list(ids)))
             .options(selectinload(ArchiefTaak.zaak), selectinload(ArchiefTaak.gemeld_door)))
    return {task.id: task for task in db.session.scalars(query)}


def my_marks(user_id: int, page: int, per_page: int) -> Page[Any]:
    """The tasks this user marked (latest mark first) with their current status."""
    mine = (select(TaakGebeurtenis.taak_id, func.max(TaakGebeurtenis.tijdstip).label("gemeld_op"))
            .where(TaakGebeurtenis.gebruiker_id == user_id, TaakGebeurtenis.gebeurtenis == GEMELD_GEREED)
            .group_by(TaakGebeurtenis.taak_id).subquery())
    query = (select(ArchiefTaak.id, ArchiefTaak.soort, ArchiefTaak.status, ArchiefTaak.notitie,
                    ArchiefTaak.gemeld_door_id, ArchiefTaak.status_sinds, mine.c.gemeld_op, Zaak.identificatie,
                    Zaak.omschrijving)
             .join(mine, mine.c.taak_id == ArchiefTaak.id).join(Zaak, Zaak.id == ArchiefTaak.zaak_id)
             .order_by(mine.c.gemeld_op.desc(), ArchiefTaak.id.desc()))
    return paginate(query, page, per_page)


def task_history(task_id: int) -> list[Any]:
    return list(db.session.execute(
        select(TaakGebeurtenis, Gebruiker.naam).outerjoin(Gebruiker, Gebruiker.id == TaakGebeurtenis.gebruiker_id)
        .where(TaakGebeurtenis.taak_id == task_id).order_by(TaakGebeurtenis.tijdstip, TaakGebeurtenis.id)).all())


def resultaattype_by_url(url: str | None) -> ResultaatType | None:
    return None if not url else db.session.scalar(select(ResultaatType).where(ResultaatType.url == url))


def destruction_details(zaak_ids: Sequence[int]) -> dict[int, Any]:
    """Per zaak: the result type's omschrijving, archiefnominatie and archiefactiedatum."""
    details: dict[int, Any] = {}
    for start in range(0, len(zaak_ids), CHUNK):
        details.update({row.id: row for row in db.session.execute(
            select(Zaak.id, Zaak.archiefnominatie, Zaak.archiefactiedatum,
                   ResultaatType.omschrijving.label("resultaat"))
            .outerjoin(ResultaatType, ResultaatType.url == Zaak.resultaattype_url)
            .where(Zaak.id.in_(list(zaak_ids[start:start + CHUNK]))))})
    return details
