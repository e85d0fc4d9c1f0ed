"""The published OpenAPI lists every error an operation can answer, with its schema.

The answers below come from the API layer (``silta.config.api_errors``), not from an
endpoint, so they are added here, once, from what each operation takes: any operation
can meet a bad key (401), invalid fields (422) or an unreachable database (503); one with
query, form or body input refused text or a bad body (400); one with an id
in its path an unknown object (404); one with a body a size limit (413), and a JSON body
the wrong content type (415). Errors an endpoint raises itself (400, 403, 404, 409) are
declared on the endpoint.
"""

from __future__ import annotations

from typing import Any

from silta.core.api_schemas import ErrorOut

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
DESCRIPTIONS = {
    400: "Bad request: the input was refused (for example a null character in text, "
    "malformed JSON or multipart, or a rule of the service). Nothing was changed.",
    401: "A valid API key is required.",
    403: "The key's unit may not do this.",
    404: "Not found, or not the unit's to see (the two are never told apart).",
    409: "Conflict with the object's current state, or an Idempotency-Key reused for "
    "a different request.",
    413: "The request body is too large.",
    415: "The request body must be JSON (Content-Type: application/json).",
    422: "Invalid fields: a required field is missing or a value is of the wrong type, "
    "length or range (code invalid_request); or, where the operation discloses client data "
    "to the other organisation, no consent or statutory basis allows it (code "
    "no_lawful_basis, with lawful_bases: resend with one as statutory_basis).",
    503: "The database is unreachable: retry after the number of seconds in Retry-After.",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


# OpenAPI links: where an answer's ids lead (clients follow them; schemathesis's stateful
# phase walks them to real objects). (operation, status) -> {link: (operation, {param: at})}
FIRST_CASE = "$response.body#/items/0/id"
LINKS: dict[tuple[str, int], dict[str, tuple[str, dict[str, str]]]] = {
    ("silta_exchange_api_cases", 200): {
        "CaseTimeline": ("silta_exchange_api_timeline", {"case_id": FIRST_CASE}),
        "StartThread": ("silta_exchange_api_start_thread", {"case_id": FIRST_CASE}),
    },
    ("silta_exchange_api_start_thread", 201): {
        "Reply": ("silta_exchange_api_send_message", {"thread_id": "$response.body#/thread_id"}),
        "ThreadMessages": (
            "silta_exchange_api_thread_messages",
            {"thread_id": "$response.body#/thread_id"},
        ),
    },
    ("silta_exchange_api_send_message", 201): {
        "MarkRead": ("silta_exchange_api_mark_read", {"message_id": "$response.body#/id"}),
    },
    ("silta_callbacks_api_create", 201): {
        name: (f"silta_callbacks_api_{name.lower()}", {"request_id": "$response.body#/id"})
        for name in ("Detail", "Claim", "Attempt", "Complete", "Cancel")
    },
    ("silta_referrals_api_create", 201): {
        name: (f"silta_referrals_api_{name.lower()}", {"referral_id": "$response.body#/id"})
        for name in ("Detail", "Transition")
    },
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the API layer's error answers to every operation of ``schema`` (in place), and
    the links between operations."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method in METHODS:
                _document(operation)
                _link(operation)
    return schema


def _link(operation: dict[str, Any]) -> None:
    for status, answer in operation["responses"].items():
        links = LINKS.get((operation.get("operationId", ""), status))
        if links:
            answer["links"] = {
                name: {"operationId": target, "parameters": parameters}
                for name, (target, parameters) in links.items()
            }


def _statuses(operation: dict[str, Any]) -> set[int]:
    params = {p["in"] for p in operation.get("parameters", [])}
    content = operation.get("requestBody", {}).get("content", {})
    statuses = {422, 503}
    if operation.get("security"):
        statuses.add(401)
    if "query" in params or content:
        statuses.add(400)
    if "path" in params:
        statuses.add(404)
    if content:
        statuses.add(413)
    if "application/json" in content:
        statuses.add(415)
    return statuses


def _document(operation: dict[str, Any]) -> None:
    # Ninja keys responses by int; a schema read back from JSON has str keys.
    responses = {int(k): v for k, v in operation.get("responses", {}).items()}
    for status in _statuses(operation):
        answer = responses.setdefault(status, {})
        answer.setdefault("content", {"application/json": {"schema": ERROR_REF}})
        if status == 503:
            answer["headers"] = RETRY_AFTER
    for status, answer in responses.items():
        if status in DESCRIPTIONS:
            answer["description"] = DESCRIPTIONS[status]
    operation["responses"] = dict(sorted(responses.items()))
