"""Team and resultaattype of new and changed zaken: one request each for a few zaken, or a sweep of the
filtered `/rollen` and `/resultaten` lists when that costs fewer requests."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from connectors.zgw.records import Resultaat, Rol

from ..db import db
from ..models import Zaak
from .context import ID_RANGE, ROL_FILTER
from .idset import IdSet
from .prefetch import prefetch
from .writing import Changed, PageWriter, update_ids


class Enrichment:
    """New and changed zaken that need their team and resultaattype.

    The ids are kept in a bitmap; the records (for asking one by one) only up to `keep`, so a run that
    changes a million zaken does not hold a million of them — past that it sweeps the lists anyway."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.items: list[Changed] = []
        self.ids = IdSet()

    def add(self, changed: Iterable[Changed]) -> None:
        for item in changed:
            if item.url is None:
                continue
            self.ids.add(item.id)
            if len(self.items) < self.keep:
                self.items.append(item)

    def needs_sweep(self, sweep_pages: int) -> bool:
        """Two requests per zaak cost more than sweeping, or not every record was kept."""
        return len(self.ids) > sweep_pages or len(self.items) < len(self.ids)


class Enricher(PageWriter):
    """Derives the team (behandelaar rol) and resultaattype of changed zaken."""

    @staticmethod
    def pick_behandelaar(rollen: Iterable[Rol]) -> Rol | None:
        """The responsible team: the behandelaar organisatorische eenheid registered last; of equal
        registratiedatum the one created last, which is the first of them in the source's order (newest first).
        `max` keeps the first of equal keys: the same answer as the sweep and the staged full run."""
        candidates = [r for r in rollen if r.betrokkene_type == "organisatorische_eenheid"
                      and r.omschrijving_generiek == "behandelaar"]
        if not candidates:
            return None
        epoch = datetime.min.replace(tzinfo=UTC)
        return max(candidates, key=lambda r: r.registratiedatum or epoch)

    def enrich_each(self, changed: list[Changed]) -> None:
        """Team and resultaattype for new/changed zaken, one request each (few zaken)."""
        for item in changed:
            rol = self.pick_behandelaar(self.client.iter_rollen(zaak=item.url, **ROL_FILTER))
            values: dict[str, Any] = {"team_id": self.team_id(rol) if rol else None}
            if item.heeft_resultaat:
                resultaten = list(self.client.iter_resultaten(zaak=item.url))
                values["resultaattype_url"] = resultaten[0].resultaattype if resultaten else None
            else:
                values["resultaattype_url"] = None
            db.session.execute(update(Zaak).where(Zaak.id == item.id).values(verrijken=False, **values))

    def sweep_rollen(self, only_ids: IdSet) -> None:
        """Teams from the whole filtered /rollen list (cheaper than one request per zaak when many changed).

        The best rol per zaak so far is kept in two arrays indexed by zaak id (16 bytes a zaak); at the
        end only zaken whose team differs from the mirror are written."""
        size = (db.session.scalar(select(func.max(Zaak.id))) or 0) + 1
        moments = array("d", [-math.inf]) * size  # registratiedatum of the best rol; -inf: none seen
        teams = array("q", [0]) * size  # its team id; 0: the rol names no team
        for page in prefetch(self.client.rollen_pages(**ROL_FILTER)):
            self.stats.paginas += 1
            urls = {r.zaak for r in page.results}
            ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(Zaak.url.in_(urls))).all())
            for rol in page.results:
                zaak_id = ids.get(rol.zaak)
                if zaak_id is None or zaak_id >= size or zaak_id not in only_ids:
                    continue
                if rol.betrokkene_type != "organisatorische_eenheid" or rol.omschrijving_generiek != "behandelaar":
                    continue
                moment = rol.registratiedatum.timestamp() if rol.registratiedatum else -1e18
                if moment > moments[zaak_id]:  # equal moments: the first-listed (created last) rol stays
                    moments[zaak_id] = moment
                    teams[zaak_id] = self.team_id(rol) or 0
        self._apply_teams(moments, teams, only_ids)

    def _apply_teams(self, moments: array, teams: array, targets: IdSet) -> None:
        """Write the swept teams where they differ; zaken without a behandelaar rol get none."""
        live = Zaak.vernietigd_op.is_(None)
        for start in range(0, len(teams), ID_RANGE):
            rows = db.session.execute(select(Zaak.id, Zaak.team_id).where(
                Zaak.id >= start, Zaak.id < start + ID_RANGE, live)).all()
            updates: dict[int | None, list[int]] = {}
            for zaak_id, current in rows:
                if zaak_id not in targets:
                    continue
                wanted = (teams[zaak_id] or None) if moments[zaak_id] > -math.inf else None
                if wanted != current:
                    updates.setdefault(wanted, []).append(zaak_id)
            for team_id, ids in updates.items():
                update_ids(ids, team_id=team_id)
            db.session.commit()

    def sweep_resultaten(self, only_ids: IdSet) -> None:
        """Resultaattypen from the whole /resultaten list, written where they differ from the mirror.

        Changes are grouped by resultaattype over many pages: one UPDATE per resultaattype and batch."""
        updates: dict[str | None, list[int]] = {}
        pending = 0
        for page in prefetch(self.client.resultaten_pages()):
            self.stats.paginas += 1
            pending += self._collect_resultaten(page.results, only_ids, updates)
            if pending >= ID_RANGE:
                self._write_resultaten(updates)
                pending = 0
        self._write_resultaten(updates)

    @staticmethod
    def _collect_resultaten(resultaten: list[Resultaat], only_ids: IdSet,
                            updates: dict[str | None, list[int]]) -> int:
        urls = {r.zaak for r in resultaten}
        current = {row.url: row for row in db.session.execute(
            select(Zaak.url, Zaak.id, Zaak.resultaattype_url).where(Zaak.url.in_(urls)))}
        collected = 0
        for resultaat in resultaten:
            row = current.get(resultaat.zaak)
            if row is None or row.id not in only_ids:
                continue
            if row.resultaattype_url != resultaat.resultaattype:
                updates.setdefault(resultaat.resultaattype, []).append(row.id)
                collected += 1
        return collected

    @staticmethod
    def _write_resultaten(updates: dict[str | None, list[int]]) -> None:
        for resultaattype_url, ids in updates.items():
            update_ids(ids, resultaattype_url=resultaattype_url)
        updates.clear()
        db.session.commit()
