"""Property-based tests of the ZGW record parsers (connectors/zgw/records.py), with hypothesis.

(a) Valid records built by strategies (the shapes of the recorded Open Zaak fixtures) parse to the values they
were built from: dates, date-times, URLs, durations, booleans, blank-means-None.
(b) Anything else (arbitrary JSON, or a valid record with one field dropped, of the wrong type, a bad date,
a huge or odd unicode string) either parses or raises ZGWRecordError naming the record and field; never any
other exception.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.zgw import Duration, Resultaat, ResultaatType, Rol, Zaak, ZaakType, ZGWRecordError
from connectors.zgw.records import ARCHIEFNOMINATIES, ARCHIEFSTATUSSEN, NAIVE_DATETIME_ZONE

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSERS: dict[str, Any] = {"zaak": Zaak, "zaaktype": ZaakType, "resultaattype": ResultaatType, "rol": Rol,
                           "resultaat": Resultaat}

# -- building blocks -------------------------------------------------------------------------------------------

BLANK = st.sampled_from([None, "", " ", "\t\n"])
text = st.text(min_size=1, max_size=40).filter(str.strip)  # a non-blank string; parsed as its .strip()


def optional(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value, or one of the spellings of "nothing" the APIs use (null, "", whitespace)."""
    return st.one_of(BLANK, values)


@st.composite
def urls(draw: st.DrawFn, resource: str = "zaken") -> str:
    host = draw(st.sampled_from(["http://127.0.0.1:8800", "https://inproces.example", "https://zgw.gemeente.nl"]))
    return f"{host}/{resource}/api/v1/{resource}/{draw(st.uuids())}"


dates = st.dates()
enum_nominatie = st.sampled_from(sorted(ARCHIEFNOMINATIES))
enum_status = st.sampled_from(sorted(ARCHIEFSTATUSSEN))


@st.composite
def durations(draw: st.DrawFn) -> tuple[str, Duration]:
    """An ISO 8601 duration as the ZGW APIs write it, and its value (weeks and whole days of hours are days)."""
    years, months, weeks, days = (draw(st.none() | st.integers(0, 400)) for _ in range(4))
    hours = draw(st.none() | st.sampled_from([0, 24, 48]))
    if all(part is None for part in (years, months, weeks, days, hours)):
        days = draw(st.integers(0, 400))
    text = "P" + "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (weeks, "W"), (days, "D"))
                         if n is not None)
    if hours is not None:
        text += f"T{hours}H"
    value = Duration(years=years or 0, months=months or 0, days=(weeks or 0) * 7 + (days or 0) + (hours or 0) // 24)
    return text, value


@st.composite
def datetimes_iso(draw: st.DrawFn) -> tuple[str, datetime]:
    """An ISO 8601 date-time (with Z, an offset or none) and the aware datetime it means."""
    moment = draw(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
    zone = draw(st.sampled_from(["Z", "offset", "naive"]))
    if zone == "naive":
        return moment.isoformat(), moment.replace(tzinfo=NAIVE_DATETIME_ZONE)
    if zone == "Z":
        return moment.isoformat() + "Z", moment.replace(tzinfo=UTC)
    offset = timezone(timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60))))
    aware = moment.replace(tzinfo=offset)
    return aware.isoformat(), aware


def _text_value(value: str | None) -> str | None:
    return None if value is None or not value.strip() else value.strip()


# -- valid records and what they must parse to ----------------------------------------------------------------

@st.composite
def valid_zaak(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    data: dict[str, Any] = {
        "url": draw(urls()), "identificatie": draw(text),
        "bronorganisatie": draw(st.from_regex(r"[0-9]{9}", fullmatch=True)), "zaaktype": draw(urls("catalogi")),
        "startdatum": draw(dates).isoformat(), "archiefstatus": draw(enum_status),
    }
    expected: dict[str, Any] = {"url": data["url"], "identificatie": data["identificatie"].strip(),
                                "bronorganisatie": data["bronorganisatie"], "zaaktype": data["zaaktype"],
                                "startdatum": date.fromisoformat(data["startdatum"]),
                                "archiefstatus": data["archiefstatus"]}
    for api, attr in (("registratiedatum", "registratiedatum"), ("einddatum", "einddatum"),
                      ("einddatumGepland", "einddatum_gepland"),
                      ("uiterlijkeEinddatumAfdoening", "uiterlijke_einddatum_afdoening"),
                      ("archiefactiedatum", "archiefactiedatum")):
        if draw(st.booleans()):
            value = draw(optional(dates.map(date.isoformat)))
            data[api] = value
            expected[attr] = None if _text_value(value) is None else date.fromisoformat(value)
        else:
            expected[attr] = None
    for api, attr, values in (("uuid", "uuid", st.uuids().map(str)), ("omschrijving", "omschrijving", text),
                              ("status", "status", urls("statussen")), ("resultaat", "resultaat", urls("resultaten")),
                              ("hoofdzaak", "hoofdzaak", urls()), ("archiefnominatie", "archiefnominatie",
                                                                   enum_nominatie)):
        value = draw(optional(values)) if draw(st.booleans()) else None
        if value is not None:
            data[api] = value
        expected[attr] = _text_value(value) if attr != "omschrijving" else (_text_value(value) or "")
    indicatie, reden = draw(st.booleans()), draw(optional(text))
    data["opschorting"] = draw(st.sampled_from([None, {"indicatie": indicatie, "reden": reden,
                                                       "eerdereOpschorting": False}]))
    expected["opschorting_indicatie"] = indicatie if data["opschorting"] else False
    expected["opschorting_reden"] = (_text_value(reden) or "") if data["opschorting"] else ""
    duur_text, duur = draw(durations())
    verlenging_reden = draw(optional(text))
    data["verlenging"] = draw(st.sampled_from([None, {"reden": verlenging_reden, "duur": duur_text}]))
    expected["verlenging_duur"] = duur if data["verlenging"] else None
    expected["verlenging_reden"] = _text_value(verlenging_reden) if data["verlenging"] else None
    expected["flags"] = ()
    return data, expected


@st.composite
def valid_zaaktype(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    data: dict[str, Any] = {"url": draw(urls("catalogi"))}
    expected: dict[str, Any] = {"url": data["url"], "flags": ()}
    for api, attr in (("identificatie", "identificatie"), ("omschrijving", "omschrijving")):
        value = draw(optional(text))
        data[api] = value
        expected[attr] = _text_value(value) or ""
    for api, attr in (("doorlooptijd", "doorlooptijd"), ("servicenorm", "servicenorm"),
                      ("verlengingstermijn", "verlengingstermijn")):
        raw, value = draw(durations())
        if draw(st.booleans()):
            data[api], expected[attr] = raw, value
        else:
            data[api], expected[attr] = None, None
    expected["doorlooptijd_raw"] = data["doorlooptijd"]
    data["verlengingMogelijk"] = draw(st.booleans())
    expected["verlenging_mogelijk"] = data["verlengingMogelijk"]
    return data, expected


@st.composite
def valid_resultaattype(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    raw, termijn = draw(durations())
    nominatie = draw(optional(enum_nominatie))
    afleiding = draw(optional(st.sampled_from(["afgehandeld", "ander_datumkenmerk", "eigenschap"])))
    data = {"url": draw(urls("catalogi")), "zaaktype": draw(urls("catalogi")), "omschrijving": draw(optional(text)),
            "archiefnominatie": nominatie, "archiefactietermijn": raw,
            "brondatumArchiefprocedure": {"afleidingswijze": afleiding, "procestermijn": None}}
    expected = {"url": data["url"], "zaaktype": data["zaaktype"],
                "omschrijving": _text_value(data["omschrijving"]) or "",
                "archiefnominatie": _text_value(nominatie), "archiefactietermijn": termijn,
                "afleidingswijze": _text_value(afleiding), "flags": ()}
    return data, expected


@st.composite
def valid_rol(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    registratie = draw(st.none() | datetimes_iso())
    betrokkene = draw(st.none() | st.fixed_dictionaries({"identificatie": optional(text), "naam": optional(text)}))
    data = {"url": draw(urls()), "zaak": draw(urls()),
            "betrokkeneType": draw(st.sampled_from(["organisatorische_eenheid", "natuurlijk_persoon", "medewerker"])),
            "omschrijvingGeneriek": draw(st.sampled_from(["behandelaar", "initiator", "belanghebbende"])),
            "registratiedatum": registratie[0] if registratie else None, "betrokkeneIdentificatie": betrokkene}
    expected = {"url": data["url"], "zaak": data["zaak"], "betrokkene_type": data["betrokkeneType"],
                "omschrijving_generiek": data["omschrijvingGeneriek"],
                "registratiedatum": registratie[1] if registratie else None,
                "identificatie": _text_value((betrokkene or {}).get("identificatie")),
                "naam": _text_value((betrokkene or {}).get("naam"))}
    return data, expected


@st.composite
def valid_resultaat(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    data = {"url": draw(urls("resultaten")), "zaak": draw(urls()), "resultaattype": draw(urls("catalogi")),
            "toelichting": draw(optional(text))}
    expected = {"url": data["url"], "zaak": data["zaak"], "resultaattype": data["resultaattype"],
                "toelichting": _text_value(data["toelichting"]) or ""}
    return data, expected


VALID = {"zaak": valid_zaak(), "zaaktype": valid_zaaktype(), "resultaattype": valid_resultaattype(),
         "rol": valid_rol(), "resultaat": valid_resultaat()}
any_valid = st.sampled_from(sorted(VALID)).flatmap(lambda kind: st.tuples(st.just(kind), VALID[kind]))


# (a) round trip ------------------------------------------------------------------------------------------------

@SETTINGS
@given(any_valid)
def test_valid_records_parse_to_the_values_they_hold(case: tuple[str, tuple[dict[str, Any], dict[str, Any]]]) -> None:
    kind, (data, expected) = case
    record = PARSERS[kind].from_api(data)
    assert {attr: getattr(record, attr) for attr in expected} == expected
    # what went over the wire as JSON parses the same
    assert PARSERS[kind].from_api(json.loads(json.dumps(data))) == record


@SETTINGS
@given(valid_zaak(), st.sampled_from(["archiefstatus", "archiefnominatie"]), text)
def test_unknown_enum_values_are_kept_and_flagged(case: tuple[dict[str, Any], dict[str, Any]], field: str,
                                                  value: str) -> None:
    data, _ = case
    allowed = ARCHIEFSTATUSSEN if field == "archiefstatus" else ARCHIEFNOMINATIES
    data = {**data, field: value}
    record = Zaak.from_api(data)
    assert getattr(record, field) == value.strip()
    flag = f"onbekende_{field}:{value.strip()}"
    assert (flag in record.flags) == (value.strip() not in allowed)


# (b) anything else: parses, or ZGWRecordError ---------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
API_FIELDS = ["url", "uuid", "identificatie", "bronorganisatie", "zaaktype", "omschrijving", "registratiedatum",
              "startdatum", "einddatum", "einddatumGepland", "uiterlijkeEinddatumAfdoening", "opschorting",
              "verlenging", "status", "resultaat", "archiefnominatie", "archiefstatus", "archiefactiedatum",
              "hoofdzaak", "doorlooptijd", "servicenorm", "verlengingMogelijk", "verlengingstermijn",
              "archiefactietermijn", "brondatumArchiefprocedure", "zaak", "betrokkeneType", "omschrijvingGeneriek",
              "betrokkeneIdentificatie", "resultaattype", "toelichting"]
hostile_strings = st.one_of(
    st.text(),  # any unicode (no lone surrogates)
    st.sampled_from(["2026-13-45", "0000-01-01", "9999-12-31T25:00", "2026-02-30", "31-12-2026", "20261231",
                     "2026-W01-1", "P", "PT", "P1.5D", "PT1H", "P-1D", "P" + "9" * 5000 + "D", "\x00", "\ud800",
                     "2026-01-01\x00", "２０２６-０１-０１", "2026-01-0\u0661", "x" * 100_000,
                     "<script>alert(1)</script>", "' OR 1=1 --", "\u202eRTL"]),
)
# A date, date-time or duration string with its characters shuffled a little.
mangled = st.sampled_from(["2026-05-15", "2026-05-15T10:00:00+01:00", "P56D", "P1Y6M"]).flatmap(
    lambda s: st.lists(st.sampled_from(sorted(set(s + "0123456789-:TZWYMDP+ .\u0661"))), min_size=0, max_size=30)
    .map("".join))



@st.composite
def edited(draw: st.DrawFn, valid: st.SearchStrategy[str]) -> str:
    """A valid string with one character replaced, inserted or deleted (any unicode character)."""
    value = draw(valid)
    index = draw(st.integers(0, len(value)))
    char = draw(st.characters() | st.sampled_from("0123456789-:TZ+ \u0661\uff10"))
    how = draw(st.sampled_from(["replace", "insert", "delete"]))
    if how == "insert":
        return value[:index] + char + value[index:]
    if how == "delete":
        return value[:index] + value[index + 1:]
    return value[:index] + char + value[index + 1:]


date_like = st.one_of(hostile_strings, mangled, edited(dates.map(date.isoformat)))
duration_like = st.one_of(hostile_strings, mangled, edited(durations().map(lambda d: d[0])))
datetime_like = st.one_of(hostile_strings, mangled, edited(datetimes_iso().map(lambda d: d[0])))


def _parse_or_record_error(kind: str, data: Any) -> Any:
    """Parse; a ZGWRecordError is fine, as long as it says which record (when it has a url) and which field."""
    try:
        return PARSERS[kind].from_api(data)
    except ZGWRecordError as error:
        assert str(error)
        raw_url = data.get("url") if isinstance(data, dict) else None
        if isinstance(raw_url, str) and raw_url.strip():
            assert error.url == raw_url and raw_url in str(error)
        if error.field is not None:
            assert repr(error.field) in str(error)
        return None


@SETTINGS
@given(st.sampled_from(sorted(PARSERS)), json_values)
def test_arbitrary_json_parses_or_raises_a_record_error(kind: str, data: Any) -> None:
    _parse_or_record_error(kind, data)


@SETTINGS
@given(st.sampled_from(sorted(PARSERS)),
       st.dictionaries(st.sampled_from(API_FIELDS), json_values | hostile_strings | mangled, max_size=12))
def test_objects_with_the_api_fields_parse_or_raise_a_record_error(kind: str, data: dict[str, Any]) -> None:
    _parse_or_record_error(kind, data)


# Top-level free-text fields: (record kind, API field) -> attribute ("" when blank).
TEXT_FIELDS = {("zaak", "omschrijving"): "omschrijving", ("zaaktype", "identificatie"): "identificatie",
               ("zaaktype", "omschrijving"): "omschrijving", ("resultaattype", "omschrijving"): "omschrijving",
               ("resultaat", "toelichting"): "toelichting", ("zaak", "identificatie"): "identificatie"}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any], str | None, str]:
    """A valid record with one (possibly nested) field dropped, or set to a wrong type or a hostile string.
    Returns (kind, data, the top-level field changed or None for a nested one, how)."""
    kind = draw(st.sampled_from(sorted(VALID)))
    data, _ = draw(VALID[kind])
    data = json.loads(json.dumps(data))
    target, top = data, True
    nested = [key for key, value in data.items() if isinstance(value, dict)]
    if nested and draw(st.booleans()):
        target, top = data[draw(st.sampled_from(nested))], False
    field = draw(st.sampled_from(sorted(target)))
    how = draw(st.sampled_from(["drop", "wrong type", "hostile", "mangled"]))
    if how == "drop":
        del target[field]
    elif how == "wrong type":
        target[field] = draw(json_values.filter(lambda v: not isinstance(v, str)))
    else:
        target[field] = draw(hostile_strings if how == "hostile" else mangled)
    return kind, data, field if top else None, how


@SETTINGS
@given(mutated())
def test_mutated_records_parse_or_raise_a_record_error(case: tuple[str, dict[str, Any], str | None, str]) -> None:
    kind, data, field, how = case
    record = _parse_or_record_error(kind, data)
    attribute = TEXT_FIELDS.get((kind, field or ""))
    if record is not None and attribute and how in ("hostile", "mangled"):
        assert getattr(record, attribute) == data[field].strip()  # free text is kept (stripped), never mangled


@SETTINGS
@given(st.sampled_from(sorted(VALID)).flatmap(lambda kind: st.tuples(st.just(kind), VALID[kind])),
       st.sampled_from(["url", "zaak", "zaaktype", "resultaattype", "identificatie", "bronorganisatie",
                        "startdatum", "archiefstatus"]),
       st.sampled_from(["drop", None, "", "  "]))
def test_a_missing_required_field_is_named(case: tuple[str, tuple[dict[str, Any], dict[str, Any]]], field: str,
                                           how: str | None) -> None:
    kind, (data, _) = case
    required = {"zaak": {"url", "identificatie", "bronorganisatie", "zaaktype", "startdatum", "archiefstatus"},
                "zaaktype": {"url"}, "resultaattype": {"url", "zaaktype"}, "rol": {"url", "zaak"},
                "resultaat": {"url", "zaak", "resultaattype"}}[kind]
    data = dict(data)
    if how == "drop":
        data.pop(field, None)
    else:
        data[field] = how
    if field not in required:
        PARSERS[kind].from_api(data)
        return
    try:
        PARSERS[kind].from_api(data)
    except ZGWRecordError as error:
        assert error.field == field and "ontbreekt" in str(error)
    else:
        raise AssertionError(f"{kind} without {field!r} parsed")


ZAAK_DATES = {"registratiedatum": "registratiedatum", "startdatum": "startdatum", "einddatum": "einddatum",
              "einddatumGepland": "einddatum_gepland", "uiterlijkeEinddatumAfdoening": "uiterlijke_einddatum_afdoening",
              "archiefactiedatum": "archiefactiedatum"}


@SETTINGS
@given(valid_zaak(), st.sampled_from(sorted(ZAAK_DATES)), date_like)
def test_a_zaak_date_is_a_calendar_date_or_a_record_error(case: tuple[dict[str, Any], dict[str, Any]], field: str,
                                                           value: str) -> None:
    data = {**case[0], field: value}
    try:
        record = Zaak.from_api(data)
    except ZGWRecordError as error:
        assert error.field == field
        return
    parsed, stripped = getattr(record, ZAAK_DATES[field]), value.strip()
    assert parsed == (date.fromisoformat(stripped) if stripped else None)
    assert not stripped or (len(stripped) == 10 and stripped[4] == stripped[7] == "-")


DURATIONS = [(ZaakType, valid_zaaktype(), ("doorlooptijd",), "doorlooptijd"),
             (ZaakType, valid_zaaktype(), ("servicenorm",), "servicenorm"),
             (ZaakType, valid_zaaktype(), ("verlengingstermijn",), "verlengingstermijn"),
             (ResultaatType, valid_resultaattype(), ("archiefactietermijn",), "archiefactietermijn"),
             (Zaak, valid_zaak(), ("verlenging", "duur"), "verlenging_duur")]


@SETTINGS
@given(st.sampled_from(range(len(DURATIONS))).flatmap(
    lambda i: st.tuples(st.just(i), DURATIONS[i][1])), duration_like)
def test_an_unreadable_duration_is_flagged_not_fatal(case: tuple[int, tuple[dict[str, Any], dict[str, Any]]],
                                                     value: str) -> None:
    """A duration is lenient: unreadable gives None and a `..._onleesbaar` flag, the record still parses."""
    parser, _, path, attribute = DURATIONS[case[0]]
    data = json.loads(json.dumps(case[1][0]))
    target = data
    for key in path[:-1]:
        target = data[key] = data.get(key) or {}
    target[path[-1]] = value
    record = parser.from_api(data)
    flag = "_".join(path) + "_onleesbaar"
    parsed = getattr(record, attribute)
    if not value.strip():
        assert parsed is None and flag not in record.flags
    elif parsed is None:
        assert flag in record.flags
    else:
        assert flag not in record.flags and isinstance(parsed, Duration) and value.strip().startswith("P")


@SETTINGS
@given(valid_rol(), datetime_like)
def test_a_rol_registratiedatum_is_an_aware_datetime_or_a_record_error(
        case: tuple[dict[str, Any], dict[str, Any]], value: str) -> None:
    try:
        record = Rol.from_api({**case[0], "registratiedatum": value})
    except ZGWRecordError as error:
        assert error.field == "registratiedatum"
        return
    assert record.registratiedatum is None or record.registratiedatum.tzinfo is not None
