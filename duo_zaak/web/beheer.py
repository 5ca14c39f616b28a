"""Administration for `beheerder`: users, sync runs and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from .. import audit
from ..auth import BEHEERDER, AccountError, create_user, role_required
from ..db import db
from ..forms import NewUserForm, UserActionForm
from ..models import AuditLog, Gebruiker, SyncRun
from .filters import ParamError, page_number

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
            audit.record("gebruiker_aanmaken", user.gebruikersnaam, "ok", details=f"rol={user.rol}")
            db.session.commit()
            flash(f"Gebruiker {user.gebruikersnaam} is aangemaakt.", "success")
            return redirect(url_for(".index"))
    users = db.session.scalars(db.select(Gebruiker).order_by(Gebruiker.gebruikersnaam)).all()
    runs = db.session.scalars(db.select(SyncRun).order_by(SyncRun.gestart_op.desc()).limit(20)).all()
    return render_template("beheer/index.html", form=form, users=users, runs=runs,
                           action_form=UserActionForm())


@bp.route(f"/gebruikers/<int(max={MAX_ID}):user_id>/uitschakelen", methods=["POST"])
@role_required(BEHEERDER)
def disable(user_id: int) -> Response:
    form = UserActionForm()
    user = db.get_or_404(Gebruiker, user_id)
    if form.validate_on_submit():
        if user.id == g.user.id:
            flash("U kunt uw eigen account niet uitschakelen.", "error")
            audit.record("gebruiker_uitschakelen", user.gebruikersnaam, "geweigerd: eigen account", commit=True)
        else:
            user.actief = False
            audit.record("gebruiker_uitschakelen", user.gebruikersnaam, "ok")
            db.session.commit()
            flash(f"Gebruiker {user.gebruikersnaam} is uitgeschakeld.", "success")
    return redirect(url_for(".index"))


@bp.route("/audit")
@role_required(BEHEERDER)
def audit_log() -> str:
    try:
        page = page_number()
    except ParamError as exc:
        abort(400, description=exc.message)
    pagination = db.paginate(db.select(AuditLog).order_by(AuditLog.id.desc()), page=page,
                             per_page=50, error_out=False)
    return render_template("beheer/audit.html", pagination=pagination)
