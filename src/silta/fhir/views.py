"""The FHIR R4 endpoints: metadata, search, read, and Task update / patch.

Views only parse and render: each resource type's read and search are in ``registry``,
which calls the domain selectors (access checks and audit) and the mappings.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from silta.fhir import include
from silta.fhir.capability import capability_statement
from silta.fhir.codes import FHIR_JSON
from silta.fhir.http import authenticate, fhir_view, if_match_version, json_body
from silta.fhir.outcome import FhirError, fhir_response
from silta.fhir.registry import RESOURCES, ResourceType
from silta.fhir.search import parse_search, searchset
from silta.fhir.selectors.clients import patient_search as find_patients
from silta.fhir.writes import task_patch, task_update

JSON_TYPES = (FHIR_JSON, "application/json")
PATCH_TYPES = ("application/json-patch+json",)


def _type(resource_type: str) -> ResourceType:
    spec = RESOURCES.get(resource_type)
    if spec is None:
        raise FhirError(
            404,
            "unsupported_resource",
            _("Resource type %(type)s is not served here (see /fhir/R4/metadata).")
            % {"type": resource_type[:40]},
        )
    return spec


def _not_allowed(*allowed: str) -> FhirError:
    return FhirError(
        405,
        "method_not_allowed",
        _("This method is not allowed here."),
        headers={"Allow": ", ".join(allowed)},
    )


def _with_version(body: dict[str, Any]) -> HttpResponse:
    response = fhir_response(body)
    version = body.get("meta", {}).get("versionId")
    if version:
        response["ETag"] = f'W/"{version}"'
    return response


@fhir_view
def metadata(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        raise _not_allowed("GET")
    return fhir_response(capability_statement(request))


@fhir_view
def type_level(request: HttpRequest, resource_type: str) -> HttpResponse:
    """GET: search (searchset Bundle)."""
    spec = _type(resource_type)
    if request.method != "GET":
        raise _not_allowed("GET")
    actor = authenticate(request)
    if spec.search is None:
        raise FhirError(
            400, "search_not_supported", _("This resource type cannot be searched; read it by id.")
        )
    search = parse_search(request.GET, spec.params + include.params_of(spec))
    include.check(spec, search)
    resources, has_next = spec.search(actor, search)
    extra = include.included(request, actor, spec, search, resources)
    return fhir_response(searchset(request, resource_type, search, resources, has_next, extra))


@fhir_view
def patient_search(request: HttpRequest) -> HttpResponse:
    """POST /Patient/_search with ``identifier`` in the form body: the identity code is
    never in a URL, so Patient is searched only this way (and the Bundle's links never
    repeat it)."""
    if request.method != "POST":
        raise _not_allowed("POST")
    actor = authenticate(request, scope=None)
    if request.content_type != "application/x-www-form-urlencoded":
        raise FhirError(
            415,
            "unsupported_media_type",
            _("Send the body as %(types)s.") % {"types": "application/x-www-form-urlencoded"},
        )
    search = parse_search(request.POST, ("identifier",))
    identifier = search.first("identifier")
    if identifier is None:
        raise FhirError(
            400, "identifier_required", _("Search patients by identifier (in the body).")
        )
    found = find_patients(actor=actor, identifier=identifier)
    bundle = searchset(request, "Patient", search, found, has_next=False)
    return fhir_response(bundle)


@fhir_view
def instance_level(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponseBase:
    """GET: read; PUT / PATCH: update (Task)."""
    spec = _type(resource_type)
    if request.method == "GET" and spec.read is not None:
        if request.GET:
            raise FhirError(
                400, "unknown_parameter", _("A read takes no parameters; use a search.")
            )
        result = spec.read(request, authenticate(request), resource_id)
        return result if isinstance(result, HttpResponseBase) else _with_version(result)
    if request.method in ("PUT", "PATCH") and spec.write_scope:
        actor = authenticate(request, spec.write_scope)
        version = if_match_version(request)
        if request.method == "PUT":
            body = json_body(request, JSON_TYPES)
            task = task_update(actor=actor, task_id=resource_id, body=body, version=version)
        else:
            patch = json_body(request, PATCH_TYPES)
            task = task_patch(actor=actor, task_id=resource_id, patch=patch, version=version)
        return _with_version(task)
    raise _not_allowed("GET", "PUT", "PATCH") if spec.write_scope else _not_allowed("GET")


@fhir_view
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other path under /fhir/R4/ (``_history``, operations): an OperationOutcome."""
    raise FhirError(404, "not_found", _("Not found."))
