"""Administration for `beheerder`: users, sync runs and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ..accounts import audit
from ..accounts.auth import BEHEERDER, AccountError, all_users, create_user, disable_user, role_required, user_by_id
from ..accounts.mailadres import set_email
from ..figures.freshness import recent_runs
from ..notify import outbox
from .filters import ParamError, page_number
from .forms import NewUserForm, UserActionForm

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
MAX_ID = 2**31 - 1  # user ids in URLs stay within the database integer (a larger one is a 404, not a 500)


@bp.route("/", methods=["GET", "POST"])
@role_required(BEHEERDER)
def index() -> str | Response:
    form = NewUserForm()
    if form.validate_on_submit():
        teams = [t.strip() for t in (form.teams.data or "").split(",") if t.strip()]
        try:
            user = create_user(form.gebruikersnaam.data, form.wachtwoord.data, form.rol.data,
                               form.naam.data or "", teams)
        except AccountError as exc:
            form.gebruikersnaam.errors = [*form.gebruikersnaam.errors, str(exc)]
            audit.record("gebruiker_aanmaken", form.gebruikersnaam.data, "mislukt", details=str(exc), commit=True)
        else:
            set_email(user, form.email.data)  # checked by the form
            audit.record("gebruiker_aanmaken", user.gebruikersnaam, "ok", details=f"rol={user.rol}", commit=True)
            flash(f"Gebruiker {user.gebruikersnaam} is aangemaakt.", "success")
            return redirect(url_for(".index"))
    users = all_users()
    runs = recent_runs(20)
    return render_template("beheer/index.html", form=form, users=users, runs=runs,
                           action_form=UserActionForm(), mail_status=outbox.status())


@bp.route(f"/gebruikers/<int(max={MAX_ID}):user_id>/uitschakelen", methods=["POST"])
@role_required(BEHEERDER)
def disable(user_id: int) -> Response:
    form = UserActionForm()
    user = user_by_id(user_id)
    if user is None:
        abort(404)
    if form.validate_on_submit():
        if user.id == g.user.id:
            flash("U kunt uw eigen account niet uitschakelen.", "error")
            audit.record("gebruiker_uitschakelen", user.gebruikersnaam, "geweigerd: eigen account", commit=True)
        else:
            disable_user(user)
            flash(f"Gebruiker {user.gebruikersnaam} is uitgeschakeld.", "success")
    return redirect(url_for(".index"))


@bp.route("/audit")
@role_required(BEHEERDER)
def audit_log() -> str:
    try:
        page = page_number()
    except ParamError as exc:
        abort(400, description=exc.message)
    pagination = audit.entries_page(page)
    return render_template("beheer/audit.html", pagination=pagination)
