"""The mock's Notificaties API behaves as a real Open Zaak 1.21 with Open Notificaties 1.10 (docs/domain.md):
the subscribe handshake, which changes send which notification, kenmerken and filters, retries, and the
delivery faults."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import requests

from connectors.mock_inproces.testing import RunningMock, running_mock

from ..serving import Receiver, serving

AUTH = "Token ontvanger-geheim"
PREFIX = "/notificaties/api/v1"
OPEN = "open_op_tijd"


@pytest.fixture
def small() -> Iterator[RunningMock]:
    """Generated data of our own (changed by the tests), retries fast (factor 0.001: 3 ms, 6 ms, ...)."""
    with running_mock(zaken=60, seed=5, peildatum=date(2026, 5, 15)) as mock:
        mock.store.notificaties.configure(backoff_factor=0.001)
        yield mock


def api(mock: RunningMock, method: str, path: str, json: Any = None, token: bool = True) -> requests.Response:
    headers = {"Authorization": mock.headers()["Authorization"]} if token else {}
    url = path if path.startswith("http") else f"{mock.base_url}{PREFIX}{path}"
    return requests.request(method, url, json=json, headers=headers, timeout=10)


def subscribe(mock: RunningMock, callback: str, filters: dict[str, str] | None = None,
              auth: str = AUTH) -> requests.Response:
    return api(mock, "POST", "/abonnement", {"callbackUrl": callback, "auth": auth,
                                             "kanalen": [{"naam": "zaken", "filters": filters or {}}]})


def zaak_of(mock: RunningMock, scenario: str = OPEN) -> dict[str, Any]:
    zaak = mock.store.get_zaak(mock.store.zaak_uuids(scenario, limit=1)[0])
    assert zaak is not None
    return zaak


def test_kanaal_zaken_exists_and_the_api_wants_a_jwt(small):
    root = api(small, "GET", "/", token=False)
    assert root.status_code == 200 and set(root.json()) == {"abonnement", "kanaal", "notificaties"}
    refused = api(small, "GET", "/kanaal", token=False)
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    [kanaal] = api(small, "GET", "/kanaal?naam=zaken").json()
    assert kanaal["naam"] == "zaken"
    assert kanaal["filters"] == ["bronorganisatie", "zaaktype", "zaaktype.catalogus", "vertrouwelijkheidaanduiding"]
    assert api(small, "GET", kanaal["url"]).json() == kanaal
    assert api(small, "GET", "/kanaal?naam=documenten").json() == []
    assert api(small, "GET", "/kanaal?onbekend=1").status_code == 400


def test_an_abonnement_is_accepted_after_the_two_test_notifications(small):
    receiver = Receiver(AUTH)
    with serving(receiver) as base:
        response = subscribe(small, f"{base}/api/v1/notificaties", {"bronorganisatie": "001234560"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == body["url"]
    assert "auth" not in body  # write-only
    # first without the Authorization header (refused: 403), then with it (accepted: 204)
    assert [(r.authorization, r.body["kanaal"]) for r in receiver.received] == [(None, "test"), (AUTH, "test")]
    assert api(small, "GET", "/abonnement").json() == [body]


@pytest.mark.parametrize(("answer", "tests_sent"), [(lambda r: 204, 1), (lambda r: 403, 2), (lambda r: 500, 1)])
def test_an_abonnement_is_refused_when_the_callback_fails_the_test(small, answer, tests_sent):
    receiver = Receiver(AUTH, answer=answer)
    with serving(receiver) as base:
        response = subscribe(small, f"{base}/api/v1/notificaties")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["callbackUrl"]
    assert len(receiver.received) == tests_sent
    assert api(small, "GET", "/abonnement").json() == []


@pytest.mark.parametrize(("body", "field"), [
    ({"callbackUrl": "http://127.0.0.1:9/api/v1/notificaties", "auth": AUTH, "kanalen": []}, "callbackUrl"),
    ({"callbackUrl": "geen url", "auth": AUTH, "kanalen": []}, "callbackUrl"),
    ({"callbackUrl": "http://x.example/cb", "kanalen": []}, "auth"),
    ({"callbackUrl": "http://x.example/cb", "auth": AUTH}, "kanalen"),
    ({"callbackUrl": "http://x.example/cb", "auth": AUTH, "kanalen": [{"naam": "documenten"}]}, "kanalen.naam"),
    ({"callbackUrl": "http://x.example/cb", "auth": AUTH,
      "kanalen": [{"naam": "zaken", "filters": {"identificatie": "x"}}]}, "kanalen.filters"),
])
def test_a_bad_abonnement_is_a_400(small, body, field):
    response = api(small, "POST", "/abonnement", body)
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == [field]


def test_replace_patch_and_delete_an_abonnement(small):
    receiver = Receiver(AUTH)
    with serving(receiver) as base:
        url = subscribe(small, f"{base}/api/v1/notificaties").json()["url"]
        receiver.auth = "Token nieuw-geheim"
        replaced = api(small, "PUT", url, {"callbackUrl": f"{base}/api/v1/notificaties", "auth": receiver.auth,
                                           "kanalen": [{"naam": "zaken", "filters": {"bronorganisatie": "002564440"}}]})
        assert replaced.status_code == 200, replaced.text
        assert len(receiver.received) == 4  # the PUT tested the callback again, with the new auth
        patched = api(small, "PATCH", url, {"kanalen": [{"naam": "zaken"}]})
        assert (patched.status_code, len(receiver.received)) == (200, 4)  # same callback and auth: no test
        assert patched.json()["kanalen"] == [{"naam": "zaken", "filters": {}}]
    assert api(small, "DELETE", url).status_code == 204
    assert api(small, "GET", url).status_code == 404


def _subscribed(mock: RunningMock, receiver: Receiver, base: str, **filters: str) -> None:
    assert subscribe(mock, f"{base}/api/v1/notificaties", filters or None).status_code == 201
    receiver.received.clear()


def _events(mock: RunningMock, receiver: Receiver) -> list[tuple[str, str, str, str]]:
    """What arrived, sorted: deliveries run in parallel, so (as with Open Notificaties) in no fixed order."""
    assert mock.store.notificaties.wait_idle(10)
    return sorted((r.body["resource"], r.body["actie"], r.body["hoofdObject"], r.body["resourceUrl"])
                  for r in receiver.messages("zaken"))


def test_changes_through_the_control_api_send_what_open_zaak_sends(small):
    store = small.store
    zaak = zaak_of(small)
    url = zaak["url"]
    receiver = Receiver(AUTH)
    with serving(receiver) as base:
        _subscribed(small, receiver, base)
        rol = store.set_behandelaar(zaak["uuid"], "OE-NIEUW", "Nieuw team")
        store.remove_rol(rol["uuid"])
        store.update_zaak(zaak["uuid"], omschrijving="Gewijzigd")
        assert _events(small, receiver) == sorted([("rol", "create", url, rol["url"]),
                                                   ("rol", "destroy", url, rol["url"]),
                                                   ("zaak", "partial_update", url, url)])
        receiver.received.clear()
        zaaktype = requests.get(zaak["zaaktype"], headers=small.headers(), timeout=10).json()
        closed = store.close_zaak(zaak["uuid"], date(2026, 5, 15), zaaktype["resultaattypen"][0])
        # closing: only the resultaat and the eindstatus, no zaak notification for the einddatum
        assert _events(small, receiver) == sorted([("resultaat", "create", url, closed["resultaat"]),
                                                   ("status", "create", url, closed["status"])])
        receiver.received.clear()
        store.destroy_zaak(zaak["uuid"])
        new = store.add_zaak(zaaktype=zaak["zaaktype"], bronorganisatie=zaak["bronorganisatie"],
                             startdatum="2026-05-15", behandelaar=("OE-A", "Team A"))
        assert _events(small, receiver) == sorted([("zaak", "destroy", url, url),
                                                   ("zaak", "create", new["url"], new["url"]),
                                                   ("rol", "create", new["url"], new["rollen"][0])])
        first = next(r for r in receiver.messages("zaken") if r.body["hoofdObject"] == url)
    assert first.authorization == AUTH
    assert first.body["kanaal"] == "zaken" and first.body["aanmaakdatum"].endswith("Z")
    assert first.body["kenmerken"] == {"bronorganisatie": zaak["bronorganisatie"], "zaaktype": zaak["zaaktype"],
                                       "zaaktype.catalogus": zaaktype["catalogus"],
                                       "vertrouwelijkheidaanduiding": zaak["vertrouwelijkheidaanduiding"]}


def test_filters_pick_the_organisations(small):
    store = small.store
    zaken = [store.get_zaak(uuid) for uuid in store.zaak_uuids()]
    ours = next(z for z in zaken if z["bronorganisatie"] == "001234560")
    other = next(z for z in zaken if z["bronorganisatie"] != "001234560")
    receiver = Receiver(AUTH)
    with serving(receiver) as base:
        _subscribed(small, receiver, base, bronorganisatie="001234560")
        store.update_zaak(ours["uuid"], omschrijving="x")
        store.update_zaak(other["uuid"], omschrijving="x")
        assert [e[2] for e in _events(small, receiver)] == [ours["url"]]


def test_the_control_call_returns_before_the_delivery(small):
    release = threading.Event()

    def answer(received):
        if received.body and received.body.get("kanaal") == "zaken":
            release.wait(10)  # the receiver is busy until the test has seen the control call return
        return 204 if received.authorization == AUTH else 403

    receiver = Receiver(AUTH, answer=answer)
    zaak = zaak_of(small)
    with serving(receiver) as base:
        _subscribed(small, receiver, base)
        small.store.update_zaak(zaak["uuid"], omschrijving="snel terug")
        [delivery] = small.store.notificaties.deliveries[-1:]
        assert not delivery.done  # the control call returned while the delivery still waits for its answer
        release.set()
        assert small.store.notificaties.wait_idle(10)
    assert delivery.delivered and delivery.statuses == [204]


def test_a_failed_delivery_is_retried_five_times_with_back_off(small):
    answers = iter([500, 503, 204])
    flaky = Receiver(AUTH, answer=lambda r: (403 if r.authorization != AUTH else 204) if r.body["kanaal"] == "test"
                     else next(answers))
    zaak = zaak_of(small)
    with serving(flaky) as base:
        _subscribed(small, flaky, base)
        small.store.update_zaak(zaak["uuid"], omschrijving="eerst mis")
        assert small.store.notificaties.wait_idle(10)
        delivery = small.store.notificaties.deliveries[-1]
        assert (delivery.statuses, delivery.delivered) == ([500, 503, 204], True)
        flaky.answer = lambda r: 500
        small.store.update_zaak(zaak["uuid"], omschrijving="blijft mis")
        assert small.store.notificaties.wait_idle(10)
        delivery = small.store.notificaties.deliveries[-1]
        assert (delivery.statuses, delivery.delivered) == ([500] * 6, False)  # the first try and 5 retries
    service = small.store.notificaties
    service.configure(backoff_factor=1)
    # waits factor x 3 x 2^n, capped at 48 s: 3, 6, 12, 24, 48
    assert [service.retry_wait(n) for n in range(5)] == [3, 6, 12, 24, 48]


def test_faults_drop_duplicate_and_delay(small):
    zaak = zaak_of(small)
    receiver = Receiver(AUTH)
    service = small.store.notificaties
    with serving(receiver) as base:
        _subscribed(small, receiver, base)
        response = requests.post(f"{small.base_url}/_mock/notificaties/faults",
                                 json={"drop_next": 1, "duplicate_next": 1}, timeout=10)
        assert response.json()["instellingen"]["drop_next"] == 1
        small.store.update_zaak(zaak["uuid"], omschrijving="verloren")
        small.store.update_zaak(zaak["uuid"], omschrijving="dubbel")
        assert service.wait_idle(10)
        assert [r.body["kenmerken"]["bronorganisatie"] for r in receiver.messages("zaken")] == [
            zaak["bronorganisatie"]] * 2  # the first was lost, the second came twice
        assert [d.lost for d in service.deliveries] == [True, False, False]
        receiver.received.clear()
        service.set_faults(delay_ms=2000)
        small.store.update_zaak(zaak["uuid"], omschrijving="later")
        assert receiver.messages("zaken") == []  # still waiting out its delay
        assert service.wait_idle(10)
        assert len(receiver.messages("zaken")) == 1
    info = requests.get(f"{small.base_url}/_mock/notificaties", timeout=10).json()
    assert info["afleveringen"] == {"totaal": 4, "afgeleverd": 3, "verloren": 1, "opgegeven": 0, "bezig": 0}
    assert "auth" not in info["abonnementen"][0]
    cleared = requests.post(f"{small.base_url}/_mock/notificaties/faults/clear", timeout=10).json()
    assert cleared["instellingen"]["delay_ms"] == 0
    assert requests.post(f"{small.base_url}/_mock/notificaties/faults", json={"x": 1}, timeout=10).status_code == 400
