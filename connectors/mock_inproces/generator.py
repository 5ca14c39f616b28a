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
from datetime import UTC, date, datetime, timedelta
from typing import Any

from .catalogue import Team, ZaaktypeInfo, build_catalogue, new_uuid
from .db import Database, resultaat_row, rol_row, status_row, zaak_row
from .resources import CATALOGI_PREFIX, ZAKEN_PREFIX, dumps, served_durations
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
    now: datetime | None = None,
) -> dict[str, Any]:
    """Fill an empty database; returns a summary (also stored in the meta table).

    The data is deterministic per seed, size and peildatum, except that with a peildatum of today (or
    earlier) no rol is registered after `now` (default: the current time), as on Open Zaak."""
    rng = random.Random(seed)
    catalogue = build_catalogue(rng)
    db.bulk_insert("catalogi", [(kind, uuid, dumps(served_durations(body)))
                                for kind, uuid, body in catalogue.resources])
    planner = Planner(catalogue.zaaktypen, peildatum)
    unknown = [f"{CATALOGI_PREFIX}/zaaktypen/{new_uuid(rng)}" for _ in range(2)]
    total = zaken + max(1, round(zaken * DESTROYED_SHARE / 100))
    base = rng.getrandbits(48)

    def plan(index: int) -> tuple[random.Random, Plan]:
        zaak_rng = random.Random(base + index)
        return zaak_rng, planner.plan(zaak_rng, index, None if index < zaken else "vernietigd")

    registered = array("i", (plan(index)[1].registratie.toordinal() for index in range(total)))
    now = now or datetime.now(UTC)
    latest = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if peildatum <= now.date() + timedelta(days=1) else None
    builder = _Builder(db, unknown, peildatum, latest)
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

    def __init__(self, db: Database, unknown_zaaktypen: list[str], peildatum: date, latest: str | None) -> None:
        self.db = db
        self.unknown = unknown_zaaktypen
        self.peildatum = peildatum
        self.latest = latest  # no rol registered after this moment (None: no limit)
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
        """Behandelaar, initiator, then a later behandelaar (taking over), in creation order. A rol's
        registratiedatum is its creation time on Open Zaak, so the times follow that order."""
        zt: ZaaktypeInfo = plan.zaaktype
        start = min(plan.registratie, plan.start)
        initiator_path, initiator = zt.roltypen["initiator"]
        made = [(start, self._behandelaar(zt, plan.teams[0], zaak_path))] if plan.teams else []
        made.append((start, {
            "zaak": zaak_path, "betrokkeneType": "natuurlijk_persoon", "roltype": initiator_path,
            "omschrijving": initiator, "omschrijvingGeneriek": "initiator", "roltoelichting": "Aanvrager/melder",
            "betrokkeneIdentificatie": {"inpBsn": rng.choice(self.bsns), "geslachtsnaam": achternaam,
                                        "voornamen": voornaam},
        }))
        for team in plan.teams[1:]:
            later = min(self.peildatum, start + timedelta(days=rand_between(rng, 1, 20)))
            made.append((later, self._behandelaar(zt, team, zaak_path)))
        paths = []
        for moment, (_, rol) in zip(sorted(_moment(rng, day, True) for day, _ in made), made, strict=True):
            rol["registratiedatum"] = min(moment, self.latest) if self.latest else moment
            rol_uuid = new_uuid(rng)
            self.rows["rollen"].append(rol_row(rol_uuid, rol))
            paths.append(f"{ZAKEN_PREFIX}/rollen/{rol_uuid}")
        return paths

    @staticmethod
    def _behandelaar(zt: ZaaktypeInfo, team: Team, zaak_path: str) -> dict[str, Any]:
        roltype, omschrijving = zt.roltypen["behandelaar"]
        return {
            "zaak": zaak_path, "betrokkeneType": "organisatorische_eenheid", "roltype": roltype,
            "omschrijving": omschrijving, "omschrijvingGeneriek": "behandelaar",
            "roltoelichting": f"Behandelend team: {team.naam}",
            "betrokkeneIdentificatie": {"identificatie": team.identificatie, "naam": team.naam},
        }

    def _statussen(self, rng: random.Random, plan: Plan, zaak_path: str) -> str | None:
        """The statussen in the order they were set; the zaak's status is the one set latest (Open Zaak),
        which is not the eindstatus when that was dated before an earlier status."""
        statustypen = plan.zaaktype.statustypen
        made = []
        for number, day in enumerate(plan.status_dates):
            last = number == len(plan.status_dates) - 1
            statustype = statustypen[-1] if plan.eind is not None and last else statustypen[min(number, 1)]
            made.append((new_uuid(rng), {"zaak": zaak_path, "statustype": statustype,
                                         "datumStatusGezet": _moment(rng, day, False)}))
        if not made:
            return None
        current = max(range(len(made)), key=lambda n: (made[n][1]["datumStatusGezet"], n))
        made[current][1]["indicatieLaatstGezetteStatus"] = True
        for status_uuid, status in made:
            self.rows["statussen"].append(status_row(status_uuid, status))
        return f"{ZAKEN_PREFIX}/statussen/{made[current][0]}"
