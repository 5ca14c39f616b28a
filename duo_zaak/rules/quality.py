"""Data-quality findings ("betrouwbaarheid en volledigheid") that one zaak decides on its own.

`dubbele_identificatie` needs the other zaken and is decided by the query layer; it is listed in
FINDINGS so every page explains all codes the same way. `onbekende_bronorganisatie` depends on the configured
organisations: the caller says whether the bronorganisatie is one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FindingText:
    omschrijving: str
    uitleg: str


FINDINGS: dict[str, FindingText] = {
    "geen_team": FindingText(
        "Geen behandelend team",
        "Zonder behandelend team telt de zaak bij 'Niet toegewezen' en ziet geen teamleider haar termijn. "
        "De behandelaar of de teamleider legt in InProces de organisatorische eenheid vast als behandelaar.",
    ),
    "zaaktype_onbekend": FindingText(
        "Zaaktype onbekend",
        "Het zaaktype staat niet in de catalogus, dus er is geen doorlooptijd en geen fatale datum te bepalen. "
        "De functioneel beheerder van InProces corrigeert het zaaktype of publiceert het in de catalogus.",
    ),
    "geen_doorlooptijd": FindingText(
        "Zaaktype zonder bruikbare doorlooptijd",
        "Zonder doorlooptijd is de fatale datum niet af te leiden als de zaak die zelf niet heeft. "
        "De functioneel beheerder vult de doorlooptijd van het zaaktype in de InProces-catalogus aan.",
    ),
    "einddatum_voor_startdatum": FindingText(
        "Einddatum voor startdatum",
        "Een negatieve doorlooptijd maakt de gemiddelden en de tijdigheid onbetrouwbaar. "
        "De behandelaar corrigeert de startdatum of de einddatum in InProces.",
    ),
    "startdatum_in_toekomst": FindingText(
        "Startdatum in de toekomst",
        "De zaak telt mee als lopend, maar haar termijnen beginnen pas later; vaak is de datum verkeerd ingevoerd. "
        "De behandelaar controleert en corrigeert de startdatum in InProces.",
    ),
    "gesloten_zonder_resultaat": FindingText(
        "Gesloten zonder resultaat",
        "Zonder resultaat zijn archiefnominatie en vernietigingsdatum niet te bepalen, dus de zaak kan niet "
        "gearchiveerd worden. De behandelaar legt het resultaat vast in InProces.",
    ),
    "uiterste_datum_voor_startdatum": FindingText(
        "Uiterste afdoeningsdatum voor startdatum",
        "De fatale datum ligt dan voor het begin van de zaak, zodat die meteen als te laat telt. "
        "De behandelaar corrigeert de uiterlijke einddatum afdoening of de startdatum in InProces.",
    ),
    "dubbele_identificatie": FindingText(
        "Dubbele identificatie",
        "Een andere zaak van dezelfde organisatie heeft hetzelfde zaaknummer, waardoor verwijzingen en tellingen "
        "kunnen verwarren. De functioneel beheerder van InProces onderzoekt welke zaak een nieuw nummer krijgt.",
    ),
    "gearchiveerd_zonder_archiefgegevens": FindingText(
        "Gearchiveerd zonder archiefgegevens",
        "Zonder archiefnominatie of archiefactiedatum komt de zaak nooit op de lijst om te vernietigen of over te "
        "brengen, terwijl de Archiefwet dat vraagt. PiA vult de archiefgegevens aan in InProces.",
    ),
    "onbekende_bronorganisatie": FindingText(
        "Onbekende bronorganisatie",
        "De bronorganisatie (RSIN) van de zaak is geen van de ingestelde organisaties, dus de zaak telt bij "
        "'Onbekende organisatie' en niet bij Duo+, Diemen, Ouder-Amstel of Uithoorn; zij krijgt geen oordeel over "
        "gereedheid en geen prognose. De functioneel beheerder van InProces corrigeert de bronorganisatie, of de "
        "beheerder van duo-zaak voegt het RSIN toe aan de ingestelde organisaties.",
    ),
    "onleesbaar_in_bron": FindingText(
        "Onleesbaar in de bron",
        "Het laatste record dat InProces voor deze zaak gaf, miste een verplicht veld of had een onleesbare waarde; "
        "de cijfers gebruiken de laatste goede versie, dus recente wijzigingen ontbreken. De functioneel beheerder "
        "van InProces herstelt het veld (welk veld staat op de pagina Bron en volledigheid).",
    ),
}


def zaak_findings(*, team_id: str | None, zaaktype_bekend: bool, doorlooptijd_bruikbaar: bool, startdatum: date,
                  einddatum: date | None, uiterlijke_einddatum_afdoening: date | None, heeft_resultaat: bool,
                  archiefstatus: str, archiefnominatie: str | None, archiefactiedatum: date | None,
                  peildatum: date, bronorganisatie_bekend: bool = True,
                  onleesbaar_in_bron: bool = False) -> set[str]:
    """The codes of FINDINGS (all but dubbele_identificatie) that hold for this zaak.

    A blank team id or archiefnominatie counts as missing; `geen_doorlooptijd` is only reported for a
    known zaaktype (an unknown one is `zaaktype_onbekend`). `onleesbaar_in_bron`: the sync could not read
    the latest record the source gave (the mirror keeps the last good one).
    """
    checks = {
        "geen_team": not team_id,
        "zaaktype_onbekend": not zaaktype_bekend,
        "geen_doorlooptijd": zaaktype_bekend and not doorlooptijd_bruikbaar,
        "einddatum_voor_startdatum": einddatum is not None and einddatum < startdatum,
        "startdatum_in_toekomst": startdatum > peildatum,
        "gesloten_zonder_resultaat": einddatum is not None and not heeft_resultaat,
        "uiterste_datum_voor_startdatum": (uiterlijke_einddatum_afdoening is not None
                                           and uiterlijke_einddatum_afdoening < startdatum),
        "gearchiveerd_zonder_archiefgegevens": (archiefstatus != "nog_te_archiveren"
                                                and (not archiefnominatie or archiefactiedatum is None)),
        "onbekende_bronorganisatie": not bronorganisatie_bekend,
        "onleesbaar_in_bron": onleesbaar_in_bron,
    }
    return {code for code, holds in checks.items() if holds}
