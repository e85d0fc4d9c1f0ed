"""The JSON API at /api/v1/ for the organisations' own case-management systems.

Every endpoint requires a unit's API key (global ``auth``). Errors are JSON
``{"code": <stable code>, "message": <translated text>}``; the language follows
``Accept-Language`` (fi, sv, en).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from silta.api_keys.auth import ApiKeyAuth
from silta.api_keys.idempotency import error_body
from silta.callbacks.api import router as callbacks_router
from silta.clients.api import router as clients_router
from silta.core.errors import ServiceError
from silta.directory.api import router as directory_router
from silta.exchange.api import router as exchange_router
from silta.referrals.api import router as referrals_router
from silta.workdays.api import router as calendar_router

api = NinjaAPI(
    title="Silta API",
    version="1",
    description=(
        "Shared cases between Kela and social services. Authenticate with a unit's API key: "
        "`Authorization: Bearer silta_…`. POSTs accept an `Idempotency-Key` header."
    ),
    auth=ApiKeyAuth(),
    urls_namespace="api",
)
api.add_router("/", clients_router)
api.add_router("/", exchange_router)
api.add_router("/", directory_router)
api.add_router("/", callbacks_router)
api.add_router("/", referrals_router)
api.add_router("/", calendar_router)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, error_body(exc), status=exc.status)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "unauthorized", "message": _("A valid API key is required.")}
    return api.create_response(request, body, status=401)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = [".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors]
    body = {
        "code": "invalid_request",
        "message": _("The request is not valid. Check the fields: %(fields)s")
        % {"fields": ", ".join(f for f in fields if f) or "-"},
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    body = {"code": "http_error", "message": str(exc)}
    return api.create_response(request, body, status=exc.status_code)
