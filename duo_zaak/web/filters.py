"""Query-string parsing shared by the workspace pages (peildatum, page, sort) and the link to a zaak in InProces.

Filter forms are WTForms bound to the query string (GET, so no CSRF) with Dutch messages. A value that cannot
mean anything (a bad date, page 0, an unknown sort key) is reported on the page with status 400; a value that
is well-formed but matches nothing gives an empty list. Never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import current_app, request, url_for
from wtforms import Form, SelectField
from wtforms.validators import Optional, ValidationError

from ..figures.scope import NO_TEAM_ID, UNKNOWN_ORG_CODE
from ..formatting import getal, today_amsterdam
from .fields import DatumField

# In a URL an empty value means "no filter"; these tokens select the pseudo-organisation and pseudo-team.
URL_UNKNOWN_ORG = "_onbekend"
URL_NO_TEAM = "_geen"
DIRECTIONS = ("asc", "desc")
# Dates outside these years mean nothing here, and near year 1 or 9999 date arithmetic overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_PAGE = 1_000_000  # beyond this an OFFSET no longer fits the database's integer


class ParamError(ValueError):
    """A query parameter that cannot be used; the message is Dutch and names the parameter."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


class PeildatumField(DatumField):
    """The shared peildatum: the app's date field with its own message."""

    def __init__(self, label: str, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, invalid_message="Ongeldige peildatum '{text}': gebruik dd-mm-jjjj, "
                                                            "bijvoorbeeld 15-05-2026.", **kwargs)


class QueryForm(Form):
    """A filter form read from the query string. Subclasses add their fields; `peildatum` is shared."""

    class Meta:
        csrf = False
        locales = ("nl",)

    peildatum = PeildatumField("Peildatum", validators=[Optional()],
                               description="dd-mm-jjjj; standaard vandaag. De cijfers gelden op deze datum.")

    def __init__(self, args: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(formdata=request.args if args is None else args, **kwargs)

    def validate_peildatum(self, field: PeildatumField) -> None:
        if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
            raise ValidationError(f"Kies een peildatum tussen {MIN_YEAR} en {MAX_YEAR}.")

    @property
    def effective_peildatum(self) -> date:
        """The peildatum, or today; also today for a date outside MIN_YEAR..MAX_YEAR (validate() reports it), so
        figures computed before validation (the team choices) never overflow."""
        value = self.peildatum.data
        return value if value is not None and MIN_YEAR <= value.year <= MAX_YEAR else today_amsterdam()

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for an error summary that links to each field."""
        return [(self[name].id, message) for name, messages in self.errors.items() for message in messages]


def select_field(label: str, what: str) -> SelectField:
    """A filter select whose unknown value gets a clear Dutch message."""
    return SelectField(label, choices=[], default="",
                       invalid_choice_message=f"Onbekende {what}: kies er een uit de lijst.")


def org_filter_value(value: str | None) -> str | None:
    """The organisation filter from its URL form (None = no filter)."""
    if not value:
        return None
    return UNKNOWN_ORG_CODE if value == URL_UNKNOWN_ORG else value


def team_filter_value(value: str | None) -> str | None:
    """The team filter from its URL form (None = no filter)."""
    if not value:
        return None
    return NO_TEAM_ID if value == URL_NO_TEAM else value


def org_url_value(code: str | None) -> str:
    return URL_UNKNOWN_ORG if code is None else code


def team_url_value(identificatie: str | None) -> str:
    return URL_NO_TEAM if identificatie is None else identificatie


def page_number(args: Mapping[str, str] | None = None) -> int:
    """`page` (default 1); 0, negative, not a number or above MAX_PAGE is a ParamError."""
    value = (request.args if args is None else args).get("page", "") or "1"
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise ParamError("page", f"Ongeldig paginanummer '{value[:20]}': gebruik 1 tot en met {getal(MAX_PAGE)}.")
    return int(value)


def sort_order(allowed: Mapping[str, str], default: str, default_direction: str = "asc",
               args: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(`sort`, `richting`) from the query string; `allowed` maps keys to Dutch labels for the message."""
    args = request.args if args is None else args
    key = args.get("sort") or default
    direction = args.get("richting") or (default_direction if key == default else "asc")
    if key not in allowed:
        raise ParamError("sort", f"Onbekende sortering '{key}': kies uit {', '.join(allowed.values())}.")
    if direction not in DIRECTIONS:
        raise ParamError("richting", f"Onbekende sorteerrichting '{direction}': gebruik asc of desc.")
    return key, direction


def safe_args(*drop: str) -> dict[str, str]:
    """The current query parameters for a link, without `drop` and the names url_for reserves for itself
    (`endpoint`, `_external`, `_scheme`, ...): a crafted URL can neither break nor redirect the page's links."""
    return {name: value for name, value in request.args.items()
            if name != "endpoint" and not name.startswith("_") and name not in drop}


def self_url(**overrides: Any) -> str:
    """The current page with its query parameters and `overrides` (pager and sort links)."""
    view_args = request.view_args or {}
    return url_for(request.endpoint or "main.index", **view_args, **{**safe_args(*view_args), **overrides})


def query_args(current: Mapping[str, Any], **overrides: Any) -> dict[str, Any]:
    """URL parameters for a link: the current ones with overrides, dropping empty values (no filter)."""
    merged = {**current, **overrides}
    return {key: value for key, value in merged.items() if value not in (None, "")}


def zaak_link(identificatie: str, url: str) -> str | None:
    """The zaak in InProces's own screen through INPROCES_ZAAK_URL (a template with `{identificatie}` and/or
    `{uuid}`); None when unset, and then the page shows no link."""
    template = current_app.config.get("INPROCES_ZAAK_URL")
    if not template:
        return None
    uuid = url.rstrip("/").rsplit("/", 1)[-1]  # ZGW resource URLs end in the uuid
    try:
        return template.format(identificatie=quote(identificatie, safe=""), uuid=quote(uuid, safe=""))
    except (KeyError, IndexError, ValueError):
        current_app.logger.warning("INPROCES_ZAAK_URL %r: alleen {identificatie} en {uuid} mogen", template)
        return None
