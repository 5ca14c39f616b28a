"""WTForms of the IBT workspace: KPI judgements, indicator norms and the readiness window.

Every message is Dutch; WTForms' own (English) messages for bad numbers, dates and choices are replaced.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlparse

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..figures.ibt_report import evidence_links
from ..rules.ibt import GROTER_OF_GELIJK, KLEINER_OF_GELIJK, MAX_LEEFTIJD, OORDELEN
from .fields import DatumField, DecimaalField

MAX_LINKS = 20
MAX_LINK_LENGTH = 500
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
OPERATOR_LABELS = {
    GROTER_OF_GELIJK: "minstens (≥) een percentage",
    KLEINER_OF_GELIJK: "hoogstens (≤) een percentage",
    MAX_LEEFTIJD: "geen taak ouder dan (dagen)",
}
# A2/A3 are counts: their only sensible norm is the age of the oldest task.
COUNT_CODES = ("A2", "A3")


def _too_long(maximum: int) -> Length:
    return Length(max=maximum, message=f"Maximaal {maximum} tekens.")


def _stripped(value: str | None) -> str:
    """Text fields are always a string (also when the field is missing from the request), stripped."""
    return (value or "").strip()


class KpiForm(FlaskForm):
    oordeel = SelectField("Oordeel", choices=[SelectChoice("", "nog geen oordeel"),
                                              *(SelectChoice(o, o) for o in OORDELEN)],
                          validate_choice=False,
                          validators=[AnyOf(["", *OORDELEN], message="Kies ja, deels, nee of nog geen oordeel.")])
    eigenaar = StringField("Eigenaar", filters=[_stripped], validators=[_too_long(200)])
    streefdatum = DatumField("Streefdatum", validators=[Optional()])
    notitie = TextAreaField("Notitie", filters=[_stripped], validators=[_too_long(2000)])
    bewijs = TextAreaField("Bewijs (links, één per regel)", filters=[_stripped],
                           validators=[_too_long(MAX_LINKS * (MAX_LINK_LENGTH + 2))])
    submit = SubmitField("Opslaan")

    def validate_streefdatum(self, field: DatumField) -> None:
        if field.data is not None and not EARLIEST <= field.data <= LATEST:
            raise ValidationError("Kies een datum tussen 2000 en 2100.")

    def validate_bewijs(self, field: TextAreaField) -> None:
        links = evidence_links(field.data or "")
        if len(links) > MAX_LINKS:
            raise ValidationError(f"Hoogstens {MAX_LINKS} links.")
        for number, link in enumerate(links, start=1):
            if len(link) > MAX_LINK_LENGTH:
                raise ValidationError(f"Link {number} is langer dan {MAX_LINK_LENGTH} tekens.")
            parsed = urlparse(link)
            if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in link):
                raise ValidationError(f"Link {number} is geen http(s)-adres: {link[:80]}")


class NormForm(FlaskForm):
    operator = SelectField("Soort norm", validate_choice=False, validators=[DataRequired("Kies een soort norm.")])
    waarde = DecimaalField("Waarde", validators=[InputRequired("Vul een waarde in.")])
    toelichting = StringField("Toelichting (waarom deze norm)", filters=[_stripped], validators=[_too_long(500)])
    submit = SubmitField("Norm opslaan")

    def __init__(self, code: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = (MAX_LEEFTIJD,) if code in COUNT_CODES else (GROTER_OF_GELIJK, KLEINER_OF_GELIJK)
        self.operator.choices = [SelectChoice(op, OPERATOR_LABELS[op]) for op in allowed]
        self.allowed_operators = allowed

    def validate_operator(self, field: SelectField) -> None:
        if field.data not in self.allowed_operators:
            raise ValidationError("Kies een van de genoemde soorten norm.")

    def validate_waarde(self, field: DecimaalField) -> None:
        if field.data is None:
            return
        if self.operator.data == MAX_LEEFTIJD:
            if not 0 <= field.data <= 3650 or field.data != int(field.data):
                raise ValidationError("Een aantal dagen: een geheel getal van 0 tot en met 3650.")
        elif not 0 <= field.data <= 100:
            raise ValidationError("Een percentage van 0 tot en met 100.")


class WindowForm(FlaskForm):
    maanden = IntegerField("Aantal volledige maanden", invalid_value_message="Geen geheel getal.",
                           validators=[InputRequired("Vul een aantal maanden in."),
                                       NumberRange(1, 12, message="Kies 1 tot en met 12 maanden.")])
    toelichting = StringField("Toelichting", filters=[_stripped], validators=[_too_long(500)])
    submit = SubmitField("Venster opslaan")
