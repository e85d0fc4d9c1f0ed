"""Calling the FHIR facade in tests, and validating what it answers with ``fhir.resources``
(R4B models: R4's resources as R4B keeps them)."""

from __future__ import annotations

import importlib
import json
from typing import Any

from silta.api_keys.services import api_key_issue

FHIR_JSON = "application/fhir+json"


def key_for(unit: Any, scopes: list[str] | None = None) -> dict[str, str]:
    issued = api_key_issue(unit=unit, name=f"{unit.name_fi} FHIR")
    if scopes is not None:
        issued.api_key.scopes = scopes
        issued.api_key.save()
    return {"Authorization": f"Bearer {issued.plaintext}"}


def validate(resource: dict[str, Any]) -> Any:
    """The resource parsed by its R4 model (raises if it is not valid FHIR)."""
    kind = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{kind.lower()}")
    return getattr(module, kind).model_validate(resource)


def get(client: Any, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = client.get(f"/fhir/R4/{path}", params, headers=headers)
    if response["Content-Type"].startswith(FHIR_JSON):
        body = response.json()
        validate(body)
        for entry in body.get("entry", []):
            validate(entry["resource"])
    return response


def put(client: Any, path: str, body: Any, headers: dict[str, str], **extra: Any) -> Any:
    return client.put(
        f"/fhir/R4/{path}", json.dumps(body), content_type=FHIR_JSON, headers=headers, **extra
    )


def patch(client: Any, path: str, ops: Any, headers: dict[str, str]) -> Any:
    return client.patch(
        f"/fhir/R4/{path}",
        json.dumps(ops),
        content_type="application/json-patch+json",
        headers=headers,
    )
