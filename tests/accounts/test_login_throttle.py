"""Login (issue #15, finding 3): the same message and the same work for every failure, and a slow-down per account
and client address instead of a lockout, so nobody can lock the beheerder out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from duo_zaak import models
from duo_zaak.accounts import auth
from duo_zaak.db import db
from duo_zaak.models import AuditLog, Gebruiker

from ..conftest import PASSWORD


def _throttle():
    from duo_zaak.accounts import throttle

    return throttle


ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}
OFFICE = {"REMOTE_ADDR": "10.1.2.3"}


def _post(client, name, password, address=ATTACKER):
    return client.post("/login", data={"gebruikersnaam": name, "wachtwoord": password}, environ_base=address)


def _error(response) -> str:
    body = response.get_data(as_text=True)
    return body.split('<p class="flash flash--error" role="alert">')[1].split("</p>")[0]


def _age_all_keys(app, seconds):
    """Let time pass for the slow-down without sleeping: every key's last failure moves back."""
    with app.app_context():
        for row in db.session.scalars(db.select(models.InlogVertraging)):
            row.laatste = row.laatste.replace(tzinfo=row.laatste.tzinfo or UTC) - timedelta(seconds=seconds)
        db.session.commit()


def test_every_failure_gets_the_same_answer(app, client, users):
    with app.app_context():
        db.session.get(Gebruiker, users["programmateam"]).actief = False
        db.session.commit()
    answers = {
        "onbekend": _post(client, "niemand", "wat-dan-ook-123"),
        "onjuist": _post(client, "pia", "niet-het-goede-wachtwoord"),
        "uitgeschakeld": _post(client, "prog", PASSWORD),  # the right password of a disabled account
    }
    for _ in range(6):  # 5 free failures, the 6th starts a wait of 1 s
        _post(client, "admin", "fout")
    answers["vertraagd"] = _post(client, "admin", PASSWORD)  # right password, but within the wait
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 401)
    assert {_error(r) for r in answers.values()} == {auth.LOGIN_FAILED}  # one message
    assert "tijdelijk geblokkeerd" not in "".join(r.get_data(as_text=True) for r in answers.values())


def test_every_failure_does_the_same_work(app, client, users, monkeypatch):
    """One password hash check on every path (unknown, disabled and slowed-down answered at once before)."""
    checks = []
    real = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda h, p: checks.append(h) or real(h, p))
    with app.app_context():
        db.session.get(Gebruiker, users["programmateam"]).actief = False
        db.session.commit()
    for name, password in (("niemand", "x"), ("pia", "fout"), ("prog", PASSWORD)):
        before = len(checks)
        _post(client, name, password, OFFICE)
        assert len(checks) == before + 1, name
    for _ in range(6):  # 5 free failures, the 6th starts a wait of 1 s
        _post(client, "admin", "fout")
    before = len(checks)
    _post(client, "admin", PASSWORD)  # slowed down
    assert len(checks) == before + 1


def test_wrong_passwords_slow_down_only_the_attacker_not_the_beheerder(app, client, users):
    """Failures 1-5 are free; the 6th makes the next attempt from that address wait 1 s, the 7th 2 s, the 8th 4 s.
    Within the wait even the right password is refused; from the beheerder's own address it works at once."""
    for _ in range(6):
        assert _post(client, "admin", "geraden").status_code == 401
    assert _post(client, "admin", PASSWORD).status_code == 401  # within the 1 s wait: refused unseen
    beheerder = app.test_client()
    assert _post(beheerder, "admin", PASSWORD, OFFICE).status_code == 302  # not locked out
    with app.app_context():
        pair = _throttle().keys("admin", ATTACKER["REMOTE_ADDR"])[0].sleutel
        row = db.session.scalar(db.select(models.InlogVertraging).filter_by(sleutel=pair))
        assert (row.mislukt, row.geweigerd) == (6, 1)  # the refused attempt did not count as a failure
    _age_all_keys(app, 2)  # the 1 s wait has passed
    assert _post(client, "admin", PASSWORD).status_code == 302
    with app.app_context():  # a success clears the account + address key
        assert db.session.scalar(db.select(models.InlogVertraging).filter_by(sleutel=pair)) is None


def test_the_wait_doubles_up_to_the_cap(app):
    with app.app_context():
        free = app.config["LOGIN_FREE_FAILURES"]
        assert free == 5 and app.config["LOGIN_MAX_DELAY_SECONDS"] == 900
        # 5 free; then 2**(n - 5 - 1): 6 -> 1, 7 -> 2, 8 -> 4, 15 -> 512, 16 -> 1024 capped at 900
        assert [_throttle().wait_seconds(n, free) for n in (0, 5, 6, 7, 8, 15, 16, 60)] == \
            [0, 0, 1, 2, 4, 512, 900, 900]


def test_refused_attempts_do_not_prolong_the_wait(app, client, users):
    for _ in range(8):  # 8 failures: a wait of 4 s
        _post(client, "pia", "fout")
    for _ in range(20):
        _post(client, "pia", "fout")  # all within the wait: refused, not counted
    _age_all_keys(app, 5)
    assert _post(client, "pia", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_slowed_down(app, client, users):
    """30 failures from one address over many names are free; then that address waits, for every account."""
    assert app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"] == 30
    for n in range(31):
        _post(client, f"naam-{n}", "fout")
    assert _post(client, "pia", PASSWORD).status_code == 401
    assert _post(app.test_client(), "pia", PASSWORD, OFFICE).status_code == 302


def test_quiet_keys_are_forgotten(app, client, users):
    for _ in range(7):
        _post(client, "pia", "fout")
    _age_all_keys(app, 61 * 60)  # LOGIN_FORGET_MINUTES = 60
    _post(client, "pia", "fout")  # purges the old keys first: this is failure 1 again, free
    assert _post(client, "pia", PASSWORD).status_code == 302


def test_failed_logins_of_unknown_names_are_rate_limited_in_the_audit_log(app, client, users):
    """One row per address per minute for unknown names; the next row says how many were left out. Failures of
    existing accounts are all logged."""
    for n in range(10):
        _post(client, f"onbekend-{n}", "fout")
    for _ in range(3):
        _post(client, "pia", "fout", OFFICE)

    def rows():
        with app.app_context():
            return [(e.object, e.resultaat, e.details) for e in
                    db.session.scalars(db.select(AuditLog).where(AuditLog.actie == "inloggen").order_by(AuditLog.id))]

    assert rows() == [("onbekend-0", "mislukt: onbekende gebruiker", "")] + \
        [("pia", "mislukt: onjuist wachtwoord", "")] * 3
    with app.app_context():  # a minute later
        key = _throttle()._hash("audit-onbekend", ATTACKER["REMOTE_ADDR"])
        row = db.session.scalar(db.select(models.InlogVertraging).filter_by(sleutel=key))
        row.laatste = datetime.now(UTC) - timedelta(seconds=61)
        db.session.commit()
    _post(client, "onbekend-10", "fout")
    assert rows()[-1] == ("onbekend-10", "mislukt: onbekende gebruiker",
                          "9 eerdere mislukte pogingen met onbekende namen vanaf dit adres niet apart gelogd")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_slow_down_works_on_postgresql(app, client, users):
    for _ in range(6):
        _post(client, "admin", "fout")
    assert _post(client, "admin", PASSWORD).status_code == 401
    assert _post(app.test_client(), "admin", PASSWORD, OFFICE).status_code == 302
