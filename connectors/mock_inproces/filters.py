"""Query parameters of the list endpoints: validation like Open Zaak's filters, turned into SQL.

Parameters the mock does not implement are refused as unknown (400 `unknown-parameters`), never
silently ignored. Catalogi lists are small and are filtered in Python on the full bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .resources import ZAKEN_PREFIX, to_path

RSIN_LENGTH = 9
MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 100
ARCHIEFSTATUSSEN = ("nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen")
NOMINATIES = ("blijvend_bewaren", "vernietigen")
BETROKKENE_TYPES = ("natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid",
                    "medewerker")
OMSCHRIJVINGEN_GENERIEK = ("adviseur", "behandelaar", "belanghebbende", "beslisser", "initiator", "klantcontacter",
                           "zaakcoordinator", "mede_initiator")
ZAAK_ORDERING = {"startdatum": "startdatum", "einddatum": "einddatum", "publicatiedatum": "publicatiedatum",
                 "archiefactiedatum": "archiefactiedatum", "registratiedatum": "registratiedatum",
                 "identificatie": "identificatie"}
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_ZAAK_PATH = re.compile(rf"^{ZAKEN_PREFIX}/zaken/([0-9a-fA-F-]{{36}})$")


class InvalidParams(Exception):
    """400 with `invalidParams` (Open Zaak's ValidationError shape)."""

    def __init__(self, params: list[dict[str, str]]) -> None:
        super().__init__(params)
        self.params = params


class PageNotFound(Exception):
    """404 "Ongeldige pagina."."""


class _Skip(Exception):
    """A value the filter ignores (django-filter's NullBooleanField reads anything else as 'unset')."""


def _invalid(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": code, "reason": reason}


# -- value parsers: raise ValueError((code, reason)) ----------------------------------------------------
def text(value: str) -> str:
    return value


def choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise ValueError("invalid_choice", f"Selecteer een geldige keuze. {value} is geen beschikbare keuze.")
        return value

    return parse


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError("invalid", "Voer een geldige datum in.") from None


def url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError("invalid", "Voer een geldige URL in.")
    return to_path(value)


def zaak_url(value: str) -> str:
    """A zaak URL as the stored zaak uuid (a URL that is no zaak of this mock matches nothing)."""
    match = _ZAAK_PATH.match(url(value))
    return match.group(1).lower() if match else value


def rsin(value: str) -> str:
    """vng-api-common's `validate_rsin`, which Open Zaak applies to the `bronorganisatie` filters: digits,
    nine of them, the 11-proef. An empty value is not checked (Django's validators skip it)."""
    if value == "":
        return value
    if not value.isascii() or not value.isdigit():
        raise ValueError("only-digits", "Voer een numerieke waarde in")
    if len(value) != RSIN_LENGTH:
        raise ValueError("invalid-length", f"Waarde moet {RSIN_LENGTH} tekens lang zijn")
    total = sum((-1 if weight == 1 else weight) * int(digit) for weight, digit in enumerate(reversed(value), 1))
    if total % 11:
        raise ValueError("invalid", "Onjuist RSIN nummer")
    return value


def optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An empty value is no filter (django-filter's EMPTY_VALUES)."""
    def parse_given(value: str) -> Any:
        if value == "":
            raise _Skip
        return parse(value)

    return parse_given


def boolean(value: str) -> bool:
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    raise _Skip


def csv(parse: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    """Comma-separated values, each parsed; an empty value is no filter."""
    def parse_all(value: str) -> list[Any]:
        if value == "":
            raise _Skip
        return [parse(item) for item in value.split(",")]

    return parse_all


@dataclass(frozen=True)
class Filter:
    """`column op value`; op `rol:<column>` tests the zaak's rollen, `ident:<type>` a betrokkene's key."""

    column: str
    op: str
    parse: Callable[[str], Any]


def _dates(name: str, column: str, *suffixes: str) -> dict[str, Filter]:
    ops = {"": "=", "lt": "<", "gt": ">", "lte": "<=", "gte": ">=", "isnull": "isnull"}
    return {f"{name}__{s}" if s else name: Filter(column, ops[s], boolean if s == "isnull" else iso_date)
            for s in suffixes}


_IDENT_FILTERS = {
    "natuurlijkPersoon__inpBsn": "natuurlijk_persoon", "nietNatuurlijkPersoon__innNnpId": "niet_natuurlijk_persoon",
    "vestiging__vestigingsNummer": "vestiging", "organisatorischeEenheid__identificatie": "organisatorische_eenheid",
    "medewerker__identificatie": "medewerker",
}
ZAKEN_FILTERS: dict[str, Filter] = {
    "identificatie": Filter("identificatie", "=", text),
    "bronorganisatie": Filter("bronorganisatie", "=", optional(rsin)),
    "bronorganisatie__in": Filter("bronorganisatie", "in", csv(rsin)),
    "zaaktype": Filter("zaaktype", "=", url),
    # django-filter checks the choices of an exact filter only: an unknown value in `__in` matches nothing
    "archiefnominatie": Filter("archiefnominatie", "=", choice(NOMINATIES)),
    "archiefnominatie__in": Filter("archiefnominatie", "in", csv(text)),
    **_dates("archiefactiedatum", "archiefactiedatum", "", "lt", "gt", "isnull"),
    "archiefstatus": Filter("archiefstatus", "=", choice(ARCHIEFSTATUSSEN)),
    "archiefstatus__in": Filter("archiefstatus", "in", csv(text)),
    **_dates("startdatum", "startdatum", "", "gt", "gte", "lt", "lte"),
    **_dates("registratiedatum", "registratiedatum", "", "gt", "lt"),
    **_dates("einddatum", "einddatum", "", "gt", "lt", "isnull"),
    **_dates("einddatumGepland", "einddatum_gepland", "", "gt", "lt"),
    **_dates("uiterlijkeEinddatumAfdoening", "uiterlijke_einddatum", "", "gt", "lt"),
    "rol__betrokkeneType": Filter("betrokkene_type", "rol", choice(BETROKKENE_TYPES)),
    "rol__betrokkene": Filter("betrokkene", "rol", url),
    "rol__omschrijvingGeneriek": Filter("omschrijving_generiek", "rol", choice(OMSCHRIJVINGEN_GENERIEK)),
    **{f"rol__betrokkeneIdentificatie__{key}": Filter(betrokkene_type, "rol-ident", text)
       for key, betrokkene_type in _IDENT_FILTERS.items()},
}
ROLLEN_FILTERS: dict[str, Filter] = {
    "zaak": Filter("zaak", "=", zaak_url),
    "betrokkene": Filter("betrokkene", "=", url),
    "betrokkeneType": Filter("betrokkene_type", "=", choice(BETROKKENE_TYPES)),
    **{f"betrokkeneIdentificatie__{key}": Filter(betrokkene_type, "ident", text)
       for key, betrokkene_type in _IDENT_FILTERS.items()},
    "roltype": Filter("roltype", "=", url),
    "omschrijving": Filter("omschrijving", "=", text),
    "omschrijvingGeneriek": Filter("omschrijving_generiek", "=", choice(OMSCHRIJVINGEN_GENERIEK)),
}
RESULTATEN_FILTERS = {"zaak": Filter("zaak", "=", zaak_url), "resultaattype": Filter("resultaattype", "=", url)}
STATUSSEN_FILTERS = {"zaak": Filter("zaak", "=", zaak_url), "statustype": Filter("statustype", "=", url),
                     "indicatieLaatstGezetteStatus": Filter("laatst", "=", boolean)}
SQL_FILTERS = {"zaken": ZAKEN_FILTERS, "rollen": ROLLEN_FILTERS, "resultaten": RESULTATEN_FILTERS,
               "statussen": STATUSSEN_FILTERS}


@dataclass
class Paging:
    page: str | None
    size: int

    def offset(self, count: int) -> tuple[int, int]:
        """(page number, offset); Django's paginator rules: 'last', 1..pages, page 1 of an empty list."""
        pages = max(1, -(-count // self.size))
        if self.page is None:
            number = 1
        elif self.page == "last":
            number = pages
        else:
            try:
                number = int(self.page)
            except ValueError:
                raise PageNotFound from None
        if not 1 <= number <= pages:
            raise PageNotFound
        return number, (number - 1) * self.size


@dataclass
class SqlQuery:
    where: str = ""
    params: list[Any] = field(default_factory=list)
    order: str = "seq DESC"
    ranged: bool = False  # a range condition: the planner should use its index and sort (see Database.page)


def paging(args: Mapping[str, str]) -> Paging:
    try:
        size = int(args.get("pageSize", ""))
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    return Paging(args.get("page"), min(size, MAX_PAGE_SIZE) if size > 0 else DEFAULT_PAGE_SIZE)


def check_known(args: Mapping[str, str], known: set[str]) -> None:
    unknown = [name for name in args if name not in known and name not in ("page", "pageSize")]
    if unknown:
        raise InvalidParams([_invalid("nonFieldErrors", "unknown-parameters",
                                      f"Onbekende query parameters: {', '.join(unknown)}")])


def _parse(filters: Mapping[str, Filter], args: Mapping[str, str]) -> list[tuple[Filter, Any]]:
    parsed, errors = [], []
    for name, spec in filters.items():
        if name in args:
            try:
                parsed.append((spec, spec.parse(args[name])))
            except _Skip:
                continue
            except ValueError as exc:
                code, reason = exc.args
                errors.append(_invalid(name, code, reason))
    if errors:
        raise InvalidParams(errors)
    return parsed


def sql_query(kind: str, args: Mapping[str, str]) -> SqlQuery:
    """Validate the query string of a zaken-side list and build its WHERE and ORDER BY."""
    filters = SQL_FILTERS[kind]
    check_known(args, set(filters) | ({"ordering"} if kind == "zaken" else set()))
    query = SqlQuery()
    clauses = []
    for spec, value in _parse(filters, args):
        column, op = spec.column, spec.op
        if op == "isnull":
            clauses.append(f"{column} IS {'' if value else 'NOT '}NULL")
            continue
        if op == "in":
            clauses.append(f"{column} IN ({', '.join('?' * len(value))})")
            query.params.extend(value)
            continue
        if op == "rol":
            clauses.append(f"uuid IN (SELECT zaak FROM rollen WHERE {column} = ?)")
        elif op == "rol-ident":
            clauses.append("uuid IN (SELECT zaak FROM rollen WHERE betrokkene_type = ? AND ident = ?)")
            query.params.append(column)
        elif op == "ident":
            clauses.append("betrokkene_type = ? AND ident = ?")
            query.params.append(column)
        else:
            clauses.append(f"{column} {op} ?")
            query.ranged = query.ranged or op != "="
        query.params.append(int(value) if isinstance(value, bool) else value)
    if clauses:
        query.where = "WHERE " + " AND ".join(clauses)
    if kind == "zaken" and "ordering" in args:
        query.order = _ordering(args["ordering"])
    return query


def _ordering(value: str) -> str:
    terms = []
    for term in value.split(","):
        column = ZAAK_ORDERING.get(term.lstrip("-"))
        if column is None:
            raise InvalidParams([_invalid(
                "ordering", "invalid_choice", f"Selecteer een geldige keuze. {term} is geen beschikbare keuze.")])
        # PostgreSQL's NULL placement, as on Open Zaak
        terms.append(f"{column} DESC NULLS FIRST" if term.startswith("-") else f"{column} ASC NULLS LAST")
    return ", ".join([*terms, "seq DESC"])


# -- Catalogi: predicates on full bodies ------------------------------------------------------------------
# A test gets (resource body, the body of its zaaktype or None, parsed value).
CatalogiTest = Callable[[dict[str, Any], dict[str, Any] | None, Any], bool]
STATUS_KEUZES = ("alles", "concept", "definitief")


def _geldig(body: dict[str, Any], zaaktype: dict[str, Any] | None, day: str) -> bool:
    source = zaaktype or body
    begin, einde = source.get("beginGeldigheid"), source.get("eindeGeldigheid")
    return (begin is None or begin <= day) and (einde is None or einde >= day)


def _status(body: dict[str, Any], zaaktype: dict[str, Any] | None, value: str) -> bool:
    concept = bool((zaaktype or body).get("concept"))
    return value == "alles" or concept == (value == "concept")


def _of_zaaktype(key: str) -> CatalogiTest:
    return lambda body, zaaktype, value: zaaktype is not None and zaaktype.get(key) == value


_ZAAKTYPE_CHILD: dict[str, tuple[Callable[[str], Any], CatalogiTest]] = {
    "zaaktype": (url, lambda body, zaaktype, value: to_path(body.get("zaaktype", "")) == value),
    "zaaktypeIdentificatie": (text, _of_zaaktype("identificatie")),
    "status": (choice(STATUS_KEUZES), _status),
    "datumGeldigheid": (iso_date, _geldig),
}
CATALOGI_FILTERS: dict[str, dict[str, tuple[Callable[[str], Any], CatalogiTest]]] = {
    "catalogussen": {
        "domein": (text, lambda body, _, value: body.get("domein") == value),
        "domein__in": (csv(text), lambda body, _, value: body.get("domein") in value),
        "rsin": (text, lambda body, _, value: body.get("rsin") == value),
        "rsin__in": (csv(text), lambda body, _, value: body.get("rsin") in value),
    },
    "zaaktypen": {
        "catalogus": (url, lambda body, _, value: to_path(body.get("catalogus", "")) == value),
        "identificatie": (text, lambda body, _, value: body.get("identificatie") == value),
        "trefwoorden": (csv(text), lambda body, _, value: set(value) <= set(body.get("trefwoorden") or [])),
        "status": (choice(STATUS_KEUZES), _status),
        "datumGeldigheid": (iso_date, _geldig),
    },
    "statustypen": _ZAAKTYPE_CHILD,
    "roltypen": {**_ZAAKTYPE_CHILD, "omschrijvingGeneriek": (
        choice(OMSCHRIJVINGEN_GENERIEK), lambda body, _, value: body.get("omschrijvingGeneriek") == value)},
    "resultaattypen": {
        "zaaktype": _ZAAKTYPE_CHILD["zaaktype"], "zaaktype_identificatie": _ZAAKTYPE_CHILD["zaaktypeIdentificatie"],
        "status": _ZAAKTYPE_CHILD["status"], "datum_geldigheid": _ZAAKTYPE_CHILD["datumGeldigheid"],
    },
}


def catalogi_predicate(kind: str, args: Mapping[str, str]) -> Callable[[dict[str, Any], dict[str, Any] | None], bool]:
    """Validate the query string of a Catalogi list; the predicate selects the matching resources."""
    filters = CATALOGI_FILTERS[kind]
    check_known(args, set(filters))
    values = dict(args)
    if "status" in filters:
        values.setdefault("status", "definitief")  # like Open Zaak: published types only unless asked
    specs = {name: Filter(name, "test", parse) for name, (parse, _) in filters.items()}
    tests = [(filters[spec.column][1], value) for spec, value in _parse(specs, values)]
    return lambda body, zaaktype: all(test(body, zaaktype, value) for test, value in tests)
