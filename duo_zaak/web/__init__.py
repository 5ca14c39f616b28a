"""Blueprints (one per user group) and the template helpers they share."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template, request

from .. import formatting
from ..auth import ROLE_LABELS, load_user
from ..freshness import freshness


def register_blueprints(app: Flask) -> None:
    from . import achterstand, api, archief, auth, beheer, ibt, kwaliteit, main, ranglijst

    app.before_request(load_user)
    for module in (auth, main, beheer, api, achterstand, kwaliteit, archief, ranglijst, ibt):
        app.register_blueprint(module.bp)
    _register_errors(app)


NAVIGATION: list[tuple[str, str, tuple[str, ...]]] = [
    # (endpoint, label, roles that see it)
    ("main.overzicht", "Overzicht", ("teamleider", "programmateam", "pia", "beheerder")),
    ("achterstand.index", "Achterstand", ("teamleider", "programmateam", "pia", "beheerder")),
    ("kwaliteit.index", "Kwaliteit", ("teamleider", "programmateam", "pia", "beheerder")),
    ("archief.index", "Archief", ("teamleider", "programmateam", "pia", "beheerder")),
    ("ranglijst.index", "Ranglijst", ("teamleider", "programmateam", "pia", "beheerder")),
    ("ibt.index", "IBT-voortgang", ("programmateam", "beheerder", "pia", "teamleider")),
    ("beheer.index", "Beheer", ("beheerder",)),
]


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        datum=formatting.datum,
        datumtijd=formatting.datumtijd,
        getal=formatting.getal,
        procent=formatting.procent,
    )

    @app.context_processor
    def _globals() -> dict[str, Any]:
        user = g.get("user")
        nav = [(ep, label) for ep, label, roles in NAVIGATION
               if user and user.rol in roles and ep in app.view_functions]
        return {
            "current_user": user,
            "navigation": nav,
            "role_labels": ROLE_LABELS,
            "freshness": freshness() if user else None,
        }


def _register_errors(app: Flask) -> None:
    messages = {
        400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt. Controleer de invoer en probeer het opnieuw."),
        401: ("Niet ingelogd", "Log in om deze gegevens te zien."),
        403: ("Geen toegang", "U heeft geen toegang tot deze pagina met uw rol."),
        404: ("Niet gevonden", "Deze pagina bestaat niet (meer)."),
        405: ("Niet toegestaan", "Deze handeling is hier niet toegestaan."),
        500: ("Er ging iets mis", "Er is een fout opgetreden. De beheerder is op de hoogte gebracht."),
    }

    def handler(error: Any) -> Any:
        code = getattr(error, "code", 500) or 500
        title, text = messages.get(code, messages[500])
        description = getattr(error, "description", None)
        if code == 400 and description and "CSRF" in str(description):
            text = "Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw en probeer het nog eens."
        if request.path.startswith("/api/"):
            return {"fout": text if code != 400 or not description else str(description)}, code
        return render_template("fout.html", code=code, titel=title, tekst=text), code

    for code in messages:
        app.register_error_handler(code, handler)
