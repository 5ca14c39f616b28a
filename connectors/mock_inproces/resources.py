"""Resource shapes of the ZGW APIs as Open Zaak returns them, and URL handling.

Resources are stored host-free: URLs to the mock's own APIs become paths (`/zaken/api/v1/zaken/<uuid>`)
and get the scheme and host of the request on output. Zaken-side resources (zaken, rollen, resultaten,
statussen) are stored compactly: only the fields that differ from the template below, without `url`
(derived from the uuid): less to encode while generating and less disk (about 4.5 KB per zaak with its
rollen, resultaat, statussen and indexes).
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

ZAKEN_PREFIX = "/zaken/api/v1"
CATALOGI_PREFIX = "/catalogi/api/v1"
API_PREFIXES = (ZAKEN_PREFIX + "/", CATALOGI_PREFIX + "/")

ZAKEN_KINDS = ("zaken", "rollen", "resultaten", "statussen")
CATALOGI_KINDS = ("catalogussen", "zaaktypen", "resultaattypen", "statustypen", "roltypen")

_EMPTY_OPSCHORTING = {"indicatie": False, "eerdereOpschorting": False, "reden": ""}
_EMPTY_PROCESSOBJECT = {"datumkenmerk": "", "identificatie": "", "objecttype": "", "registratie": ""}

ZAAK_TEMPLATE: dict[str, Any] = {
    "url": None, "uuid": None, "identificatie": "", "bronorganisatie": "", "omschrijving": "", "toelichting": "",
    "zaaktype": "", "registratiedatum": None, "verantwoordelijkeOrganisatie": "", "startdatum": None,
    "einddatum": None, "einddatumGepland": None, "uiterlijkeEinddatumAfdoening": None, "publicatiedatum": None,
    "communicatiekanaal": "", "communicatiekanaalNaam": "", "productenOfDiensten": [],
    "vertrouwelijkheidaanduiding": "openbaar", "betalingsindicatie": "", "betalingsindicatieWeergave": "",
    "laatsteBetaaldatum": None, "zaakgeometrie": None, "verlenging": None, "opschorting": _EMPTY_OPSCHORTING,
    "selectielijstklasse": "", "hoofdzaak": None, "deelzaken": [], "relevanteAndereZaken": [], "eigenschappen": [],
    "rollen": [], "status": None, "zaakinformatieobjecten": [], "zaakobjecten": [], "kenmerken": [],
    "archiefnominatie": None, "archiefstatus": "nog_te_archiveren", "archiefactiedatum": None, "resultaat": None,
    "opdrachtgevendeOrganisatie": "", "processobjectaard": "", "startdatumBewaartermijn": None,
    "processobject": _EMPTY_PROCESSOBJECT, "_expand": {},
}

ROL_TEMPLATE: dict[str, Any] = {
    "url": None, "uuid": None, "zaak": "", "betrokkene": "", "betrokkeneType": "", "afwijkendeNaamBetrokkene": "",
    "roltype": "", "omschrijving": "", "omschrijvingGeneriek": "", "roltoelichting": "", "registratiedatum": None,
    "indicatieMachtiging": "", "contactpersoonRol": {"emailadres": "", "functie": "", "telefoonnummer": "", "naam": ""},
    "statussen": [], "beginGeldigheid": None, "eindeGeldigheid": None, "betrokkeneIdentificatie": None,
}
# betrokkeneIdentificatie per betrokkeneType, and extra trailing fields Open Zaak adds for that type.
BETROKKENE_TEMPLATES: dict[str, dict[str, Any]] = {
    "organisatorische_eenheid": {"identificatie": "", "naam": "", "isGehuisvestIn": ""},
    "natuurlijk_persoon": {
        "inpBsn": "", "anpIdentificatie": "", "inpA_nummer": "", "geslachtsnaam": "", "voorvoegselGeslachtsnaam": "",
        "voorletters": "", "voornamen": "", "geslachtsaanduiding": "", "geboortedatum": "", "verblijfsadres": None,
        "subVerblijfBuitenland": None,
    },
}
ROL_TRAILERS: dict[str, dict[str, Any]] = {"natuurlijk_persoon": {"authenticatieContext": None}}

RESULTAAT_TEMPLATE: dict[str, Any] = {"url": None, "uuid": None, "zaak": "", "resultaattype": "", "toelichting": ""}

STATUS_TEMPLATE: dict[str, Any] = {
    "url": None, "uuid": None, "zaak": "", "statustype": "", "datumStatusGezet": None, "statustoelichting": "",
    "indicatieLaatstGezetteStatus": False, "gezetdoor": None, "zaakinformatieobjecten": [],
}

TEMPLATES: dict[str, dict[str, Any]] = {
    "zaken": ZAAK_TEMPLATE, "rollen": ROL_TEMPLATE, "resultaten": RESULTAAT_TEMPLATE, "statussen": STATUS_TEMPLATE,
}


def api_prefix(kind: str) -> str:
    return ZAKEN_PREFIX if kind in ZAKEN_KINDS else CATALOGI_PREFIX


def resource_path(kind: str, uuid: str) -> str:
    return f"{api_prefix(kind)}/{kind}/{uuid}"


def to_path(url: str) -> str:
    """A URL to one of the mock's APIs, on any host, as a host-free path; other URLs unchanged."""
    if not isinstance(url, str) or "/api/v1/" not in url:
        return url
    parts = urlsplit(url)
    if parts.path.startswith(API_PREFIXES) and not parts.query and not parts.fragment:
        return parts.path
    return url


def to_paths(value: Any) -> Any:
    """`to_path` on every string in a JSON value."""
    if isinstance(value, str):
        return to_path(value)
    if isinstance(value, list):
        return [to_paths(item) for item in value]
    if isinstance(value, dict):
        return {key: to_paths(item) for key, item in value.items()}
    return value


def uuid_of(url_or_path: str) -> str:
    return url_or_path.rstrip("/").rsplit("/", 1)[-1]


def with_host(text: str, base_url: str) -> str:
    """Serialized JSON with the mock's host put before every stored API path."""
    for prefix in (ZAKEN_PREFIX, CATALOGI_PREFIX):
        text = text.replace(f'"{prefix}/', f'"{base_url}{prefix}/')
    return text


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON (a shared encoder: `json.dumps` with arguments builds a new one per call)."""
    return _ENCODER.encode(value)


def expand(kind: str, uuid: str, stored: dict[str, Any]) -> dict[str, Any]:
    """The full API body of a stored (compact) zaken-side resource."""
    body = dict(TEMPLATES[kind])
    body.update(stored)
    body["url"] = resource_path(kind, uuid)
    body["uuid"] = uuid
    if kind == "rollen":
        betrokkene_type = body["betrokkeneType"]
        identificatie = body["betrokkeneIdentificatie"]
        template = BETROKKENE_TEMPLATES.get(betrokkene_type)
        if template is not None and isinstance(identificatie, dict):
            body["betrokkeneIdentificatie"] = {**template, **identificatie}
        for key, value in ROL_TRAILERS.get(betrokkene_type, {}).items():
            body.setdefault(key, value)
    return body


def compact(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a zaken-side resource: the fields that differ from the template, no url."""
    template = TEMPLATES[kind]
    trailers = ROL_TRAILERS.get(body.get("betrokkeneType", ""), {}) if kind == "rollen" else {}
    return {
        key: copy.deepcopy(value)
        for key, value in body.items()
        if key not in ("url", "uuid") and not (key in template and template[key] == value)
        and not (key in trailers and trailers[key] == value)
    }


def status_moment(body: dict[str, Any]) -> float:
    """`datumStatusGezet` of a status as a timestamp (any offset; naive = UTC; missing or bad = -inf): the
    current status of a zaak is the one set latest, as Open Zaak decides it."""
    text = body.get("datumStatusGezet")
    try:
        moment = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        moment = None
    if moment is None:
        return float("-inf")
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


# Catalogi fields that hold an ISO 8601 duration (Open Zaak stores them as a dateutil relativedelta).
DURATION_FIELDS = frozenset({"doorlooptijd", "servicenorm", "verlengingstermijn", "archiefactietermijn",
                             "procestermijn", "reactietermijn", "publicatietermijn"})
_DURATION = re.compile(r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def served_duration(text: Any) -> Any:
    """A duration as Open Zaak serves it: relativedelta's normalisation (weeks become days, 60 s a minute,
    60 minutes an hour, 24 hours a day, 12 months a year; days never become months) in its ISO format.
    `P8W` -> `P56D`, `P2M` stays, `P14M` -> `P1Y2M`. Anything else is returned unchanged."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        return text
    years, months, weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    minutes, seconds = minutes + seconds // 60, seconds % 60
    hours, minutes = hours + minutes // 60, minutes % 60
    days, hours = days + weeks * 7 + hours // 24, hours % 24
    years, months = years + months // 12, months % 12
    big = "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (days, "D")) if n)
    small = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    return f"P{big}T{small}" if small else f"P{big or '0D'}"


def served_durations(value: Any) -> Any:
    """`served_duration` on every duration field in a (catalogi) JSON value."""
    if isinstance(value, list):
        return [served_durations(item) for item in value]
    if isinstance(value, dict):
        return {key: served_duration(item) if key in DURATION_FIELDS else served_durations(item)
                for key, item in value.items()}
    return value
