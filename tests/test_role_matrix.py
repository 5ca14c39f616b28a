"""Every route x every role (and anonymous) -> the expected status, generated from the app's URL map:
a new route without an entry in ACCESS fails this test."""

from __future__ import annotations

import re

import pytest

from duo_zaak.db import db
from duo_zaak.sync.catalogue import ensure_organisaties

from .conftest import login
from .sso import GROUP_FOR_ROLE, running_provider, sso_login

ROLES = ("anoniem", "teamleider", "programmateam", "pia", "beheerder")
ALL = {"anoniem": 302, "teamleider": 200, "programmateam": 200, "pia": 200, "beheerder": 200}
API = {**ALL, "anoniem": 401}
ONLY_BEHEER = {"anoniem": 302, "teamleider": 403, "programmateam": 403, "pia": 403, "beheerder": 200}
# POSTs without a valid form: a permitted role gets past the role check (redirect or a form error),
# a role without the right gets 403; anonymous users go to the login page.
MARKERS = {"anoniem": 302, "teamleider": 403, "programmateam": 403, "pia": "ok", "beheerder": "ok"}
EDITORS = {"anoniem": 302, "teamleider": 403, "programmateam": "ok", "pia": 403, "beheerder": "ok"}
EDIT_PAGES = {"anoniem": 302, "teamleider": 403, "programmateam": 200, "pia": 403, "beheerder": 200}
PLANNERS = {"anoniem": 302, "teamleider": 403, "programmateam": 200, "pia": 200, "beheerder": 200}
NOT_FOUND = {"anoniem": 404, "teamleider": 404, "programmateam": 404, "pia": 404, "beheerder": 404}

# (endpoint, method) -> expected status per role. "ok" = any status below 400 or a 400/422 form error.
ACCESS: dict[tuple[str, str], dict[str, int | str]] = {
    ("auth.login", "GET"): {"anoniem": 200, "teamleider": 302, "programmateam": 302, "pia": 302, "beheerder": 302},
    ("auth.login", "POST"): {"anoniem": "ok", "teamleider": 302, "programmateam": 302, "pia": 302,
                             "beheerder": 302},
    ("auth.logout", "POST"): {role: 302 for role in ROLES},
    # single sign-on: no provider configured, no routes (SSO_ACCESS: with one)
    ("auth.login_sso", "GET"): NOT_FOUND,
    ("auth.login_sso_callback", "GET"): NOT_FOUND,
    ("main.index", "GET"): {role: 302 for role in ROLES},
    ("main.overzicht", "GET"): ALL,
    ("main.healthz", "GET"): {role: 200 for role in ROLES},
    # machine traffic from the Notificaties API: no login, only its Authorization header (none here) counts
    ("notificaties.ontvang", "POST"): {role: 403 for role in ROLES},
    ("beheer.index", "GET"): ONLY_BEHEER,
    ("beheer.index", "POST"): {**ONLY_BEHEER, "beheerder": "ok"},
    ("beheer.disable", "POST"): {**ONLY_BEHEER, "beheerder": 302},
    ("beheer.enable", "POST"): {**ONLY_BEHEER, "beheerder": 302},
    ("beheer.gebruiker", "GET"): ONLY_BEHEER,
    ("beheer.gebruiker", "POST"): {**ONLY_BEHEER, "beheerder": "ok"},
    ("beheer.reset", "POST"): {**ONLY_BEHEER, "beheerder": 200},  # the page with the one-time password
    ("auth.wachtwoord", "GET"): {**ALL, "anoniem": 302},
    ("auth.wachtwoord", "POST"): {**{role: 400 for role in ROLES}, "anoniem": 302},  # an empty form: field errors
    ("beheer.audit_log", "GET"): ONLY_BEHEER,
    # Bron en volledigheid: programmateam and beheerder read, only beheerder asks for a run
    ("bron.index", "GET"): {**ONLY_BEHEER, "programmateam": 200},
    ("bron.synchroniseren", "POST"): {**ONLY_BEHEER, "beheerder": "ok"},
    # team-lead workspace: a finding code "x" does not exist
    ("kwaliteit.bevinding", "GET"): {**NOT_FOUND, "anoniem": 302},
    ("kwaliteit.export_bevinding", "GET"): {**NOT_FOUND, "anoniem": 302},
    # PiA workspace: only pia and beheerder mark; task 1 does not exist
    ("archief.melden", "POST"): MARKERS,
    ("archief.intrekken", "POST"): MARKERS,
    ("archief.alles_melden", "GET"): MARKERS,
    ("archief.alles_melden", "POST"): MARKERS,
    ("archief.mijn_meldingen", "GET"): MARKERS,
    ("archief.taak", "GET"): {**NOT_FOUND, "anoniem": 302},
    ("ranglijst.opvolging", "GET"): {role: 302 for role in ROLES},  # no team chosen: back to the ranking
    ("ranglijst.opvolging_export", "GET"): {**{r: 400 for r in ROLES}, "anoniem": 302},
    # programme workspace: everybody reads, programmateam and beheerder edit
    ("ibt.kpi", "POST"): EDITORS,
    ("ibt.norm", "GET"): EDIT_PAGES,
    ("ibt.venster", "GET"): EDIT_PAGES,
    ("ibt.norm", "POST"): EDITORS,
    ("ibt.venster", "POST"): EDITORS,
    # capacity planning: programmateam, pia and beheerder look; programmateam and beheerder record FTE
    ("planning.index", "GET"): PLANNERS,
    ("planning.export", "GET"): PLANNERS,
    ("planning.fte", "POST"): EDITORS,
    ("api.planning", "GET"): {**API, "teamleider": 403},
    # e-mail signalering: every user chooses their own messages; an unsubscribe link needs no login (the token
    # "x" is no valid link: 400 for everyone); previews, test messages and addresses are the beheerder's
    ("signalering.voorkeuren", "GET"): ALL,
    ("signalering.voorkeuren", "POST"): {**{role: "ok" for role in ROLES}, "anoniem": 302},
    ("signalering.afmelden", "GET"): {role: 400 for role in ROLES},
    ("signalering.afmelden", "POST"): {role: 400 for role in ROLES},
    ("signalering.beheer", "GET"): ONLY_BEHEER,
    ("signalering.voorbeeld_html", "GET"): ONLY_BEHEER,
    ("signalering.test", "POST"): {**ONLY_BEHEER, "beheerder": "ok"},
    ("signalering.email", "POST"): {**ONLY_BEHEER, "beheerder": "ok"},
}
# With a provider: anonymous users go off to it, logged-in users to the start page; a callback without a login
# started in this browser (no state) is refused for everyone.
SSO_ACCESS: dict[tuple[str, str], dict[str, int | str]] = {
    ("auth.login_sso", "GET"): {role: 302 for role in ROLES},
    ("auth.login_sso_callback", "GET"): {role: 400 for role in ROLES},
    # an SSO account has no duo-zaak password: changing it sends them to the start page (anonymous: to login)
    ("auth.wachtwoord", "GET"): {role: 302 for role in ROLES},
    ("auth.wachtwoord", "POST"): {role: 302 for role in ROLES},
}
PATTERNS: list[tuple[str, str, dict[str, int | str]]] = [
    # (endpoint regex, method, expectation) for families of routes
    (r"^api\.", "GET", API),
    (r"^(achterstand|kwaliteit|archief|ranglijst)\.", "GET", ALL),
    (r"^ibt\.", "GET", ALL),
]
SAMPLE_VALUES = {"int": "1", "string": "x", "default": "x", "path": "x"}
# Per endpoint, path values that exist in an empty database (configured organisations and norms).
SAMPLE_BY_ENDPOINT = {"ibt.kpis": {"code": "diemen"}, "ibt.kpi": {"code": "diemen"}, "ibt.norm": {"code": "Z1"}}


def _expected(endpoint: str, method: str) -> dict[str, int | str] | None:
    if (endpoint, method) in ACCESS:
        return ACCESS[(endpoint, method)]
    for pattern, pattern_method, expectation in PATTERNS:
        if pattern_method == method and re.search(pattern, endpoint):
            return expectation
    return None


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = rule.rule
        for name, converter in rule._converters.items():  # noqa: SLF001 - the sample value per converter type
            kind = type(converter).__name__.replace("Converter", "").lower()
            value = sorted(converter.items)[0] if kind == "any" else SAMPLE_VALUES.get(kind, "1")
            value = SAMPLE_BY_ENDPOINT.get(rule.endpoint, {}).get(name, value)
            path = re.sub(rf"<(?:[^<>]+:)?{name}>", value, path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_route_has_an_access_rule(app):
    missing = [(e, m, p) for e, m, p in _routes(app) if _expected(e, m) is None]
    assert not missing, f"routes without an entry in the role matrix: {missing}"


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture(params=["lokaal", "sso"])
def via(request):
    """Every role signs in locally and through the organisation's provider (oidc-provider-mock, a process)."""
    return request.param


@pytest.fixture
def app_config(via, request):
    return request.getfixturevalue("provider").app_config() if via == "sso" else {}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, client, users, role, via, request):
    with app.app_context():
        ensure_organisaties(app.config["ORGANISATIES"])
        db.session.commit()
    if via == "sso":
        provider = request.getfixturevalue("provider")
        if role != "anoniem":
            provider.set_user(f"sso-{role}", preferred_username=f"sso-{role}", groups=[GROUP_FOR_ROLE[role]])

        def sign_in() -> None:
            response = sso_login(client, provider, f"sso-{role}")
            assert response.status_code == 302, response.get_data(as_text=True)
    else:
        def sign_in() -> None:
            login(client, role)
    if role != "anoniem":
        sign_in()
    failures = []
    for endpoint, method, path in _routes(app):
        expected = _expected(endpoint, method)
        if expected is None:
            continue
        if via == "sso":
            expected = SSO_ACCESS.get((endpoint, method), expected)
        want = expected[role]
        response = client.open(path, method=method)
        got = response.status_code
        if endpoint == "auth.logout" and role != "anoniem":
            sign_in()  # logged out by the request: log in again for the next routes
        ok = (got < 400 or got in (400, 404, 422)) if want == "ok" else got == want
        if not ok:
            failures.append(f"{method} {path} ({endpoint}): expected {want}, got {got}")
    assert not failures, "\n".join(failures)
