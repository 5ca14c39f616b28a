"""WTForms (with Flask-WTF's CSRF) for every form in the app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.auth import ROLE_LABELS, TEAMLEIDER, AccountError
from ..accounts.mailadres import MAX_LENGTH as MAX_EMAIL_LENGTH
from ..accounts.mailadres import normalise_email
from ..accounts.passwords import MAX_PASSWORD_LENGTH, password_problem


class _Meta:
    locales = ("nl",)


class LoginForm(FlaskForm):
    gebruikersnaam = StringField("Gebruikersnaam", validators=[DataRequired("Vul uw gebruikersnaam in."),
                                                               Length(max=80)])
    wachtwoord = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."),
                                                         Length(max=MAX_PASSWORD_LENGTH)],
                               render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Inloggen")


class LogoutForm(FlaskForm):
    submit = SubmitField("Uitloggen")


class TeamsField(SelectMultipleField):
    """Teams ticked from the known teams (checkboxes); a value that is not one of them is a Dutch field error."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        known = {value for value, *_ in self.iter_choices()}
        unknown = [value for value in self.data or [] if value not in known]
        if unknown:
            raise ValidationError(f"Onbekend team: {unknown[0][:100]}. Kies teams uit de lijst.")


def _teams_field() -> TeamsField:
    return TeamsField("Teams (alleen voor een teamleider: de teams waarvan hij of zij de zaken ziet)", choices=[])


class _RoleAndTeams:
    """Shared checks: a teamleider needs a team (without one the pages stay empty without a word)."""

    rol: SelectField
    teams: TeamsField

    def set_teams(self, teams: Sequence[tuple[str, str]], current: Sequence[str] = ()) -> None:
        choices = [(identificatie, f"{naam} ({identificatie})") for identificatie, naam in teams]
        known = {identificatie for identificatie, _ in teams}
        choices += [(t, f"{t} (nog onbekend team)") for t in current if t not in known]
        self.teams.choices = choices

    def validate_teams(self, field: TeamsField) -> None:
        if self.rol.data == TEAMLEIDER and not field.data:
            if not field.choices:
                raise ValidationError("Er zijn nog geen teams bekend (nog geen synchronisatie met InProces). Maak "
                                      "teamleiders aan na de eerste synchronisatie.")
            raise ValidationError("Kies minstens één team voor een teamleider.")


class NewUserForm(_RoleAndTeams, FlaskForm):
    Meta = _Meta

    gebruikersnaam = StringField(
        "Gebruikersnaam",
        validators=[DataRequired("Vul een gebruikersnaam in."), Length(max=80),
                    Regexp(r"^[a-z0-9._-]+$",
                           message="Alleen kleine letters, cijfers, punt, streepje en liggend streepje.")],
    )
    naam = StringField("Volledige naam", validators=[Length(max=200)])
    rol = SelectField("Rol", choices=list(ROLE_LABELS.items()))
    teams = _teams_field()
    email = StringField("E-mailadres (voor berichten per e-mail; optioneel)",
                        validators=[Length(max=MAX_EMAIL_LENGTH, message=f"Maximaal {MAX_EMAIL_LENGTH} tekens.")])
    wachtwoord = PasswordField(
        "Wachtwoord (minstens 12 tekens, geen veelgebruikt wachtwoord)",
        validators=[DataRequired("Vul een wachtwoord in."), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Gebruiker aanmaken")

    def validate_email(self, field: StringField) -> None:
        try:
            normalise_email(field.data)
        except AccountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from exc

    def validate_wachtwoord(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self.gebruikersnaam.data or "")
        if problem:
            raise ValidationError(problem)


class UserEditForm(_RoleAndTeams, FlaskForm):
    Meta = _Meta

    rol = SelectField("Rol", choices=list(ROLE_LABELS.items()))
    teams = _teams_field()
    submit = SubmitField("Rol en teams opslaan")


class PasswordChangeForm(FlaskForm):
    Meta = _Meta

    huidig = PasswordField("Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in."),
                                                            Length(max=MAX_PASSWORD_LENGTH)],
                           render_kw={"autocomplete": "current-password"})
    nieuw = PasswordField("Nieuw wachtwoord (minstens 12 tekens, geen veelgebruikt wachtwoord)",
                          validators=[DataRequired("Vul een nieuw wachtwoord in."), Length(max=MAX_PASSWORD_LENGTH)],
                          render_kw={"autocomplete": "new-password"})
    herhaling = PasswordField("Herhaal het nieuwe wachtwoord",
                              validators=[DataRequired("Herhaal het nieuwe wachtwoord."),
                                          EqualTo("nieuw", message="De twee nieuwe wachtwoorden zijn niet gelijk.")],
                              render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Wachtwoord wijzigen")

    def __init__(self, gebruikersnaam: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gebruikersnaam = gebruikersnaam

    def validate_nieuw(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self._gebruikersnaam)
        if problem:
            raise ValidationError(problem)
        if field.data == self.huidig.data:
            raise ValidationError("Het nieuwe wachtwoord moet anders zijn dan het huidige.")


class UserActionForm(FlaskForm):
    submit = SubmitField("Uitvoeren")
