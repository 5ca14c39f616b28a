"""Login (local and with the organisation's account), logout and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ..accounts import audit, oidc
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
# An ID token with many groups (Entra: up to 200 object ids) would burst the 4 kB session cookie; then the logout
# goes to the provider with client_id instead of id_token_hint.
MAX_ID_TOKEN_IN_COOKIE = 2000


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
    return render_template("auth/login.html", form=form, error=error, sso=oidc.enabled(),
                           local_login=current_app.config["LOCAL_LOGIN"]), (401 if error else 200)


@bp.route("/login/sso", methods=["GET"])
def login_sso() -> Response:
    """Off to the organisation's provider (state, nonce and PKCE by Authlib); `next` is kept for the way back."""
    if not oidc.enabled():
        abort(404)
    if g.get("user"):
        return redirect(url_for("main.index"))
    target = _safe_next(request.args.get("next"))
    response = oidc.start_login(url_for("auth.login_sso_callback", _external=True))
    session["sso_next"] = target
    return response


@bp.route("/login/sso/callback", methods=["GET"])
def login_sso_callback() -> tuple[str, int] | Response:
    if not oidc.enabled():
        abort(404)
    target = session.pop("sso_next", None)
    try:
        result = oidc.finish_login()
    except oidc.SsoRefused as refused:
        status = 400 if refused.reason == oidc.INVALID else 403
        return render_template("auth/sso_geweigerd.html", reden=refused.reason), status
    login_session(result.user)
    if len(result.id_token) <= MAX_ID_TOKEN_IN_COOKIE:  # only for the id_token_hint at logout; never logged
        session["sso_id_token"] = result.id_token
    return redirect(_safe_next(target) or url_for("main.index"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        return redirect(url_for("main.index"))
    end_sessions(g.user)  # a copy of this session's cookie (or any other session of this user) stops working too
    audit.record("uitloggen", g.user.gebruikersnaam, "ok", commit=True)
    id_token = session.get("sso_id_token")
    session.clear()
    flash("U bent uitgelogd.", "info")
    if id_token or g.user.extern_id:
        provider = oidc.logout_url(id_token, url_for("auth.login", _external=True))
        if provider:
            return redirect(provider)
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def wachtwoord() -> tuple[str, int] | Response:
    """Wachtwoord wijzigen: the current password, then a new one by the rules; every other session ends."""
    user = g.user
    if user.wachtwoord_hash is None:
        flash("U logt in met uw organisatieaccount; uw wachtwoord wijzigt u bij uw organisatie.", "info")
        return redirect(url_for("main.index"))
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
