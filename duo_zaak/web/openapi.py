"""The OpenAPI 3.1 description of the read-only API, served at /api/v1/openapi.json, and of the one route a
machine posts to: the receiver of notifications (/api/v1/notificaties)."""

from __future__ import annotations

import copy
import functools
from typing import Any

from ..figures.quality import CODES as FINDING_CODES
from ..rules.archive import KINDS, STATUSES
from ..rules.deadlines import STAP_CODES, STATES
from ..rules.planning import BANDS, NORM_CODES, TOTAAL

Schema = dict[str, Any]

AGEING = ("1-30", "31-60", "61-90", "90+")


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _int() -> Schema:
    return {"type": "integer", "minimum": 0}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Schema], required: bool = True) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(properties)
    return schema


DATE: Schema = {"type": "string", "format": "date"}
PERCENTAGE: Schema = {"type": "number", "minimum": 0, "maximum": 100}


def _schemas() -> dict[str, Schema]:
    open_counts = _object({
        **{name: _int() for name in ("open", "op_tijd", "norm_overschreden", "termijn_overschreden", "opgeschort",
                                     "onbekend", "binnenkort_verlopend")},
        "ouderdom": _object({bucket: _int() for bucket in AGEING}),
    })
    archive_counts = _object({
        "achterstand": _int(), "per_soort": _object({kind: _int() for kind in KINDS}),
        "niet_bevestigd": _int(), "oudste_dagen": _nullable({"type": "integer"}),
    })
    return {
        "Fout": _object({"fout": {"type": "string"}}),
        "Team": _object({"id": _nullable({"type": "string"}), "naam": {"type": "string"}}),
        "Organisatie": _object({"code": _nullable({"type": "string"}), "naam": {"type": "string"}}),
        "OpenTelling": open_counts,
        "ArchiefTelling": archive_counts,
        "Backlog": _tree("OpenTelling"),
        "Archief": _tree("ArchiefTelling"),
        "Stap": _object({
            "code": {"enum": list(STAP_CODES)}, "datum": _nullable(DATE), "tekst": {"type": "string"},
            "van": _nullable(DATE), "duur": _nullable({"type": "string", "description": "ISO 8601-duur"}),
            "afgeleide_termijn": _nullable(DATE), "redenen": {"type": "array", "items": {"type": "string"}},
        }),
        "Herkomst": {**_object({"datum": _nullable(DATE), "tekst": {"type": "string"},
                                "stappen": {"type": "array", "items": _ref("Stap")}}),
                     "description": "Hoe de fatale datum tot stand komt, stap voor stap (domain.md, Open zaken). "
                                    "`datum` is wat de gegevens nu opleveren; wijkt die af van `fatale_datum`, "
                                    "dan werkt de volgende synchronisatie de opgeslagen datum bij."},
        "OpenZaken": _object({
            "peildatum": DATE,
            "opschorting_zoals_nu": {"type": "boolean",
                                     "description": "De peildatum ligt in het verleden: opschorting is zoals nu."},
            "count": _int(), "next": _nullable({"type": "string", "format": "uri"}),
            "results": {"type": "array", "items": _object({
                "identificatie": {"type": "string"}, "zaak_url": {"type": "string"},
                "organisatie": _nullable({"type": "string"}), "team": _ref("Team"),
                "zaaktype": _nullable({"type": "string"}), "startdatum": DATE, "fatale_datum": _nullable(DATE),
                "fatale_datum_herkomst": _ref("Herkomst"), "streefdatum": _nullable(DATE),
                "toestand": {"enum": list(STATES)}, "binnenkort_verlopend": {"type": "boolean"},
                "dagen_over_termijn": {**_nullable({"type": "integer"}),
                                       "description": "peildatum - fatale datum; negatief: dagen over"},
                "termijn_verstreken_tijdens_opschorting": {"type": "boolean"},
                "opschorting_reden": {"type": "string"},
            })},
        }),
        "Taken": _object({
            "count": _int(), "next": _nullable({"type": "string", "format": "uri-reference"}),
            "results": {"type": "array", "items": _object({
                "id": _nullable({"type": "integer"}), "zaak_identificatie": {"type": "string"},
                "zaak_url": {"type": "string"}, "organisatie": _nullable({"type": "string"}), "team": _ref("Team"),
                "soort": {"enum": list(KINDS)}, "vervaldatum": DATE, "dagen_open": {"type": "integer"},
                "status": {"enum": list(STATUSES)},
            })},
        }),
        "Indicatoren": _object({"peildatum": DATE, "organisaties": {"type": "array", "items": {"allOf": [
            _ref("Organisatie"),
            _object({
                "indicatoren": {"type": "array", "items": _object({
                    "code": {"type": "string"}, "waarde": _nullable({"type": "number"}),
                    "teller": _nullable({"type": "integer"}), "noemer": _nullable({"type": "integer"}),
                    "norm": {"type": "string"}, "voldoet": {"type": "boolean"},
                })},
                "kpis": {"type": "array", "items": _object({
                    "nummer": {"type": "integer", "minimum": 1, "maximum": 10},
                    "oordeel": _nullable({"enum": ["ja", "deels", "nee"]}),
                })},
                "gereed_voor_opheffing": {**_nullable({"type": "boolean"}),
                                          "description": "null voor de Onbekende organisatie (code null)"},
                "ontbreekt": {"type": "array", "items": {"type": "string"}},
                "prognose_achterstand_nul": {**_nullable({"type": "string"}), "description": (
                    "JJJJ-MM-DD, 'geen daling', 'geen achterstand' (achterstand 0 op de peildatum) of null "
                    "(te weinig momentopnamen; altijd voor de Onbekende organisatie)")},
                "aantal_zaken": {**_nullable(_int()), "description": "Alleen voor de Onbekende organisatie"},
                "bevinding": {**_nullable({"enum": ["onbekende_bronorganisatie"]}),
                              "description": "De bevinding die de Onbekende organisatie verklaart"},
            }),
        ]}}}),
        "Ranglijst": _object({
            "peildatum": DATE, "periode": _object({"van": DATE, "tot": DATE}),
            "teams": {"type": "array", "items": _object({
                "rang": _nullable({"type": "integer", "minimum": 1}), "id": _nullable({"type": "string"}),
                "naam": {"type": "string"}, "organisatie": _nullable({"type": "string"}), "gesloten": _int(),
                "direct_goed": _nullable(PERCENTAGE), "achterstand": _int(),
                "achterstand_per_100": _nullable({"type": "number", "minimum": 0}), "opgelost": _int(),
                "trend": _nullable({"type": "integer"}),
            })},
            "meest_verbeterd": _nullable({"allOf": [_ref("Team"), _object({"trend": {"type": "integer"}})]}),
        }),
        "Planning": _planning(),
        "Kwaliteit": _object({"peildatum": DATE, "bevindingen": {"type": "array", "items": _object({
            "code": {"enum": list(FINDING_CODES)}, "omschrijving": {"type": "string"}, "aantal": _int(),
        })}}),
        # Notificaties API 1.0, `Message`
        "Notificatie": {**_object({
            "kanaal": {"type": "string", "minLength": 1, "maxLength": 50},
            "hoofdObject": {"type": "string", "format": "uri", "maxLength": 1000},
            "resource": {"type": "string", "minLength": 1, "maxLength": 100},
            "resourceUrl": {"type": "string", "format": "uri", "maxLength": 1000},
            "actie": {"type": "string", "minLength": 1, "maxLength": 100},
            "aanmaakdatum": {"type": "string", "format": "date-time"},
            "kenmerken": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 1000}},
        }), "required": ["kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum"]},
        "Probleem": {**_object({
            "type": {"type": "string"}, "code": {"type": "string"}, "title": {"type": "string"},
            "status": {"type": "integer"}, "detail": {"type": "string"}, "instance": {"type": "string"},
            "invalidParams": {"type": "array", "items": _object({
                "name": {"type": "string"}, "code": {"type": "string"}, "reason": {"type": "string"}})},
        }), "required": ["code", "title", "status", "detail", "instance"]},
    }


def _planning() -> Schema:
    """GET /api/v1/planning (figures/planning_report.document)."""
    per_kind = _object({kind: _int() for kind in KINDS})
    number: Schema = {"type": "number", "minimum": 0}
    step = _nullable(_object({"stap": _int(), "week": {"type": "string"}, "einde": DATE}))
    spread = _object({band: _nullable({"type": "number"}) for band in BANDS})
    return _object({
        "peildatum": DATE, "doeldatum": DATE, "organisatie": _nullable(_ref("Organisatie")),
        "fte": _nullable(number), "fte_bron": {"enum": ["invoer", "vastgelegd", "geen"]},
        "fte_toegewezen": {"type": "object", "additionalProperties": number},
        "capaciteit": {"enum": ["per_fte", "gemeten"]}, "antwoord": {"type": "string"},
        "binnen_normen": _object({band: step for band in BANDS}),
        "normen": {"type": "array", "items": _object({"code": {"enum": list(NORM_CODES)}, "norm": {"type": "string"},
                                                      "vanaf": _object({band: step for band in BANDS})})},
        "doelweek": step, "fte_nodig": _nullable(number), "fte_max": number,
        "doorvoer": _object({
            "weken": {"type": "array", "items": _object({
                "week": {"type": "string"}, "maandag": DATE, "fte": _nullable(number), "bevestigd": per_kind,
                "opgelost_in_bron": per_kind, "gesloten": _int()})},
            "per_week": _object({kind: spread for kind in (*KINDS, TOTAAL)}),
            "per_fte_week": _nullable(_object({kind: spread for kind in (*KINDS, TOTAAL)})),
            "capaciteit_per_fte_week": _nullable(spread),
        }),
        "instroom": _object({"gesloten_12_weken": _int(), "gesloten_per_week": number,
                             "aandeel_archiveertaak": {"type": "number", "minimum": 0, "maximum": 1},
                             "geschat_per_week": number}),
        "projectie": {"type": "array", "items": _object({
            "stap": _int(), "week": {"type": "string"}, "einde": DATE, "instroom_bekend": per_kind,
            "instroom_geschat": per_kind, "achterstand": _object({band: _int() for band in BANDS}),
            "per_soort": per_kind, "afgehandeld": per_kind,
            "oudste_dagen": _object({kind: _nullable({"type": "integer"}) for kind in KINDS}),
            "a4": _object({"teller": _int(), "noemer": _int(), "waarde": _nullable(number)}),
            "voldoet": _object({code: {"type": "boolean"} for code in NORM_CODES}),
        })},
    })


def _receiver() -> Schema:
    problem = {"content": {"application/problem+json": {"schema": _ref("Probleem")}}}
    return {"post": {
        "summary": "Ontvangt notificaties van de Notificaties API (kanaal zaken): de callback van het abonnement. "
                   "Een zaak, rol, status of resultaat zet de zaak (hoofdObject) in de wachtrij; de worker leest "
                   "haar opnieuw. Kanaal test en andere resources: geaccepteerd en genegeerd.",
        "security": [{"notificaties": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Notificatie")}}},
        "responses": {
            "204": {"description": "Ontvangen"},
            "400": {"description": "Geen geldige notificatie, of een zaak van een andere Zaken API", **problem},
            "403": {"description": "Authorization-header ontbreekt of is onjuist", **problem},
            "413": {"description": "Groter dan 64 kB", **problem},
        },
    }}


def _tree(counts: str) -> Schema:
    team = {"allOf": [_ref("Team"), _ref(counts)]}
    org = {"allOf": [_ref("Organisatie"), _ref(counts),
                     _object({"teams": {"type": "array", "items": team}})]}
    return _object({"peildatum": DATE, "totaal": _ref(counts), "organisaties": {"type": "array", "items": org}})


def _param(name: str, description: str, schema: Schema) -> Schema:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PEILDATUM = _param("peildatum", "Peildatum (JJJJ-MM-DD, jaar 1900-2999); standaard vandaag (Europe/Amsterdam).",
                   DATE)


def _operation(summary: str, schema: str, *parameters: Schema, peildatum: bool = True) -> Schema:
    error = {"content": {"application/json": {"schema": _ref("Fout")}}}
    return {"get": {
        "summary": summary,
        "parameters": [PEILDATUM, *parameters] if peildatum else list(parameters),
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": _ref(schema)}}},
            "400": {"description": "Ongeldige of onbekende parameter", **error},
            "401": {"description": "Niet ingelogd", **error},
        },
    }}


def _planning_operation() -> Schema:
    operation = _operation(
        "Capaciteitsplanning PiA: doorvoer, instroom, prognose per week (p25, mediaan, p75 van de doorvoer), de week "
        "waarin de normen A2, A3 en A4 gelden en de fte die nodig is voor de doeldatum. Voor programmateam, PiA en "
        "beheerder.", "Planning",
        _param("fte", "Fte van PiA, komma of punt, hoogstens twee decimalen (0-100); standaard de vastgelegde fte op "
                      "de peildatum.", {"type": "string", "pattern": "^[0-9]{1,3}([.,][0-9]{1,2})?$"}),
        _param("doeldatum", "Doeldatum (JJJJ-MM-DD), van het einde van de eerste week tot 91 weken vooruit; "
                            "standaard het einde van week 13 van de prognose.", DATE),
        _param("organisatie", "Organisatiecode; standaard alle vier samen.", {"type": "string"}),
    )
    operation["get"]["responses"]["403"] = {"description": "Geen toegang met deze rol",
                                            "content": {"application/json": {"schema": _ref("Fout")}}}
    return operation


@functools.cache
def _document() -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "duo-zaak", "version": "1",
            "description": "Alleen-lezen cijfers over zaken, archiefachterstand en IBT. Inloggen vereist; een "
                           "teamleider ziet alleen de zaken van de eigen teams. Percentages 0-100 met één decimaal.",
        },
        "servers": [{"url": "/"}],
        "security": [{"sessie": []}],
        "paths": {
            "/api/v1/backlog": _operation("Open zaken per toestand, organisatie en team", "Backlog"),
            "/api/v1/backlog/zaken": _operation(
                "Zaken open op de peildatum (geregistreerd en niet afgesloten), meest over de termijn eerst, met de "
                "herkomst van hun fatale datum", "OpenZaken",
                _param("organisatie", "Organisatiecode; `_onbekend`: de Onbekende organisatie.", {"type": "string"}),
                _param("team", "Team-identificatie; `_geen` voor Niet toegewezen.", {"type": "string"}),
                _param("zaaktype", "Zaaktype-identificatie (elke versie).", {"type": "string"}),
                _param("toestand", "Toestand op de peildatum, of binnenkort_verlopend.",
                       {"enum": [*STATES, "binnenkort_verlopend"]}),
                _param("page", "Paginanummer (100 per pagina).",
                       {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
            ),
            "/api/v1/archief": _operation("Archiefachterstand per soort, organisatie en team", "Archief"),
            "/api/v1/archief/taken": _operation(
                "Huidige archieftaken (werkvoorraad PiA); `id` is null voor een vervallen taak die de dagelijkse "
                "stap nog niet heeft aangemaakt", "Taken",
                _param("status", "Status; standaard open en niet_bevestigd.", {"enum": list(STATUSES)}),
                _param("soort", "Soort taak.", {"enum": list(KINDS)}),
                _param("organisatie", "Organisatiecode.", {"type": "string"}),
                _param("team", "Team-identificatie.", {"type": "string"}),
                _param("page", "Paginanummer (100 per pagina).",
                       {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
            ),
            "/api/v1/indicatoren": _operation("IBT-indicatoren, KPI-oordelen, gereedheid en prognose", "Indicatoren"),
            "/api/v1/ranglijst": _operation(
                "Ranglijst van teams", "Ranglijst",
                _param("van", "Begin van de periode; standaard 29 dagen voor 'tot'.", DATE),
                _param("tot", "Einde van de periode (inclusief); standaard de peildatum.", DATE),
            ),
            "/api/v1/kwaliteit": _operation("Bevindingen datakwaliteit", "Kwaliteit"),
            "/api/v1/planning": _planning_operation(),
            "/api/v1/openapi.json": {"get": {
                "summary": "Deze beschrijving",
                "responses": {"200": {"description": "OpenAPI-document",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              "401": {"description": "Niet ingelogd",
                                      "content": {"application/json": {"schema": _ref("Fout")}}}},
            }},
            "/api/v1/notificaties": _receiver(),
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"sessie": {"type": "apiKey", "in": "cookie", "name": "session"},
                                "notificaties": {"type": "apiKey", "in": "header", "name": "Authorization",
                                                 "description": "De waarde van NOTIFICATIES_AUTH"}},
        },
    }


def openapi_document() -> Schema:
    """The OpenAPI document (a fresh copy)."""
    return copy.deepcopy(_document())
