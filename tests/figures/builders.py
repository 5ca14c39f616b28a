"""Insert mirror rows directly, with the derived columns set by hand (no sync involved).

Organisations are the demo configuration's four; `org="onbekend"` gives a zaak of an RSIN that is not
configured (organisatie_id NULL). Dates are given as 'YYYY-MM-DD' strings for readability.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from duo_zaak.db import db
from duo_zaak.models import ArchiefTaak, Organisatie, Snapshot, TaakGebeurtenis, Team, Zaak, ZaakType

P = date(2026, 5, 15)
ZAAK_FIELDS = ("registratiedatum", "startdatum", "einddatum", "fatale_datum", "streefdatum",
               "uiterlijke_einddatum_afdoening", "aanvullen_vervalt", "vernietigen_vervalt", "overbrengen_vervalt",
               "archiveren_vervalt", "archiefactiedatum", "vernietigd_op")
_numbers = itertools.count(1)


def d(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


class World:
    """Organisations, teams and zaaktypen of a test, plus helpers to add zaken, tasks and snapshots."""

    def __init__(self, organisaties: list[dict[str, str]]) -> None:
        self.orgs: dict[str, Organisatie] = {}
        for item in organisaties:
            org = Organisatie(rsin=item["rsin"], code=item["code"], naam=item["naam"])
            db.session.add(org)
            self.orgs[item["code"]] = org
        self.teams: dict[str, Team] = {}
        self.zaaktype = ZaakType(url="http://zt/1", identificatie="ZT-1", omschrijving="Vergunning",
                                 doorlooptijd="P56D", doorlooptijd_bruikbaar=True)
        self.zaaktype_zonder = ZaakType(url="http://zt/2", identificatie="ZT-2", omschrijving="Klacht",
                                        doorlooptijd=None, doorlooptijd_bruikbaar=False)
        db.session.add_all([self.zaaktype, self.zaaktype_zonder])
        db.session.flush()

    def team(self, identificatie: str | None) -> Team | None:
        if identificatie is None:
            return None
        if identificatie not in self.teams:
            team = Team(identificatie=identificatie, naam=f"Team {identificatie}")
            db.session.add(team)
            db.session.flush()
            self.teams[identificatie] = team
        return self.teams[identificatie]

    def zaak(self, org: str = "diemen", team: str | None = "OE-A", *, zaaktype: str = "known",
             identificatie: str | None = None, **fields: Any) -> Zaak:
        """A zaak; `zaaktype` is "known", "zonder" (no usable doorlooptijd) or "onbekend"."""
        number = next(_numbers)
        organisatie = self.orgs.get(org)
        team_row = self.team(team)
        zaaktype_row = {"known": self.zaaktype, "zonder": self.zaaktype_zonder, "onbekend": None}[zaaktype]
        values: dict[str, Any] = {
            "url": f"http://zaken/{number}", "identificatie": identificatie or f"ZAAK-{number:06d}",
            "bronorganisatie": organisatie.rsin if organisatie else "123456782",
            "zaaktype_url": zaaktype_row.url if zaaktype_row else "http://zt/onbekend",
            "startdatum": "2026-01-01", "archiefstatus": "nog_te_archiveren",
            "resultaat_url": "http://resultaat" if fields.get("einddatum") else None,
            "organisatie_id": organisatie.id if organisatie else None,
            "team_id": team_row.id if team_row else None,
            "zaaktype_id": zaaktype_row.id if zaaktype_row else None,
        }
        values.update(fields)
        for name in ZAAK_FIELDS:
            if name in values:
                values[name] = d(values[name])
        zaak = Zaak(**values)
        db.session.add(zaak)
        db.session.flush()
        return zaak

    def task(self, zaak: Zaak, soort: str, status: str = "open", vervaldatum: str | None = None) -> ArchiefTaak:
        column = {"archiefgegevens_aanvullen": "aanvullen_vervalt"}.get(soort, f"{soort}_vervalt")
        due = d(vervaldatum) or getattr(zaak, column) or P
        task = ArchiefTaak(zaak_id=zaak.id, soort=soort, status=status, vervaldatum=due)
        db.session.add(task)
        db.session.flush()
        return task

    def event(self, task: ArchiefTaak, naar: str, datum: str, van: str = "open") -> None:
        db.session.add(TaakGebeurtenis(taak_id=task.id, gebeurtenis=naar, van_status=van, naar_status=naar,
                                       datum=d(datum)))

    @staticmethod
    def snapshot(datum: str | date, metriek: str, teller: int | None, *, organisatie: str = "*", team: str = "*",
                 voldoet: bool | None = None, noemer: int | None = None) -> None:
        db.session.add(Snapshot(datum=d(datum), organisatie=organisatie, team=team, metriek=metriek, teller=teller,
                                noemer=noemer, waarde=None if teller is None else float(teller), voldoet=voldoet))


PAST = date(2026, 3, 31)  # a Tuesday: a past peildatum for `past_world`


def past_world(world: World) -> dict[str, Zaak]:
    """Zaken around a past peildatum 31-03-2026 (all Diemen, OE-A)."""
    z = {}
    z["closed_after"] = world.zaak(registratiedatum="2026-01-05", startdatum="2026-01-05", einddatum="2026-04-10",
                                   fatale_datum="2026-03-20", streefdatum="2026-03-20")  # open on P: 11 days over
    z["registered_after"] = world.zaak(registratiedatum="2026-04-02", startdatum="2026-03-25",
                                       fatale_datum="2026-05-20")  # started before P, registered after it
    z["closed_on"] = world.zaak(registratiedatum="2026-01-05", einddatum="2026-03-31",
                                fatale_datum="2026-03-01")  # closed on P itself: not open on P
    z["destroyed"] = world.zaak(registratiedatum="2026-01-05", einddatum="2026-04-15", vernietigd_op="2026-05-01",
                                fatale_datum="2026-03-01")  # closed after P, but destroyed: never counted
    z["no_registratie"] = world.zaak(startdatum="2026-03-31", fatale_datum="2026-05-26",
                                     streefdatum="2026-05-26")  # no registratiedatum: counts from startdatum = P
    z["no_registratie_later"] = world.zaak(startdatum="2026-04-01", fatale_datum="2026-05-27")  # from 01-04
    z["registered_on"] = world.zaak(registratiedatum="2026-03-31", startdatum="2026-03-31", opgeschort=True,
                                    fatale_datum="2026-03-30")  # registered on P; suspended (as it is now)
    z["due_on"] = world.zaak(registratiedatum="2025-12-01", startdatum="2025-12-01", fatale_datum="2026-03-31",
                             streefdatum="2026-03-31")  # open on P, deadline that day: op tijd, due soon
    db.session.commit()
    return z

