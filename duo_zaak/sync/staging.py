"""A full run lists the behandelaar rollen and the resultaten into the scratch table `sync_verrijking` first,
so each zaak is then written once, with its team and resultaattype."""

from __future__ import annotations

import math

from sqlalchemy import delete, select, text

from ..db import bulk_insert, db
from ..models import SyncVerrijking
from .catalogue import CatalogueLoader
from .context import ROL_FILTER, postgresql
from .prefetch import prefetch


class Staging(CatalogueLoader):
    """The scratch table of a full run, and PostgreSQL's planner statistics while tables grow."""

    def clear_staging(self) -> None:
        if postgresql():
            db.session.execute(text("TRUNCATE sync_verrijking"))
        else:
            db.session.execute(delete(SyncVerrijking))
        db.session.commit()

    def stage_enrichment(self) -> None:
        """List the behandelaar rollen and the resultaten into sync_verrijking before the zaken."""
        self.clear_staging()
        table = SyncVerrijking.__table__
        for page in prefetch(self.client.rollen_pages(**ROL_FILTER)):
            self.stats.paginas += 1
            bulk_insert(table, [
                {"zaak_url": rol.zaak, "team_id": self.team_id(rol), "resultaattype_url": None,
                 "rol_moment": rol.registratiedatum.timestamp() if rol.registratiedatum else -1e18}
                for rol in page.results
                if rol.betrokkene_type == "organisatorische_eenheid" and rol.omschrijving_generiek == "behandelaar"
            ])
            self.commit_pages(batched=True)
        for page in prefetch(self.client.resultaten_pages()):
            self.stats.paginas += 1
            bulk_insert(table, [{"zaak_url": r.zaak, "team_id": None, "rol_moment": None,
                                 "resultaattype_url": r.resultaattype} for r in page.results])
            self.commit_pages(batched=True)
        db.session.commit()
        self.analyse("sync_verrijking")
        db.session.commit()

    @staticmethod
    def staged_enrichment(urls: list[str]) -> dict[str, tuple[int | None, str | None]]:
        """zaak url -> (team id of the behandelaar rol registered last, resultaattype url).

        Of rollen with equal registratiedatum the one created last counts: the source lists newest first and
        the rows keep that order, so the first of the tied ones wins (as in Enricher.pick_behandelaar)."""
        found: dict[str, tuple[int | None, str | None]] = {}
        best: dict[str, float] = {}
        rows = db.session.execute(
            select(SyncVerrijking.zaak_url, SyncVerrijking.team_id, SyncVerrijking.rol_moment,
                   SyncVerrijking.resultaattype_url).where(SyncVerrijking.zaak_url.in_(urls))
            .order_by(SyncVerrijking.id))
        for url, team_id, moment, resultaattype_url in rows:
            team, resultaattype = found.get(url, (None, None))
            if moment is None:
                resultaattype = resultaattype_url
            elif moment > best.get(url, -math.inf):  # equal moments: the first-listed (newest) rol stays
                best[url] = moment
                team = team_id
            found[url] = (team, resultaattype)
        return found

    @staticmethod
    def analyse(table: str, columns: tuple[str, ...] = ()) -> None:
        """Refresh PostgreSQL's planner statistics of a table that grew fast within this run.

        Autovacuum lags behind a bulk load: a mirror filled from empty still looks empty to the planner,
        which then scans the whole table for every page's `url IN (...)` lookup (quadratic in the run).
        Called at doubling sizes, so a run of N new zaken analyses about log2(N) times. `columns`: only those
        (any ANALYZE refreshes the table's size, which is what the lookup's plan needs; the statistics of
        every column of a wide table took about 2 s of a full sync of 100,000 zaken; autovacuum keeps them)."""
        if postgresql():
            db.session.execute(text(f"ANALYZE {table}" + (f" ({', '.join(columns)})" if columns else "")))
