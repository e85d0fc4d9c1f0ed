"""The CapabilityStatement at /fhir/R4/metadata, written from the resource table."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from silta.fhir.codes import FHIR_VERSION
from silta.fhir.registry import RESOURCES

PARAM_TYPES = {
    "_id": "token",
    "_lastUpdated": "date",
    "date": "date",
    "status": "token",
    "patient": "reference",
    "owner": "reference",
    "requester": "reference",
    "performer": "reference",
    "target": "reference",
    "organization": "reference",
    "identifier": "token",
}
RELEASED = "2026-12-02"


def _resource(name: str) -> dict[str, Any]:
    spec = RESOURCES[name]
    interactions = []
    if spec.read:
        interactions.append({"code": "read"})
    if spec.search or spec.post_search:
        interactions.append({"code": "search-type"})
    if spec.write_scope:
        interactions += [{"code": "update"}, {"code": "patch"}]
    entry: dict[str, Any] = {
        "type": name,
        "documentation": spec.documentation,
        "interaction": interactions,
        "searchParam": [
            {"name": p, "type": PARAM_TYPES[p]} for p in spec.params if p in PARAM_TYPES
        ]
        + (
            [{"name": "_count", "type": "number"}, {"name": "_page", "type": "number"}]
            if spec.search
            else []
        ),
    }
    if spec.includes:
        entry["searchInclude"] = list(spec.includes)
    if spec.revincludes:
        entry["searchRevInclude"] = list(spec.revincludes)
    if spec.write_scope:
        entry["versioning"] = "versioned-update"
        entry["updateCreate"] = False
    return {k: v for k, v in entry.items() if v != []}


def capability_statement(request: HttpRequest) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": RELEASED,
        "kind": "instance",
        "software": {"name": "Silta"},
        "implementation": {
            "description": "Silta FHIR R4 facade",
            "url": request.build_absolute_uri("/fhir/R4"),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "patchFormat": ["application/json-patch+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Authenticate with a unit's API key (Authorization: Bearer "
                "silta_…), the same keys and scopes as /api/v1. Unknown search parameters "
                "are refused (400).",
                "security": {"description": "A unit's API key as a Bearer token."},
                "resource": [_resource(name) for name in RESOURCES],
            }
        ],
    }
