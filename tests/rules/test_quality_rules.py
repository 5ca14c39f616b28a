"""Per-zaak data-quality findings (domain.md "Data quality")."""

from datetime import date

import pytest

from duo_zaak.rules.quality import FINDINGS, zaak_findings

P = date(2026, 5, 15)


def findings(**overrides: object) -> set[str]:
    """A clean closed and archived zaak unless overridden."""
    fields: dict[str, object] = dict(
        team_id="OE-A", zaaktype_bekend=True, doorlooptijd_bruikbaar=True, startdatum=date(2026, 4, 1),
        einddatum=date(2026, 4, 10), uiterlijke_einddatum_afdoening=date(2026, 4, 15), heeft_resultaat=True,
        archiefstatus="gearchiveerd", archiefnominatie="vernietigen", archiefactiedatum=date(2027, 4, 10),
        peildatum=P)
    fields.update(overrides)
    return zaak_findings(**fields)  # type: ignore[arg-type]


def test_codes_in_domain_order() -> None:
    assert list(FINDINGS) == [
        "geen_team", "zaaktype_onbekend", "geen_doorlooptijd", "einddatum_voor_startdatum", "startdatum_in_toekomst",
        "gesloten_zonder_resultaat", "uiterste_datum_voor_startdatum", "dubbele_identificatie",
        "gearchiveerd_zonder_archiefgegevens", "onbekende_bronorganisatie", "onleesbaar_in_bron"]


@pytest.mark.parametrize("code", list(FINDINGS))
def test_every_finding_is_explained(code: str) -> None:
    text = FINDINGS[code]
    assert text.omschrijving and text.omschrijving[0].isupper()
    assert "InProces" in text.uitleg and text.uitleg.endswith(".")


def test_clean_zaak() -> None:
    assert findings() == set()


def test_open_zaak_without_result_is_fine() -> None:
    assert findings(einddatum=None, heeft_resultaat=False, archiefstatus="nog_te_archiveren",
                    archiefnominatie=None, archiefactiedatum=None) == set()


@pytest.mark.parametrize("team", [None, ""])
def test_zaak_without_team(team: str | None) -> None:
    assert findings(team_id=team) == {"geen_team"}


def test_unknown_zaaktype_is_not_also_geen_doorlooptijd() -> None:
    assert findings(zaaktype_bekend=False, doorlooptijd_bruikbaar=False) == {"zaaktype_onbekend"}


def test_known_zaaktype_without_doorlooptijd() -> None:
    assert findings(doorlooptijd_bruikbaar=False) == {"geen_doorlooptijd"}


def test_date_order_findings() -> None:
    assert findings(einddatum=date(2026, 3, 31)) == {"einddatum_voor_startdatum"}
    assert findings(einddatum=date(2026, 4, 1)) == set()  # same day is fine
    assert findings(uiterlijke_einddatum_afdoening=date(2026, 3, 31)) == {"uiterste_datum_voor_startdatum"}
    assert findings(uiterlijke_einddatum_afdoening=date(2026, 4, 1)) == set()
    assert findings(uiterlijke_einddatum_afdoening=None) == set()


def test_startdatum_in_the_future() -> None:
    open_zaak = dict(einddatum=None, uiterlijke_einddatum_afdoening=None, archiefstatus="nog_te_archiveren")
    assert findings(startdatum=date(2026, 6, 1), **open_zaak) == {"startdatum_in_toekomst"}
    assert findings(startdatum=P, **open_zaak) == set()  # today is fine


def test_unreadable_at_the_source() -> None:
    """The sync could not read the zaak's latest record: a finding of its own, whatever else holds."""
    assert findings(onleesbaar_in_bron=True) == {"onleesbaar_in_bron"}
    assert findings(onleesbaar_in_bron=True, team_id=None) == {"onleesbaar_in_bron", "geen_team"}


def test_closed_without_result() -> None:
    assert findings(heeft_resultaat=False) == {"gesloten_zonder_resultaat"}


@pytest.mark.parametrize(
    ("status", "nominatie", "actiedatum", "expected"),
    [
        ("gearchiveerd", "", date(2027, 4, 10), True),  # blank nominatie counts as missing
        ("gearchiveerd", None, date(2027, 4, 10), True),
        ("overgedragen", "blijvend_bewaren", None, True),
        ("gearchiveerd_procestermijn_onbekend", "vernietigen", None, True),
        ("gearchiveerd", "vernietigen", date(2027, 4, 10), False),
        ("nog_te_archiveren", None, None, False),  # not archived yet: that is archiefgegevens_aanvullen
    ],
)
def test_archived_without_archive_data(status: str, nominatie: str | None, actiedatum: date | None,
                                       expected: bool) -> None:
    result = findings(archiefstatus=status, archiefnominatie=nominatie, archiefactiedatum=actiedatum)
    assert ("gearchiveerd_zonder_archiefgegevens" in result) is expected


def test_several_findings_at_once_and_never_duplicates() -> None:
    result = findings(team_id=None, zaaktype_bekend=False, heeft_resultaat=False, startdatum=date(2026, 6, 1),
                      archiefnominatie=None)
    assert result == {"geen_team", "zaaktype_onbekend", "gesloten_zonder_resultaat", "startdatum_in_toekomst",
                      "einddatum_voor_startdatum", "uiterste_datum_voor_startdatum",
                      "gearchiveerd_zonder_archiefgegevens"}
    assert "dubbele_identificatie" not in result and result <= set(FINDINGS)


def test_bronorganisatie_not_configured() -> None:
    assert findings(bronorganisatie_bekend=False) == {"onbekende_bronorganisatie"}
    assert findings(bronorganisatie_bekend=True) == set()
