"""Problem-details error bodies, as Open Zaak sends them (as `application/json`, texts in Dutch)."""

from __future__ import annotations

import uuid
from typing import Any

PERMISSION_DENIED = "Je hebt geen toestemming om deze actie uit te voeren."
NOT_FOUND = "Niet gevonden."
INVALID_PAGE = "Ongeldige pagina."

# status -> (type name, code, title) for the errors with a fixed shape
_KNOWN: dict[int, tuple[str, str, str]] = {
    400: ("ValidationError", "invalid", "Invalid input."),
    403: ("PermissionDenied", "permission_denied", PERMISSION_DENIED),
    404: ("NotFound", "not_found", NOT_FOUND),
    405: ("MethodNotAllowed", "method_not_allowed", "Methode niet toegestaan."),
    406: ("NotAcceptable", "not_acceptable", "Kan niet voldoen aan de opgegeven Accept header."),
    412: ("PreconditionFailed", "precondition_failed", "Voorwaarde is niet vervuld"),
    429: ("Throttled", "throttled", "Verzoek is afgeknepen."),
    500: ("APIException", "error", "Er is een serverfout opgetreden."),
    503: ("ServiceUnavailable", "service_unavailable",
          "Service tijdelijk niet beschikbaar, probeer het later opnieuw."),
}


def problem(
    base_url: str, status: int, *, code: str | None = None, title: str | None = None, detail: str | None = None,
    invalid_params: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    type_name, default_code, default_title = _KNOWN.get(status, ("APIException", "error", "Fout."))
    body: dict[str, Any] = {
        "type": f"{base_url}/ref/fouten/{type_name}/",
        "code": code or default_code,
        "title": title or default_title,
        "status": status,
        "detail": detail if detail is not None else (title or default_title),
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    if invalid_params is not None:
        body["detail"] = detail or ""
        body["invalidParams"] = invalid_params
    return body


def method_not_allowed(base_url: str, method: str) -> dict[str, Any]:
    text = f'Methode "{method}" niet toegestaan.'
    return problem(base_url, 405, code="method_not_allowed", title=text, detail=text)


def throttled(base_url: str, seconds: int | None = 1) -> dict[str, Any]:
    if seconds is None:
        return problem(base_url, 429, detail="Verzoek is afgeknepen.")
    unit = "seconde" if seconds == 1 else "seconden"
    return problem(base_url, 429, detail=f"Verzoek is afgeknepen. Verwacht beschikbaar over {seconds} {unit}.")
