"""Blueprints (one per user group) and the template helpers they share."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, g, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, Forbidden

from .. import formatting, labels
from ..accounts.auth import ROLE_LABELS, load_user
from ..db import discard_failed_transaction
from ..figures.freshness import freshness
from .filters import safe_args, self_url

# C0 control characters other than tab and line breaks: PostgreSQL refuses NUL in text, XLSX files refuse all of
# them, and no field of the app means anything with them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class HtmlSafeJSONProvider(DefaultJSONProvider):
    """JSON responses with `<`, `>` and `&` written as \\u escapes (the same JSON value): text typed by a user
    or sent by InProces never appears as markup in a response body."""

    def response(self, *args: Any, **kwargs: Any) -> Any:
        response = super().response(*args, **kwargs)
        body = response.get_data()
        if b"<" in body or b">" in body or b"&" in body:
            response.set_data(body.replace(b"&", b"\\u0026").replace(b"<", b"\\u003c").replace(b">", b"\\u003e"))
        return response


def _refuse_control_characters() -> None:
    """A query parameter or form field with a control character is a 400 naming it, before any view runs."""
    for source in (request.args, request.form if request.method == "POST" else MultiDict()):
        for name, value in source.items(multi=True):
            if _CONTROL.search(name) or _CONTROL.search(value):
                abort(400, description=f"Ongeldig teken in {name[:40]!r}: besturingstekens (zoals NUL) zijn "
                                       "niet toegestaan.")


def register_blueprints(app: Flask) -> None:
    from . import (
        achterstand,
        api,
        archief,
        auth,
        beheer,
        bron,
        ibt,
        kwaliteit,
        main,
        notificaties,
        planning,
        ranglijst,
        signalering,
    )

    app.json = HtmlSafeJSONProvider(app)
    app.before_request(load_user)
    app.before_request(_refuse_control_characters)
    for module in (auth, main, beheer, api, notificaties, achterstand, kwaliteit, archief, planning, ranglijst, ibt,
                   bron, signalering):
        app.register_blueprint(module.bp)
    _register_errors(app)


NAVIGATION: list[tuple[str, str, tuple[str, ...]]] = [
    # (endpoint, label, roles that see it)
    ("main.overzicht", "Overzicht", ("teamleider", "programmateam", "pia", "beheerder")),
    ("achterstand.index", "Achterstand", ("teamleider", "programmateam", "pia", "beheerder")),
    ("kwaliteit.index", "Kwaliteit", ("teamleider", "programmateam", "pia", "beheerder")),
    ("archief.index", "Archief", ("teamleider", "programmateam", "pia", "beheerder")),
    ("planning.index", "Capaciteitsplanning", ("programmateam", "pia", "beheerder")),
    ("ranglijst.index", "Ranglijst", ("teamleider", "programmateam", "pia", "beheerder")),
    ("ibt.index", "IBT-voortgang", ("programmateam", "beheerder", "pia", "teamleider")),
    ("bron.index", "Bron", ("programmateam", "beheerder")),
    ("beheer.index", "Beheer", ("beheerder",)),
]


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(
        datum=formatting.datum,
        datumtijd=formatting.datumtijd,
        getal=formatting.getal,
        procent=formatting.procent,
        label=labels.label,
    )
    # globals, not context: macros imported without context use them too
    app.jinja_env.globals.update(self_url=self_url, safe_args=safe_args)

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
            # the freshness banner links to "Bron en volledigheid" for the roles that may open it
            "bron_zichtbaar": any(endpoint == "bron.index" for endpoint, _ in nav),
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
        if code >= 500:
            discard_failed_transaction()
        description = getattr(error, "description", None)
        if code == 400 and description and "CSRF" in str(description):
            text = "Het formulier is verlopen of ongeldig (CSRF). Laad de pagina opnieuw en probeer het nog eens."
        elif code == 400 and description and description != BadRequest.description:
            text = str(description)  # our own (Dutch) reason, e.g. which parameter is wrong
        elif code == 403 and description and description != Forbidden.description:
            text = str(description)  # e.g. "change your one-time password first"
        if request.path.startswith("/api/"):
            return {"fout": text if code != 400 or not description else str(description)}, code
        return render_template("fout.html", code=code, titel=title, tekst=text), code

    for code in messages:
        app.register_error_handler(code, handler)
