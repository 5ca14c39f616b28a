"""The PiA weekly and the programme monthly on hand-built rows, the previews and the dry run on the command
line; what the CLI prints is the same message the worker sends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from duo_zaak.accounts import set_email
from duo_zaak.db import db
from duo_zaak.models import Gebruiker, Snapshot, TaakGebeurtenis
from duo_zaak.notify.models import MailUitgaand, MeldingLog
from duo_zaak.notify.signalering import run_due

from ..figures.builders import World
from .test_worker import at


@pytest.fixture
def world(app, users):  # type: ignore[no-untyped-def]
    with app.app_context():
        built = World(app.config["ORGANISATIES"])
        for role, address in (("pia", "petra@duo.test"), ("programmateam", "paul@duo.test")):
            set_email(db.session.get(Gebruiker, users[role]), address, actor="test")
        db.session.commit()
        yield built
        db.session.rollback()


def test_pia_weekly(app, world, users, smtp):
    pia = users["pia"]
    z1 = world.zaak(identificatie="Z-ARCH-1", einddatum="2026-01-01", archiveren_vervalt="2026-02-01")
    z2 = world.zaak(identificatie="Z-VERN-2", einddatum="2026-01-01", vernietigen_vervalt="2026-04-01")
    z3 = world.zaak(identificatie="Z-ARCH-3", einddatum="2026-01-01", archiveren_vervalt="2026-03-01")
    z4 = world.zaak(identificatie="Z-ARCH-4", einddatum="2026-01-01", archiveren_vervalt="2026-04-15")
    z5 = world.zaak(identificatie="Z-KLAAR-5", einddatum="2026-01-01")
    t1 = world.task(z1, "archiveren", "niet_bevestigd")
    world.task(z2, "vernietigen", "niet_bevestigd")
    world.task(z3, "archiveren", "open")
    t4 = world.task(z4, "archiveren", "gemeld_gereed")
    t4.gemeld_door_id, t4.gemeld_op = pia, datetime(2026, 5, 12, 9, tzinfo=UTC)
    t5 = world.task(z5, "archiveren", "bevestigd", vervaldatum="2026-02-01")
    for task, naar, day in ((t1, "gemeld_gereed", "2026-04-01"), (t1, "niet_bevestigd", "2026-05-16"),
                            (t4, "gemeld_gereed", "2026-05-12"), (t5, "gemeld_gereed", "2026-05-01"),
                            (t5, "bevestigd", "2026-05-14")):
        world.event(task, naar, day)
        if naar == "gemeld_gereed":
            db.session.flush()
    db.session.execute(db.update(TaakGebeurtenis).where(TaakGebeurtenis.gebeurtenis == "gemeld_gereed")
                       .values(gebruiker_id=pia))
    db.session.commit()

    run_due(at("2026-05-18", 7, 30))  # Monday: the PiA weekly (the monthly of May went out too)
    (mail,) = [m for m in smtp.take() if m.rcpt_tos == ["petra@duo.test"]]
    text = mail.text
    assert mail.message["Subject"].strip() == "Weekoverzicht archief week 21: 2 taken niet bevestigd"
    # niet bevestigd: Z-ARCH-1 (due 01-02: 28 + 31 + 30 + 17 = 106 days) and Z-VERN-2 (due 01-04: 30 + 17 = 47);
    # the archive backlog: those two and the open Z-ARCH-3 = 3 (Z-ARCH-4 is gemeld gereed)
    assert "Niet bevestigd: 2 taken" in text and "Werkvoorraad archief in totaal: 3 taken." in text
    lines = [line for line in text.splitlines() if line.startswith("- Z-")]
    assert lines[0].startswith("- Z-ARCH-1 Archiveren (Team OE-A): vervallen 01-02-2026, 106 dagen open")
    assert lines[1].startswith("- Z-VERN-2 Vernietigen (Team OE-A): vervallen 01-04-2026, 47 dagen open")
    # her marks: Z-ARCH-4 waits; Z-KLAAR-5 confirmed on 14-05 and Z-ARCH-1 not on 16-05, both within 12-05..18-05
    assert "Wachten op bevestiging door de bron: 1" in text
    assert "Bevestigd van 12-05-2026 tot en met 18-05-2026: 1" in text
    assert "Niet bevestigd van 12-05-2026 tot en met 18-05-2026: 1" in text
    assert "- niet bevestigd: Z-ARCH-1 Archiveren op 16-05-2026" in text
    assert "- bevestigd: Z-KLAAR-5 Archiveren op 14-05-2026" in text


def test_programme_monthly_and_what_changed(app, world, runner, smtp):
    for fatale in ("2026-05-01", "2026-07-01", "2026-07-01", "2026-07-01"):
        world.zaak(org="diemen", fatale_datum=fatale)
    # a month before 01-06 is 01-05: the latest snapshot on or before it (30-04) had Z2 at 50,0% for Diemen
    world.snapshot("2026-04-30", "Z2", 2, organisatie="diemen", noemer=4, voldoet=False)
    db.session.execute(db.update(Snapshot).values(waarde=50.0))  # the builder stores the teller as waarde
    db.session.commit()

    dry = runner.invoke(args=["signalering", "run", "--date", "2026-06-01", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "zou versturen: prog: programma_maand 2026-06: IBT-maandoverzicht juni 2026" in dry.output
    assert db.session.scalar(select(func.count()).select_from(MeldingLog)) == 0  # a dry run writes nothing
    preview = runner.invoke(args=["signalering", "preview", "prog", "programma_maand", "--date", "2026-06-01"])
    assert preview.exit_code == 0, preview.output

    run_due(at("2026-06-01", 7, 30))  # Monday 01-06: the first working day of June
    (mail,) = [m for m in smtp.take() if m.rcpt_tos == ["paul@duo.test"]]
    def body(text: str) -> list[str]:  # the unsubscribe token carries its own time stamp
        return [line for line in text.replace("\r\n", "\n").strip().splitlines() if "/afmelden/" not in line]

    assert body(mail.text) == body(preview.output.split("\n", 2)[2])  # the preview is the message sent
    diemen = mail.text.split("== Gemeente Diemen")[1].split("==")[1]
    # Z2 for Diemen now: 1 of its 4 open zaken over the fatale datum = 25,0%; on 30-04 50,0%: -25,0 procentpunt
    (z2,) = [line for line in diemen.splitlines() if line.startswith("Z2 ")]
    assert "25,0%" in z2 and "30-04-2026: 50,0% (-25,0 procentpunt)" in z2 and "voldoet niet" in z2
    assert "Nog nodig voor opheffing:" in diemen
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailUitgaand)
                                 .where(MailUitgaand.soort == "programma_maand")) == 1


def test_users_email_on_the_command_line(app, runner):
    created = runner.invoke(args=["users", "create", "jan", "--rol", "teamleider", "--team", "OE-A", "--email",
                                  "Jan@Diemen.TEST", "--wachtwoord", "lang-genoeg-wachtwoord"])
    assert created.exit_code == 0, created.output
    with app.app_context():
        assert db.session.scalar(select(Gebruiker.email).filter_by(gebruikersnaam="jan")) == "Jan@diemen.test"
    bad = runner.invoke(args=["users", "set-email", "jan", "geen-adres"])
    assert bad.exit_code != 0 and "ongeldig e-mailadres" in bad.output
    cleared = runner.invoke(args=["users", "set-email", "jan", ""])
    assert cleared.exit_code == 0 and "(geen)" in cleared.output
