"""Typed errors of the ZGW client. Every message names the URL and the cause, never a token or secret."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ZGWError(Exception):
    """Base class: anything that went wrong talking to a ZGW API or reading its answer.

    `url` is the request URL (for ZGWRecordError: the record's own url, when it has one); `status` the HTTP
    status when there was a response; `code` the `code` of the server's problem-details body, when given.
    """

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.url = url
        self.status = status
        self.code = code


class ZGWConnectionError(ZGWError):
    """No HTTP response at all (connection refused/reset, timeout, TLS failure), after retries where useful."""


class ZGWAuthError(ZGWError):
    """401/403: token refused (Open Zaak says why in `code`: jwt-expired, invalid-jwt-signature, ...)."""


class ZGWNotFound(ZGWError):
    """404 (or 410): the object does not exist (any more); for a zaak this means destroyed."""


class ZGWValidationError(ZGWError):
    """400: the server refused the request, e.g. an unknown query parameter or an invalid filter value."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        code: str | None = None,
        invalid_params: tuple[Mapping[str, Any], ...] = (),
    ):
        super().__init__(message, url=url, status=status, code=code)
        self.invalid_params = invalid_params


class ZGWServerError(ZGWError):
    """5xx (or 429) still failing after the retries, or a 5xx that is not worth retrying."""


class ZGWResponseError(ZGWError):
    """A response we cannot read: not JSON, truncated JSON, an unexpected status or shape."""


class ZGWRecordError(ZGWError):
    """A record that misses a required field or holds an unreadable value; names the record and field."""

    def __init__(self, message: str, *, url: str | None = None, field: str | None = None,
                 reason: str | None = None):
        super().__init__(message, url=url)
        self.field = field
        self.reason = reason or message  # what is wrong with the field, without the record url
