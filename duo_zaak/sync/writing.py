"""Writing zaken into the mirror: one page at a time, only what changed, with everything derived that does not
depend on the peildatum (fatale datum, streefdatum, task due dates)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from connectors.zgw.records import Zaak as ZaakRecord

from ..db import bulk_insert, db
from ..models import Zaak
from ..rules import deadlines
from ..rules.archive import task_due_dates
from ..tasks.lifecycle import due_of
from .idset import IdSet
from .staging import Staging

# Part of every content hash: a new version makes every zaak read count as changed, so it is derived again. Bump
# it when a derivation or the written fields change (3: rollen_hash, and the fatale datum by the verlenging rule
# and Atw art. 1 of domain.md; 4: both together). A run records the version it wrote with
# (sync_run.velden_versie); the run after an upgrade is then a full one (run.fields_outdated), so every mirrored
# zaak is re-derived at once, not only the ones an incremental run reads.
SYNC_FIELDS_VERSION = "4"


@dataclass(frozen=True)
class Changed:
    """A new or changed zaak. `url` None = destroyed."""

    id: int
    url: str | None
    heeft_resultaat: bool = False


def rollen_hash(urls: tuple[str, ...]) -> str | None:
    """The zaak's rol list as one value: sha256 of its sorted URLs (order at the source does not count)."""
    return hashlib.sha256("\n".join(sorted(urls)).encode()).hexdigest() if urls else None


def update_ids(ids: list[int], **values: Any) -> None:
    """One UPDATE per chunk of ids that get the same values: a sweep sets a handful of distinct teams and
    resultaattypen on many zaken, and per-row executemany parameters cost more than the write."""
    for start in range(0, len(ids), 5000):
        db.session.execute(update(Zaak).where(Zaak.id.in_(ids[start:start + 5000])).values(**values)
                           .execution_options(synchronize_session=False))


class PageWriter(Staging):
    """Derives and writes the zaken of a page; counts new, changed and unchanged zaken."""

    def derive(self, record: ZaakRecord) -> dict[str, Any]:
        """Source fields plus everything derived that does not depend on the peildatum."""
        zaaktype = self.zaaktypen.get(record.zaaktype)
        doorlooptijd = zaaktype.doorlooptijd if zaaktype else None
        if doorlooptijd is not None and doorlooptijd.is_zero:
            doorlooptijd = None
        fatale = deadlines.fatale_datum(record.startdatum, record.uiterlijke_einddatum_afdoening,
                                        doorlooptijd, record.verlenging_duur)
        streef = deadlines.streefdatum(record.startdatum, record.einddatum_gepland,
                                       zaaktype.servicenorm if zaaktype else None, fatale)
        due = task_due_dates(einddatum=record.einddatum, archiefstatus=record.archiefstatus,
                             heeft_resultaat=bool(record.resultaat), archiefnominatie=record.archiefnominatie,
                             archiefactiedatum=record.archiefactiedatum, vernietigd=False, settings=self.settings)
        return {
            "url": record.url, "uuid": record.uuid or "", "identificatie": record.identificatie,
            "bronorganisatie": record.bronorganisatie, "zaaktype_url": record.zaaktype,
            "omschrijving": (record.omschrijving or "")[:300], "registratiedatum": record.registratiedatum,
            "startdatum": record.startdatum, "einddatum": record.einddatum,
            "einddatum_gepland": record.einddatum_gepland,
            "uiterlijke_einddatum_afdoening": record.uiterlijke_einddatum_afdoening,
            "opgeschort": bool(record.opschorting_indicatie),
            "opschorting_reden": (record.opschorting_reden or "")[:500],
            "verlenging_reden": (record.verlenging_reden or None) and record.verlenging_reden[:500],
            "verlenging_duur": record.verlenging_duur.isoformat() if record.verlenging_duur else None,
            "status_url": record.status, "resultaat_url": record.resultaat, "rollen_hash": rollen_hash(record.rollen),
            "archiefnominatie": record.archiefnominatie,
            "archiefstatus": record.archiefstatus, "archiefactiedatum": record.archiefactiedatum,
            "hoofdzaak_url": record.hoofdzaak, "bron_meldingen": ",".join(record.flags)[:500],
            "organisatie_id": self.org_ids.get(record.bronorganisatie),
            "zaaktype_id": self.zaaktype_ids.get(record.zaaktype),
            "fatale_datum": fatale, "streefdatum": streef,
            "aanvullen_vervalt": due.get("archiefgegevens_aanvullen"),
            "vernietigen_vervalt": due.get("vernietigen"),
            "overbrengen_vervalt": due.get("overbrengen"),
            "archiveren_vervalt": due.get("archiveren"),
            "vernietigd_op": None,
        }

    @staticmethod
    def content_hash(values: dict[str, Any]) -> str:
        """A hash of the row as it would be written: source fields and everything derived from them, the
        zaaktype's terms and the archive settings. Equal hash = nothing to write. The zaak's `rollen`, `status`
        and `resultaat` URLs are among them: a team move changes only the rol list, and makes a changed zaak
        (its team is derived again in the same run).

        The repr of a tuple of str/date/int/None is deterministic and cheap (no dataclass repr, no JSON)."""
        payload = f"{SYNC_FIELDS_VERSION}|{tuple(values.values())!r}"
        return hashlib.sha256(payload.encode()).hexdigest()

    def upsert_page(self, records: list[ZaakRecord], seen: IdSet) -> list[Changed]:
        """Write one page (the caller commits); return the new or changed zaken. Their due dates per task kind,
        as written, are left in `written_due` (zaak id -> kind -> date) for the task refresh.

        Plain executemany statements without RETURNING: SQLAlchemy's ordered RETURNING for many rows
        costs more than the insert itself; the new ids are read back by URL (unique) instead."""
        now = datetime.now(UTC)
        self.written_due = {}
        by_url = {r.url: r for r in records}
        existing = {
            row.url: row
            for row in db.session.execute(
                select(Zaak.id, Zaak.url, Zaak.content_hash, Zaak.vernietigd_op, Zaak.aanvullen_ooit, Zaak.team_id,
                       Zaak.resultaattype_url, Zaak.onleesbaar_in_bron).where(Zaak.url.in_(list(by_url)))
            )
        }
        staged = self.staged_enrichment(list(by_url)) if self.staged else {}
        inserts, updates, changed = [], [], []
        readable_again: list[int] = []  # unchanged zaken whose record was unreadable in an earlier run
        unchanged = 0
        for url, record in by_url.items():
            row = existing.get(url)
            if row is not None and row.id in seen:
                continue  # pages shift while we page: already handled in this run
            values = self.derive(record)
            values["content_hash"] = self.content_hash(values)
            enriched = staged.get(url, (None, None))
            if self.staged:
                values["team_id"], values["resultaattype_url"] = enriched
            values["verrijken"] = not self.staged
            values["onleesbaar_in_bron"] = None  # read fine now: the finding clears
            aanvullen_nu = values["aanvullen_vervalt"] is not None
            if row is None:
                values.update(eerst_gezien=now, gewijzigd_op=now, aanvullen_ooit=aanvullen_nu)
                inserts.append(values)
            elif (row.content_hash == values["content_hash"] and row.vernietigd_op is None
                  and (not self.staged or (row.team_id, row.resultaattype_url) == enriched)):
                unchanged += 1
                seen.add(row.id)
                if row.onleesbaar_in_bron is not None:
                    readable_again.append(row.id)
            else:
                values.update(id=row.id, gewijzigd_op=now, aanvullen_ooit=bool(row.aanvullen_ooit) or aanvullen_nu)
                updates.append(values)
                self.written_due[row.id] = due_of(values)
                changed.append(Changed(row.id, record.url, bool(record.resultaat)))
                seen.add(row.id)
        if inserts:
            bulk_insert(Zaak.__table__, inserts)
            ids = dict(db.session.execute(select(Zaak.url, Zaak.id).where(
                Zaak.url.in_([values["url"] for values in inserts]))).all())
            for values in inserts:
                zaak_id = ids[values["url"]]
                self.written_due[zaak_id] = due_of(values)
                changed.append(Changed(zaak_id, values["url"], bool(values["resultaat_url"])))
                seen.add(zaak_id)
        if updates:
            db.session.execute(update(Zaak), updates)
        if readable_again:
            update_ids(readable_again, onleesbaar_in_bron=None)
        self.stats.nieuw += len(inserts)
        self.stats.gewijzigd += len(updates)
        self.stats.ongewijzigd += unchanged
        if self.stats.nieuw >= 2 * self.analysed_at + 10_000:
            self.analyse("zaak", ("id", "url"))
            self.analysed_at = self.stats.nieuw
        return changed
