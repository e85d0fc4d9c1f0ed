"""Schemathesis over the whole API, through WSGI, with a real unit's API key.

For every operation in the published OpenAPI: the examples phase (path ids of real
objects in a test world, so reads and writes reach them), the coverage phase (boundary
and negative values of every parameter) and a bounded fuzzing phase; then the stateful
phase, which follows the schema's links from the unit's real cases and from what it
creates. Every response must be documented (status code, content type, headers, body
schema) and none may be a server error. ``SCHEMATHESIS_MAX_EXAMPLES`` raises the bounds
for a longer run.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client as HttpClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from silta.api_keys.services import api_key_issue
from silta.callbacks.models import CallbackRequest
from silta.config.api import api
from silta.config.openapi import LINKS
from silta.exchange.models import Attachment, Case, Message, Thread
from tests.factories import pdf

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
# Fixed ids given to the test world's objects, published as the path parameters' examples.
IDS = {
    "case_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000001"),
    "thread_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000002"),
    "message_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000003"),
    "attachment_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000004"),
    "request_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000005"),
    "unit_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000006"),
    "referral_id": uuid.UUID("0c0c0c0c-0000-4000-8000-000000000007"),
}


def _raw_schema() -> dict[str, Any]:
    raw = json.loads(
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=DjangoJSONEncoder)
    )
    for operations in raw["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if param["in"] == "path" and param["name"] in IDS:
                    param["example"] = str(IDS[param["name"]])
    return raw


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.app = get_wsgi_application()
schema.config.phases.update(
    phases=os.environ.get("SCHEMATHESIS_PHASES", "examples,coverage,fuzzing,stateful").split(",")
)
schema.config.generation.update(max_examples=MAX_EXAMPLES)


def _give_id(model: Any, pk: int, name: str) -> None:
    model.objects.filter(pk=pk).update(public_id=IDS[name])


@pytest.fixture
def authorization(world) -> dict[str, str]:
    """The Kela unit's key, and a case, thread, message, attachment, call-back request and
    directory unit under the fixed ids."""
    case = world.open_case()
    message = world.thread(case, files=[pdf()])
    _give_id(Case, case.pk, "case_id")
    _give_id(Thread, message.thread_id, "thread_id")
    _give_id(Message, message.pk, "message_id")
    _give_id(Attachment, message.attachments.get().pk, "attachment_id")
    world.social_unit.__class__.objects.filter(pk=world.social_unit.pk).update(
        public_id=IDS["unit_id"]
    )
    issued = api_key_issue(unit=world.kela_unit, name="schemathesis")
    headers = {"Authorization": f"Bearer {issued.plaintext}", "Accept-Language": "sv"}
    _callback_through_api(headers)
    return headers


def _callback_through_api(headers: dict[str, str]) -> None:
    response = HttpClient(headers=headers).post(
        "/api/v1/callbacks",
        {
            "unit_id": str(IDS["unit_id"]),
            "topic": "adult_social_work",
            "phone": "+358401234567",
            "description": "Soittopyyntö",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    CallbackRequest.objects.filter(public_id=response.json()["id"]).update(
        public_id=IDS["request_id"]
    )


@pytest.fixture
def wsgi_headers(authorization: dict[str, str]) -> Iterator[dict[str, str]]:
    """Django's WSGI handler closes the database connection after each request, which
    would end the test's transaction: unhook it as Django's test client does (after the
    world is built: the test client hooks it back after each of its own requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield authorization
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api(case, wsgi_headers) -> None:
    case.call_and_validate(headers=wsgi_headers, checks=CHECKS)


# No server error, and every answer documented: status code, content type, headers, body.
# Not checked: that schema-valid input is accepted (the services refuse some of it with a
# documented 400: an identity code's check character, an unknown municipality, a
# call-back request not in a state to cancel), and that input outside the schema is
# refused (unknown query parameters and form parts are ignored, as in most APIs).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


STATEFUL_HEADERS: dict[str, str] = {}
REACHED: set[str] = set()


# The stateful walk covers the operations the links join (the rest are fuzzed above): with
# every operation in it, its budget went to unlinked calls and no link was followed.
LINKED = sorted(
    {source for source, _status in LINKS}
    | {target for links in LINKS.values() for target, _params in links.values()}
)


class Workflow(schema.include(operation_id=LINKED).as_state_machine()):  # type: ignore[misc]
    """Sequences of calls that follow the schema's links from real objects (the unit's
    case list, a new thread, a new call-back request or referral) to their ids."""

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": STATEFUL_HEADERS}

    def after_call(self, response: Any, case: Any) -> None:
        if 200 <= response.status_code < 300 and "{" in case.operation.path:
            REACHED.add(case.operation.label)

    def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


@pytest.mark.django_db
def test_stateful_walk_over_links(wsgi_headers) -> None:
    STATEFUL_HEADERS.update(wsgi_headers)
    Workflow.run(
        settings=settings(
            max_examples=3 * MAX_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )
    assert REACHED, "the stateful phase reached no existing object"
