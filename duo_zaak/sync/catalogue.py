"""The catalogue step of a run: organisations from the configuration, zaaktypen and resultaattypen from the
Catalogi API, and the team rows the behandelaar rollen name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from connectors.zgw.records import Rol

from ..db import db
from ..models import Organisatie, ResultaatType, Team, ZaakType
from .context import RunContext


def ensure_organisaties(organisaties: list[dict[str, Any]]) -> dict[str, int]:
    """Upsert the configured organisations; return RSIN -> id."""
    existing = {o.rsin: o for o in db.session.scalars(select(Organisatie))}
    for item in organisaties:
        org = existing.get(item["rsin"])
        if org is None:
            org = Organisatie(rsin=item["rsin"], code=item["code"], naam=item["naam"])
            db.session.add(org)
            existing[org.rsin] = org
        else:
            org.code, org.naam = item["code"], item["naam"]
    db.session.flush()
    return {rsin: org.id for rsin, org in existing.items() if any(i["rsin"] == rsin for i in organisaties)}


class CatalogueLoader(RunContext):
    """Loads the catalogue and keeps the run's look-ups of zaaktypen, resultaattypen, organisations and teams."""

    def load_catalogue(self) -> None:
        self.org_ids = ensure_organisaties(self.organisaties)
        existing = {zt.url: zt for zt in db.session.scalars(select(ZaakType))}
        for record in self.client.iter_zaaktypen():
            self.zaaktypen[record.url] = record
            values = {
                "identificatie": record.identificatie or "", "omschrijving": record.omschrijving or "",
                "doorlooptijd": record.doorlooptijd_raw, "doorlooptijd_bruikbaar": record.doorlooptijd is not None
                and not record.doorlooptijd.is_zero,
                "servicenorm": record.servicenorm.isoformat() if record.servicenorm else None,
                "verlenging_mogelijk": bool(record.verlenging_mogelijk),
                "verlengingstermijn": record.verlengingstermijn.isoformat() if record.verlengingstermijn else None,
            }
            row = existing.get(record.url)
            if row is None:
                row = ZaakType(url=record.url, **values)
                db.session.add(row)
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        existing_rt = {rt.url: rt for rt in db.session.scalars(select(ResultaatType))}
        for rt in self.client.iter_resultaattypen():
            values = {"zaaktype_url": rt.zaaktype or "", "omschrijving": rt.omschrijving or "",
                      "archiefnominatie": rt.archiefnominatie,
                      "archiefactietermijn": rt.archiefactietermijn.isoformat() if rt.archiefactietermijn else None,
                      "afleidingswijze": rt.afleidingswijze}
            row = existing_rt.get(rt.url)
            if row is None:
                db.session.add(ResultaatType(url=rt.url, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        db.session.flush()
        self.zaaktype_ids = dict(db.session.execute(select(ZaakType.url, ZaakType.id)).all())
        self.resultaattypen = dict(db.session.execute(select(ResultaatType.url, ResultaatType.id)).all())
        self.team_ids = dict(db.session.execute(select(Team.identificatie, Team.id)).all())
        self.team_names = dict(db.session.execute(select(Team.id, Team.naam)).all())
        db.session.commit()

    def team_id(self, rol: Rol) -> int | None:
        """The team row for the rol's organisatorische eenheid (created or renamed when needed)."""
        if not rol.identificatie:
            return None
        team_id = self.team_ids.get(rol.identificatie)
        naam = (rol.naam or rol.identificatie)[:200]
        if team_id is None:
            team = Team(identificatie=rol.identificatie[:100], naam=naam)
            db.session.add(team)
            db.session.flush()
            team_id = self.team_ids[rol.identificatie] = team.id
        elif self.team_names.get(team_id) != naam:
            db.session.execute(update(Team).where(Team.id == team_id).values(naam=naam))
        self.team_names[team_id] = naam
        return team_id

