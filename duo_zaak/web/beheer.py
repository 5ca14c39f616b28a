"""Administration for `beheerder`: users (create; change role and teams, disable, enable, reset the password), sync
runs and the audit log. Every change is audited and ends the sessions of the user it changes; a beheerder does not
change their own account here (that takes another beheerder, so nobody locks themselves out)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from .. import labels
from ..accounts import audit
from ..accounts.auth import (
    BEHEERDER,
    TEAMLEIDER,
    AccountError,
    all_users,
    change_role_and_teams,
    create_user,
    disable_user,
    enable_user,
    known_teams,
    reset_password,
    role_required,
    user_by_id,
)
from ..accounts.mailadres import set_email
from ..figures.freshness import recent_runs
from ..models import Gebruiker
from ..notify import outbox
from .filters import ParamError, page_number
from .forms import AuditFilterForm, NewUserForm, UserActionForm, UserEditForm

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
MAX_ID = 2**31 - 1  # user ids in URLs stay within the database integer (a larger one is a 404, not a 500)
USER_URL = f"/gebruikers/<int(max={MAX_ID}):user_id>"


@bp.route("/", methods=["GET", "POST"])
@role_required(BEHEERDER)
def index() -> str | Response:
    form = NewUserForm()
    teams = known_teams()
    form.set_teams(teams)
    if form.validate_on_submit():
        chosen = form.teams.data if form.rol.data == TEAMLEIDER else []
        try:
            user = create_user(form.gebruikersnaam.data, form.wachtwoord.data, form.rol.data,
                               form.naam.data or "", chosen)
        except AccountError as exc:
            form.gebruikersnaam.errors = [*form.gebruikersnaam.errors, str(exc)]
            audit.record("gebruiker_aanmaken", form.gebruikersnaam.data, "mislukt", details=str(exc), commit=True)
        else:
            set_email(user, form.email.data)  # checked by the form
            audit.record("gebruiker_aanmaken", user.gebruikersnaam, "ok",
                         details=f"rol={user.rol}; teams={', '.join(chosen) or '-'}", commit=True)
            flash(f"Gebruiker {user.gebruikersnaam} is aangemaakt.", "success")
            return redirect(url_for(".index"))
    return render_template("beheer/index.html", form=form, users=all_users(), runs=recent_runs(20),
                           team_names=dict(teams), mail_status=outbox.status())


def _user(user_id: int) -> Gebruiker:
    user = user_by_id(user_id)
    if user is None:
        abort(404)
    return user


def _own_account(user: Gebruiker, actie: str) -> bool:
    """A beheerder's own account is changed by another beheerder (a flash and an audit entry when tried)."""
    if user.id != g.user.id:
        return False
    flash("Uw eigen account wijzigt u hier niet: vraag dat een andere beheerder. Uw wachtwoord wijzigt u via "
          "'Wachtwoord wijzigen'.", "error")
    audit.record(actie, user.gebruikersnaam, "geweigerd: eigen account", commit=True)
    return True


@bp.route(USER_URL, methods=["GET", "POST"])
@role_required(BEHEERDER)
def gebruiker(user_id: int) -> tuple[str, int] | Response:
    """One user: role and teams (from the known teams), and the buttons to disable, enable or reset."""
    user = _user(user_id)
    form = UserEditForm(data={"rol": user.rol, "teams": user.team_ids})
    teams = known_teams()
    form.set_teams(teams, user.team_ids)
    if request.method == "POST" and not _own_account(user, "rol_wijzigen") and form.validate_on_submit():
        try:
            changed = change_role_and_teams(user, form.rol.data, form.teams.data)
        except AccountError as exc:
            form.rol.errors = [*form.rol.errors, str(exc)]
        else:
            flash(f"Rol en teams van {user.gebruikersnaam} zijn opgeslagen; zijn of haar sessies zijn beëindigd."
                  if changed else "Er is niets gewijzigd.", "success" if changed else "info")
            return redirect(url_for(".gebruiker", user_id=user.id))
    if request.method == "POST" and user.id == g.user.id:
        return redirect(url_for(".gebruiker", user_id=user.id))
    status = 400 if request.method == "POST" else 200
    return render_template("beheer/gebruiker.html", user=user, form=form, action_form=UserActionForm(),
                           team_names=dict(teams)), status


@bp.route(f"{USER_URL}/uitschakelen", methods=["POST"])
@role_required(BEHEERDER)
def disable(user_id: int) -> Response:
    form = UserActionForm()
    user = _user(user_id)
    if form.validate_on_submit() and not _own_account(user, "gebruiker_uitschakelen"):
        disable_user(user)
        flash(f"Gebruiker {user.gebruikersnaam} is uitgeschakeld; zijn of haar sessies zijn beëindigd.", "success")
    return redirect(url_for(".gebruiker", user_id=user.id))


@bp.route(f"{USER_URL}/inschakelen", methods=["POST"])
@role_required(BEHEERDER)
def enable(user_id: int) -> Response:
    form = UserActionForm()
    user = _user(user_id)
    if form.validate_on_submit() and not _own_account(user, "gebruiker_inschakelen"):
        enable_user(user)
        flash(f"Gebruiker {user.gebruikersnaam} is weer ingeschakeld.", "success")
    return redirect(url_for(".gebruiker", user_id=user.id))


@bp.route(f"{USER_URL}/wachtwoord-herstellen", methods=["POST"])
@role_required(BEHEERDER)
def reset(user_id: int) -> str | Response:
    """A one-time password, shown once on this page (never in a flash: that would travel in the cookie)."""
    form = UserActionForm()
    user = _user(user_id)
    if not form.validate_on_submit() or _own_account(user, "wachtwoord_herstellen"):
        return redirect(url_for(".gebruiker", user_id=user.id))
    try:
        password = reset_password(user)
    except AccountError as exc:
        flash(f"Wachtwoord niet hersteld: {exc}.", "error")
        return redirect(url_for(".gebruiker", user_id=user.id))
    return render_template("beheer/wachtwoord.html", user=user, wachtwoord=password)


@bp.route("/audit")
@role_required(BEHEERDER)
def audit_log() -> str | tuple[str, int]:
    try:
        page = page_number()
    except ParamError as exc:
        abort(400, description=exc.message)
    form = AuditFilterForm(audit.actors())
    if not form.validate():
        return render_template("beheer/audit.html", form=form, errors=form.error_list(), pagination=None), 400
    pagination = audit.entries_page(page, actie=form.actie.data or None, actor=form.gebruiker.data or None,
                                    van=form.van.data, tot=form.tot.data)
    return render_template("beheer/audit.html", form=form, errors=[], pagination=pagination,
                           audit_object=labels.audit_object)
