"""Client for the VNG ZGW APIs (Zaken, Catalogi): typed records, typed errors, no Flask, no database."""

from .client import ZGWClient
from .durations import Duration, add_duration, parse_duration
from .errors import (
    ZGWAuthError,
    ZGWConnectionError,
    ZGWError,
    ZGWNotFound,
    ZGWRecordError,
    ZGWResponseError,
    ZGWServerError,
    ZGWValidationError,
)
from .jwt import make_token
from .records import Page, Resultaat, ResultaatType, Rol, Zaak, ZaakType

__all__ = [
    "Duration",
    "Page",
    "Resultaat",
    "ResultaatType",
    "Rol",
    "ZGWAuthError",
    "ZGWClient",
    "ZGWConnectionError",
    "ZGWError",
    "ZGWNotFound",
    "ZGWRecordError",
    "ZGWResponseError",
    "ZGWServerError",
    "ZGWValidationError",
    "Zaak",
    "ZaakType",
    "add_duration",
    "make_token",
    "parse_duration",
]
