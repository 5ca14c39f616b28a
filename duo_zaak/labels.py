"""The one table of Dutch words for every code a person sees (issue #19, item 3).

Pages (the Jinja filter `label`), exports, commands and e-mails all take their words from here, so a code such as
`blijvend_bewaren` or `gebruiker_uitschakelen` never reaches a screen. A code has one word per kind (SOORTEN): the
same code can read differently as a task status and as a task event. `label(code)` without a kind looks in every
table; an unknown code becomes readable text rather than a bare code.
"""

from __future__ import annotations

import re

from .rules import archive
from .rules.quality import FINDINGS
from .rules.signalering import LABELS as SIGNALERING_LABELS

ROLLEN = {
    "teamleider": "Teamleider",
    "programmateam": "Programmateam",
    "pia": "PiA (Postintake en Archief)",
    "beheerder": "Beheerder",
}
TAAK_SOORTEN = {
    archive.ARCHIEFGEGEVENS_AANVULLEN: "Archiefgegevens aanvullen",
    archive.VERNIETIGEN: "Vernietigen",
    archive.OVERBRENGEN: "Overbrengen",
    archive.ARCHIVEREN: "Archiveren",
}
TAAK_STATUSSEN = {
    archive.OPEN: "Open",
    archive.GEMELD_GEREED: "Gemeld gereed",
    archive.BEVESTIGD: "Bevestigd",
    archive.NIET_BEVESTIGD: "Niet bevestigd",
    archive.OPGELOST_IN_BRON: "Opgelost in bron",
}
TAAK_GEBEURTENISSEN = {
    "aangemaakt": "Taak aangemaakt",
    "gemeld_gereed": "Gereed gemeld",
    "melding_ingetrokken": "Melding ingetrokken",
    archive.BEVESTIGD: "Bevestigd door de bron",
    archive.NIET_BEVESTIGD: "Niet bevestigd",
    archive.OPGELOST_IN_BRON: "Opgelost in de bron",
    "heropend": "Heropend",
}
ARCHIEFNOMINATIE = {
    archive.BLIJVEND_BEWAREN: "Blijvend bewaren",
    archive.NOMINATIE_VERNIETIGEN: "Vernietigen",
}
ARCHIEFSTATUS = {
    archive.NOG_TE_ARCHIVEREN: "Nog te archiveren",
    "gearchiveerd": "Gearchiveerd",
    "gearchiveerd_procestermijn_onbekend": "Gearchiveerd (procestermijn onbekend)",
    archive.OVERGEDRAGEN: "Overgedragen",
}
# The state of an open zaak on the peildatum (the backlog pages).
TOESTANDEN = {
    "termijn_overschreden": "Termijn overschreden",
    "norm_overschreden": "Norm overschreden",
    "binnenkort_verlopend": "Binnenkort verlopend",
    "opgeschort": "Opgeschort",
    "onbekend": "Onbekend (geen fatale datum)",
    "op_tijd": "Op tijd",
}
BEVINDINGEN = {code: text.omschrijving for code, text in FINDINGS.items()}
AUDIT_ACTIES = {
    "inloggen": "Inloggen",
    "inloggen_sso": "Inloggen met organisatieaccount",
    "noodaccount": "Noodaccount gewijzigd",
    "fte_vastleggen": "Fte PiA vastgelegd",
    "planning_downloaden": "Capaciteitsplanning gedownload",
    "uitloggen": "Uitloggen",
    "sessie_verlopen": "Sessie verlopen",
    "toegang_geweigerd": "Toegang geweigerd",
    "wachtwoord_wijzigen": "Wachtwoord gewijzigd",
    "wachtwoord_herstellen": "Wachtwoord hersteld",
    "gebruiker_aanmaken": "Gebruiker aangemaakt",
    "gebruiker_uitschakelen": "Gebruiker uitgeschakeld",
    "gebruiker_inschakelen": "Gebruiker ingeschakeld",
    "rol_wijzigen": "Rol of teams gewijzigd",
    "email_wijzigen": "E-mailadres gewijzigd",
    "taak_gemeld_gereed": "Archieftaak gereed gemeld",
    "taak_melding_ingetrokken": "Melding van archieftaak ingetrokken",
    "kpi_wijzigen": "KPI gewijzigd",
    "norm_wijzigen": "Norm gewijzigd",
    "gereedvenster_wijzigen": "Venster voor gereedheid gewijzigd",
    "rapport_downloaden": "IBT-rapport gedownload",
    "downloaden": "Gedownload",
    "api_lezen": "API gelezen",
    "synchronisatie_aangevraagd": "Synchronisatie aangevraagd",
    "meldingen_wijzigen": "E-mailmeldingen gewijzigd",
    "meldingen_afmelden": "Afgemeld voor e-mailmeldingen",
    "signalering_voorbeeld": "Voorbeeld van een e-mailbericht bekeken",
    "testbericht_versturen": "Testbericht verstuurd",
    "demo_account": "Demo-account aangemaakt",
}
# The kind of object an audit entry is about ("archief_taak 301" reads "archieftaak 301").
AUDIT_OBJECTEN = {
    "archief_taak": "archieftaak",
}
E_MAILSOORTEN = dict(SIGNALERING_LABELS)
SYNC_MODI = {"incrementeel": "Incrementeel", "volledig": "Volledig"}

SOORTEN: dict[str, dict[str, str]] = {
    "rol": ROLLEN,
    "taaksoort": TAAK_SOORTEN,
    "taakstatus": TAAK_STATUSSEN,
    "gebeurtenis": TAAK_GEBEURTENISSEN,
    "archiefnominatie": ARCHIEFNOMINATIE,
    "archiefstatus": ARCHIEFSTATUS,
    "toestand": TOESTANDEN,
    "bevinding": BEVINDINGEN,
    "actie": AUDIT_ACTIES,
    "object": AUDIT_OBJECTEN,
    "e-mail": E_MAILSOORTEN,
    "modus": SYNC_MODI,
}
# Every code with a word, whatever its kind (the first kind that has it wins).
LABELS: dict[str, str] = {}
for _table in SOORTEN.values():
    for _code, _word in _table.items():
        LABELS.setdefault(_code, _word)

_OBJECT = re.compile(r"^(?P<soort>[a-z]+(?:_[a-z]+)+) (?P<id>\d+)$")


def label(code: object, soort: str | None = None) -> str:
    """The Dutch word for a code; empty for None. Unknown codes read as words (underscores become spaces)."""
    if code is None or code == "":
        return ""
    text = str(code)
    table = SOORTEN[soort] if soort else LABELS
    if text in table:
        return table[text]
    if text in LABELS:
        return LABELS[text]
    return text.replace("_", " ") if re.fullmatch(r"[a-z]+(?:_[a-z]+)+", text) else text


def audit_object(value: str) -> tuple[str, str | None, int | None]:
    """An audit-log object as text, plus its kind and id when it names a record ("archief_taak 301")."""
    match = _OBJECT.match(value or "")
    if not match:
        # a user name such as "pia" stays a name; only a sync mode (synchronisatie_aangevraagd) is a code
        return SYNC_MODI.get(value, value or ""), None, None
    soort = match["soort"]
    return f"{AUDIT_OBJECTEN.get(soort, soort.replace('_', ' '))} {match['id']}", soort, int(match["id"])


def raw_codes() -> set[str]:
    """The codes a person should never see bare: the snake_case keys of the table."""
    return {code for code in LABELS if "_" in code}
