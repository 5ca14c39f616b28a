"""Deterministic demo data for a seed, size and peildatum, written to the mock's database in batches.

Every zaak draws from its own `random.Random(base + index)`, so its plan can be drawn twice: once to learn
its registration date, once to build it. Zaken are then created in registration order (identificaties
count up per year like Open Zaak's) while memory stays at a few bytes per zaak.
"""

from __future__ import annotations

import json
import random
from array import array
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from .catalogue import Team, ZaaktypeInfo, build_catalogue, new_uuid
from .db import Database, resultaat_row, rol_row, status_row, zaak_row
from .resources import CATALOGI_PREFIX, ZAKEN_PREFIX, dumps
from .scenarios import DESTROYED_SHARE, VERLENGING_REDENEN, Plan, Planner, rand_between

BATCH = 10_000
VOORNAMEN = ("Anna", "Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Sophie", "Noah", "Fatima", "Mohammed",
             "Lotte", "Jan", "Eva", "Thijs", "Sara", "Bram", "Yara", "Ruben")
ACHTERNAMEN = ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
               "de Boer", "Bos", "Vos", "Peters", "Hendriks", "El Amrani", "Yilmaz", "Dekker", "Brouwer", "van Dijk")
STRATEN = ("Kerkstraat", "Dorpsstraat", "Stationsweg", "Amstelkade", "Zuidsingel", "Wilhelminalaan", "Schoolstraat",
           "Burgemeester Kasteleinweg", "Ouderkerkerlaan", "Diemerpark", "Molenweg", "Prinses Irenelaan", "Vinkenlaan")
Progress = Callable[[int, int], None]


def generate(
    db: Database, *, seed: int, zaken: int, peildatum: date, progress: Progress | None = None,
) -> dict[str, Any]:
    """Fill an empty database; returns a summary (also stored in the meta table)."""
    rng = random.Random(seed)
    catalogue = build_catalogue(rng)
    db.bulk_insert("catalogi", [(kind, uuid, dumps(body)) for kind, uuid, body in catalogue.resources])
    planner = Planner(catalogue.zaaktypen, peildatum)
    unknown = [f"{CATALOGI_PREFIX}/zaaktypen/{new_uuid(rng)}" for _ in range(2)]
    total = zaken + max(1, round(zaken * DESTROYED_SHARE / 100))
    base = rng.getrandbits(48)

    def plan(index: int) -> tuple[random.Random, Plan]:
        zaak_rng = random.Random(base + index)
        return zaak_rng, planner.plan(zaak_rng, index, None if index < zaken else "vernietigd")

    registered = array("i", (plan(index)[1].registratie.toordinal() for index in range(total)))
    builder = _Builder(db, unknown, peildatum)
    for done, index in enumerate(sorted(range(total), key=registered.__getitem__), start=1):
        builder.add(*plan(index))
        if done % BATCH == 0:
            builder.flush()
            if progress:
                progress(done, total)
    builder.flush()
    summary = {
        "zaken": zaken, "vernietigd": total - zaken, "scenarios": dict(sorted(builder.scenarios.items())),
        "modifiers": dict(sorted(builder.modifiers.items())),
        "organisaties": {rsin: builder.organisaties[rsin] for rsin in sorted(builder.organisaties)},
    }
    db.set_meta({"counters": json.dumps(builder.counters), "summary": json.dumps(summary)})
    return summary


def bsn(rng: random.Random) -> str:
    """A test BSN (999...) that passes the 11-proef."""
    while True:
        digits = [9, 9, 9] + [rand_between(rng, 0, 9) for _ in range(5)]
        check = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _bsn_pool(size: int = 5000) -> tuple[str, ...]:
    """Initiators are drawn from a fixed pool: a BSN per zaak would cost more than the rest of a rol."""
    rng = random.Random(0)
    return tuple(bsn(rng) for _ in range(size))


def _moment(rng: random.Random, day: date, micro: bool) -> str:
    """A UTC time on `day` in office hours, as Open Zaak writes it (rollen with microseconds)."""
    seconds, micros = divmod(int(rng.random() * 36_000_000_000), 1_000_000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    text = f"{day.isoformat()}T{hour + 7:02d}:{minute:02d}:"
    return text + (f"{second:02d}.{micros:06d}Z" if micro else "00Z")


class _Builder:
    """Turns plans into table rows and writes them per batch."""

    def __init__(self, db: Database, unknown_zaaktypen: list[str], peildatum: date) -> None:
        self.db = db
        self.unknown = unknown_zaaktypen
        self.peildatum = peildatum
        self.rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in ("zaken", "rollen", "resultaten", "statussen",
                                                                       "verwijderd")}
        self.bsns = _bsn_pool()
        self.counters: dict[str, int] = {}
        self.last_identificatie: dict[str, str] = {}
        self.scenarios: Counter[str] = Counter()
        self.modifiers: Counter[str] = Counter()
        self.organisaties: Counter[str] = Counter()

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.db.bulk_insert(table, rows)
                rows.clear()

    def _identificatie(self, plan: Plan) -> str:
        if "dubbele_identificatie" in plan.modifiers and plan.rsin in self.last_identificatie:
            return self.last_identificatie[plan.rsin]
        year = str(plan.start.year)
        self.counters[year] = self.counters.get(year, 0) + 1
        identificatie = f"ZAAK-{year}-{self.counters[year]:010d}"
        self.last_identificatie[plan.rsin] = identificatie
        return identificatie

    def add(self, rng: random.Random, plan: Plan) -> None:
        zaak_uuid = new_uuid(rng)
        identificatie = self._identificatie(plan)
        if plan.scenario == "vernietigd":
            gone = self.peildatum - timedelta(days=rand_between(rng, 1, 365))
            self.rows["verwijderd"].append((zaak_uuid, identificatie, plan.rsin, gone.isoformat()))
            return
        self.scenarios[plan.scenario] += 1
        self.modifiers.update(plan.modifiers)
        self.organisaties[plan.rsin] += 1
        zaak_path = f"{ZAKEN_PREFIX}/zaken/{zaak_uuid}"
        zt = plan.zaaktype
        voornaam, achternaam = rng.choice(VOORNAMEN), rng.choice(ACHTERNAMEN)
        omschrijving = rng.choice(zt.definitie.onderwerpen).format(
            a=f"{rng.choice(STRATEN)} {rand_between(rng, 1, 180)}", o=f"{voornaam[0]}. {achternaam}")
        zaak: dict[str, Any] = {
            "identificatie": identificatie, "bronorganisatie": plan.rsin, "omschrijving": omschrijving,
            "zaaktype": rng.choice(self.unknown) if "onbekend_zaaktype" in plan.modifiers else zt.path,
            "registratiedatum": plan.registratie.isoformat(), "verantwoordelijkeOrganisatie": plan.rsin,
            "startdatum": plan.start.isoformat(), "vertrouwelijkheidaanduiding": zt.definitie.vertrouwelijkheid,
        }
        dates = {"einddatum": plan.eind, "einddatumGepland": plan.gepland,
                 "uiterlijkeEinddatumAfdoening": plan.uiterste, "archiefactiedatum": plan.archiefactiedatum}
        for key, value in dates.items():
            if value is not None:
                zaak[key] = value.isoformat()
        if plan.verlenging:
            zaak["verlenging"] = {"reden": rng.choice(VERLENGING_REDENEN), "duur": plan.verlenging}
        if plan.opschorting:
            zaak["opschorting"] = {"indicatie": True, "eerdereOpschorting": True, "reden": plan.opschorting}
        zaak["rollen"] = self._rollen(rng, plan, zaak_path, voornaam, achternaam)
        zaak["status"] = self._statussen(rng, plan, zaak_path)
        if plan.archiefnominatie is not None:
            zaak["archiefnominatie"] = plan.archiefnominatie
        if plan.archiefstatus != "nog_te_archiveren":
            zaak["archiefstatus"] = plan.archiefstatus
        if plan.resultaat is not None:
            resultaat_uuid = new_uuid(rng)
            zaak["resultaat"] = f"{ZAKEN_PREFIX}/resultaten/{resultaat_uuid}"
            zaak["startdatumBewaartermijn"] = zaak["einddatum"]
            self.rows["resultaten"].append(resultaat_row(resultaat_uuid, {"zaak": zaak_path,
                                                                          "resultaattype": plan.resultaat[0]}))
        tags = " ".join([plan.scenario, *plan.modifiers])
        self.rows["zaken"].append(zaak_row(zaak_uuid, zaak, f" {tags} "))

    def _rollen(self, rng: random.Random, plan: Plan, zaak_path: str, voornaam: str, achternaam: str) -> list[str]:
        """Behandelaar, initiator, then a later behandelaar (taking over), in creation order."""
        zt: ZaaktypeInfo = plan.zaaktype
        start = min(plan.registratie, plan.start)
        initiator_path, initiator = zt.roltypen["initiator"]
        paths = [self._behandelaar(rng, zt, plan.teams[0], zaak_path, start)] if plan.teams else []
        paths.append(self._rol(rng, {
            "zaak": zaak_path, "betrokkeneType": "natuurlijk_persoon", "roltype": initiator_path,
            "omschrijving": initiator, "omschrijvingGeneriek": "initiator", "roltoelichting": "Aanvrager/melder",
            "registratiedatum": _moment(rng, start, True),
            "betrokkeneIdentificatie": {"inpBsn": rng.choice(self.bsns), "geslachtsnaam": achternaam,
                                        "voornamen": voornaam},
        }))
        for team in plan.teams[1:]:
            later = min(self.peildatum, start + timedelta(days=rand_between(rng, 1, 20)))
            paths.append(self._behandelaar(rng, zt, team, zaak_path, later))
        return paths

    def _behandelaar(self, rng: random.Random, zt: ZaaktypeInfo, team: Team, zaak_path: str, day: date) -> str:
        roltype, omschrijving = zt.roltypen["behandelaar"]
        return self._rol(rng, {
            "zaak": zaak_path, "betrokkeneType": "organisatorische_eenheid", "roltype": roltype,
            "omschrijving": omschrijving, "omschrijvingGeneriek": "behandelaar",
            "roltoelichting": f"Behandelend team: {team.naam}", "registratiedatum": _moment(rng, day, True),
            "betrokkeneIdentificatie": {"identificatie": team.identificatie, "naam": team.naam},
        })

    def _rol(self, rng: random.Random, rol: dict[str, Any]) -> str:
        rol_uuid = new_uuid(rng)
        self.rows["rollen"].append(rol_row(rol_uuid, rol))
        return f"{ZAKEN_PREFIX}/rollen/{rol_uuid}"

    def _statussen(self, rng: random.Random, plan: Plan, zaak_path: str) -> str | None:
        statustypen = plan.zaaktype.statustypen
        path = None
        for number, day in enumerate(plan.status_dates):
            last = number == len(plan.status_dates) - 1
            statustype = statustypen[-1] if plan.eind is not None and last else statustypen[min(number, 1)]
            status_uuid = new_uuid(rng)
            path = f"{ZAKEN_PREFIX}/statussen/{status_uuid}"
            status = {"zaak": zaak_path, "statustype": statustype, "datumStatusGezet": _moment(rng, day, False)}
            if last:
                status["indicatieLaatstGezetteStatus"] = True
            self.rows["statussen"].append(status_row(status_uuid, status))
        return path

