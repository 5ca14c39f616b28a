"""Forms and UI vocabulary of the PiA workspace (archive queue) and the team leaderboard.

The GET forms (queue filters, leaderboard period) read `request.args` without CSRF: every filter lives in
the URL. The POST forms (mark, mark all, undo) are Flask-WTF forms with CSRF.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, Field, Form, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from ..figures.archive import SORTS, TaskFilter
from ..figures.scope import OrgLabel
from ..formatting import datum, getal
from ..rules.archive import (
    ARCHIEFGEGEVENS_AANVULLEN,
    ARCHIVEREN,
    BEVESTIGD,
    GEMELD_GEREED,
    NIET_BEVESTIGD,
    OPEN,
    OPGELOST_IN_BRON,
    OVERBRENGEN,
    VERNIETIGEN,
)
from .fields import DatumField
from .filters import (
    URL_UNKNOWN_ORG,
    QueryForm,
    org_filter_value,
    org_url_value,
    select_field,
    team_filter_value,
    team_url_value,
)

KIND_LABELS = {
    ARCHIEFGEGEVENS_AANVULLEN: "Archiefgegevens aanvullen",
    VERNIETIGEN: "Vernietigen",
    OVERBRENGEN: "Overbrengen",
    ARCHIVEREN: "Archiveren",
}
STATUS_LABELS = {
    OPEN: "Open",
    GEMELD_GEREED: "Gemeld gereed",
    BEVESTIGD: "Bevestigd",
    NIET_BEVESTIGD: "Niet bevestigd",
    OPGELOST_IN_BRON: "Opgelost in bron",
}
EVENT_LABELS = {
    "aangemaakt": "Taak aangemaakt",
    "gemeld_gereed": "Gereed gemeld",
    "melding_ingetrokken": "Melding ingetrokken",
    BEVESTIGD: "Bevestigd door de bron",
    NIET_BEVESTIGD: "Niet bevestigd",
    OPGELOST_IN_BRON: "Opgelost in de bron",
    "heropend": "Heropend",
}
SORT_LABELS = {"dagen_open": "Dagen open", "vervaldatum": "Vervaldatum"}
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_DAYS = 36500
MAX_NOTE = 1000


class _Meta:
    locales = ("nl",)


def _choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _sane_date(form: Form, field: Field) -> None:
    """Keep dates where date arithmetic cannot overflow."""
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(f"Kies een datum tussen {MIN_YEAR} en {MAX_YEAR}.")


class DayField(DatumField):
    """A date typed as dd-mm-jjjj (JJJJ-MM-DD from links works too), like the shared peildatum field."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, validators=[Optional(), _sane_date], **kwargs)


@dataclass(frozen=True)
class QueueQuery:
    """A validated queue request: what `task_queue` needs."""

    peildatum: date
    filters: TaskFilter
    sort: str
    descending: bool
    page: int

    def args(self, **override: Any) -> dict[str, Any]:
        """The query parameters that reproduce this request (for links and redirects)."""
        f = self.filters
        values: dict[str, Any] = {
            "peildatum": self.peildatum.isoformat(), "soort": f.soort,
            "organisatie": None if f.organisatie is None else org_url_value(f.organisatie or None),
            "team": None if f.team is None else team_url_value(f.team or None), "zaaktype": f.zaaktype,
            "min_dagen": f.min_dagen, "sort": self.sort, "richting": "desc" if self.descending else "asc",
            "page": self.page,
        }
        values.update(override)
        return {k: v for k, v in values.items() if v is not None}


class QueueFilterForm(QueryForm):
    """The queue filters, read from the query string (`peildatum` comes from QueryForm)."""

    soort = select_field("Soort taak", "soort taak")
    organisatie = select_field("Organisatie", "organisatie")
    team = SelectField("Team", choices=[], validate_choice=False, validators=[Length(max=100)])
    zaaktype = SelectField("Zaaktype", choices=[], validate_choice=False, validators=[Length(max=100)])
    min_dagen = IntegerField("Minimaal dagen open", validators=[Optional(), NumberRange(0, MAX_DAYS)])
    sort = SelectField("Sorteren op", choices=_choices(SORT_LABELS.items()), default="dagen_open")
    richting = SelectField("Volgorde", choices=_choices([("desc", "Aflopend"), ("asc", "Oplopend")]),
                           default="desc")
    page = IntegerField("Pagina", default=1, validators=[Optional(), NumberRange(1, 1_000_000)])

    def validate_peildatum(self, field: DateField) -> None:
        _sane_date(self, field)

    def __init__(self, organisations: Sequence[OrgLabel], args: Any = None) -> None:
        super().__init__(args)
        self.soort.choices = _choices([("", "Alle soorten"), *KIND_LABELS.items()])
        self.organisatie.choices = _choices([("", "Alle organisaties"),
                                             *((org.code, org.naam) for org in organisations if org.code),
                                             (URL_UNKNOWN_ORG, "Onbekende organisatie")])

    def set_options(self, teams: Sequence[tuple[str, str]], zaaktypen: Sequence[tuple[str, str]]) -> None:
        """The team and zaaktype choices to render; a value from the URL that is not listed is kept."""
        self.team.choices = _with_current([("", "Alle teams"), *teams], self.team.data, "Team")
        self.zaaktype.choices = _with_current([("", "Alle zaaktypen"), *zaaktypen], self.zaaktype.data, "Zaaktype")

    def query(self) -> QueueQuery:
        """The validated request; call after validate()."""
        return QueueQuery(
            peildatum=self.effective_peildatum,
            filters=TaskFilter(
                soort=self.soort.data or None,
                organisatie=org_filter_value(self.organisatie.data),
                team=team_filter_value(self.team.data),
                zaaktype=self.zaaktype.data or None,
                min_dagen=self.min_dagen.data),
            sort=self.sort.data or "dagen_open", descending=self.richting.data != "asc", page=self.page.data or 1)


def _with_current(choices: list[tuple[str, str]], current: str | None, prefix: str) -> list[SelectChoice]:
    if current and current not in {value for value, _ in choices}:
        choices = [*choices, (current, f"{prefix} {current}")]
    return _choices(choices)


assert tuple(SORT_LABELS) == SORTS


def filter_summary(query: QueueQuery, form: QueueFilterForm) -> list[tuple[str, str]]:
    """The active filters as (name, value) pairs, for export headers and confirmation pages."""
    def label(field: SelectField) -> str:
        return next((c.label for c in field.choices or [] if c.value == field.data), field.data)

    pairs = [("Peildatum", datum(query.peildatum))]
    for field in (form.soort, form.organisatie, form.team, form.zaaktype):
        if field.data:
            pairs.append((str(field.label.text), label(field)))
    if query.filters.min_dagen is not None:
        pairs.append(("Minimaal dagen open", str(query.filters.min_dagen)))
    return pairs


MAX_MARK_IDS = 1000  # a page shows 50; "alles in dit filter" marks more without sending ids


class TaskIdsField(Field):
    """The checked task ids (repeated `taken` parameter): at most MAX_MARK_IDS, each ASCII digits only (`٤` is no
    4, `²` no 2). Anything else is a processing error (`process_errors`), which the view answers with a 400."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = []
        if len(valuelist) > MAX_MARK_IDS:
            raise ValueError(f"Te veel taken in één keer: {getal(len(valuelist))}. Meld hooguit {getal(MAX_MARK_IDS)} "
                             "taken tegelijk, of gebruik 'Alle taken in dit filter gereed melden'.")
        for value in valuelist:
            if not (value.isascii() and value.isdigit()) or len(value) > 9:
                raise ValueError(f"Ongeldige taakselectie: {value[:20]!r} is geen taaknummer (alleen de cijfers 0-9).")
        self.data = list(dict.fromkeys(int(value) for value in valuelist))

    def _value(self) -> str:
        return ""


def _note() -> TextAreaField:
    return TextAreaField("Notitie (optioneel)",
                         validators=[Length(max=MAX_NOTE, message=f"Hooguit {MAX_NOTE} tekens.")])


class MarkForm(FlaskForm):
    """Mark the selected tasks `gemeld_gereed`."""

    Meta = _Meta

    taken = TaskIdsField("Taken", default=list)
    notitie = _note()
    terug = HiddenField()

    def validate_taken(self, field: TaskIdsField) -> None:
        if not field.data:
            raise ValidationError("Selecteer eerst een of meer taken.")


class MarkAllForm(FlaskForm):
    """Mark every task of the current filter; `aantal` is the count the user confirmed."""

    Meta = _Meta

    aantal = IntegerField("Aantal", validators=[NumberRange(0)])
    notitie = _note()


class UndoForm(FlaskForm):
    """Withdraw a mark (no fields but CSRF and where to go back to)."""

    terug = HiddenField()


PERIODS = {"30": "Laatste 30 dagen", "90": "Laatste 90 dagen", "365": "Laatste 365 dagen", "eigen": "Eigen periode"}
MAX_PERIOD_DAYS = 3660


class PeriodForm(QueryForm):
    """The leaderboard's period, read from the query string (`peildatum` comes from QueryForm)."""

    periode = SelectField("Periode", choices=_choices(PERIODS.items()), default="30")
    van = DayField("Van")
    tot = DayField("Tot en met")

    def validate_peildatum(self, field: DateField) -> None:
        _sane_date(self, field)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid or self.periode.data != "eigen":
            return valid
        van, tot = self.van.data, self.tot.data
        if van is None or tot is None:
            self.van.errors = ["Vul bij een eigen periode zowel 'van' als 'tot en met' in."]
        elif van > tot:
            self.van.errors = ["'Van' ligt na 'tot en met'."]
        elif (tot - van).days > MAX_PERIOD_DAYS:
            self.van.errors = ["Kies een periode van hooguit tien jaar."]
        return not self.van.errors

    def period(self) -> tuple[date, date, date]:
        """(peildatum, van, tot); call after validate()."""
        peildatum = self.effective_peildatum
        if self.periode.data == "eigen":
            return peildatum, self.van.data, self.tot.data
        return peildatum, peildatum - timedelta(days=int(self.periode.data) - 1), peildatum
