"""Issue #19, item 3: every code a person sees reads as Dutch words from one table (duo_zaak/labels.py); the audit
log has a filter (handeling, gebruiker, periode) and keeps its paging."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from duo_zaak import labels
from duo_zaak.db import db
from duo_zaak.models import AuditLog
from duo_zaak.web import achterstand_query, archief_forms

from ..conftest import login


def visible_text(html: str) -> str:
    """The page's text without tags, scripts and attribute values (what a person reads)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_one_table_feeds_the_old_per_blueprint_words():
    assert archief_forms.KIND_LABELS is labels.TAAK_SOORTEN
    assert archief_forms.STATUS_LABELS is labels.TAAK_STATUSSEN
    assert archief_forms.EVENT_LABELS is labels.TAAK_GEBEURTENISSEN
    assert achterstand_query.TOESTANDEN is labels.TOESTANDEN
    from duo_zaak.accounts.auth import ROLE_LABELS
    from duo_zaak.commands.sync import STATUS_TEKST

    assert ROLE_LABELS is labels.ROLLEN
    assert STATUS_TEKST["opgelost_in_bron"] == "opgelost in bron"


@pytest.mark.parametrize(("code", "soort", "word"), [
    ("blijvend_bewaren", "archiefnominatie", "Blijvend bewaren"),
    ("nog_te_archiveren", "archiefstatus", "Nog te archiveren"),
    ("gebruiker_uitschakelen", "actie", "Gebruiker uitgeschakeld"),
    ("taak_gemeld_gereed", "actie", "Archieftaak gereed gemeld"),
    ("downloaden", "actie", "Gedownload"),
    ("bevestigd", "taakstatus", "Bevestigd"),
    ("bevestigd", "gebeurtenis", "Bevestigd door de bron"),  # one code, another word per kind
    ("onbekende_bronorganisatie", "bevinding", labels.BEVINDINGEN["onbekende_bronorganisatie"]),
    ("iets_nieuws", None, "iets nieuws"),  # an unknown code still reads as words
    (None, None, ""),
])
def test_label(code, soort, word):
    assert labels.label(code, soort) == word


def test_audit_object_names_a_task_with_its_number():
    assert labels.audit_object("archief_taak 301") == ("archieftaak 301", "archief_taak", 301)
    assert labels.audit_object("tl") == ("tl", None, None)
    assert labels.audit_object("pia") == ("pia", None, None)  # a user name, not the role
    assert labels.audit_object("volledig") == ("Volledig", None, None)


@pytest.fixture
def log(app, users):
    """Three entries around a day boundary in Amsterdam (CET = UTC+1 in March)."""
    with app.app_context():
        db.session.add_all([
            AuditLog(actor="tl", actie="inloggen", object="tl", resultaat="ok",
                     tijdstip=datetime(2026, 3, 1, 10, 0, tzinfo=UTC)),            # 01-03 11:00 in Amsterdam
            AuditLog(actor="admin", actie="gebruiker_uitschakelen", object="tl", resultaat="ok",
                     tijdstip=datetime(2026, 3, 2, 23, 30, tzinfo=UTC)),           # 03-03 00:30 in Amsterdam
            AuditLog(actor="pia", actie="taak_gemeld_gereed", object="archief_taak 301", resultaat="ok",
                     tijdstip=datetime(2026, 3, 3, 9, 0, tzinfo=UTC)),             # 03-03 10:00 in Amsterdam
        ])
        db.session.commit()


def _rows(client, query: str) -> list[str]:
    html = client.get("/beheer/audit" + query).get_data(as_text=True).split("<tbody", 1)[1]
    return [visible_text(row).strip() for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", html,
                                                            flags=re.S)]


def test_the_audit_log_shows_words_and_links_a_task(client, log):
    login(client, "beheerder")
    html = client.get("/beheer/audit").get_data(as_text=True)
    text = visible_text(html)
    for word in ("Gebruiker uitgeschakeld", "Archieftaak gereed gemeld", "archieftaak 301", "Inloggen"):
        assert word in text
    for code in ("gebruiker_uitschakelen", "taak_gemeld_gereed", "archief_taak"):
        assert code not in text
    assert '<a class="utrecht-link" href="/archief/taken/301">archieftaak 301</a>' in html


def test_the_audit_log_filters_on_action_user_and_period(client, log):
    login(client, "beheerder")  # adds a fourth entry: admin logs in, now
    # one action: only the disabled user
    rows = _rows(client, "?actie=gebruiker_uitschakelen")
    assert len(rows) == 1 and "Gebruiker uitgeschakeld" in rows[0]
    # logging in: tl on 01-03 and admin just now = 2; of those, user tl = 1
    assert len(_rows(client, "?actie=inloggen")) == 2
    rows = _rows(client, "?actie=inloggen&gebruiker=tl")
    assert len(rows) == 1 and rows[0].startswith("01-03-2026 11:00 tl")
    # the day 03-03-2026 in Amsterdam: 00:30 (23:30 UTC the day before) and 10:00; not 01-03, not today
    rows = _rows(client, "?van=03-03-2026&tot=03-03-2026")
    assert [r[:16] for r in rows] == ["03-03-2026 10:00", "03-03-2026 00:30"]
    # 01-03 up to and including 02-03 in Amsterdam: only tl's login (00:30 on 03-03 falls outside)
    assert [r[:16] for r in _rows(client, "?van=01-03-2026&tot=02-03-2026")] == ["01-03-2026 11:00"]
    # a user that is not in the log: an empty list, no error
    assert _rows(client, "?gebruiker=niemand") == ["Geen handelingen voor deze filters."]


@pytest.mark.parametrize("query", ["?actie=bestaat_niet", "?van=31-02-2026", "?van=05-03-2026&tot=01-03-2026",
                                   "?tot=01-01-0001"])
def test_a_bad_audit_filter_is_a_clear_error(client, log, query):
    login(client, "beheerder")
    response = client.get("/beheer/audit" + query)
    assert response.status_code == 400
    assert "Controleer de filters" in response.get_data(as_text=True)


def test_the_filtered_audit_log_keeps_its_paging(app, client, users):
    with app.app_context():
        db.session.add_all([AuditLog(actor="pia", actie="downloaden", object=f"export-{n}.csv", resultaat="ok")
                            for n in range(60)])
        db.session.commit()
    login(client, "beheerder")
    # 60 downloads at 50 a page: page 2 holds 10, and its link back keeps the filter
    html = client.get("/beheer/audit?actie=downloaden&page=2").get_data(as_text=True)
    assert "Pagina 2 van 2 (60 handelingen)" in html
    assert len(re.findall(r"export-\d+\.csv", html)) == 10
    assert re.search(r'href="/beheer/audit\?[^"]*actie=downloaden[^"]*page=1|href="/beheer/audit\?[^"]*page=1[^"]*'
                     r'actie=downloaden', html)
    # past the end: the last page
    assert "Pagina 2 van 2" in client.get("/beheer/audit?actie=downloaden&page=99").get_data(as_text=True)


def test_every_audit_action_in_the_code_has_a_word():
    """Generated from the source: each action passed to audit.record (or to the own-account guard) is labelled."""
    from pathlib import Path

    root = Path(labels.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        text = path.read_text()
        found |= set(re.findall(r"(?:record|_own_account)\(\s*(?:user,\s*)?\"([a-z_]+)\"", text))
    assert len(found) > 20
    assert sorted(found - set(labels.AUDIT_ACTIES)) == []
