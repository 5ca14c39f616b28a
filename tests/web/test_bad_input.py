"""Bad input everywhere (issue #8, part 4): every query parameter of every GET route, every field of every POST
form and every path parameter gets invalid, extreme and hostile values. The answer is a 400 (or 422) with a
clear message, or a page with a Dutch field error, or an empty list; never a 500; and nothing the user typed
comes back unescaped.

The sweep is generated from the app's URL map: a route without an entry in GET_PARAMS / POST_FORMS fails
`test_every_route_is_swept`. One app and one SQLite database (the hand-built dataset, synced once, plus data
holding the same hostile strings) serve the whole module; the forms that store text are swept on PostgreSQL
too (NUL bytes and column lengths are where it differs from SQLite).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from duo_zaak.accounts.auth import create_user
from duo_zaak.db import db
from duo_zaak.models import ArchiefTaak, Gebruiker, Team, Zaak, ZaakType
from duo_zaak.notify.tokens import make_token

from ..conftest import PASSWORD, USERNAMES, make_app
from ..handbuilt import PEILDATUM
from ..sso import running_provider

P = PEILDATUM.isoformat()
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW = (SCRIPT, "<img src=x onerror=alert(1)>")  # what must never reach a page unescaped

BAD: dict[str, str] = {
    "maand-13": "2026-13-45",
    "jaar-0": "0000-01-01",
    "jaar-1": "0001-01-01",
    "jaar-9999": "9999-12-31",
    "dd-mm-jjjj": "31-12-2026",
    "leeg": "",
    "min-1": "-1",
    "nul": "0",
    "enorm": "99999999999999999999",
    "tekst": "abc",
    "onbekend-id": "987654",
    "middellang": "m" * 300,
    "lang": "x" * 10_000,
    "emoji": "\U0001f600\U0001f5c2\ufe0f",
    "rtl": "\u202eטקסט עברי \u0645\u0631\u062d\u0628\u0627",
    "nul-byte": "a\x00b",
    "besturingsteken": "a\x0b\x1bb",
    "crlf": "a\r\nSet-Cookie: x=1",
    "sql": "' OR 1=1 --",
    "procent": "%",
    "underscore": "_",
    "script": SCRIPT,
    "img": IMG,
}
CONTROL = {"nul-byte", "besturingsteken"}  # refused everywhere (PostgreSQL and XLSX cannot hold them)
# A choice (sort, formaat, ...) or an open filter (team, zaaktype) treats every string alike, however date- or
# number-shaped: it gets the string values only.
STRING_VALUES = ("leeg", "onbekend-id", "tekst", "middellang", "lang", "emoji", "rtl", "nul-byte", "besturingsteken",
                 "crlf", "sql", "procent", "underscore", "script", "img")
# A date the pages take (dd-mm-jjjj, as typed in the filter forms); the API and the IBT pages want JJJJ-MM-DD.
# Every other bad value must be refused for a date, years 1 and 9999 included (date arithmetic overflows there).
DATE_LIKE = {"dd-mm-jjjj"}
# A page number that may simply be beyond the last page (a notice or an empty list); above 1.000.000 is refused.
BIG_NUMBERS = {"onbekend-id"}

# Kinds of parameters and what a bad value must give: DATE, PAGE and CHOICE are refused (400) unless the value
# could mean something; FILTER (an open set: team, zaaktype) may also give an empty list; TEXT is stored as is.
DATE, PAGE, CHOICE, FILTER, TEXT, NUMBER, BACK = "datum", "pagina", "keuze", "filter", "tekst", "getal", "terug"
DATE_NL = "datum-nl"  # a form date typed dd-mm-jjjj (JJJJ-MM-DD works too)

QUEUE = {"peildatum": DATE, "soort": CHOICE, "organisatie": CHOICE, "team": FILTER, "zaaktype": FILTER,
         "min_dagen": NUMBER, "sort": CHOICE, "richting": CHOICE, "page": PAGE}
BACKLOG = {"peildatum": DATE, "organisatie": CHOICE, "team": FILTER, "zaaktype": FILTER, "toestand": CHOICE,
           "zoek": TEXT, "sort": CHOICE, "richting": CHOICE}
PERIOD = {"peildatum": DATE, "periode": CHOICE, "van": DATE, "tot": DATE}
ONLY_DATE = {"peildatum": DATE}
PLANNING = {"peildatum": DATE, "organisatie": CHOICE, "fte": NUMBER, "doeldatum": DATE}

# endpoint -> its query parameters (read from the views and their forms)
GET_PARAMS: dict[str, dict[str, str]] = {
    "main.index": {},
    "main.overzicht": ONLY_DATE,
    "main.healthz": {},
    "auth.login": {"next": BACK},
    "auth.wachtwoord": {},
    "beheer.index": {},
    "beheer.gebruiker": {},
    "beheer.audit_log": {"page": PAGE, "actie": CHOICE, "gebruiker": FILTER, "van": DATE, "tot": DATE},
    "bron.index": {},
    "api.backlog": ONLY_DATE,
    "api.backlog_zaken": {"peildatum": DATE, "organisatie": CHOICE, "team": FILTER, "zaaktype": FILTER,
                          "toestand": CHOICE, "page": PAGE},
    "api.archief": ONLY_DATE,
    "api.archief_taken": {"peildatum": DATE, "status": CHOICE, "soort": CHOICE, "organisatie": CHOICE,
                          "team": FILTER, "page": PAGE},
    "api.indicatoren": ONLY_DATE,
    "api.ranglijst": {"peildatum": DATE, "van": DATE, "tot": DATE},
    "api.kwaliteit": ONLY_DATE,
    "api.openapi": {},
    "achterstand.index": BACKLOG,
    "achterstand.zaken": {**BACKLOG, "page": PAGE},
    "achterstand.export": BACKLOG,
    "kwaliteit.index": ONLY_DATE,
    "kwaliteit.bevinding": {"peildatum": DATE, "page": PAGE},
    "kwaliteit.export": ONLY_DATE,
    "kwaliteit.export_bevinding": ONLY_DATE,
    "archief.index": QUEUE,
    "archief.alles_melden": QUEUE,
    "archief.export": {**QUEUE, "formaat": CHOICE},
    "archief.vernietigingslijst": {**QUEUE, "formaat": CHOICE},
    "archief.mijn_meldingen": {"page": PAGE},
    "archief.taak": {},
    "ranglijst.index": PERIOD,
    "ranglijst.opvolging": {**PERIOD, "team": FILTER, "page": PAGE},
    "ranglijst.opvolging_export": {**PERIOD, "team": FILTER, "formaat": CHOICE},
    "ibt.index": ONLY_DATE,
    "ibt.maanden": ONLY_DATE,
    "ibt.rapport": ONLY_DATE,
    "ibt.rapport_xlsx": ONLY_DATE,
    "ibt.normen": {},
    "ibt.kpis": {},
    "ibt.kpi": {},
    "ibt.norm": {},
    "ibt.venster": {},
    "planning.index": PLANNING,
    "planning.export": PLANNING,
    "api.planning": PLANNING,
    "signalering.voorkeuren": {},
    "signalering.afmelden": {},
    "signalering.beheer": {"gebruiker": CHOICE, "soort": CHOICE, "peildatum": DATE},
    "signalering.voorbeeld_html": {"gebruiker": CHOICE, "soort": CHOICE, "peildatum": DATE},
    # single sign-on: 404 without a provider, so swept apart (test_sso_routes_bad_input, with the real provider)
    "auth.login_sso": {"next": BACK},
    "auth.login_sso_callback": {"code": TEXT, "state": TEXT, "error": TEXT, "error_description": TEXT},
}
SSO_ENDPOINTS = {"auth.login_sso", "auth.login_sso_callback"}
# Valid values of the other parameters while one is swept, so every page has something to show.
EIGEN = {"periode": "eigen", "van": "2026-04-16", "tot": P}
BASE: dict[str, dict[str, str]] = {
    "ranglijst.index": EIGEN,
    "ranglijst.opvolging": {**EIGEN, "team": "OE-A"},
    "ranglijst.opvolging_export": {**EIGEN, "team": "OE-A", "formaat": "csv"},
    "archief.export": {"formaat": "csv"},
    "archief.vernietigingslijst": {"formaat": "csv"},
}
# Names that are no parameter of the page: unknown ones, url_for's own arguments and path parameter names (which
# links built from the query string once passed on to url_for), and the parameters of other pages. All go in one
# request per route, with a hostile value; `_scheme`/`_external` try to turn the page's links into javascript:.
RESERVED = {"onbekend_veld": SCRIPT, "endpoint": SCRIPT, "values": SCRIPT, "_external": "1", "_scheme": "javascript",
            "_anchor": SCRIPT, "_method": SCRIPT, "tabel": SCRIPT, "fmt": SCRIPT, "code": SCRIPT, "taak_id": SCRIPT,
            "user_id": SCRIPT, "nummer": SCRIPT}
OTHER_PARAMS = sorted({name for params in GET_PARAMS.values() for name in params})

# Path parameters: a valid sample per endpoint (any-converters are expanded) and the bad values to try.
PATH_SAMPLES = {"kwaliteit.bevinding": {"code": "geen_team"}, "kwaliteit.export_bevinding": {"code": "geen_team"},
                "ibt.kpis": {"code": "diemen"}, "ibt.kpi": {"code": "diemen", "nummer": "1"},
                "ibt.norm": {"code": "Z1"}, "signalering.afmelden": {"token": "{token}"},
                "beheer.gebruiker": {"user_id": "{doelwit}"}}
BAD_INTS = ("0", "-1", "2147483648", "99999999999999999999", "abc", "1.5")

# POST forms: endpoint -> (role, path, valid data, {field: kind}). `{taak}`, `{user}` and `{n}` (a counter, for
# unique user names) are filled in per request.
POST_FORMS: dict[str, tuple[str | None, str, dict[str, str], dict[str, str]]] = {
    "auth.login": (None, "/login", {"gebruikersnaam": "doelwit", "wachtwoord": "niet-het-wachtwoord"},
                   {"gebruikersnaam": TEXT, "wachtwoord": TEXT}),
    "beheer.index": ("beheerder", "/beheer/", {"gebruikersnaam": "sweep-{n}", "naam": "Nieuw", "rol": "teamleider",
                                               "teams": "OE-A", "email": "", "wachtwoord": "een-lang-wachtwoord"},
                     {"gebruikersnaam": TEXT, "naam": TEXT, "rol": CHOICE, "teams": CHOICE, "email": TEXT,
                      "wachtwoord": TEXT}),
    # the role and teams of `doelwit` (whose sessions no client of the sweep uses)
    "beheer.gebruiker": ("beheerder", "/beheer/gebruikers/{doelwit}", {"rol": "teamleider", "teams": "OE-B"},
                         {"rol": CHOICE, "teams": CHOICE}),
    # the current password is checked and the new one must be typed twice: a bad value in any field is refused
    "auth.wachtwoord": ("programmateam", "/wachtwoord", {"huidig": PASSWORD, "nieuw": "nieuw-wachtwoord-{n}",
                                                          "herhaling": "nieuw-wachtwoord-{n}"},
                        {"huidig": TEXT, "nieuw": TEXT, "herhaling": TEXT}),
    "archief.melden": ("pia", "/archief/melden", {"taken": "{taak}", "notitie": "", "terug": "/archief/"},
                       {"taken": NUMBER, "notitie": TEXT, "terug": BACK}),
    "archief.intrekken": ("pia", "/archief/taken/{taak}/intrekken", {"terug": "/archief/mijn-meldingen"},
                          {"terug": BACK}),
    "archief.alles_melden": ("pia", f"/archief/alles-melden?soort=overbrengen&peildatum={P}",
                             {"aantal": "1", "notitie": ""}, {"aantal": NUMBER, "notitie": TEXT}),
    "ibt.kpi": ("programmateam", "/ibt/kpi/diemen/1",
                {"oordeel": "deels", "eigenaar": "Els", "streefdatum": "2026-12-31", "notitie": "",
                 "bewijs": "https://intranet.example/ibt"},
                {"oordeel": CHOICE, "eigenaar": TEXT, "streefdatum": DATE, "notitie": TEXT, "bewijs": TEXT}),
    "ibt.norm": ("programmateam", "/ibt/normen/Z1", {"operator": ">=", "waarde": "95", "toelichting": ""},
                 {"operator": CHOICE, "waarde": NUMBER, "toelichting": TEXT}),
    "ibt.venster": ("programmateam", "/ibt/normen/venster", {"maanden": "6", "toelichting": ""},
                    {"maanden": NUMBER, "toelichting": TEXT}),
    "planning.fte": ("programmateam", "/archief/planning/fte",
                     {"organisatie": "", "fte": "3,2", "van": "01-05-2026", "tot": "", "notitie": ""},
                     {"organisatie": CHOICE, "fte": NUMBER, "van": DATE_NL, "tot": DATE_NL, "notitie": TEXT}),
    "bron.synchroniseren": ("beheerder", "/bron/synchroniseren", {"modus": "incrementeel"}, {"modus": CHOICE}),
    "beheer.disable": ("beheerder", "/beheer/gebruikers/{user}/uitschakelen", {}, {}),  # path parameter only
    "beheer.enable": ("beheerder", "/beheer/gebruikers/{doelwit}/inschakelen", {}, {}),
    "beheer.reset": ("beheerder", "/beheer/gebruikers/{doelwit}/wachtwoord-herstellen", {}, {}),
    "auth.logout": ("beheerder", "/logout", {}, {}),  # no field but the CSRF token
    "signalering.voorkeuren": ("teamleider", "/meldingen-per-e-mail", {"teamleider_week": "y", "teamleider_dag": "y"},
                               {"teamleider_week": TEXT, "teamleider_dag": TEXT}),  # a checkbox takes any value
    "signalering.afmelden": (None, "/afmelden/{token}", {}, {}),  # path parameter only
    "signalering.test": ("beheerder", "/beheer/signalering/test", {"gebruiker": "{user}"}, {"gebruiker": CHOICE}),
    "signalering.email": ("beheerder", "/beheer/signalering/e-mail", {"gebruiker": "{user}", "email": "b@duo.test"},
                          {"gebruiker": CHOICE, "email": TEXT}),
}
# JSON bodies machines post (no form, no login, no CSRF token): endpoint -> (path, valid body, {field: kind}, the
# settings that let the request past its checks). The Notificaties 1.0 message: a text field may be any short text
# (another kanaal or resource is accepted and ignored: 204), a URL or a date-time must be one (400).
NOTIFICATIE_AUTH = "Token sweep-geheim-0123456789-0123456789"
URL_FIELD = "url"
POST_JSON: dict[str, tuple[str, dict[str, Any], dict[str, str], dict[str, Any]]] = {
    "notificaties.ontvang": (
        "/api/v1/notificaties",
        {"kanaal": "zaken", "hoofdObject": "{zaak}", "resource": "rol", "resourceUrl": "{zaak}", "actie": "create",
         "aanmaakdatum": "2026-05-15T09:30:00Z", "kenmerken": {"bronorganisatie": "001234560"}},
        {"kanaal": TEXT, "hoofdObject": URL_FIELD, "resource": TEXT, "resourceUrl": URL_FIELD, "actie": TEXT,
         "aanmaakdatum": DATE, "kenmerken": TEXT},
        {"NOTIFICATIES_AUTH": NOTIFICATIE_AUTH}),
}
# How each form refuses a bad value: a page with field errors (200 or 400), a redirect with a flashed error (the
# mark form), or 401 (login). A successful post is a redirect (302).
REFUSAL = {"auth.login": {200, 401}, "beheer.index": {200}, "beheer.gebruiker": {400}, "auth.wachtwoord": {400},
           "archief.melden": {302, 400}, "archief.intrekken": {302},
           "archief.alles_melden": {200}, "ibt.kpi": {400}, "ibt.norm": {400}, "ibt.venster": {400},
           "bron.synchroniseren": {400}, "signalering.voorkeuren": {302}, "signalering.test": {302},
           "signalering.email": {302}, "planning.fte": {400}}

ROLES = ("teamleider", "programmateam", "pia", "beheerder")
ALLOWED = {200, 302, 400, 401, 404, 422}


# -- the routes, from the URL map ------------------------------------------------------------------------------

def _rules(app: Flask) -> Iterator[Any]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            yield rule


def _converters(rule: Any) -> dict[str, tuple[str, Any]]:
    return {name: (type(conv).__name__.replace("Converter", "").lower(), conv)
            for name, conv in rule._converters.items()}  # noqa: SLF001


def _fill(rule: Any, values: dict[str, str]) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^<>]+:)?{name}>", lambda _m, v=value: v, path)
    return path


def _paths(rule: Any, samples: dict[str, str]) -> list[str]:
    """The combinations of the any-converters' values (a download format only for the first of the others:
    CSV and XLSX read the same parameters); other path parameters from `samples`."""
    choices = {name: sorted(conv.items) if kind == "any" else [samples[name]]
               for name, (kind, conv) in _converters(rule).items()}
    combos = [dict(zip(choices, combo, strict=True)) for combo in itertools.product(*choices.values())]
    first = combos[0]
    combos = [c for c in combos if c.get("fmt") in (None, first.get("fmt"))
              or all(c[k] == first[k] for k in c if k != "fmt")]
    return [_fill(rule, combo) for combo in combos]


def _routes() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], set[str], set[str]]:
    """(endpoint, path, param) for the query sweep, (endpoint, method, param) for the path sweep, and the GET and
    POST endpoints of the URL map."""
    app = make_app("sqlite://")
    query, paths, gets, posts = [], [], set(), set()
    for rule in _rules(app):
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        gets |= {rule.endpoint} if "GET" in methods else set()
        posts |= {rule.endpoint} if "POST" in methods else set()
        if "GET" in methods and rule.endpoint in GET_PARAMS and rule.endpoint not in SSO_ENDPOINTS:
            samples = {"taak_id": "{taak}", **PATH_SAMPLES.get(rule.endpoint, {})}
            for path in _paths(rule, samples):
                query += [(rule.endpoint, path, name) for name in [*GET_PARAMS[rule.endpoint], "*"]]
        paths += [(rule.endpoint, method, name) for name, (kind, _) in _converters(rule).items() if kind != "any"
                  for method in methods]
    return query, paths, gets, posts


QUERY_CASES, PATH_CASES, GET_ENDPOINTS, POST_ENDPOINTS = _routes()


def test_every_route_is_swept():
    """A new route (or a new method on one) must get its parameters or form fields listed here."""
    assert set(GET_PARAMS) == GET_ENDPOINTS
    assert set(POST_FORMS) | set(POST_JSON) == POST_ENDPOINTS
    assert not set(POST_FORMS) & set(POST_JSON)


# -- the app, its data and a client per role (one for the whole module) ---------------------------------------

@pytest.fixture(scope="module")
def fast_hashing() -> Iterator[None]:
    """Cheap password hashes for this module (hundreds of logins and new users; the KDF is not under test)."""
    from werkzeug.security import generate_password_hash

    from duo_zaak.accounts import auth

    auth._DUMMY_HASH.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "generate_password_hash",
                      lambda password: generate_password_hash(password, method="pbkdf2:sha256:1"))
        yield
    auth._DUMMY_HASH.cache_clear()


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory, fast_hashing: None) -> Iterator[dict[str, Any]]:
    """The app on SQLite, for the whole sweep."""
    yield from _sweep_app(f"sqlite:///{tmp_path_factory.mktemp('bad-input') / 'test.db'}", "sqlite")


@pytest.fixture(scope="module")
def pg_sweep(pg_server: Any, fast_hashing: None) -> Iterator[dict[str, Any]]:
    """The app on PostgreSQL, for the forms that store what they get (NUL bytes and column lengths)."""
    yield from _sweep_app(pg_server.create_database(), "postgresql")


def _sweep_app(url: str, database: str) -> Iterator[dict[str, Any]]:
    from connectors.inproces import InProcesSettings, connect
    from connectors.mock_inproces.testing import running_mock
    from duo_zaak.figures.snapshots import take_snapshot
    from duo_zaak.settings import archive_settings
    from duo_zaak.sync.run import run_sync

    from ..handbuilt import build_dataset

    # a 500 response, not a raise; the login sweep's hundreds of failures from one address are not slowed down
    app = make_app(url, PROPAGATE_EXCEPTIONS=False, LOGIN_FREE_FAILURES_PER_ADDRESS=1_000_000)
    with app.app_context():
        db.create_all()
        create_user("tl", PASSWORD, "teamleider", "Tessa", ["OE-A"])
        create_user("prog", PASSWORD, "programmateam", "Paul")
        create_user("pia", PASSWORD, "pia", "Petra")
        admin = create_user("admin", PASSWORD, "beheerder", "Bert")
        # the login sweep's wrong passwords slow down only this one; the beheer forms change it
        doelwit = create_user("doelwit", PASSWORD, "pia", "Doelwit")
        create_user("volger", PASSWORD, "pia", "Volger")  # logs in and out in the `next` sweep (logout ends sessions)
        db.session.commit()
        with running_mock(data=build_dataset()) as mock:
            client = connect(InProcesSettings(zaken_url=mock.zaken_url, catalogi_url=mock.catalogi_url,
                                              client_id=mock.client_id, secret=mock.secret, backoff_factor=0))
            run = run_sync(client, full=True, today=PEILDATUM, settings=archive_settings(),
                           organisaties=app.config["ORGANISATIES"])
            assert run.uitkomst == "geslaagd", run.melding
        # hostile strings in the data too (as InProces could send them): they must be escaped on every page
        db.session.scalar(select(Team).where(Team.identificatie == "OE-D")).naam = SCRIPT
        db.session.scalars(select(ZaakType)).first().omschrijving = IMG
        for zaak in db.session.scalars(select(Zaak).limit(5)):
            zaak.omschrijving = SCRIPT
        db.session.commit()
        for day in ("2026-04-16", "2026-05-01", P):
            take_snapshot(date.fromisoformat(day))
        tasks = db.session.scalars(select(ArchiefTaak.id).order_by(ArchiefTaak.id)).all()
        ids = {"taak": str(tasks[0]), "user": str(admin.id), "doelwit": str(doelwit.id),
               "token": make_token(db.session.scalar(select(Gebruiker.id).filter_by(gebruikersnaam="pia")), "pia_week")}
        db.session.remove()
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        response = clients[role].post("/login", data={"gebruikersnaam": USERNAMES[role], "wachtwoord": PASSWORD})
        assert response.status_code == 302
    yield {"app": app, "clients": clients, "ids": ids, "tasks": [str(t) for t in tasks], "database": database}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# -- what every answer must satisfy ----------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MESSAGE_MARKERS = ('class="error-summary"', 'class="field-errors"', "flash--error", "Ongeldig", "Onbekend")


def _problems(response: Any, what: str, expected: set[int], *, param: str | None = None) -> list[str]:
    """Why this response is wrong (empty: it is fine): its status, markup from the input, a header from the input,
    an error without a clear message. `param`: the API's message must name it."""
    status, body, mimetype = response.status_code, response.get_data(), response.mimetype
    problems = [] if status in expected else [f"status {status}, expected {sorted(expected)}"]
    if mimetype in ("text/html", "application/json", "application/problem+json"):
        problems += [f"unescaped {raw!r} in the {mimetype} body" for raw in RAW if raw.encode() in body]
        if re.search(rb"""(href|action|src)=["']?\s*javascript:""", body, re.I):
            problems.append("a javascript: link")
    elif status < 300:
        disposition = response.headers.get("Content-Disposition", "")
        if not disposition.startswith("attachment") or mimetype not in ("text/csv", XLSX):
            problems.append(f"a {mimetype} that is no CSV/XLSX download ({disposition!r})")
    if any(value.startswith("x=1") for value in response.headers.getlist("Set-Cookie")):
        problems.append("a header injected through the input")
    location = response.headers.get("Location")
    if location is not None and (not location.startswith("/") or location.startswith(("//", "/\\"))):
        problems.append(f"a redirect off the site: {location[:80]!r}")
    if status == 400 and mimetype in ("application/json", "application/problem+json"):
        body_json = response.get_json(force=True, silent=True) or {}
        message = body_json.get("fout") if mimetype == "application/json" else body_json.get("detail")
        if not isinstance(message, str) or not message:
            problems.append(f"400 without a JSON message: {body[:200]!r}")
        elif param and param not in message:
            problems.append(f"the message does not name {param!r}: {message[:200]!r}")
    elif status == 400:
        text = response.get_data(as_text=True)
        if mimetype != "text/html" or not any(marker in text for marker in MESSAGE_MARKERS):
            problems.append(f"400 without a Dutch message on the page: {text[:300]!r}")
        elif "Het verzoek kon niet worden verwerkt" in text:
            problems.append("400 with only the generic message, not what is wrong")
    return [f"{what}: {p}" for p in problems]


# Parameters whose empty value is itself an error: the period of "eigen periode", the team to follow up.
REQUIRED = {("ranglijst.index", "van"), ("ranglijst.index", "tot"), ("ranglijst.opvolging", "van"),
            ("ranglijst.opvolging", "tot"), ("ranglijst.opvolging_export", "van"),
            ("ranglijst.opvolging_export", "tot"), ("ranglijst.opvolging_export", "team")}


def _expected_query(endpoint: str, param: str, kind: str, name: str) -> set[int]:
    """The statuses a bad value of this kind may give."""
    api = endpoint.startswith("api.")
    if name in CONTROL:
        return {400}
    if name == "leeg":  # no filter; a choice may also refuse it (sort=, formaat=)
        return {400} if (endpoint, param) in REQUIRED else {200, 302, 400} if kind == CHOICE else {200, 302}
    if kind == DATE:
        return {200, 400} if name in DATE_LIKE else {400}
    if kind == PAGE:
        return {200, 400} if name in BIG_NUMBERS else {400}
    if kind == NUMBER:
        return {200, 400} if name in ("nul", "onbekend-id") else {400}
    if kind == FILTER:  # an unknown team or zaaktype: an empty list (or a notice)
        return {200, 400}
    if kind == BACK:
        return {200}
    return {400} if api or kind == CHOICE else {200, 400}


def _url(path: str, args: dict[str, str]) -> str:
    return f"{path}?{urlencode(args)}" if args else path


def _base(endpoint: str) -> dict[str, str]:
    base = dict(BASE.get(endpoint, {}))
    if "peildatum" in GET_PARAMS[endpoint]:
        base.setdefault("peildatum", P)
    return base


@pytest.mark.parametrize(("endpoint", "path", "param"), QUERY_CASES, ids=[f"{p}?{n}" for _, p, n in QUERY_CASES])
def test_query_parameter_sweep(sweep, endpoint, path, param):
    """Each query parameter x each bad value, as beheerder (who may open every page); `*`: every name that is no
    parameter of the page, at once."""
    client = sweep["app"].test_client() if endpoint == "auth.login" else sweep["clients"]["beheerder"]
    path = path.format(**sweep["ids"])
    base = _base(endpoint)
    api = endpoint.startswith("api.")
    if param == "*":
        baseline = client.get(_url(path, base)).status_code
        assert baseline in (200, 302), (path, baseline)
        extra = {**{name: SCRIPT for name in OTHER_PARAMS}, **RESERVED}
        extra = {name: value for name, value in extra.items() if name not in GET_PARAMS[endpoint]}
        response = client.get(_url(path, {**base, **extra}))
        failures = _problems(response, "unknown names", {400} if api else {baseline},
                             param="onbekende parameter" if api else None)
    else:
        kind = GET_PARAMS[endpoint][param]
        failures = []
        for name, value in BAD.items():
            if kind in (CHOICE, FILTER) and name not in STRING_VALUES:
                continue
            response = client.get(_url(path, {**base, param: value}))
            failures += _problems(response, f"{param}={name}", _expected_query(endpoint, param, kind, name),
                                  param=param if api else None)
    assert not failures, "\n".join(failures)


SCOPED = [(endpoint, path, param) for endpoint, path, param in QUERY_CASES
          if GET_PARAMS[endpoint].get(param) == FILTER and "export" not in endpoint
          and endpoint != "archief.alles_melden"]  # (only pia and beheerder mark)
SCOPE_VALUES = {**{name: BAD[name] for name in ("leeg", "onbekend-id", "middellang", "emoji", "sql", "procent",
                                                 "underscore", "script")}, "ander-team": "OE-B", "geen-team": "_geen"}


@pytest.mark.parametrize(("endpoint", "path", "param"), SCOPED, ids=[f"{p}?{n}" for _, p, n in SCOPED])
def test_scope_filters_of_a_teamleider(sweep, endpoint, path, param):
    """The same for the filters a teamleider's scope narrows (own teams only): another team is an empty list,
    a notice or a 403 (the follow-up list of another team), never a 500 or someone else's zaken."""
    client = sweep["clients"]["teamleider"]
    failures = []
    for name, value in SCOPE_VALUES.items():
        response = client.get(_url(path, {**_base(endpoint), param: value}))
        expected = _expected_query(endpoint, param, GET_PARAMS[endpoint][param], name) | {403}
        failures += _problems(response, f"{param}={name}", expected, param=param if endpoint.startswith("api.")
                              else None)
        if response.mimetype == "application/json" and response.status_code == 200:
            teams = {row["team"]["id"] for row in response.get_json().get("results", [])}
            if not teams <= {"OE-A"}:
                failures.append(f"{param}={name}: tasks of {teams - {'OE-A'}} outside the teamleider's scope")
    assert not failures, "\n".join(failures)


def test_the_sweep_has_data(sweep):
    """The lists the sweep pokes at are not empty (so a filter that matches nothing is visible)."""
    client = sweep["clients"]["beheerder"]
    assert client.get(f"/api/v1/archief/taken?peildatum={P}").get_json()["count"] >= 5
    assert client.get(f"/api/v1/backlog?peildatum={P}").get_json()["totaal"]["open"] >= 10
    assert any(f["aantal"] for f in client.get(f"/api/v1/kwaliteit?peildatum={P}").get_json()["bevindingen"])
    assert client.get(f"/api/v1/ranglijst?peildatum={P}").get_json()["teams"]
    assert "ZAAK-" in client.get(f"/achterstand/zaken?peildatum={P}").get_data(as_text=True)


@pytest.mark.parametrize(("endpoint", "method", "param"), PATH_CASES, ids=[f"{m} {e} <{n}>" for e, m, n in PATH_CASES])
def test_path_parameter_sweep(sweep, endpoint, method, param):
    """Huge, negative and non-numeric ids and hostile strings in the path: a 404 (or, for a POST, a redirect
    with a flashed message such as "niet ingetrokken"), never a 500."""
    rule = next(r for r in sweep["app"].url_map.iter_rules() if r.endpoint == endpoint)
    kind = _converters(rule)[param][0]
    samples = {"taak_id": sweep["ids"]["taak"], "user_id": sweep["ids"]["user"], **PATH_SAMPLES.get(endpoint, {})}
    client = sweep["clients"]["programmateam" if endpoint.startswith("ibt.") else "beheerder"]
    failures = []
    for value in BAD_INTS if kind == "integer" else [v for k, v in BAD.items() if k != "leeg"]:
        path = _paths(rule, {**samples, param: quote(value, safe="")})[0]
        response = client.open(path, method=method)
        failures += _problems(response, f"{method} {path[:80]}", {302, 400, 404} if method == "POST" else {400, 404})
    assert not failures, "\n".join(failures)


# -- POST forms ------------------------------------------------------------------------------------------------

_counter = itertools.count(1)


def _form_data(sweep: dict[str, Any], data: dict[str, str]) -> dict[str, str]:
    n = next(_counter)
    return {key: value.format(n=n, **sweep["ids"]) for key, value in data.items()}


def _post_client(sweep: dict[str, Any], role: str | None) -> FlaskClient:
    return sweep["app"].test_client() if role is None else sweep["clients"][role]


def _expected_post(endpoint: str, kind: str, name: str) -> set[int]:
    refusal = REFUSAL[endpoint]
    if name in CONTROL:
        return {400}
    if kind == BACK:
        return {302}
    if name == "leeg" or kind == TEXT or (kind == NUMBER and name in ("nul", "onbekend-id")):
        return refusal | {302}  # stored (or refused when required / too long)
    if kind in (DATE, DATE_NL) and name in DATE_LIKE:  # a date the Dutch way is a date
        return refusal | {302}
    return refusal


# On PostgreSQL the text fields (what a form stores) get the values PostgreSQL could refuse or mangle.
PG_VALUES = ("leeg", "nul-byte", "besturingsteken", "middellang", "lang", "emoji", "rtl", "sql", "procent",
             "underscore", "script", "img")
POST_CASES = [(database, endpoint, field) for endpoint, (_, _, _, fields) in POST_FORMS.items()
              for field, kind in fields.items()
              for database in ("sqlite", "postgresql") if database == "sqlite" or kind == TEXT]
POST_CASES.sort(key=lambda case: case[0] == "postgresql")  # one database after the other


def _env(request: pytest.FixtureRequest, database: str) -> dict[str, Any]:
    return request.getfixturevalue("pg_sweep" if database == "postgresql" else "sweep")


@pytest.mark.parametrize(("database", "endpoint", "field"), POST_CASES, ids=[f"{e}.{f}-{d}" for d, e, f in POST_CASES])
def test_form_field_sweep(request, database, endpoint, field):
    """Each field of each form x each bad value, the other fields valid, as a role that may post (CSRF off, as
    in the other field tests: tests/test_csrf.py covers the token)."""
    sweep = _env(request, database)
    role, path, data, fields = POST_FORMS[endpoint]
    client = _post_client(sweep, role)
    path = path.format(**sweep["ids"])
    failures = []
    for name, value in BAD.items():
        if sweep["database"] == "postgresql" and name not in PG_VALUES:
            continue
        values = {**_form_data(sweep, data), field: value}
        if endpoint == "archief.melden" and field == "terug":
            values["terug"] = "/archief/" + value  # past the "starts with /archief" check
        response = client.post(path, data=values)
        failures += _problems(response, f"{field}={name}", _expected_post(endpoint, fields[field], name))
        if role is None and response.status_code == 302:
            client = _post_client(sweep, role)  # logged in after all: start anonymous again
    assert not failures, "\n".join(failures)


JSON_CASES = [(endpoint, field) for endpoint, (_, _, fields, _) in POST_JSON.items() for field in fields]


@pytest.mark.parametrize(("endpoint", "field"), JSON_CASES, ids=[f"{e}.{f}" for e, f in JSON_CASES])
def test_json_field_sweep(sweep, endpoint, field):
    """Each field of a JSON body x each bad value (as a string, and as a number, a list and an object), the
    other fields valid: a 400 problem naming the field, or 204 when the value is acceptable; never a 500."""
    path, body, fields, config = POST_JSON[endpoint]
    app = sweep["app"]
    app.config.update(config)
    zaak = app.config["INPROCES_ZAKEN_URL"].rstrip("/") + "/zaken/0000000a-0000-4000-8000-000000000001"
    valid = {key: value.format(zaak=zaak) if isinstance(value, str) else value for key, value in body.items()}
    client = app.test_client()
    headers = {"Authorization": config.get("NOTIFICATIES_AUTH", "")}
    assert client.post(path, json=valid, headers=headers).status_code == 204
    kind = fields[field]
    values: dict[str, Any] = {**BAD, "getal": 12, "lijst": [SCRIPT], "object": {"a": SCRIPT}, "null": None}
    failures = []
    for name, value in values.items():
        response = client.post(path, json={**valid, field: value}, headers=headers)
        if name in CONTROL or name in ("leeg", "getal", "lijst", "null") or kind in (URL_FIELD, DATE):
            expected = {400}
        elif field == "kenmerken":
            expected = {204} if name == "object" else {400}
        else:
            expected = {204, 400}  # another kanaal, resource or actie: accepted and ignored; too long: 400
        if field == "kenmerken" and name == "null":
            expected = {204}  # optional
        failures += _problems(response, f"{field}={name}", expected, param=field if response.status_code == 400
                              else None)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", list(BAD))
def test_login_next_parameter(sweep, name):
    """After a successful login `next` only leads to a path on this site."""
    client = sweep["app"].test_client()
    for target in (BAD[name], "/" + BAD[name], "//" + BAD[name], "/\\" + BAD[name]):
        response = client.post(_url("/login", {"next": target}),
                               data={"gebruikersnaam": "volger", "wachtwoord": PASSWORD})
        failures = _problems(response, f"next={target[:40]!r}", {400} if name in CONTROL else {302})
        assert not failures, "\n".join(failures)
        client.post("/logout")


def test_sso_routes_bad_input(tmp_path):
    """/login/sso and its callback with every bad value, against the real provider: `next` never leads off the
    site (it is dropped or kept as a local path); a callback with bad or missing code/state/error is the Dutch
    refusal page (400), never a 500 and never a session."""
    with running_provider() as provider:
        app = make_app(f"sqlite:///{tmp_path / 'sso.db'}", PROPAGATE_EXCEPTIONS=False, **provider.app_config())
        with app.app_context():
            db.create_all()
        failures = []
        for name, value in BAD.items():
            client = app.test_client()
            response = client.get(_url("/login/sso", {"next": value}))
            if name in CONTROL:  # refused before any view, as everywhere
                failures += _problems(response, f"/login/sso?next={name}", {400})
            elif response.status_code != 302 or not response.headers["Location"].startswith(provider.url):
                failures.append(f"/login/sso?next={name}: {response.status_code}")
            with client.session_transaction() as session:
                kept = session.get("sso_next")
            if kept is not None and (not kept.startswith("/") or kept.startswith(("//", "/\\"))):
                failures.append(f"/login/sso?next={name}: kept {kept[:40]!r}")
            for param in GET_PARAMS["auth.login_sso_callback"]:
                args = {"code": "c", "state": "s", param: value}
                for fresh in (True, False):  # without and with a login started in this browser
                    if fresh:
                        client = app.test_client()
                    response = client.get(_url("/login/sso/callback", args))
                    failures += _problems(response, f"callback {param}={name}", {400})
                    if name not in CONTROL and "Inloggen niet gelukt" not in response.get_data(as_text=True):
                        failures.append(f"callback {param}={name}: not the refusal page")
                    if client.get("/overzicht").status_code != 302:
                        failures.append(f"callback {param}={name}: logged in")
                    client.get("/login/sso")
        with app.app_context():
            db.engine.dispose()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_hostile_text_is_stored_and_shown_escaped(request, database):
    """What the forms accept as text is shown escaped wherever it appears (and the sweep's data, which holds
    the same strings in team, zaaktype and zaak descriptions)."""
    sweep = _env(request, database)
    admin, pia, prog = (sweep["clients"][r] for r in ("beheerder", "pia", "programmateam"))
    taak = sweep["tasks"][-1]
    posts = [
        (admin, "/beheer/", {"gebruikersnaam": "xss", "naam": SCRIPT, "rol": "teamleider", "teams": "OE-D",
                             "wachtwoord": "een-lang-wachtwoord"}),
        (pia, "/archief/melden", {"taken": taak, "notitie": SCRIPT, "terug": "/archief/"}),
        (prog, "/ibt/kpi/diemen/2", {"oordeel": "nee", "eigenaar": SCRIPT, "streefdatum": "2026-12-31",
                                     "notitie": IMG, "bewijs": "https://intranet.example/?q=" + quote(SCRIPT)}),
        (prog, "/ibt/normen/Z1", {"operator": ">=", "waarde": "90", "toelichting": SCRIPT}),
        (prog, "/ibt/normen/venster", {"maanden": "3", "toelichting": IMG}),
        (prog, "/archief/planning/fte", {"organisatie": "", "fte": "2,5", "van": "01-05-2026", "tot": "",
                                         "notitie": SCRIPT}),
    ]
    for client, path, data in posts:
        assert client.post(path, data=data).status_code == 302, path
    pages = [(admin, "/beheer/"), (admin, "/beheer/audit"), (pia, "/archief/mijn-meldingen"),
             (pia, f"/archief/taken/{taak}"), (pia, f"/archief/?peildatum={P}"), (prog, "/ibt/kpi/diemen/2"),
             (prog, "/ibt/kpi/diemen"), (prog, "/ibt/normen"), (prog, "/ibt/normen/Z1"), (prog, "/ibt/rapport"),
             (prog, "/ibt/rapport.xlsx"), (prog, f"/archief/planning?peildatum={P}"),
             (admin, f"/achterstand?peildatum={P}"),
             (admin, f"/achterstand/zaken?peildatum={P}"), (admin, f"/ranglijst/?peildatum={P}"),
             (admin, f"/api/v1/backlog?peildatum={P}"), (admin, f"/api/v1/archief/taken?peildatum={P}")]
    failures = []
    shown = 0
    for client, path in pages:
        response = client.get(path)
        failures += _problems(response, path, {200})
        if response.mimetype == "text/html":
            shown += response.get_data(as_text=True).count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert not failures, "\n".join(failures)
    assert shown >= 5  # the strings are on the pages, escaped


def test_a_500_is_still_the_dutch_error_page(tmp_path):
    """When a view fails half-way through a database write, the error page (which reads the database for the
    freshness banner) still renders: the handler rolls the broken transaction back."""
    from duo_zaak.models import Gebruiker

    app = make_app(f"sqlite:///{tmp_path / 'test.db'}", PROPAGATE_EXCEPTIONS=False)

    @app.get("/_kapot")
    def _kapot() -> str:
        db.session.add(Gebruiker(gebruikersnaam=None, rol="pia"))  # NOT NULL: the flush fails
        db.session.flush()
        return "unreachable"

    with app.app_context():
        db.create_all()
        create_user("pia", PASSWORD, "pia", "Petra")
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"gebruikersnaam": "pia", "wachtwoord": PASSWORD}).status_code == 302
    response = client.get("/_kapot")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
