"""The quick readers of list records (connectors/zgw/quick.py) give exactly what `from_api` gives.

Same record (equal dataclasses, flags included), or the same ZGWRecordError (message, url, field, reason), on
valid records, mutated ones (a field dropped, of the wrong type, hostile or mangled), objects made of the API
fields with any values, and arbitrary JSON. And a plain record really takes the quick way (it would be no faster
if every record fell back to `from_api`)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.zgw import Resultaat, Rol, Zaak, ZGWRecordError, quick
from tests.connectors.test_zgw_records_properties import (
    API_FIELDS,
    SETTINGS,
    VALID,
    hostile_strings,
    json_values,
    mangled,
    mutated,
)

QUICK = {"zaak": (quick.zaak, Zaak.from_api), "rol": (quick.rol, Rol.from_api),
         "resultaat": (quick.resultaat, Resultaat.from_api)}
PLAIN = {"zaak": quick._plain_zaak, "rol": quick._plain_rol, "resultaat": quick._plain_resultaat}
KINDS = sorted(QUICK)


def outcome(parse: Any, data: Any) -> Any:
    try:
        return ("record", parse(data))
    except ZGWRecordError as error:
        return ("error", str(error), error.url, error.field, error.reason)


def assert_same(kind: str, data: Any) -> None:
    fast, checked = QUICK[kind]
    assert outcome(fast, data) == outcome(checked, data)


@SETTINGS
@given(st.sampled_from(KINDS).flatmap(lambda kind: st.tuples(st.just(kind), VALID[kind])))
def test_valid_records_read_the_same_and_the_quick_way(case: tuple[str, tuple[dict[str, Any], Any]]) -> None:
    kind, (data, _) = case
    data = json.loads(json.dumps(data))  # as it comes off the wire
    checked = QUICK[kind][1](data)
    if getattr(checked, "flags", ()):
        return  # a flagged record (an unreadable duration) is left to from_api on purpose
    assert PLAIN[kind](data) == checked


@SETTINGS
@given(mutated().filter(lambda case: case[0] in QUICK))
def test_mutated_records_read_the_same(case: tuple[str, dict[str, Any], str | None, str]) -> None:
    kind, data, _, _ = case
    assert_same(kind, data)


@SETTINGS
@given(st.sampled_from(KINDS),
       st.dictionaries(st.sampled_from(API_FIELDS), json_values | hostile_strings | mangled, max_size=12))
def test_objects_with_the_api_fields_read_the_same(kind: str, data: dict[str, Any]) -> None:
    assert_same(kind, data)


@SETTINGS
@given(st.sampled_from(KINDS), json_values)
def test_arbitrary_json_reads_the_same(kind: str, data: Any) -> None:
    assert_same(kind, data)


@pytest.mark.parametrize(("field", "value"), [
    ("archiefstatus", "onbekend"), ("archiefnominatie", "later"), ("verlenging", {"reden": "x", "duur": "P1.5D"}),
    ("startdatum", " 2026-05-15 "), ("einddatum", ""), ("rollen", [" http://x/rollen/1 ", "", "  "]),
    ("opschorting", None), ("opschorting", {"indicatie": None, "reden": None}), ("omschrijving", None),
])
def test_edge_values_of_a_zaak_read_the_same(field: str, value: Any) -> None:
    """Hand-picked: flags (unknown enum values, an unreadable duration: from_api sets them), blanks, padding."""
    data = {"url": "http://x/zaken/1", "identificatie": "ZAAK-1", "bronorganisatie": "123456782",
            "zaaktype": "http://x/zaaktypen/1", "startdatum": "2026-05-15", "archiefstatus": "nog_te_archiveren",
            field: value}
    assert_same("zaak", data)
    record = quick.zaak(data)
    if field in ("archiefstatus", "archiefnominatie"):
        assert record.flags == (f"onbekende_{field}:{value}",)
    if field == "verlenging":
        assert record.flags == ("verlenging_duur_onleesbaar",) and record.verlenging_duur is None
    if field == "rollen":
        assert record.rollen == ("http://x/rollen/1",)
