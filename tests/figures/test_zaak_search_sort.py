"""Issue #19, item 5: the open-zaak list searches on the zaak number or the omschrijving (any case, a substring,
LIKE wildcards taken literally) within the other filters, and sorts on every column (peildatum 15-05-2026,
BINNENKORT_DAGEN 7)."""

from __future__ import annotations

import pytest

from duo_zaak.figures.backlog import SORTS, ZaakFilter, open_zaken
from duo_zaak.figures.scope import Scope

from .builders import P

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ALL = Scope.everything()


@pytest.fixture
def zaken(world):
    """Six open zaken (A-F) and one closed one (G); the letter is the last digit of the id order."""
    def zaak(letter, number, omschrijving, **fields):
        return world.zaak(identificatie=f"ZAAK-2026-{number:010d}", omschrijving=omschrijving, **fields)

    rows = {
        # fatale datum 01-05 < peildatum: termijn overschreden (urgency 0)
        "A": zaak("A", 101, "Dakkapel Kerkstraat 1", team="OE-B", startdatum="2026-01-10",
                  fatale_datum="2026-05-01", streefdatum="2026-04-20"),
        # a zaaktype without doorlooptijd and no fatale datum: onbekend (urgency 4)
        "B": zaak("B", 102, "Klacht over geluid", org="uithoorn", team="OE-A", zaaktype="zonder",
                  startdatum="2026-02-01"),
        # fatale datum 20-05 = 5 days ahead (<= 7), streefdatum 18-05 not passed: binnenkort verlopend (urgency 2)
        "C": zaak("C", 203, "Bouwvergunning DAK", org="duoplus", team="OE-C", startdatum="2026-03-01",
                  fatale_datum="2026-05-20", streefdatum="2026-05-18"),
        # streefdatum 01-05 passed, fatale datum 30-06 not: norm overschreden (urgency 1); no team
        "D": zaak("D", 304, "Kap 100% eik", org="ouder-amstel", team=None, startdatum="2025-12-01",
                  fatale_datum="2026-06-30", streefdatum="2026-05-01"),
        # opgeschort (urgency 3)
        "E": zaak("E", 405, "Terras", startdatum="2026-04-01", fatale_datum="2026-07-01", opgeschort=True,
                  opschorting_reden="Wacht op advies"),
        # op tijd (urgency 5)
        "F": zaak("F", 506, "Evenement 1001 nacht", startdatum="2026-04-15", fatale_datum="2026-08-01",
                  streefdatum="2026-07-01"),
        # closed before the peildatum: never in the list, whatever the search
        "G": zaak("G", 607, "Dakgoot", startdatum="2026-01-05", einddatum="2026-05-01"),
    }
    return {row.id: letter for letter, row in rows.items()}


def letters(page, ids) -> str:
    return "".join(ids[z.id] for z in page.items)


@BOTH
@pytest.mark.parametrize(("zoek", "expected"), [
    ("dak", "AC"),             # "Dakkapel..." and "...DAK"; the closed "Dakgoot" is not open
    ("DAKKAPEL", "A"),         # any case
    ("0000000102", "B"),       # part of the zaak number
    ("zaak-2026-00000002", "C"),
    ("100%", "D"),             # the % is a character, not a wildcard (else "1001" in F would match too)
    ("_", ""),                 # no zaak has an underscore (as a wildcard it would match all six)
    ("bestaat niet", ""),
])
def test_search_on_number_or_omschrijving(zaken, zoek, expected):
    result = open_zaken(P, ALL, ZaakFilter(zoek=zoek), sort="identificatie", descending=False)
    assert letters(result, zaken) == expected


@BOTH
def test_search_within_the_other_filters(zaken):
    # "dak" gives A (Diemen) and C (Duo+); within Diemen only A
    assert letters(open_zaken(P, ALL, ZaakFilter(organisatie="diemen", zoek="dak"), sort="identificatie",
                              descending=False), zaken) == "A"


@BOTH
@pytest.mark.parametrize(("sort", "ascending", "descending"), [
    ("identificatie", "ABCDEF", "FEDCBA"),
    # Klacht (B) before Vergunning (A, C, D, E, F; ties in id order, both directions)
    ("zaaktype", "BACDEF", "ACDEFB"),
    # by name: Duo+ (C), Gemeente Diemen (A, E, F), Gemeente Ouder-Amstel (D), Gemeente Uithoorn (B)
    ("organisatie", "CAEFDB", "BDAEFC"),
    # Team OE-A (B, E, F), Team OE-B (A), Team OE-C (C); no team (D) last either way
    ("team", "BEFACD", "CABEFD"),
    # 01-12-2025 D, 10-01 A, 01-02 B, 01-03 C, 01-04 E, 15-04 F
    ("startdatum", "DABCEF", "FECBAD"),
    # 01-05 A, 20-05 C, 30-06 D, 01-07 E, 01-08 F; no fatale datum (B) last
    ("fatale_datum", "ACDEFB", "FEDCAB"),
    # 20-04 A, 01-05 D, 18-05 C, 01-07 F; no streefdatum (B, E) last
    ("streefdatum", "ADCFBE", "FCDABE"),
    # most days over first = the earliest fatale datum; no fatale datum last
    ("dagen_over_termijn", "FEDCAB", "ACDEFB"),
    # urgency: termijn A 0, norm D 1, binnenkort C 2, opgeschort E 3, onbekend B 4, op tijd F 5
    ("toestand", "ADCEBF", "FBECDA"),
    # only E has a reason (opgeschort); the others have none and come last in id order
    ("reden", "EABCDF", "EABCDF"),
])
def test_every_column_sorts(zaken, sort, ascending, descending):
    assert sort in SORTS
    assert letters(open_zaken(P, ALL, sort=sort, descending=False), zaken) == ascending
    assert letters(open_zaken(P, ALL, sort=sort, descending=True), zaken) == descending
