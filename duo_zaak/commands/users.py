"""Command-line interface: `flask --app app users ...` and the other commands (thin wrappers)."""

from __future__ import annotations

import secrets

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from ..accounts import audit
from ..accounts.auth import (
    ROLES,
    AccountError,
    change_role_and_teams,
    create_user,
    disable_user,
    enable_user,
    end_sessions,
    hash_password,
    known_teams,
    reset_password,
    set_noodaccount,
)
from ..accounts.mailadres import set_email
from ..db import db
from ..models import Gebruiker

users = AppGroup("users", help="Gebruikers beheren.")


def _get_user(gebruikersnaam: str) -> Gebruiker:
    user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=gebruikersnaam))
    if user is None:
        raise click.ClickException(f"gebruiker {gebruikersnaam!r} bestaat niet")
    return user


@users.command("create")
@click.argument("gebruikersnaam")
@click.option("--rol", type=click.Choice(ROLES), required=True)
@click.option("--naam", default="")
@click.option("--team", "teams", multiple=True, help="Team-identificatie (teamleider); herhaalbaar.")
@click.option("--email", default=None, help="E-mailadres voor berichten per e-mail (signalering).")
@click.option("--wachtwoord", prompt=True, hide_input=True, confirmation_prompt=True)
def create_command(gebruikersnaam: str, rol: str, naam: str, teams: tuple[str, ...], email: str | None,
                   wachtwoord: str) -> None:
    """Maak een lokale gebruiker aan."""
    try:
        user = create_user(gebruikersnaam, wachtwoord, rol, naam, list(teams))
        if email:
            set_email(user, email, actor="cli", bron="cli")
    except AccountError as exc:
        audit.record("gebruiker_aanmaken", gebruikersnaam, "mislukt", actor="cli", details=str(exc), commit=True)
        raise click.ClickException(str(exc)) from exc
    audit.record("gebruiker_aanmaken", gebruikersnaam, "ok", actor="cli", details=f"rol={rol}")
    db.session.commit()
    _warn_unknown_teams(list(teams))
    click.echo(f"Gebruiker {gebruikersnaam} aangemaakt met rol {rol}.")


@users.command("list")
def list_command() -> None:
    """Toon alle gebruikers."""
    for user in db.session.scalars(db.select(Gebruiker).order_by(Gebruiker.gebruikersnaam)):
        status = "actief" if user.actief else "uitgeschakeld"
        teams = ",".join(user.team_ids) or "-"
        click.echo(f"{user.gebruikersnaam}\t{user.rol}\t{status}\t{teams}")


@users.command("disable")
@click.argument("gebruikersnaam")
def disable_command(gebruikersnaam: str) -> None:
    """Schakel een gebruiker uit (inloggen kan dan niet meer; lopende sessies eindigen)."""
    disable_user(_get_user(gebruikersnaam), actor="cli")
    click.echo(f"Gebruiker {gebruikersnaam} uitgeschakeld.")


@users.command("enable")
@click.argument("gebruikersnaam")
def enable_command(gebruikersnaam: str) -> None:
    """Schakel een uitgeschakelde gebruiker weer in."""
    enable_user(_get_user(gebruikersnaam), actor="cli")
    click.echo(f"Gebruiker {gebruikersnaam} ingeschakeld.")


@users.command("set-role")
@click.argument("gebruikersnaam")
@click.argument("rol", type=click.Choice(ROLES))
@click.option("--team", "teams", multiple=True, help="Vervangt de teams van een teamleider.")
def set_role_command(gebruikersnaam: str, rol: str, teams: tuple[str, ...]) -> None:
    """Wijzig de rol (en eventueel de teams) van een gebruiker; lopende sessies van de gebruiker eindigen."""
    user = _get_user(gebruikersnaam)
    old = user.rol
    change_role_and_teams(user, rol, list(teams) or user.team_ids, actor="cli")
    _warn_unknown_teams(user.team_ids)
    click.echo(f"Rol van {gebruikersnaam}: {old} -> {rol}.")


@users.command("set-email")
@click.argument("gebruikersnaam")
@click.argument("adres")
def set_email_command(gebruikersnaam: str, adres: str) -> None:
    """Zet het e-mailadres van een gebruiker ('' wist het)."""
    user = _get_user(gebruikersnaam)
    try:
        changed = set_email(user, adres, actor="cli", bron="cli")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    state = "gewijzigd" if changed else "ongewijzigd"
    click.echo(f"E-mailadres van {gebruikersnaam} {state}: {user.email or '(geen)'}.")


@users.command("noodaccount")
@click.argument("gebruikersnaam")
@click.option("--uit", is_flag=True, help="Haal de markering weg.")
def noodaccount_command(gebruikersnaam: str, uit: bool) -> None:
    """Markeer een beheerder als noodaccount: die mag lokaal inloggen, ook als DUO_ZAAK_LOCAL_LOGIN=false."""
    try:
        changed = set_noodaccount(_get_user(gebruikersnaam), not uit, actor="cli")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    state = "geen noodaccount" if uit else "noodaccount"
    click.echo(f"{gebruikersnaam} is {state}" + ("." if changed else " (was het al)."))


@users.command("reset-password")
@click.argument("gebruikersnaam")
def reset_password_command(gebruikersnaam: str) -> None:
    """Geef een eenmalig wachtwoord uit; de gebruiker kiest bij de volgende keer inloggen een eigen wachtwoord."""
    try:
        password = reset_password(_get_user(gebruikersnaam), actor="cli")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Eenmalig wachtwoord voor {gebruikersnaam}: {password}")


def _warn_unknown_teams(teams: list[str]) -> None:
    """A team identificatie the mirror does not know (yet): say so, a teamleider would see nothing of it."""
    known = {identificatie for identificatie, _ in known_teams()}
    for team in teams:
        if team not in known:
            click.echo(f"Let op: team {team!r} is (nog) niet bekend; gebruik de identificatie van het team "
                       "(zoals OE-...), niet de naam.", err=True)


DEMO_ACCOUNTS = [
    ("teamleider", "teamleider", "Tessa Teamleider"),
    ("programma", "programmateam", "Paul Programmateam"),
    ("pia", "pia", "Petra PiA"),
    ("beheer", "beheerder", "Bert Beheerder"),
]


@click.command("demo-accounts")
@with_appcontext
@click.option("--team", "teams", multiple=True, default=("OE-DIE-VERG",), show_default=True,
              help="Teams van de demo-teamleider.")
def demo_accounts_command(teams: tuple[str, ...]) -> None:
    """Maak (opnieuw) een demo-account per rol met een vers wachtwoord en toon ze."""
    click.echo("Demo-accounts (alleen voor de demo; wachtwoorden zijn bij elke start nieuw):")
    for username, rol, naam in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        user = db.session.scalar(db.select(Gebruiker).filter_by(gebruikersnaam=username))
        if user is None:
            user = create_user(username, password, rol, naam, list(teams) if rol == "teamleider" else [])
        else:
            user.wachtwoord_hash = hash_password(password)
            user.actief = True
            user.wachtwoord_wijzigen = False
            end_sessions(user)
        audit.record("demo_account", username, "ok", actor="cli")
        click.echo(f"  {rol:<14} gebruikersnaam: {username:<11} wachtwoord: {password}")
    db.session.commit()


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo_accounts_command)
