"""Forms of the e-mail signalering: a user's choices, the beheerder's preview, test message and e-mail address."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from ..accounts.auth import AccountError
from ..accounts.mailadres import MAX_LENGTH, normalise_email
from ..rules.signalering import KINDS, LABELS, TEST, WHEN
from .filters import QueryForm

KIND_CHOICES = [SelectChoice(kind, LABELS[kind]) for kind in (*KINDS, TEST)]


def preferences_form(kinds: dict[str, bool], formdata: Any = None) -> FlaskForm:
    """A checkbox per kind the user's role may choose, set to their current choice."""

    class PreferencesForm(FlaskForm):
        submit = SubmitField("Opslaan")

    for kind in kinds:
        setattr(PreferencesForm, kind, BooleanField(LABELS[kind], description=f"Wanneer: {WHEN[kind]}."))
    form = PreferencesForm(**({} if formdata is None else {"formdata": formdata}), data=dict(kinds))
    return form


def _user_field(field_id: str) -> SelectField:
    """The user to act on; its own id, as three forms on one page have this field."""
    return SelectField("Gebruiker", choices=[], validate_choice=True, id=field_id,
                       invalid_choice_message="Onbekende gebruiker: kies er een uit de lijst.")


class PreviewForm(QueryForm):
    """The preview on the beheer page (GET, no CSRF): which user, which kind, which day."""

    gebruiker = SelectField("Gebruiker", choices=[], default="",
                            invalid_choice_message="Onbekende gebruiker: kies er een uit de lijst.")
    soort = SelectField("Soort bericht", choices=[SelectChoice("", "De eerste soort van de rol"), *KIND_CHOICES],
                        default="",
                        invalid_choice_message="Onbekende soort bericht: kies er een uit de lijst.")


class TestMailForm(FlaskForm):
    gebruiker = _user_field("test-gebruiker")
    submit = SubmitField("Testbericht versturen")


class EmailForm(FlaskForm):
    gebruiker = _user_field("email-gebruiker")
    email = StringField("E-mailadres (leeg: wissen)",
                        validators=[Length(max=MAX_LENGTH, message=f"Maximaal {MAX_LENGTH} tekens.")])
    submit = SubmitField("E-mailadres opslaan")

    def validate_email(self, field: StringField) -> None:
        try:
            normalise_email(field.data)
        except AccountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from exc


class UnsubscribeForm(FlaskForm):
    """The confirm button of an unsubscribe link. No CSRF token: the signed link is the proof, and a mail
    client's one-click POST (RFC 8058) carries no token either."""

    class Meta:
        csrf = False

    submit = SubmitField("Afmelden")


def user_choices(users: list[Any]) -> list[SelectChoice]:
    return [SelectChoice(str(user.id), f"{user.gebruikersnaam} ({user.naam})") for user in users]
