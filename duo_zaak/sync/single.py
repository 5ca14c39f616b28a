"""Re-reading one zaak after a notification: its record, its behandelaar rollen and its resultaat — at most
three requests (`GET zaak`, `rollen?zaak=...` filtered like the sync, `resultaten?zaak=...` only when the zaak
has a resultaat) — written with the sync's own derive/upsert (`upsert_page`) and per-zaak enrichment
(`enrich_each`), its archive tasks refreshed; a 404 records it destroyed.

The catalogue (zaaktypen, resultaattypen, teams) comes from the mirror, as the last sync left it, so no
request is spent on it. A zaak of a zaaktype the mirror does not know yet is written without one (finding
`zaaktype_onbekend`) until the next sync run, which loads the catalogue and rewrites the zaak.
"""

from __future__ import annotations

from sqlalchemy import select, update

from connectors.zgw.durations import stored_duration
from connectors.zgw.errors import ZGWNotFound
from connectors.zgw.records import ZaakType as ZaakTypeRecord

from ..db import db
from ..models import ResultaatType, Team, Zaak, ZaakType
from ..tasks import lifecycle as tasks
from .catalogue import ensure_organisaties
from .enrichment import Enricher
from .idset import IdSet
from .writing import Changed

VERWERKT, VERNIETIGD, ONBEKEND = "verwerkt", "vernietigd", "onbekend"


def zaaktype_record(row: ZaakType) -> ZaakTypeRecord:
    """A mirrored zaaktype as the record the sync's `derive` reads (the terms it stored, parsed again)."""
    return ZaakTypeRecord(url=row.url, identificatie=row.identificatie, omschrijving=row.omschrijving,
                          doorlooptijd=stored_duration(row.doorlooptijd), doorlooptijd_raw=row.doorlooptijd,
                          servicenorm=stored_duration(row.servicenorm),
                          verlenging_mogelijk=bool(row.verlenging_mogelijk),
                          verlengingstermijn=stored_duration(row.verlengingstermijn))


class SingleZaak(Enricher):
    """The sync's writer and enricher for one zaak at a time, with the catalogue of the mirror."""

    def load_mirror_catalogue(self) -> None:
        self.org_ids = ensure_organisaties(self.organisaties)
        self.zaaktypen = {row.url: zaaktype_record(row) for row in db.session.scalars(select(ZaakType))}
        self.zaaktype_ids = dict(db.session.execute(select(ZaakType.url, ZaakType.id)).all())
        self.resultaattypen = dict(db.session.execute(select(ResultaatType.url, ResultaatType.id)).all())
        self.team_ids = dict(db.session.execute(select(Team.identificatie, Team.id)).all())
        self.team_names = dict(db.session.execute(select(Team.id, Team.naam)).all())
        db.session.commit()

    def reread(self, url: str) -> str:
        """Bring the mirror row of the zaak at `url` in line with the source (the caller commits).

        Returns `verwerkt`, `vernietigd` (404: the date first seen gone is kept) or `onbekend` (404 for a zaak
        the mirror never had). ZGW errors other than 404 are raised."""
        try:
            record = self.client.get_zaak(url)
        except ZGWNotFound:
            zaak_id = db.session.scalar(select(Zaak.id).where(Zaak.url == url))
            if zaak_id is None:
                return ONBEKEND
            db.session.execute(update(Zaak).where(Zaak.id == zaak_id, Zaak.vernietigd_op.is_(None))
                               .values(vernietigd_op=self.today))
            self.stats.vernietigd += 1
            tasks.refresh_tasks([zaak_id], self.today, self.settings)
            return VERNIETIGD
        self.upsert_page([record], IdSet())
        zaak_id = db.session.scalar(select(Zaak.id).where(Zaak.url == record.url))
        # Always ask for the team and resultaat: a rol added or removed leaves the zaak record as it was.
        self.enrich_each([Changed(zaak_id, record.url, bool(record.resultaat))])
        tasks.refresh_tasks([zaak_id], self.today, self.settings)
        return VERWERKT
