"""Login, logout and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ..accounts import audit
from ..accounts.auth import (
    AccountError,
    authenticate,
    change_password,
    end_sessions,
    login_required,
    login_session,
    password_attempt,
)
from .forms import LoginForm, LogoutForm, PasswordChangeForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so the login page is no open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if any(ord(c) < 32 or c == "\\" for c in target):  # CR/LF break the Location header; "/\\x" means "//x"
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if g.get("user"):
        return redirect(url_for("main.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user, error = authenticate(form.gebruikersnaam.data.strip(), form.wachtwoord.data)
        if user is not None:
            login_session(user)
            if user.wachtwoord_wijzigen:
                flash("U bent ingelogd met een eenmalig wachtwoord. Kies nu uw eigen wachtwoord.", "warning")
                return redirect(url_for("auth.wachtwoord"))
            return redirect(_safe_next(request.args.get("next")) or url_for("main.index"))
    elif g.get("session_ended"):
        flash(g.session_ended, "warning")
    return render_template("auth/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        return redirect(url_for("main.index"))
    end_sessions(g.user)  # a copy of this session's cookie (or any other session of this user) stops working too
    audit.record("uitloggen", g.user.gebruikersnaam, "ok", commit=True)
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def wachtwoord() -> tuple[str, int] | Response:
    """Wachtwoord wijzigen: the current password, then a new one by the rules; every other session ends."""
    user = g.user
    form = PasswordChangeForm(user.gebruikersnaam)
    if form.validate_on_submit():
        if not password_attempt(user, form.huidig.data):
            form.huidig.errors = [*form.huidig.errors, "Het huidige wachtwoord klopt niet. Na herhaalde fouten moet u "
                                                       "even wachten voordat u het opnieuw kunt proberen."]
        else:
            try:
                change_password(user, form.nieuw.data)
            except AccountError as exc:
                form.nieuw.errors = [*form.nieuw.errors, str(exc)]
            else:
                login_session(user)  # this browser goes on with the new session version
                flash("Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd.", "success")
                return redirect(url_for("main.index"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/wachtwoord.html", form=form, eenmalig=user.wachtwoord_wijzigen), status
