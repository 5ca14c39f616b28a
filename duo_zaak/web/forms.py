"""WTForms (with Flask-WTF's CSRF) for every form in the app."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from ..accounts.auth import MIN_PASSWORD_LENGTH, ROLE_LABELS, AccountError
from ..accounts.mailadres import MAX_LENGTH as MAX_EMAIL_LENGTH
from ..accounts.mailadres import normalise_email

MAX_TEAM_LENGTH = 100  # gebruiker_team.team_identificatie


class LoginForm(FlaskForm):
    gebruikersnaam = StringField("Gebruikersnaam", validators=[DataRequired("Vul uw gebruikersnaam in."),
                                                               Length(max=80)])
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."),
                                                         Length(max=200)])
    submit = SubmitField("Inloggen")


class LogoutForm(FlaskForm):
    submit = SubmitField("Uitloggen")


class NewUserForm(FlaskForm):
    gebruikersnaam = StringField(
        "Gebruikersnaam",
        validators=[DataRequired("Vul een gebruikersnaam in."), Length(max=80),
                    Regexp(r"^[a-z0-9._-]+$",
                           message="Alleen kleine letters, cijfers, punt, streepje en liggend streepje.")],
    )
    naam = StringField("Volledige naam", validators=[Length(max=200)])
    rol = SelectField("Rol", choices=list(ROLE_LABELS.items()))
    teams = StringField("Teams (identificaties, komma-gescheiden; alleen voor teamleiders)",
                        validators=[Length(max=1000)])
    email = StringField("E-mailadres (voor berichten per e-mail; optioneel)",
                        validators=[Length(max=MAX_EMAIL_LENGTH, message=f"Maximaal {MAX_EMAIL_LENGTH} tekens.")])
    wachtwoord = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul een wachtwoord in."),
                                  Length(min=MIN_PASSWORD_LENGTH, max=200,
                                         message=f"Minstens {MIN_PASSWORD_LENGTH} tekens.")])
    submit = SubmitField("Gebruiker aanmaken")

    def validate_email(self, field: StringField) -> None:
        try:
            normalise_email(field.data)
        except AccountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from exc

    def validate_teams(self, field: StringField) -> None:
        if any(len(team.strip()) > MAX_TEAM_LENGTH for team in (field.data or "").split(",")):
            raise ValidationError(f"Een team-identificatie is hooguit {MAX_TEAM_LENGTH} tekens.")


class UserActionForm(FlaskForm):
    submit = SubmitField("Uitvoeren")
