from __future__ import annotations

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
    bad_role = runner.invoke(args=["users", "create", "x", "--rol", "koning", "--wachtwoord", "x" * 20])
    assert bad_role.exit_code != 0
    runner.invoke(args=["users", "create", "x", "--rol", "pia", "--wachtwoord", "x" * 20])
    again = runner.invoke(args=["users", "create", "x", "--rol", "pia", "--wachtwoord", "x" * 20])
    assert again.exit_code != 0 and "bestaat al" in again.output


def test_unknown_user_is_a_clear_error(runner):
    result = runner.invoke(args=["users", "disable", "niemand"])
    assert result.exit_code != 0 and "bestaat niet" in result.output
