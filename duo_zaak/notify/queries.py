"""The SQL behind the messages that the pages do not already have: a team's most urgent zaken, the zaken that
changed for the daily message, a PiA user's marks and how they ended, the indicator snapshot of a month ago."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, case, false, func, or_, select

from ..db import db
from ..figures.backlog import binnenkort_condition, open_on, state_condition, state_expr
from ..figures.history import ALL
from ..models import ArchiefTaak, Snapshot, TaakGebeurtenis, Team, Zaak, ZaakType
from ..rules.archive import BEVESTIGD, GEMELD_GEREED, NIET_BEVESTIGD
from ..rules.deadlines import TERMIJN_OVERSCHREDEN
from ..rules.ibt import INDICATOREN
from ..rules.signalering import BINNENKORT, OVERSCHREDEN
from .models import MeldingZaak


def team_names(identificaties: Iterable[str]) -> dict[str, str]:
    """identificatie -> name, for the teams the mirror knows (an unknown one is left out)."""
    wanted = sorted(set(identificaties))
    if not wanted:
        return {}
    return dict(db.session.execute(select(Team.identificatie, Team.naam).where(Team.identificatie.in_(wanted))).all())


def _team(identificatie: str) -> object:
    return Zaak.team_id.in_(select(Team.id).where(Team.identificatie == identificatie))


@dataclass(frozen=True)
class UrgentZaak:
    identificatie: str
    omschrijving: str
    zaaktype: str
    startdatum: date
    fatale_datum: date
    streefdatum: date | None
    state: str
    binnenkort: bool
    dagen: int  # days over the fatale datum (> 0), or days left (<= 0 means due today or later: -days left)


def most_urgent(day: date, team: str, n: int, dagen: int) -> list[UrgentZaak]:
    """The team's `n` open zaken whose legal clock runs, nearest (or furthest passed) fatale datum first:
    suspended zaken and zaken without a fatale datum are not urgent in this sense."""
    rows = db.session.execute(
        select(Zaak.identificatie, Zaak.omschrijving, ZaakType.omschrijving.label("zaaktype"), Zaak.startdatum,
               Zaak.fatale_datum, Zaak.streefdatum, state_expr(day).label("state"),
               binnenkort_condition(day, dagen).label("binnenkort"))
        .outerjoin(ZaakType, ZaakType.id == Zaak.zaaktype_id)
        .where(open_on(day), _team(team), Zaak.opgeschort.is_(False), Zaak.fatale_datum.is_not(None))
        .order_by(Zaak.fatale_datum, Zaak.id).limit(n)).all()
    return [UrgentZaak(row.identificatie, row.omschrijving or "", row.zaaktype or "", row.startdatum, row.fatale_datum,
                       row.streefdatum, row.state, bool(row.binnenkort), (day - row.fatale_datum).days)
            for row in rows]


@dataclass(frozen=True)
class Change:
    zaak_id: int
    identificatie: str
    omschrijving: str
    team: str
    wijziging: str  # BINNENKORT or OVERSCHREDEN
    fatale_datum: date
    dagen: int  # days over the fatale datum (overschreden) or days left (binnenkort)


def db_moment(moment: datetime) -> datetime:
    """A moment for a comparison with a stored timestamp: UTC (SQLite stores UTC without an offset)."""
    moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None) if db.session.get_bind().dialect.name == "sqlite" else moment


def changes(day: date, teams: Iterable[str], since: date, since_moment: datetime | None, dagen: int,
            gebruiker_id: int) -> list[Change]:
    """The zaken of `teams` that became binnenkort verlopend or passed their fatale datum after `since` (the day
    of the previous daily message) and on or before `day`, and those the sync wrote after `since_moment` (new,
    moved to the team, deadline moved, suspension ended) that are in either condition now; minus what this
    user was told already (same zaak, same kind of change, same fatale datum)."""
    teams = sorted(set(teams))
    if not teams:
        return []
    written = Zaak.gewijzigd_op > db_moment(since_moment) if since_moment is not None else false()
    overdue = state_condition(TERMIJN_OVERSCHREDEN, day)
    crossed = or_(and_(overdue, Zaak.fatale_datum >= since),
                  and_(binnenkort_condition(day, dagen), Zaak.fatale_datum > since + timedelta(days=dagen)))
    now_flagged = or_(overdue, binnenkort_condition(day, dagen))
    rows = db.session.execute(
        select(Zaak.id, Zaak.identificatie, Zaak.omschrijving, Zaak.fatale_datum, Team.identificatie.label("team"),
               case((overdue, OVERSCHREDEN), else_=BINNENKORT).label("wijziging"))
        .join(Team, Team.id == Zaak.team_id)
        .where(open_on(day), Team.identificatie.in_(teams), or_(crossed, and_(written, now_flagged)))
        .order_by(Zaak.fatale_datum, Zaak.id)).all()
    if not rows:
        return []
    told = set(db.session.execute(
        select(MeldingZaak.zaak_id, MeldingZaak.wijziging, MeldingZaak.fatale_datum)
        .where(MeldingZaak.gebruiker_id == gebruiker_id, MeldingZaak.zaak_id.in_([row.id for row in rows]))).all())
    return [Change(row.id, row.identificatie, row.omschrijving or "", row.team, row.wijziging, row.fatale_datum,
                   (day - row.fatale_datum).days if row.wijziging == OVERSCHREDEN else (row.fatale_datum - day).days)
            for row in rows if (row.id, row.wijziging, row.fatale_datum) not in told]


@dataclass(frozen=True)
class MarkOutcome:
    taak_id: int
    identificatie: str
    soort: str
    status: str
    datum: date | None  # the day it was confirmed or not; None while waiting


def marks(gebruiker_id: int, day: date, days: int = 7) -> list[MarkOutcome]:
    """The user's marks still waiting for the source (`gemeld_gereed`), and those that were confirmed or not
    confirmed in the `days` days up to and including `day` (latest first)."""
    marked = (select(TaakGebeurtenis.taak_id).where(TaakGebeurtenis.gebruiker_id == gebruiker_id,
                                                    TaakGebeurtenis.gebeurtenis == GEMELD_GEREED).distinct())
    waiting = db.session.execute(
        select(ArchiefTaak.id, Zaak.identificatie, ArchiefTaak.soort, ArchiefTaak.gemeld_op)
        .join(Zaak, Zaak.id == ArchiefTaak.zaak_id)
        .where(ArchiefTaak.status == GEMELD_GEREED, ArchiefTaak.gemeld_door_id == gebruiker_id)
        .order_by(ArchiefTaak.gemeld_op.desc(), ArchiefTaak.id.desc())).all()
    ended = db.session.execute(
        select(TaakGebeurtenis.taak_id, Zaak.identificatie, ArchiefTaak.soort, TaakGebeurtenis.naar_status,
               TaakGebeurtenis.datum)
        .join(ArchiefTaak, ArchiefTaak.id == TaakGebeurtenis.taak_id).join(Zaak, Zaak.id == ArchiefTaak.zaak_id)
        .where(TaakGebeurtenis.taak_id.in_(marked), TaakGebeurtenis.naar_status.in_([BEVESTIGD, NIET_BEVESTIGD]),
               TaakGebeurtenis.datum > day - timedelta(days=days), TaakGebeurtenis.datum <= day)
        .order_by(TaakGebeurtenis.datum.desc(), TaakGebeurtenis.id.desc())).all()
    return ([MarkOutcome(row.id, row.identificatie, row.soort, GEMELD_GEREED, None) for row in waiting]
            + [MarkOutcome(row.taak_id, row.identificatie, row.soort, row.naar_status, row.datum) for row in ended])


def indicator_snapshot(organisatie: str, on_or_before: date) -> tuple[date | None, dict[str, Snapshot]]:
    """The indicator snapshot rows of an organisation key on the latest day on or before the date given."""
    latest = db.session.scalar(select(func.max(Snapshot.datum)).where(
        Snapshot.organisatie == organisatie, Snapshot.team == ALL, Snapshot.metriek.in_(list(INDICATOREN)),
        Snapshot.datum <= on_or_before))
    if latest is None:
        return None, {}
    rows = db.session.scalars(select(Snapshot).where(
        Snapshot.organisatie == organisatie, Snapshot.team == ALL, Snapshot.metriek.in_(list(INDICATOREN)),
        Snapshot.datum == latest))
    return latest, {row.metriek: row for row in rows}
