"""Single sign-on in a real browser: Chromium goes from duo-zaak to the organisation's provider (oidc-provider-mock,
a separate process that signs real ID tokens), signs in there and comes back through the callback."""

from __future__ import annotations

import pytest

from duo_zaak.accounts.auth import user_by_name
from duo_zaak.db import db
from duo_zaak.models import AuditLog

from ..sso import running_provider
from .conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider():
    with running_provider() as provider:
        yield provider


@pytest.fixture
def app_config(provider):
    return provider.app_config()


def _sign_in_at_provider(live_server, page, sub: str) -> None:
    page.goto(live_server.url + "/")
    assert page.url.startswith(live_server.url + "/login")
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met uw organisatieaccount").click()
    page.locator("input[name=sub]").fill(sub)  # the provider's own sign-in form
    page.get_by_role("button", name="Authorize").click()


def test_a_new_user_signs_in_and_lands_on_the_overview_of_its_role(app, live_server, page, provider):
    provider.set_user("a1b2-nieuw", preferred_username="n.collega", name="Nieuwe Collega",
                      email="n.collega@ouder-amstel.nl", groups=["duo-zaak-pia", "alle-medewerkers"])
    with app.app_context():
        assert user_by_name("n.collega") is None  # no account before the first login
    _sign_in_at_provider(live_server, page, "a1b2-nieuw")
    page.wait_for_url(live_server.url + "/overzicht")
    page.wait_for_load_state("load")  # under load the redirect chain may still be finishing
    assert "Nieuwe Collega" in page.content() and "(PiA (Postintake en Archief))" in page.content()
    assert page.get_by_role("link", name="Wachtwoord wijzigen").count() == 0  # no duo-zaak password
    assert_accessible(page)
    with app.app_context():
        user = user_by_name("n.collega")
        assert (user.rol, user.email, user.extern_id) == ("pia", "n.collega@ouder-amstel.nl",
                                                          f"{provider.url}|a1b2-nieuw")
    # logging out ends the session here and at the provider, which sends the browser back to the login page
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(provider.url + "/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(live_server.url + "/login")
    assert "U bent uitgelogd." in page.content()
    page.goto(live_server.url + "/overzicht")
    assert page.url.startswith(live_server.url + "/login")


def test_an_unmapped_group_gets_the_page_saying_whom_to_ask(app, live_server, page, provider):
    provider.set_user("zonder-groep", preferred_username="z.groep", groups=["alle-medewerkers"])
    _sign_in_at_provider(live_server, page, "zonder-groep")
    page.get_by_role("heading", name="Inloggen niet gelukt").wait_for()
    assert "functioneel beheerder van duo-zaak" in page.content()
    assert_accessible(page)
    with app.app_context():
        assert user_by_name("z.groep") is None
        row = db.session.scalars(db.select(AuditLog).filter_by(actie="inloggen_sso")).one()
        assert (row.object, row.resultaat) == ("zonder-groep", "geweigerd: geen groep met toegang")
