"""Login and logout."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from ..accounts import audit
from ..accounts.auth import authenticate, login_required, login_session
from .forms import LoginForm, LogoutForm

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
            return redirect(_safe_next(request.args.get("next")) or url_for("main.index"))
    elif g.get("session_expired"):
        flash("Uw sessie is verlopen na een periode zonder activiteit. Log opnieuw in.", "warning")
    return render_template("auth/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        return redirect(url_for("main.index"))
    audit.record("uitloggen", g.user.gebruikersnaam, "ok", commit=True)
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))
