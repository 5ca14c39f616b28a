"""E-mail signalering in the web: "Mijn meldingen per e-mail" for every user, the one-click unsubscribe link
(no login), and for the beheerder the outbox state, a preview of every kind of message for any user, a test
message and users' e-mail addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..accounts import audit
from ..accounts.auth import BEHEERDER, AccountError, login_required, role_required
from ..accounts.mailadres import set_email
from ..extensions import csrf
from ..formatting import datumtijd
from ..models import Gebruiker
from ..notify import outbox, preferences
from ..notify.signalering import build, receives, send_test
from ..notify.tokens import TokenError, read_token
from ..rules.signalering import LABELS, WHEN, available
from .signalering_forms import (
    EmailForm,
    PreviewForm,
    TestMailForm,
    UnsubscribeForm,
    preferences_form,
    user_choices,
)

bp = Blueprint("signalering", __name__)
MAX_TOKEN = 500


@bp.app_template_filter("isodatumtijd")
def isodatumtijd(value: str | None) -> str:
    """An ISO timestamp (as in outbox.status()) the Dutch way."""
    return datumtijd(datetime.fromisoformat(value)) if value else "–"


@bp.route("/meldingen-per-e-mail", methods=["GET", "POST"])
@login_required
def voorkeuren() -> str | Response:
    current = preferences.preferences(g.user)
    form = preferences_form(current)
    if form.validate_on_submit():
        changed = preferences.set_preferences(g.user, {kind: bool(form[kind].data) for kind in current})
        preferences.commit()
        flash("Uw keuzes zijn opgeslagen." if changed else "Er is niets veranderd.", "success")
        return redirect(url_for(".voorkeuren"))
    return render_template("signalering/voorkeuren.html", form=form, kinds=list(current), labels=LABELS, when=WHEN)


def _token(token: str) -> tuple[Any, str]:
    if len(token) > MAX_TOKEN:
        abort(400, description="Ongeldige afmeldlink: de link is beschadigd.")
    try:
        afmelding = read_token(token)
    except TokenError as exc:
        if exc.verlopen:
            abort(400, description="Deze afmeldlink is verlopen. Log in en kies bij ‘Mijn meldingen per e-mail’ "
                                   "welke berichten u krijgt.")
        abort(400, description=str(exc))
    user = preferences.user(afmelding.gebruiker_id)
    if user is None or afmelding.soort not in available(user.rol):
        abort(400, description="Ongeldige afmeldlink: dit bericht bestaat niet (meer) voor deze gebruiker.")
    return user, afmelding.soort


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt
def afmelden(token: str) -> str:
    """GET shows the confirm button (a link checker or preview must not unsubscribe anyone); POST unsubscribes,
    also the one-click POST of a mail client (RFC 8058, `List-Unsubscribe=One-Click`)."""
    user, soort = _token(token)
    if request.method == "POST":
        preferences.unsubscribe(user, soort)
        return render_template("signalering/afgemeld.html", label=LABELS[soort])
    return render_template("signalering/afmelden.html", form=UnsubscribeForm(), label=LABELS[soort],
                           naam=user.naam or user.gebruikersnaam)


def _preview_form() -> tuple[PreviewForm, list[Any]]:
    users = preferences.all_users()
    form = PreviewForm()
    form.gebruiker.choices = [SelectChoice("", "Uzelf"), *user_choices(users)]
    return form, users


@bp.get("/beheer/signalering")
@role_required(BEHEERDER)
def beheer() -> Any:
    form, users = _preview_form()
    valid = form.validate()
    preview = reason = None
    if valid:
        user, soort = _chosen(form, users)
        preview = build(user, soort, form.effective_peildatum)
        reason = receives(user, soort)
        if user.id != g.user.id:  # reading what another user would be sent
            audit.record("signalering_voorbeeld", user.gebruikersnaam, "ok", details=soort, commit=True)
        chosen = {"gebruiker": str(user.id), "soort": soort, "peildatum": form.effective_peildatum.isoformat()}
    else:
        chosen = {}
    test_form, email_form = TestMailForm(), EmailForm()
    test_form.gebruiker.choices = email_form.gebruiker.choices = user_choices(users)
    return render_template("signalering/beheer.html", form=form, preview=preview, reason=reason, chosen=chosen,
                           errors=form.error_list(), status=outbox.status(), rows=outbox.recent(20),
                           describe=outbox.describe_status, test_form=test_form, email_form=email_form,
                           users=users, labels=LABELS), (200 if valid else 400)


def _chosen(form: PreviewForm, users: list[Any]) -> tuple[Any, str]:
    by_id = {str(user.id): user for user in users}
    user = by_id.get(form.gebruiker.data or "", g.user)
    soort = form.soort.data or next(iter(available(user.rol)), "teamleider_week")
    return user, soort


@bp.get("/beheer/signalering/voorbeeld.html")
@role_required(BEHEERDER)
def voorbeeld_html() -> Response:
    """The HTML part of the preview, shown in a sandboxed frame on the beheer page."""
    form, users = _preview_form()
    if not form.validate():
        abort(400, description=" ".join(message for _, message in form.error_list()))
    user, soort = _chosen(form, users)
    response = Response(build(user, soort, form.effective_peildatum).html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; "
                                                   "frame-ancestors 'self'")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _chosen_user(form: TestMailForm | EmailForm) -> Gebruiker | None:
    """The user a beheer form names, once the form validates; else None, with its errors flashed."""
    users = preferences.all_users()
    form.gebruiker.choices = user_choices(users)
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors) or "Ongeldig verzoek.", "error")
        return None
    return next(u for u in users if str(u.id) == form.gebruiker.data)


@bp.post("/beheer/signalering/test")
@role_required(BEHEERDER)
def test() -> Response:
    form = TestMailForm()
    user = _chosen_user(form)
    if user is None:
        return redirect(url_for(".beheer"))
    try:
        result = send_test(user, g.user.gebruikersnaam)
    except ValueError as exc:
        audit.record("testbericht_versturen", user.gebruikersnaam, "geweigerd", details=str(exc), commit=True)
        flash(str(exc), "error")
        return redirect(url_for(".beheer"))
    if result.verzonden:
        flash(f"Testbericht aan {user.gebruikersnaam} is verzonden.", "success")
    else:
        flash(f"Testbericht aan {user.gebruikersnaam} staat in de wachtrij: {result.fout or 'nog niet verzonden'}. "
              "De worker probeert het opnieuw.", "warning")
    return redirect(url_for(".beheer"))


@bp.post("/beheer/signalering/e-mail")
@role_required(BEHEERDER)
def email() -> Response:
    form = EmailForm()
    user = _chosen_user(form)
    if user is None:
        return redirect(url_for(".beheer"))
    try:
        changed = set_email(user, form.email.data, bron="beheer")
    except AccountError as exc:  # checked by the form already; kept for safety
        flash(str(exc), "error")
        return redirect(url_for(".beheer"))
    preferences.commit()
    flash(f"E-mailadres van {user.gebruikersnaam} is {'opgeslagen' if changed else 'niet veranderd'}.", "success")
    return redirect(url_for(".beheer"))
