"""Benchmark of the e-mail signalering: one full run of the worker for 200 users on a large mirror; prints a table.

    python -m bench.signalering --zaken 1000000 --users 200
    python -m bench.signalering --zaken 100000 --users 200 --no-reuse

The mirror is written straight into a SQLite database (bench/data/signalering-<N>.db, kept and reused; the
schema by the migrations), with the derived columns the sync would store: going through the mock InProces and a
full sync (bench/run.py) takes longer than this benchmark may, and the signalering reads only the mirror. The
data: four organisations with 15 teams each, 8% of the zaken open (started in the last 120 days, fatale datum
start + 56 days, so about half is over it; 5% suspended), the closed ones with archive due dates, 20,000 archive
tasks (1 in 8 `niet_bevestigd`, marks by the PiA users), snapshots of a week and a month before.

The run is the worker's `run_due` on Monday 01-06-2026 07:30, the first working day of June: every kind is due
(team-lead weekly and daily, PiA weekly, programme monthly). 200 users: 150 team leads (one or two teams each),
30 PiA, 15 programme team, 5 beheerders (who get nothing by default). A real SMTP server on loopback (aiosmtpd)
takes the mail. Measured: deciding (figures, content, outbox, sent-log, one transaction per message) and
delivering, per kind the time to build one message, and a second run that finds everything done.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bench" / "data"
DAY = date(2026, 6, 1)  # a Monday and the first working day of June
NOW = datetime(2026, 6, 1, 5, 30, tzinfo=UTC)  # 07:30 in Amsterdam
TEAMS_PER_ORG = 15
OPEN_SHARE = 0.08
TASKS = 20_000
BATCH = 50_000


def _app(path: Path, smtp_port: int):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(REPO))
    from duo_zaak import create_app

    return create_app({"MODE": "development", "SECRET_KEY": "bench-signalering", "SQLALCHEMY_DATABASE_URI":
                       f"sqlite:///{path}", "MAIL_SERVER": "127.0.0.1",
                       "MAIL_PORT": smtp_port, "MAIL_USE_TLS": "geen", "MAIL_SENDER": "duo-zaak <bench@duo.test>",
                       "BASE_URL": "https://duo-zaak.test"})


def build_mirror(app, zaken: int) -> float:  # type: ignore[no-untyped-def]
    """Write the mirror, tasks and snapshots; returns seconds."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from duo_zaak.db import db
    from duo_zaak.models import ArchiefTaak, Organisatie, Snapshot, TaakGebeurtenis, Team, Zaak, ZaakType

    started = time.perf_counter()
    rng = random.Random(42)
    with app.app_context():
        upgrade()
        orgs = []
        for item in app.config["ORGANISATIES"]:
            org = Organisatie(rsin=item["rsin"], code=item["code"], naam=item["naam"])
            db.session.add(org)
            orgs.append(org)
        zaaktype = ZaakType(url="http://zt/1", identificatie="ZT-1", omschrijving="Omgevingsvergunning",
                            doorlooptijd="P56D", doorlooptijd_bruikbaar=True)
        db.session.add(zaaktype)
        db.session.flush()
        teams = []
        for org in orgs:
            for n in range(TEAMS_PER_ORG):
                team = Team(identificatie=f"OE-{org.code.upper()}-{n:02d}", naam=f"Team {n:02d} {org.naam}")
                db.session.add(team)
                teams.append((team, org))
        db.session.flush()
        written = datetime.now(UTC) - timedelta(days=30)
        rows = []
        for i in range(zaken):
            team, org = teams[rng.randrange(len(teams))]
            row = {"url": f"http://bron/zaken/{i}", "uuid": f"{i:032d}", "identificatie": f"ZAAK-{i:09d}",
                   "bronorganisatie": org.rsin, "zaaktype_url": zaaktype.url, "omschrijving": f"Zaak {i}",
                   "organisatie_id": org.id, "team_id": None if rng.random() < 0.01 else team.id,
                   "zaaktype_id": zaaktype.id, "eerst_gezien": written, "gewijzigd_op": written,
                   "archiefstatus": "nog_te_archiveren"}
            if rng.random() < OPEN_SHARE:
                start = DAY - timedelta(days=rng.randrange(0, 121))
                fatale = start + timedelta(days=56)
                row.update(startdatum=start, registratiedatum=start, fatale_datum=fatale,
                           streefdatum=fatale - timedelta(days=14), opgeschort=rng.random() < 0.05)
            else:
                eind = DAY - timedelta(days=rng.randrange(1, 3650))
                start = eind - timedelta(days=rng.randrange(5, 120))
                row.update(startdatum=start, registratiedatum=start, einddatum=eind,
                           fatale_datum=start + timedelta(days=56), streefdatum=start + timedelta(days=42),
                           resultaat_url="http://bron/resultaat", archiefnominatie="vernietigen")
                draw = rng.random()
                if draw < 0.10:
                    row["archiveren_vervalt"] = eind + timedelta(days=30)
                elif draw < 0.15:
                    row.update(archiefstatus="gearchiveerd", archiefactiedatum=eind + timedelta(days=365),
                               vernietigen_vervalt=eind + timedelta(days=365))
                else:
                    row["archiefstatus"] = "gearchiveerd"
            rows.append(row)
            if len(rows) == BATCH:
                db.session.execute(insert(Zaak), rows)
                rows = []
        if rows:
            db.session.execute(insert(Zaak), rows)
        db.session.commit()
        _tasks_and_snapshots(db, rng, teams, orgs, ArchiefTaak, TaakGebeurtenis, Snapshot, Zaak)
        db.session.remove()
        db.engine.dispose()  # the last connection closed: SQLite checkpoints the WAL into the file we copy
    return time.perf_counter() - started


def _tasks_and_snapshots(db, rng, teams, orgs, ArchiefTaak, TaakGebeurtenis, Snapshot, Zaak):  # type: ignore[no-untyped-def]  # noqa: N803
    from sqlalchemy import insert, select

    due = list(db.session.execute(select(Zaak.id, Zaak.archiveren_vervalt).where(
        Zaak.archiveren_vervalt.is_not(None), Zaak.archiveren_vervalt <= DAY).limit(TASKS)).all())
    statuses = ["open"] * 6 + ["niet_bevestigd", "gemeld_gereed"]
    tasks = [{"zaak_id": zaak_id, "soort": "archiveren", "vervaldatum": vervalt, "status": rng.choice(statuses)}
             for zaak_id, vervalt in due]
    db.session.execute(insert(ArchiefTaak), tasks)
    db.session.commit()
    marked = list(db.session.execute(select(ArchiefTaak.id, ArchiefTaak.status)
                                     .where(ArchiefTaak.status.in_(["niet_bevestigd", "gemeld_gereed"]))).all())
    events = []
    for task_id, status in marked:
        events.append({"taak_id": task_id, "gebeurtenis": "gemeld_gereed", "van_status": "open",
                       "naar_status": "gemeld_gereed", "datum": DAY - timedelta(days=20), "gebruiker_id": None})
        if status == "niet_bevestigd":
            events.append({"taak_id": task_id, "gebeurtenis": "niet_bevestigd", "van_status": "gemeld_gereed",
                           "naar_status": "niet_bevestigd", "datum": DAY - timedelta(days=rng.randrange(0, 14)),
                           "gebruiker_id": None})
    db.session.execute(insert(TaakGebeurtenis), events)
    snapshots = []
    for team, _ in teams:
        for metric in ("open", "termijn_overschreden"):
            value = rng.randrange(100, 2000)
            snapshots.append({"datum": DAY - timedelta(days=7), "organisatie": "*", "team": team.identificatie,
                              "metriek": metric, "teller": value, "waarde": float(value)})
    for org in orgs:
        for code in ("Z1", "Z2", "Z3", "A1", "A2", "A3", "A4"):
            value = rng.uniform(0, 100)
            snapshots.append({"datum": DAY - timedelta(days=31), "organisatie": org.code, "team": "*",
                              "metriek": code, "teller": int(value), "noemer": 100, "waarde": round(value, 1),
                              "voldoet": value > 50})
    db.session.execute(insert(Snapshot), snapshots)
    db.session.commit()


def make_users(app, users: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """150 team leads, 30 PiA, 15 programme team, 5 beheerders per 200 (cheap password hashes)."""
    from werkzeug.security import generate_password_hash

    from duo_zaak.db import db
    from duo_zaak.models import ArchiefTaak, Gebruiker, GebruikerTeam, TaakGebeurtenis, Team

    shares = {"teamleider": 0.75, "pia": 0.15, "programmateam": 0.075}
    counts = {role: round(users * share) for role, share in shares.items()}
    counts["beheerder"] = users - sum(counts.values())
    rng = random.Random(7)
    password = generate_password_hash("bench-wachtwoord-123", method="pbkdf2:sha256:1")
    with app.app_context():
        team_ids = list(db.session.scalars(db.select(Team.identificatie).order_by(Team.id)))
        pia_ids = []
        for role, count in counts.items():
            for n in range(count):
                user = Gebruiker(gebruikersnaam=f"{role}-{n:03d}", naam=f"{role} {n}", rol=role,
                                 wachtwoord_hash=password, email=f"{role}-{n:03d}@duo.test")
                if role == "teamleider":
                    user.teams = [GebruikerTeam(team_identificatie=t)
                                  for t in sorted(set(rng.sample(team_ids, rng.choice((1, 1, 2)))))]
                db.session.add(user)
                db.session.flush()
                if role == "pia":
                    pia_ids.append(user.id)
        # spread the marks over the PiA users
        marks = list(db.session.scalars(db.select(TaakGebeurtenis).where(TaakGebeurtenis.gebeurtenis ==
                                                                         "gemeld_gereed")))
        for index, event in enumerate(marks):
            event.gebruiker_id = pia_ids[index % len(pia_ids)]
        for index, task in enumerate(db.session.scalars(db.select(ArchiefTaak).where(
                ArchiefTaak.status == "gemeld_gereed"))):
            task.gemeld_door_id = pia_ids[index % len(pia_ids)]
        db.session.commit()
    return counts


def measure(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from duo_zaak.db import db
    from duo_zaak.notify import content, outbox
    from duo_zaak.notify import signalering as worker

    per_kind: dict[str, list[float]] = defaultdict(list)
    original = content.build

    def timed(user, soort, day, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original(user, soort, day, **kwargs)
        finally:
            per_kind[soort].append(time.perf_counter() - started)

    content.build = timed  # type: ignore[assignment]
    delivered = {"s": 0.0}
    original_deliver = outbox.deliver

    def timed_deliver(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return original_deliver(*args, **kwargs)
        finally:
            delivered["s"] += time.perf_counter() - started

    worker.outbox.deliver = timed_deliver  # type: ignore[assignment]
    try:
        with app.app_context():
            started = time.perf_counter()
            first = worker.run_due(NOW)
            total = time.perf_counter() - started
            db.session.remove()
            started = time.perf_counter()
            second = worker.run_due(NOW + timedelta(minutes=5))
            again = time.perf_counter() - started
            db.session.remove()
    finally:
        content.build = original  # type: ignore[assignment]
        worker.outbox.deliver = original_deliver  # type: ignore[assignment]
    return {"first": first, "total": total, "deliver": delivered["s"], "second": second, "again": again,
            "per_kind": dict(per_kind)}


def render(result: dict[str, object], zaken: int, users: dict[str, int], build_s: float | None, received: int) -> str:
    first, second = result["first"], result["second"]
    per_kind: dict[str, list[float]] = result["per_kind"]  # type: ignore[assignment]
    lines = [f"## Signalering: {zaken:,} zaken, {sum(users.values())} gebruikers — {date.today().isoformat()} — "
             f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, SQLite", "",
             "| meting | waarde |", "|---|---|"]
    if build_s is not None:
        lines.append(f"| spiegel opbouwen (s) | {build_s:.0f} |")
    lines += [
        f"| gebruikers (teamleider / pia / programmateam / beheerder) | {users['teamleider']} / {users['pia']} / "
        f"{users['programmateam']} / {users['beheerder']} |",
        f"| volledige run, maandag 01-06-2026 (s) | {result['total']:.1f} |",
        f"| waarvan besluiten: inhoud, wachtrij, verzendlog (s) | {result['total'] - result['deliver']:.1f} |",
        f"| waarvan bezorgen via SMTP (s) | {result['deliver']:.1f} |",
        f"| berichten in de wachtrij / zonder iets te melden / bezorgd / ontvangen | {first.in_wachtrij} / "
        f"{first.niets_te_melden} / {first.bezorging.verzonden} / {received} |",
        f"| tweede run dezelfde dag (s; berichten) | {result['again']:.2f}; {second.in_wachtrij} |",
        f"| piek-RSS (MB) | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} |",
    ]
    for soort, times in sorted(per_kind.items()):
        ordered = sorted(times)
        lines.append(f"| {soort}: n / mediaan / max / totaal (ms, ms, ms, s) | {len(times)} / "
                     f"{statistics.median(ordered) * 1000:.0f} / {ordered[-1] * 1000:.0f} / {sum(times):.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zaken", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--no-reuse", action="store_true", help="Bouw de spiegel opnieuw op.")
    parser.add_argument("--write", action="store_true", help="Voeg de tabel toe aan bench/RESULTS.md.")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from tests.notify.smtp import SmtpServer

    DATA.mkdir(parents=True, exist_ok=True)
    mirror = DATA / f"signalering-{args.zaken}.db"
    path = DATA / f"signalering-{args.zaken}-run.db"
    smtp = SmtpServer()
    smtp.start()
    try:
        build_s = None
        if args.no_reuse or not mirror.exists():
            mirror.unlink(missing_ok=True)
            build_s = build_mirror(_app(mirror, smtp.port), args.zaken)
            print(f"spiegel opgebouwd in {build_s:.0f} s", flush=True)
        path.unlink(missing_ok=True)
        os.system(f"cp '{mirror}' '{path}'")  # noqa: S605 - a fresh copy per run: users, logs and outbox are new
        app = _app(path, smtp.port)
        users = make_users(app, args.users)
        result = measure(app)
        table = render(result, args.zaken, users, build_s, len(smtp.received))
    finally:
        smtp.stop()
    print(table)
    if args.write:
        with open(REPO / "bench" / "RESULTS.md", "a") as handle:
            handle.write(f"\n<!-- {datetime.now().isoformat(timespec='seconds')} -->\n" + table)


if __name__ == "__main__":
    main()
