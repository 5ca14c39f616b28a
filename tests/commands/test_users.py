from __future__ import annotations

from werkzeug.security import check_password_hash

from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker


def test_users_create_list_set_role_disable(app, runner):
    result = runner.invoke(args=["users", "create", "jan", "--rol", "teamleider", "--team", "OE-A",
                                 "--team", "OE-B", "--wachtwoord", "lang-genoeg-wachtwoord"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam="jan"))
        assert user.rol == "teamleider" and user.team_ids == ["OE-A", "OE-B"]
        assert user.wachtwoord_hash.startswith("scrypt:")
    assert "jan\tteamleider\tactief\tOE-A,OE-B" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "set-role", "jan", "pia"]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "jan"]).exit_code == 0
    assert "jan\tpia\tuitgeschakeld" in runner.invoke(args=["users", "list"]).output
    with app.app_context():
        actions = [(a.actie, a.object, a.resultaat) for a in db.session.scalars(db.select(AuditLog))]
    assert actions == [("gebruiker_aanmaken", "jan", "ok"), ("rol_wijzigen", "jan", "ok"),
                       ("gebruiker_uitschakelen", "jan", "ok")]


def test_users_create_refuses_bad_input(app, runner):
    short = runner.invoke(args=["users", "create", "x", "--rol", "pia", "--wachtwoord", "kort"])
    assert short.exit_code != 0 and "minstens 12 tekens" in short.output
    bad_role = runner.invoke(args=["users", "create", "x", "--rol", "koning", "--wachtwoord", "lang-genoeg-wachtwoord"])
    assert bad_role.exit_code != 0
    runner.invoke(args=["users", "create", "x", "--rol", "pia", "--wachtwoord", "lang-genoeg-wachtwoord"])
    again = runner.invoke(args=["users", "create", "x", "--rol", "pia", "--wachtwoord", "lang-genoeg-wachtwoord"])
    assert again.exit_code != 0 and "bestaat al" in again.output
    for weak, reason in (("x" * 20, "herhaald teken"), ("password1234", "veelgebruikte"),
                         ("nieuwe.gebruiker", "gelijk zijn aan de gebruikersnaam")):
        result = runner.invoke(args=["users", "create", "nieuwe.gebruiker", "--rol", "pia", "--wachtwoord", weak])
        assert result.exit_code != 0 and reason in result.output, weak


def test_unknown_user_is_a_clear_error(runner):
    result = runner.invoke(args=["users", "disable", "niemand"])
    assert result.exit_code != 0 and "bestaat niet" in result.output


def test_users_enable_reset_password_and_unknown_team_warning(app, runner):
    """The CLI does what the beheer page does: every change ends the user's sessions and is audited."""
    runner.invoke(args=["users", "create", "jan", "--rol", "pia", "--wachtwoord", "lang-genoeg-wachtwoord"])
    with app.app_context():
        version = db.session.scalar(db.select(Gebruiker.sessie_versie).filter_by(gebruikersnaam="jan"))
    assert runner.invoke(args=["users", "disable", "jan"]).exit_code == 0
    assert runner.invoke(args=["users", "enable", "jan"]).exit_code == 0
    reset = runner.invoke(args=["users", "reset-password", "jan"])
    assert reset.exit_code == 0 and "Eenmalig wachtwoord voor jan: " in reset.output
    one_time = reset.output.rsplit(": ", 1)[1].strip()
    warned = runner.invoke(args=["users", "set-role", "jan", "teamleider", "--team", "Vergunningen"])
    assert warned.exit_code == 0 and "team 'Vergunningen' is (nog) niet bekend" in warned.output
    with app.app_context():
        user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam="jan"))
        # disable, enable, reset and the role change each ended the sessions: 4 versions on
        assert (user.actief, user.wachtwoord_wijzigen, user.sessie_versie) == (True, True, version + 4)
        assert check_password_hash(user.wachtwoord_hash, one_time)
        actions = [a.actie for a in db.session.scalars(db.select(AuditLog).order_by(AuditLog.id))]
    assert actions[-4:] == ["gebruiker_uitschakelen", "gebruiker_inschakelen", "wachtwoord_herstellen", "rol_wijzigen"]
