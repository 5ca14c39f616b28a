"""Validation against the OpenAPI specs in ../shared/specs (component schemas via openapi-schema-validator).

Open Zaak itself sends a few values its spec does not allow; they are allowed here explicitly (and the
recorded fixtures are checked with the same validator, see test_contract.py):
- `Zaak.zaakgeometrie: null` (`allOf` + `nullable`, which the validator does not combine);
- `Status.gezetdoor: null`;
- `ContactPersoonRol.emailadres: ""` (format `email`);
- `ZaakType.doorlooptijd: null`: an InProces quirk the demo data exercises (docs/domain.md).
The paginated lists carry `pageSize`-independent fields only; extra properties are allowed by the spec.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"


@cache
def spec(api: str) -> dict[str, Any]:
    text = (SPECS / f"{api}-openapi.yaml").read_text()
    loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _tolerate_open_zaak(loaded)


def _tolerate_open_zaak(loaded: dict[str, Any]) -> dict[str, Any]:
    loaded = copy.deepcopy(loaded)
    schemas = loaded["components"]["schemas"]
    if "Zaak" in schemas:
        geometrie = schemas["Zaak"]["properties"]["zaakgeometrie"]
        geometrie["anyOf"] = [geometrie.pop("allOf")[0], {"enum": [None]}]
        schemas["Status"]["properties"]["gezetdoor"]["nullable"] = True
        schemas["ContactPersoonRol"]["properties"]["emailadres"].pop("format")
    if "ZaakType" in schemas:
        schemas["ZaakType"]["properties"]["doorlooptijd"]["nullable"] = True
    return loaded


@cache
def _registry(api: str) -> Registry:
    return Registry().with_resource(f"urn:{api}", Resource.from_contents(spec(api), default_specification=DRAFT4))


def api_and_template(path: str) -> tuple[str, str]:
    """('zaken', '/zaken/{uuid}') for '/zaken/api/v1/zaken/<uuid>?...'."""
    path = path.split("?")[0]
    api = "zaken" if path.startswith("/zaken/api/v1") else "catalogi"
    template = re.sub(r"^/(zaken|catalogi)/api/v1", "", path)
    return api, re.sub(r"/[0-9a-fA-F-]{36}$", "/{uuid}", template)


def errors(path: str, status: int, body: Any) -> list[str]:
    """Validation errors of a GET response body against the spec's schema for that path and status
    (a status the spec does not list for that path, like 404 on a list, against `Fout`)."""
    api, template = api_and_template(path)
    responses = spec(api)["paths"][template]["get"]["responses"]
    if str(status) in responses:
        schema = next(iter(responses[str(status)]["content"].values()))["schema"]
    else:
        schema = {"$ref": "#/components/schemas/Fout"}
    if "$ref" in schema:
        schema = {"$ref": f"urn:{api}{schema['$ref']}"}
    validator = OAS30Validator(schema, registry=_registry(api), format_checker=OAS30Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
