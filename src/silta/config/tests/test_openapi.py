"""The published OpenAPI is exact: one name per schema, every error answer listed, the
real limits of the inputs, the idempotency rules described."""

from __future__ import annotations

import typing
from collections import defaultdict
from typing import Any

import pytest
from pydantic import BaseModel

from silta.config.api import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = [
    (method, path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
]


def _nested_models(annotation: Any, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _nested_models(field.annotation, found)
        return
    for arg in typing.get_args(annotation):
        _nested_models(arg, found)


def _component_models() -> set[type[BaseModel]]:
    """Every schema model the operations use (inputs and outputs, nested ones too),
    without ninja's per-operation wrappers (they are inlined, never components)."""
    found: set[type[BaseModel]] = set()
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *operation.response_models.values()]
                for wrapper in wrappers:
                    if isinstance(wrapper, type) and issubclass(wrapper, BaseModel):
                        for field in wrapper.model_fields.values():
                            _nested_models(field.annotation, found)
    return found


def test_every_schema_model_has_its_own_name() -> None:
    """Two models of one name become one component: the second silently replaces the
    first (``GET /units`` was documented with the directory's unit cards)."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in _component_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    duplicates = {name: where for name, where in by_name.items() if len(where) > 1}
    assert duplicates == {}


def test_the_walk_finds_the_component_models() -> None:
    names = {model.__name__ for model in _component_models()}
    assert {"UnitsPage", "UnitOut", "UnitCardOut", "MessageOut", "ErrorOut"} <= names


def test_units_page_documents_units() -> None:
    components = SCHEMA["components"]["schemas"]
    ok = SCHEMA["paths"]["/api/v1/units"]["get"]["responses"][200]
    page = components[ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert page["properties"]["items"]["items"]["$ref"].endswith("/UnitOut")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS)
def test_every_operation_lists_its_error_answers(method, path, operation) -> None:
    responses = operation["responses"]
    expected = {401, 422, 503}
    params = {p["in"] for p in operation.get("parameters", [])}
    if "path" in params:
        expected.add(404)
    if "query" in params or "requestBody" in operation:
        expected.add(400)
    assert expected <= set(responses), (method, path, sorted(responses))
    for status in expected:
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
    assert "Retry-After" in responses[503]["headers"]


def _property(path: str, method: str, name: str) -> dict[str, Any]:
    operation = SCHEMA["paths"][path][method]
    for param in operation.get("parameters", []):
        if param["name"] == name:
            return param["schema"]
    for media in operation["requestBody"]["content"].values():
        schema = media["schema"]
        if "$ref" in schema:
            schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema["properties"][name]
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("path", "method", "name", "min_length", "max_length"),
    [
        ("/api/v1/cases/{case_id}/threads", "post", "subject", 1, 200),
        ("/api/v1/cases/{case_id}/threads", "post", "body", 1, 20_000),
        ("/api/v1/threads/{thread_id}/messages", "post", "body", 1, 20_000),
        ("/api/v1/clients", "post", "identity_code", 1, 20),
        ("/api/v1/clients/lookup", "post", "identity_code", 1, 20),
        ("/api/v1/clients", "post", "first_names", 1, 200),
        ("/api/v1/clients", "post", "last_name", 1, 200),
        ("/api/v1/directory/units", "get", "q", 2, 200),
    ],
)
def test_the_real_limits_are_in_the_schema(path, method, name, min_length, max_length) -> None:
    schema = _property(path, method, name)
    assert schema.get("minLength") == min_length, schema
    assert schema.get("maxLength") == max_length, schema


def test_the_idempotency_rules_are_described() -> None:
    description = SCHEMA["info"]["description"]
    assert "Idempotency-Key" in description
    assert "used up" in description and "idempotency_key_reused" in description


def test_every_link_leads_to_an_operation_and_its_path_parameters() -> None:
    by_id = {operation["operationId"]: operation for _m, _p, operation in OPERATIONS}
    links = [
        link
        for _m, _p, operation in OPERATIONS
        for answer in operation["responses"].values()
        for link in answer.get("links", {}).values()
    ]
    assert len(links) >= 10
    for link in links:
        target = by_id[link["operationId"]]
        path_params = {p["name"] for p in target["parameters"] if p["in"] == "path"}
        assert set(link["parameters"]) == path_params, link
