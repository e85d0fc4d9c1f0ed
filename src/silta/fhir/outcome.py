"""Errors of the FHIR facade, each answered as an OperationOutcome.

The services' errors keep their stable code (in ``issue.details``) and translated message
(in ``issue.diagnostics``, the request's language); the HTTP status follows FHIR's
RESTful API: 400 bad search, 401 no key, 403, 404, 409 conflict, 422 invalid resource.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise

from silta.consents.codes import CODE_SYSTEM
from silta.core.errors import ServiceError
from silta.fhir.codes import FHIR_JSON, coding

ERROR_CODES = f"{CODE_SYSTEM}/error"
# HTTP status -> FHIR IssueType.
ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    412: "conflict",
    422: "processing",
    503: "transient",
}


class FhirError(Exception):
    """An answer that is not a resource: the status, Silta's stable code and the text."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str | Promise,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def from_service_error(exc: ServiceError, *, writing: bool = False) -> FhirError:
    """A service's error as FHIR answers it: bad input to a write is an invalid resource
    (422), to a read or search a bad request (400)."""
    status = exc.status
    if status == 400 and writing:
        status = 422
    return FhirError(status, exc.code, exc.message)


def operation_outcome(status: int, code: str, message: str | Promise) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": ISSUE_TYPES.get(status, "processing"),
                "details": {"coding": [coding(ERROR_CODES, code)]},
                "diagnostics": str(message),
            }
        ],
    }


def fhir_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )


def error_response(error: FhirError) -> HttpResponse:
    response = fhir_response(
        operation_outcome(error.status, error.code, error.message), error.status
    )
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="silta"'
    for name, value in error.headers.items():
        response[name] = value
    return response
