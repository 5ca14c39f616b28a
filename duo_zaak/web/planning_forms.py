"""Forms of the capacity planning page: the what-if inputs (GET, in the URL) and PiA's FTE per period (POST, CSRF).

Dates are typed dd-mm-jjjj (JJJJ-MM-DD from links works too); an FTE takes a decimal comma ("3,2"). Every message
is Dutch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import TextInput

from ..figures.planning import ALLE_VIER
from ..figures.scope import OrgLabel
from ..rules.planning import parse_fte
from .fields import DatumField
from .filters import QueryForm, select_field

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class DateText(DatumField):
    """The app's date field (dd-mm-jjjj, or JJJJ-MM-DD) with its own wording and a sane range."""

    def __init__(self, label: str, what: str, **kwargs: Any) -> None:
        super().__init__(label, invalid_message=f"Ongeldige {what} '{{text}}': gebruik dd-mm-jjjj, bijvoorbeeld "
                                                "01-07-2027.", **kwargs)
        self.what = what

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not EARLIEST <= self.data <= LATEST:
            self.data = None
            raise ValueError(f"Kies een {self.what} tussen 2000 en 2100.")


class FteText(Field):
    """An FTE with a decimal comma; `data` is a Fraction (None when empty)."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(float(self.data)).replace(".", ",")

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if text:
            try:
                self.data = parse_fte(text)
            except ValueError as exc:
                raise ValueError(f"Ongeldige fte: {exc}") from exc


def _org_choices(orgs: Sequence[OrgLabel]) -> list[SelectChoice]:
    return [SelectChoice("", ALLE_VIER), *(SelectChoice(str(o.code), o.naam) for o in orgs if o.id is not None)]


class PlanningForm(QueryForm):
    """The what-if: organisation (or all four), FTE, target date; peildatum as on every page."""

    organisatie = select_field("Organisatie", "organisatie")
    fte = FteText("Fte van PiA", description="Gedeeld door de vier, bijvoorbeeld 3,2. Leeg: de vastgelegde fte op de "
                                             "peildatum.")
    doeldatum = DateText("Doeldatum", "doeldatum", validators=[Optional()],
                         description="dd-mm-jjjj: wanneer moet de achterstand binnen de normen zijn? Leeg: over 13 "
                                     "weken.")

    def __init__(self, orgs: Sequence[OrgLabel], args: Any = None) -> None:
        super().__init__(args)
        self.organisatie.choices = _org_choices(orgs)
        self.orgs = {o.code: o for o in orgs if o.id is not None}

    @property
    def org(self) -> OrgLabel | None:
        return self.orgs.get(self.organisatie.data) if self.organisatie.data else None

    def args(self) -> dict[str, str]:
        """The inputs as URL parameters (for the export link)."""
        values = {"peildatum": self.peildatum.data.isoformat() if self.peildatum.data else "",
                  "organisatie": self.organisatie.data or "", "fte": self.fte._value(),
                  "doeldatum": self.doeldatum.data.isoformat() if self.doeldatum.data else ""}
        return {key: value for key, value in values.items() if value}


class FteForm(FlaskForm):
    """A new FTE row: for all four or one organisation, from `van` up to and including `tot` (empty: open-ended)."""

    # ids of their own: the what-if form on the same page has fields called organisatie and fte too
    organisatie = SelectField("Voor", choices=[], default="", id="fte-organisatie",
                              invalid_choice_message="Onbekende organisatie: kies er een uit de lijst.")
    fte = FteText("Fte", description="Bijvoorbeeld 3,2 (een komma mag).", id="fte-waarde")
    van = DateText("Vanaf", "datum", description="dd-mm-jjjj", id="fte-van")
    tot = DateText("Tot en met", "datum", validators=[Optional()], description="dd-mm-jjjj; leeg: zonder einddatum.",
                   id="fte-tot")
    notitie = StringField("Toelichting", filters=[lambda v: (v or "").strip()], id="fte-notitie",
                          validators=[Length(max=500, message="Maximaal 500 tekens.")])
    submit = SubmitField("Fte vastleggen")

    def __init__(self, orgs: Sequence[OrgLabel], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisatie.choices = _org_choices(orgs)
        self.ids = {str(o.code): o.id for o in orgs if o.id is not None}

    @property
    def organisatie_id(self) -> int | None:
        return self.ids.get(self.organisatie.data or "")

    def validate_fte(self, field: FteText) -> None:
        if field.data is None and not field.errors:
            raise ValidationError("Vul het aantal fte in.")

    def validate_van(self, field: DateText) -> None:
        if field.data is None and not field.errors:
            raise ValidationError("Vul de begindatum in (dd-mm-jjjj).")

    def validate_tot(self, field: DateText) -> None:
        if field.data is not None and self.van.data is not None and field.data < self.van.data:
            raise ValidationError("De einddatum ligt voor de begindatum.")

    @property
    def fte_value(self) -> Fraction:
        assert self.fte.data is not None
        return self.fte.data
