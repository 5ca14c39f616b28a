"""The records of a list page read the quick way: the same typed records as `records.X.from_api`, for the many
records that are plain (every field of the expected JSON type, dates well formed, nothing to flag).

`from_api` checks each field through a small reader object so an error can name the record and the field; at
500 zaken a page that cost more than decoding the JSON. These functions read the JSON object directly and give
up at the first thing that is not plain (raising `_NotPlain`); the record is then read again by `from_api`,
which returns the flagged record or raises the ZGWRecordError that names the field, exactly as before. So the
result is always the one `from_api` gives (tests/connectors/test_zgw_quick.py compares the two on mutated
records); only the plain case is faster.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from .durations import Duration, parse_duration
from .records import ARCHIEFNOMINATIES, ARCHIEFSTATUSSEN, NAIVE_DATETIME_ZONE, Resultaat, Rol, Zaak


class _NotPlain(Exception):
    """The record needs the checking reader (an error to report, a flag to set)."""


_NOT_PLAIN = _NotPlain()


def _text(value: Any) -> str | None:
    """records._Fields.optional_str: None stays None, a string is stripped ("" becomes None)."""
    if value is None:
        return None
    if type(value) is not str:
        raise _NOT_PLAIN
    return value.strip() or None


def _required(value: Any) -> str:
    text = _text(value)
    if text is None:
        raise _NOT_PLAIN
    return text


@lru_cache(maxsize=8192)
def _date(text: str) -> date:
    """records.parse_date of an already stripped string; the same few thousand dates recur on every page."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise _NOT_PLAIN
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _NOT_PLAIN from None


def _optional_date(value: Any) -> date | None:
    text = _text(value)
    return None if text is None else _date(text)


@lru_cache(maxsize=1024)
def _duration(text: str) -> Duration:
    try:
        return parse_duration(text)
    except ValueError:
        raise _NOT_PLAIN from None  # from_api flags it as unreadable


def _nested(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if type(value) is not dict:
        raise _NOT_PLAIN
    return value


def _plain_zaak(data: Any) -> Zaak:
    if type(data) is not dict:
        raise _NOT_PLAIN
    get = data.get
    opschorting = _nested(get("opschorting"))
    verlenging = _nested(get("verlenging"))
    duur = _text(verlenging.get("duur"))
    archiefnominatie = _text(get("archiefnominatie"))
    archiefstatus = _required(get("archiefstatus"))
    if (archiefnominatie is not None and archiefnominatie not in ARCHIEFNOMINATIES) \
            or archiefstatus not in ARCHIEFSTATUSSEN:
        raise _NOT_PLAIN  # flagged by from_api
    indicatie = opschorting.get("indicatie")
    if indicatie is None:
        indicatie = False
    elif type(indicatie) is not bool:
        raise _NOT_PLAIN
    rollen = get("rollen")
    if rollen is None:
        rollen = ()
    elif type(rollen) is not list or not all(type(item) is str for item in rollen):
        raise _NOT_PLAIN
    else:
        rollen = tuple(item.strip() for item in rollen if item.strip())
    return Zaak(
        url=_required(get("url")),
        uuid=_text(get("uuid")),
        identificatie=_required(get("identificatie")),
        bronorganisatie=_required(get("bronorganisatie")),
        zaaktype=_required(get("zaaktype")),
        omschrijving=_text(get("omschrijving")) or "",
        registratiedatum=_optional_date(get("registratiedatum")),
        startdatum=_date(_required(get("startdatum"))),
        einddatum=_optional_date(get("einddatum")),
        einddatum_gepland=_optional_date(get("einddatumGepland")),
        uiterlijke_einddatum_afdoening=_optional_date(get("uiterlijkeEinddatumAfdoening")),
        opschorting_indicatie=indicatie,
        opschorting_reden=_text(opschorting.get("reden")) or "",
        verlenging_reden=_text(verlenging.get("reden")),
        verlenging_duur=None if duur is None else _duration(duur),
        status=_text(get("status")),
        resultaat=_text(get("resultaat")),
        archiefnominatie=archiefnominatie,
        archiefstatus=archiefstatus,
        archiefactiedatum=_optional_date(get("archiefactiedatum")),
        hoofdzaak=_text(get("hoofdzaak")),
        flags=(),
        rollen=rollen,
    )


def _plain_rol(data: Any) -> Rol:
    if type(data) is not dict:
        raise _NOT_PLAIN
    get = data.get
    betrokkene = _nested(get("betrokkeneIdentificatie"))
    moment = _text(get("registratiedatum"))
    if moment is not None:
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            raise _NOT_PLAIN from None
        moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=NAIVE_DATETIME_ZONE)
    return Rol(
        url=_required(get("url")),
        zaak=_required(get("zaak")),
        betrokkene_type=_text(get("betrokkeneType")) or "",
        omschrijving_generiek=_text(get("omschrijvingGeneriek")) or "",
        registratiedatum=moment,
        identificatie=_text(betrokkene.get("identificatie")),
        naam=_text(betrokkene.get("naam")),
    )


def _plain_resultaat(data: Any) -> Resultaat:
    if type(data) is not dict:
        raise _NOT_PLAIN
    get = data.get
    return Resultaat(
        url=_required(get("url")),
        zaak=_required(get("zaak")),
        resultaattype=_required(get("resultaattype")),
        toelichting=_text(get("toelichting")) or "",
    )


def zaak(data: Any) -> Zaak:
    """records.Zaak.from_api(data), quicker for a plain record."""
    try:
        return _plain_zaak(data)
    except _NotPlain:
        return Zaak.from_api(data)


def rol(data: Any) -> Rol:
    """records.Rol.from_api(data), quicker for a plain record."""
    try:
        return _plain_rol(data)
    except _NotPlain:
        return Rol.from_api(data)


def resultaat(data: Any) -> Resultaat:
    """records.Resultaat.from_api(data), quicker for a plain record."""
    try:
        return _plain_resultaat(data)
    except _NotPlain:
        return Resultaat.from_api(data)
