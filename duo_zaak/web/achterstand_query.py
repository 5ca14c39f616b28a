"""The backlog pages' request: filters (organisation, team, zaaktype, toestand, peildatum), sort and page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from wtforms import SelectField

from ..figures.backlog import OpenFigures, ZaakFilter, open_figures
from ..figures.scope import (
    ONBEKENDE_ORGANISATIE,
    Breakdown,
    Scope,
    TeamLabel,
    organisations,
    team_sort_key,
    zaaktype_choices,
)
from ..formatting import datum, today_amsterdam
from ..rules.deadlines import STATES
from .filters import (
    URL_UNKNOWN_ORG,
    ParamError,
    QueryForm,
    org_filter_value,
    page_number,
    select_field,
    sort_order,
    team_filter_value,
    team_url_value,
)

BINNENKORT = "binnenkort_verlopend"
TOESTANDEN = {"termijn_overschreden": "Termijn overschreden", "norm_overschreden": "Norm overschreden",
              BINNENKORT: "Binnenkort verlopend", "opgeschort": "Opgeschort",
              "onbekend": "Onbekend (geen fatale datum)", "op_tijd": "Op tijd"}
# The counts of a tile and of a team row, in this order; "open" links to the list without a state.
COUNTS = {"open": "Open", "termijn_overschreden": "Termijn overschreden", "norm_overschreden": "Norm overschreden",
          BINNENKORT: "Binnenkort verlopend", "opgeschort": "Opgeschort", "onbekend": "Onbekend"}
TEAM_SORTS = {"team": "Team", "organisatie": "Organisatie", **COUNTS}
ZAAK_SORTS = {"dagen_over_termijn": "Dagen over termijn", "fatale_datum": "Fatale datum",
              "startdatum": "Startdatum", "identificatie": "Identificatie"}


class BacklogForm(QueryForm):
    organisatie = select_field("Organisatie", "organisatie")
    # Lenient: an unknown team or zaaktype gives a notice and an empty list (see selection).
    team = SelectField("Team", choices=[], default="", validate_choice=False)
    zaaktype = SelectField("Zaaktype", choices=[], default="", validate_choice=False)
    toestand = select_field("Toestand", "toestand")


@dataclass(frozen=True)
class Selection:
    """The validated filters of a request (organisation and team in their URL form)."""

    peildatum: date
    peildatum_gegeven: bool
    organisatie: str | None
    team: str | None
    zaaktype: str | None
    toestand: str | None
    scope: Scope
    labels: tuple[tuple[str, str], ...]

    @property
    def verleden(self) -> bool:
        """The peildatum lies in the past: the zaken open then are shown, their suspension as it is now."""
        return self.peildatum < today_amsterdam()

    def link_args(self) -> dict[str, str | None]:
        return {"peildatum": self.peildatum.isoformat() if self.peildatum_gegeven else None,
                "organisatie": self.organisatie, "team": self.team, "zaaktype": self.zaaktype,
                "toestand": self.toestand}

    def zaak_filter(self) -> ZaakFilter:
        return ZaakFilter(organisatie=org_filter_value(self.organisatie), team=team_filter_value(self.team),
                          zaaktype=self.zaaktype, state=self.toestand if self.toestand in STATES else None,
                          binnenkort=self.toestand == BINNENKORT)


def team_choices(base: Breakdown[OpenFigures], scope: Scope) -> list[tuple[str, str]]:
    """A teamleider chooses among their own teams; the others among the teams with open zaken."""
    teams = {team.team for org in base.organisaties for team in org.teams}
    if scope.teams is not None:
        known = {team.id: team for team in teams}
        teams = {known.get(team_id, TeamLabel(team_id, team_id)) for team_id in scope.teams}
    everything = "Al mijn teams" if scope.teams is not None else "Alle teams"
    return [("", everything), *((team_url_value(t.id), t.naam) for t in sorted(teams, key=team_sort_key))]


def selection(form: BacklogForm) -> tuple[Selection | None, Breakdown[OpenFigures], list[tuple[str, str]], list[str]]:
    """Validate the filters. Returns (selection or None, the unfiltered figures, errors, notices)."""
    scope = Scope.for_user(g.user)
    base = open_figures(form.effective_peildatum, scope)
    form.organisatie.choices = [("", "Alle organisaties"), *((o.code, o.naam) for o in organisations()),
                                (URL_UNKNOWN_ORG, ONBEKENDE_ORGANISATIE)]
    form.team.choices = team_choices(base, scope)
    form.zaaktype.choices = [("", "Alle zaaktypen"), *zaaktype_choices()]
    form.toestand.choices = [("", "Alle open zaken"), *TOESTANDEN.items()]
    form.validate()
    errors = form.error_list()
    notices = []
    if form.team.data and form.team.data not in dict(form.team.choices):
        notices.append(f"Team '{form.team.data}' hoort niet bij uw teams: u ziet alleen zaken van uw eigen teams."
                       if scope.teams is not None else f"Team '{form.team.data}' is onbekend of heeft geen open zaken.")
    if form.zaaktype.data and form.zaaktype.data not in dict(form.zaaktype.choices):
        notices.append(f"Zaaktype '{form.zaaktype.data}' is onbekend.")
    if errors:
        return None, base, errors, notices
    labels = [("Peildatum", datum(form.effective_peildatum))]
    for field in (form.organisatie, form.team, form.zaaktype, form.toestand):
        if field.data:
            labels.append((str(field.label.text), dict(field.choices).get(field.data, field.data)))
    if scope.teams is not None:
        labels.append(("Uw teams", ", ".join(f"{naam} ({value})" for value, naam in form.team.choices[1:])))
    selection = Selection(form.effective_peildatum, form.peildatum.data is not None, form.organisatie.data or None,
                          form.team.data or None, form.zaaktype.data or None, form.toestand.data or None, scope,
                          tuple(labels))
    return selection, base, errors, notices


@dataclass
class Parsed:
    """A request's filters, sort and page; `sel` is None when something is invalid (see `errors`)."""

    form: BacklogForm
    sel: Selection | None
    base: Breakdown[OpenFigures]
    errors: list[tuple[str, str]]
    notices: list[str]
    sort: str = ""
    richting: str = "desc"
    page: int = 1


def parse(sorts: dict[str, str], default_sort: str, *, paged: bool = False) -> Parsed:
    form = BacklogForm()
    parsed = Parsed(form, *selection(form))
    try:
        parsed.sort, parsed.richting = sort_order(sorts, default_sort, "desc")
        if paged:
            parsed.page = page_number()
    except ParamError as exc:
        parsed.errors.append(("", exc.message))
    if parsed.errors:
        parsed.sel = None
    return parsed
