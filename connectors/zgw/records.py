"""Typed records of the ZGW resources the sync mirrors, parsed from the APIs' JSON.

Strict where a figure depends on it: a missing required field, a value of the wrong JSON type or an
unreadable date raises ZGWRecordError naming the record url and the (API) field. Lenient where the app can
report instead of crash: an unknown enum value is kept as-is and flagged (`onbekende_archiefstatus:foo`),
an unreadable duration becomes None and is flagged (`doorlooptijd_onleesbaar`). Blank optional strings
and URLs (the APIs send both "" and null) become None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from .durations import Duration, parse_duration
from .errors import ZGWRecordError

ARCHIEFNOMINATIES = frozenset({"blijvend_bewaren", "vernietigen"})
ARCHIEFSTATUSSEN = frozenset(
    {"nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen"}
)

# A date-time without an offset is not valid ZGW; a Dutch source sending one most likely means local time.
NAIVE_DATETIME_ZONE = ZoneInfo("Europe/Amsterdam")

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a ZGW list: its records, the server's total `count`, its own `url` and the `next` url.

    `skipped`: the records of the page that could not be read, when the caller asked to skip them (one
    unreadable zaak must not stop a sync; see ZGWClient.zaken_pages)."""

    results: list[T]
    count: int
    url: str
    next: str | None
    skipped: tuple[ZGWRecordError, ...] = ()


class _Fields:
    """Reads the fields of one JSON object; errors name the record url and the dotted API field name."""

    def __init__(self, data: object, kind: str, *, url: str | None = None, prefix: str = ""):
        if not isinstance(data, Mapping):
            field = prefix.rstrip(".") or None
            what = f"veld {field!r}" if field else "record"
            raise ZGWRecordError(f"{kind} {url or '(zonder url)'}: {what} is geen JSON-object", url=url, field=field,
                                 reason=f"{what} is geen JSON-object")
        if not prefix:  # a record: errors name its own url
            raw_url = data.get("url")
            url = raw_url if isinstance(raw_url, str) and raw_url.strip() else None
        self.data = data
        self.kind = kind
        self.prefix = prefix
        self.url = url

    def error(self, name: str, reason: str) -> ZGWRecordError:
        field = self.prefix + name
        message = f"{self.kind} {self.url or '(zonder url)'}: veld {field!r} {reason}"
        return ZGWRecordError(message, url=self.url, field=field, reason=f"veld {field!r} {reason}")

    def optional_str(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(name, f"is geen tekst maar {type(value).__name__}")
        return value.strip() or None

    def required_str(self, name: str) -> str:
        value = self.optional_str(name)
        if value is None:
            raise self.error(name, "ontbreekt")
        return value

    def text(self, name: str) -> str:
        """A free-text field: missing or null reads as ""."""
        return self.optional_str(name) or ""

    def optional_date(self, name: str) -> date | None:
        value = self.optional_str(name)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise self.error(name, f"is geen datum (JJJJ-MM-DD): {value!r}") from None

    def required_date(self, name: str) -> date:
        value = self.optional_date(name)
        if value is None:
            raise self.error(name, "ontbreekt")
        return value

    def optional_datetime(self, name: str) -> datetime | None:
        value = self.optional_str(name)
        if value is None:
            return None
        try:
            return parse_datetime(value)
        except ValueError:
            raise self.error(name, f"is geen datum-tijd (ISO 8601): {value!r}") from None

    def boolean(self, name: str) -> bool:
        """A JSON boolean; missing or null reads as False."""
        value = self.data.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(name, f"is geen boolean maar {value!r}")
        return value

    def url_list(self, name: str) -> tuple[str, ...]:
        """A list of URLs (a zaak's `rollen`); missing or null reads as empty, blank items are left out."""
        value = self.data.get(name)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.error(name, f"is geen lijst maar {type(value).__name__}")
        if not all(isinstance(item, str) for item in value):
            raise self.error(name, "bevat iets anders dan tekst")
        return tuple(item.strip() for item in value if item.strip())

    def nested(self, name: str) -> _Fields:
        """A nested object; missing or null reads as an empty one."""
        value = self.data.get(name)
        return _Fields({} if value is None else value, self.kind, url=self.url, prefix=f"{self.prefix}{name}.")

    def duration(self, name: str, flags: list[str]) -> tuple[Duration | None, str | None]:
        """(parsed, raw) of an ISO 8601 duration; an unreadable one gives (None, raw) and a flag."""
        raw = self.optional_str(name)
        if raw is None:
            return None, None
        try:
            return parse_duration(raw), raw
        except ValueError:
            flags.append(f"{(self.prefix + name).replace('.', '_')}_onleesbaar")
            return None, raw


def parse_date(text: str) -> date:
    """A calendar date `YYYY-MM-DD`, strictly (no week dates, no basic format, no time part)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"ongeldige datum: {text!r}")
    return date.fromisoformat(text)


def parse_datetime(text: str) -> datetime:
    """An aware datetime from ISO 8601 (`Z` and fractions accepted); without offset: Europe/Amsterdam."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=NAIVE_DATETIME_ZONE)


def _check_enum(value: str | None, allowed: frozenset[str], flag: str, flags: list[str]) -> None:
    if value is not None and value not in allowed:
        flags.append(f"{flag}:{value}")


@dataclass(frozen=True)
class Zaak:
    url: str
    uuid: str | None
    identificatie: str
    bronorganisatie: str
    zaaktype: str
    omschrijving: str
    registratiedatum: date | None
    startdatum: date
    einddatum: date | None
    einddatum_gepland: date | None
    uiterlijke_einddatum_afdoening: date | None
    opschorting_indicatie: bool
    opschorting_reden: str
    verlenging_reden: str | None
    verlenging_duur: Duration | None
    status: str | None
    resultaat: str | None
    archiefnominatie: str | None
    archiefstatus: str
    archiefactiedatum: date | None
    hoofdzaak: str | None
    flags: tuple[str, ...] = ()
    rollen: tuple[str, ...] = ()  # the zaak's own list of its rol URLs: it changes when the team moves

    @classmethod
    def from_api(cls, data: object) -> Zaak:
        f = _Fields(data, "zaak")
        url = f.required_str("url")
        flags: list[str] = []
        opschorting = f.nested("opschorting")
        verlenging = f.nested("verlenging")
        verlenging_duur, _ = verlenging.duration("duur", flags)
        archiefnominatie = f.optional_str("archiefnominatie")
        archiefstatus = f.required_str("archiefstatus")
        _check_enum(archiefnominatie, ARCHIEFNOMINATIES, "onbekende_archiefnominatie", flags)
        _check_enum(archiefstatus, ARCHIEFSTATUSSEN, "onbekende_archiefstatus", flags)
        return cls(
            url=url,
            uuid=f.optional_str("uuid"),
            identificatie=f.required_str("identificatie"),
            bronorganisatie=f.required_str("bronorganisatie"),
            zaaktype=f.required_str("zaaktype"),
            omschrijving=f.text("omschrijving"),
            registratiedatum=f.optional_date("registratiedatum"),
            startdatum=f.required_date("startdatum"),
            einddatum=f.optional_date("einddatum"),
            einddatum_gepland=f.optional_date("einddatumGepland"),
            uiterlijke_einddatum_afdoening=f.optional_date("uiterlijkeEinddatumAfdoening"),
            opschorting_indicatie=opschorting.boolean("indicatie"),
            opschorting_reden=opschorting.text("reden"),
            verlenging_reden=verlenging.optional_str("reden"),
            verlenging_duur=verlenging_duur,
            status=f.optional_str("status"),
            resultaat=f.optional_str("resultaat"),
            archiefnominatie=archiefnominatie,
            archiefstatus=archiefstatus,
            archiefactiedatum=f.optional_date("archiefactiedatum"),
            hoofdzaak=f.optional_str("hoofdzaak"),
            flags=tuple(flags),
            rollen=f.url_list("rollen"),
        )


@dataclass(frozen=True)
class ZaakType:
    url: str
    identificatie: str
    omschrijving: str
    doorlooptijd: Duration | None
    doorlooptijd_raw: str | None
    servicenorm: Duration | None
    verlenging_mogelijk: bool
    verlengingstermijn: Duration | None
    flags: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> ZaakType:
        f = _Fields(data, "zaaktype")
        url = f.required_str("url")
        flags: list[str] = []
        doorlooptijd, doorlooptijd_raw = f.duration("doorlooptijd", flags)
        servicenorm, _ = f.duration("servicenorm", flags)
        verlengingstermijn, _ = f.duration("verlengingstermijn", flags)
        return cls(
            url=url,
            identificatie=f.text("identificatie"),
            omschrijving=f.text("omschrijving"),
            doorlooptijd=doorlooptijd,
            doorlooptijd_raw=doorlooptijd_raw,
            servicenorm=servicenorm,
            verlenging_mogelijk=f.boolean("verlengingMogelijk"),
            verlengingstermijn=verlengingstermijn,
            flags=tuple(flags),
        )


@dataclass(frozen=True)
class ResultaatType:
    url: str
    zaaktype: str
    omschrijving: str
    archiefnominatie: str | None
    archiefactietermijn: Duration | None
    afleidingswijze: str | None
    flags: tuple[str, ...] = ()

    @classmethod
    def from_api(cls, data: object) -> ResultaatType:
        f = _Fields(data, "resultaattype")
        url = f.required_str("url")
        flags: list[str] = []
        archiefnominatie = f.optional_str("archiefnominatie")
        _check_enum(archiefnominatie, ARCHIEFNOMINATIES, "onbekende_archiefnominatie", flags)
        archiefactietermijn, _ = f.duration("archiefactietermijn", flags)
        return cls(
            url=url,
            zaaktype=f.required_str("zaaktype"),
            omschrijving=f.text("omschrijving"),
            archiefnominatie=archiefnominatie,
            archiefactietermijn=archiefactietermijn,
            afleidingswijze=f.nested("brondatumArchiefprocedure").optional_str("afleidingswijze"),
            flags=tuple(flags),
        )


@dataclass(frozen=True)
class Rol:
    url: str
    zaak: str
    betrokkene_type: str
    omschrijving_generiek: str
    registratiedatum: datetime | None
    identificatie: str | None
    naam: str | None

    @classmethod
    def from_api(cls, data: object) -> Rol:
        f = _Fields(data, "rol")
        url = f.required_str("url")
        betrokkene = f.nested("betrokkeneIdentificatie")
        return cls(
            url=url,
            zaak=f.required_str("zaak"),
            betrokkene_type=f.text("betrokkeneType"),
            omschrijving_generiek=f.text("omschrijvingGeneriek"),
            registratiedatum=f.optional_datetime("registratiedatum"),
            identificatie=betrokkene.optional_str("identificatie"),
            naam=betrokkene.optional_str("naam"),
        )


@dataclass(frozen=True)
class Resultaat:
    url: str
    zaak: str
    resultaattype: str
    toelichting: str

    @classmethod
    def from_api(cls, data: object) -> Resultaat:
        f = _Fields(data, "resultaat")
        url = f.required_str("url")
        return cls(
            url=url,
            zaak=f.required_str("zaak"),
            resultaattype=f.required_str("resultaattype"),
            toelichting=f.text("toelichting"),
        )
