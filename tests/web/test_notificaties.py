"""The receiver `POST /api/v1/notificaties`: the Authorization header, the Notificaties 1.0 message shape, the
`test` kanaal, and one queue row per zaak however many notifications arrive."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from duo_zaak.db import db
from duo_zaak.models import AuditLog
from duo_zaak.models import NotificatieWachtrij as Rij

AUTH = "Token een-lang-willekeurig-geheim-voor-de-tests-0123456789"
ZAKEN = "http://inproces.test/zaken/api/v1"
ZAAK = f"{ZAKEN}/zaken/0000000a-0000-4000-8000-000000000003"
URL = "/api/v1/notificaties"


@pytest.fixture
def app_config():
    # CSRF on, as in production: the receiver is exempt, every other POST still needs the token
    return {"NOTIFICATIES_AUTH": AUTH, "INPROCES_ZAKEN_URL": ZAKEN, "WTF_CSRF_ENABLED": True}


def message(**changes):
    body = {"kanaal": "zaken", "hoofdObject": ZAAK, "resource": "rol",
            "resourceUrl": f"{ZAKEN}/rollen/0000000e-0000-4000-8000-000000000099", "actie": "create",
            "aanmaakdatum": "2026-05-15T09:30:00.123456Z",
            "kenmerken": {"bronorganisatie": "001234560", "zaaktype": "http://inproces.test/catalogi/api/v1/zaaktypen/x",
                          "zaaktype.catalogus": "http://inproces.test/catalogi/api/v1/catalogussen/y",
                          "vertrouwelijkheidaanduiding": "openbaar"}}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def _queue(app):
    with app.app_context():
        rows = [(row.zaak_url, row.status, row.aantal, row.laatste_melding)
                for row in db.session.scalars(select(Rij).order_by(Rij.id))]
        db.session.remove()
        return rows


def _audit_rows(app):
    with app.app_context():
        count = db.session.scalar(select(func.count(AuditLog.id)))
        db.session.remove()
        return count


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Token fout"}, {"Authorization": AUTH + "x"},
                                     {"Authorization": AUTH[:-1]}, {"Authorization": ""}])
def test_without_the_right_authorization_header_403(app, client, headers):
    response = client.post(URL, json=message(), headers=headers)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert (body["status"], body["code"]) == (403, "permission_denied")
    assert "Authorization" in body["detail"]
    assert _queue(app) == []


def test_not_configured_refuses_everything(app, client):
    app.config["NOTIFICATIES_AUTH"] = None
    assert client.post(URL, json=message(), headers={"Authorization": AUTH}).status_code == 403
    assert client.post(URL, json=message(), headers={"Authorization": ""}).status_code == 403
    assert _queue(app) == []


def test_the_test_kanaal_as_open_notificaties_sends_it(app, client):
    # Open Notificaties, accepting an abonnement: first without the header (must be refused), then with it
    test = {"kanaal": "test", "hoofdObject": "http://some.example.com", "resource": "test",
            "resourceUrl": "http://some.example.com", "actie": "create", "aanmaakdatum": "2026-05-15T09:30:00Z",
            "kenmerken": {}}
    assert client.post(URL, json=test).status_code == 403
    response = client.post(URL, json=test, headers={"Authorization": AUTH})
    assert (response.status_code, response.get_data()) == (204, b"")
    assert _queue(app) == []


def test_a_zaak_notification_is_queued_and_answered_204(app, client):
    response = client.post(URL, json=message(), headers={"Authorization": AUTH})
    assert (response.status_code, response.get_data()) == (204, b"")
    assert _queue(app) == [(ZAAK, "wachtend", 1, "rol create")]
    assert _audit_rows(app) == 0  # machine traffic: logged as counts, no audit row per notification


def test_duplicates_collapse_into_one_row(app, client):
    # the rol create, the status and resultaat of closing, and the same rol again: 4 notifications, one zaak
    for resource, actie in (("rol", "create"), ("resultaat", "create"), ("status", "create"), ("rol", "create")):
        assert client.post(URL, json=message(resource=resource, actie=actie),
                           headers={"Authorization": AUTH}).status_code == 204
    other = ZAAK[:-1] + "4"
    assert client.post(URL, json=message(hoofdObject=other, resource="zaak", actie="partial_update",
                                         resourceUrl=other), headers={"Authorization": AUTH}).status_code == 204
    assert _queue(app) == [(ZAAK, "wachtend", 4, "rol create"), (other, "wachtend", 1, "zaak partial_update")]


def test_resources_and_kanalen_that_cannot_move_a_figure_are_accepted_and_ignored(app, client):
    for changes in ({"resource": "zaakinformatieobject"}, {"kanaal": "documenten"},
                    {"kanaal": "zaken", "resource": "klantcontact", "hoofdObject": "https://elders.example/x"}):
        assert client.post(URL, json=message(**changes), headers={"Authorization": AUTH}).status_code == 204
    assert _queue(app) == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"kanaal": ...}, "kanaal"),
    ({"hoofdObject": ...}, "hoofdObject"),
    ({"resource": ""}, "resource"),
    ({"resourceUrl": None}, "resourceUrl"),
    ({"actie": ...}, "actie"),
    ({"aanmaakdatum": ...}, "aanmaakdatum"),
    ({"kanaal": 7}, "kanaal"),
    ({"kanaal": "k" * 51}, "kanaal"),
    ({"actie": "a" * 101}, "actie"),
    ({"hoofdObject": "geen url"}, "hoofdObject"),
    ({"hoofdObject": "javascript:alert(1)"}, "hoofdObject"),
    ({"resourceUrl": "ftp://inproces.test/x"}, "resourceUrl"),
    ({"hoofdObject": ZAAK + "/" + "x" * 1000}, "hoofdObject"),
    ({"aanmaakdatum": "15-05-2026"}, "aanmaakdatum"),
    ({"aanmaakdatum": "2026-05-15"}, "aanmaakdatum"),
    ({"aanmaakdatum": "2026-13-45T10:00:00Z"}, "aanmaakdatum"),
    ({"resource": "rol\x00"}, "resource"),
    ({"kenmerken": ["bronorganisatie"]}, "kenmerken"),
    ({"kenmerken": {"bronorganisatie": 1234}}, "kenmerken"),
    ({"kenmerken": {"x": "y" * 1001}}, "kenmerken"),
    # a zaak of another Zaken API than ours: the worker would send its token there
    ({"hoofdObject": "https://elders.example/zaken/api/v1/zaken/0000000a-0000-4000-8000-000000000003"},
     "hoofdObject"),
    ({"hoofdObject": ZAKEN + "/zaken/../../admin"}, "hoofdObject"),
    ({"hoofdObject": ZAKEN + "/zakenx/1"}, "hoofdObject"),
])
def test_a_malformed_message_is_a_400_naming_the_field(app, client, changes, field):
    response = client.post(URL, json=message(**changes), headers={"Authorization": AUTH})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert [p["name"] for p in body["invalidParams"]] == [field]
    assert field in body["detail"] and "Notificaties API 1.0" in body["detail"]
    assert _queue(app) == []


@pytest.mark.parametrize("data", [b"", b"{", b"[]", b'"tekst"', b"null", "{\"kanaal\": \"\u00e9\"".encode()])
def test_a_body_that_is_no_json_object_is_a_400(app, client, data):
    response = client.post(URL, data=data, content_type="application/json", headers={"Authorization": AUTH})
    assert response.status_code == 400
    assert response.get_json(force=True)["invalidParams"][0]["name"] in ("nonFieldErrors", "kanaal")


def test_a_form_post_or_a_huge_body_is_refused(app, client):
    assert client.post(URL, data={"kanaal": "zaken"}, headers={"Authorization": AUTH}).status_code == 400
    huge = message(kenmerken={f"k{i}": "v" * 1000 for i in range(70)})
    assert client.post(URL, json=huge, headers={"Authorization": AUTH}).status_code == 413
    assert _queue(app) == []


def test_other_posts_still_need_the_csrf_token(app, client):
    assert client.post("/login", data={"gebruikersnaam": "x", "wachtwoord": "y"}).status_code == 400
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_concurrent_burst_is_a_burst_of_rows_not_of_work(app):
    """60 notifications at once over HTTP (8 at a time), 40 about one zaak and 20 about 20 others: 21 rows,
    the first counting 40 notifications; every answer 204."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    from ..serving import serving

    others = [f"{ZAKEN}/zaken/0000000a-0000-4000-8000-{n:012d}" for n in range(100, 120)]
    targets = [ZAAK] * 40 + others
    with serving(app) as base, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda url: requests.post(
            f"{base}{URL}", json=message(hoofdObject=url), headers={"Authorization": AUTH}, timeout=30).status_code,
            targets))
    assert statuses == [204] * 60
    rows = _queue(app)
    assert len(rows) == 21
    assert {(url, aantal) for url, _, aantal, _ in rows} == {(ZAAK, 40)} | {(url, 1) for url in others}
