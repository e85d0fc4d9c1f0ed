"""Every answer of the JSON API that is not a result is ``{"code", "message"}``.

One ``NinjaAPI`` subclass holds them all: the handlers for service errors, missing or bad
keys, invalid and unparsable input, oversized bodies, an unreachable database (503 with
``Retry-After``) and anything unexpected (500, logged without client data), and the
JSON 404 and 405 for paths and methods the API does not have. Messages follow the
request's language (``Accept-Language``: fi, sv, en).
"""

from __future__ import annotations

import functools
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, re_path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from silta.api_keys.idempotency import error_body
from silta.config.openapi import document_errors
from silta.core.api_input import ApiParser
from silta.core.errors import ServiceError
from silta.core.renderer import ORJSONRenderer

logger = logging.getLogger("silta.api")
RETRY_AFTER_SECONDS = 30
UrlList = list[URLPattern | URLResolver]


def _json(status: int, code: str, message: str | Promise) -> HttpResponse:
    body = json.dumps({"code": code, "message": str(message)})
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _json(404, "not_found", _("Not found."))


def method_not_allowed(allowed: str) -> HttpResponse:
    response = _json(405, "method_not_allowed", _("This method is not allowed here."))
    response["Allow"] = allowed
    return response


def database_unavailable() -> HttpResponse:
    response = _json(
        503,
        "database_unavailable",
        _("The service is temporarily unavailable. Try again shortly."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _json_405(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ninja answers an unsupported method with a plain-text 405: answer it in JSON."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(response["Allow"])
        return response

    return wrapper


class SiltaApi(NinjaAPI):
    """The NinjaAPI with Silta's input checks and JSON errors."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=ApiParser(), renderer=ORJSONRenderer(), **kwargs)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(**kwargs))

    def _get_urls(self) -> UrlList:
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_405(pattern.callback)
        # Last: any other path under the API's prefix is a JSON 404, not the HTML page.
        patterns.append(re_path(r"^.*$", not_found, name="not-found"))
        return patterns

    def set_default_exception_handlers(self) -> None:
        handlers: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
            Exception: self._unexpected,
            ServiceError: self._service_error,
            AuthenticationError: self._unauthorized,
            NinjaValidationError: self._invalid,
            HttpError: self._http_error,
            Http404: not_found,
            SuspiciousOperation: self._bad_request,
            MultiPartParserError: self._bad_multipart,
            RequestDataTooBig: self._too_big,
            OperationalError: self._database_unavailable,
            InterfaceError: self._database_unavailable,
        }
        for exc_class, handler in handlers.items():
            self.add_exception_handler(exc_class, handler)

    def _service_error(self, request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return self.create_response(request, error_body(exc), status=exc.status)

    def _unauthorized(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _json(401, "unauthorized", _("A valid API key is required."))

    def _invalid(self, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = [".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors]
        message = _("The request is not valid. Check the fields: %(fields)s") % {
            "fields": ", ".join(f for f in fields if f) or "-"
        }
        return _json(422, "invalid_request", message)

    def _http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja wraps the parser's errors (bad JSON, wrong content type, NUL) in HttpError.
        if isinstance(exc.__cause__, ServiceError):
            return self._service_error(request, exc.__cause__)
        if exc.status_code == 429:
            return _json(429, "too_many_requests", _("Too many requests. Try again shortly."))
        if exc.status_code == 401:
            return self._unauthorized(request, exc)
        if exc.status_code == 404:
            return not_found(request)
        return _json(exc.status_code, "bad_request", _("The request is not valid."))

    def _bad_request(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(400, "bad_request", _("The request is not valid."))

    def _bad_multipart(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(400, "malformed_multipart", _("The multipart request body could not be read."))

    def _too_big(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        return _json(413, "request_too_large", _("The request is too large."))

    def _database_unavailable(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.warning("Database unavailable: %s", type(exc).__name__)
        return database_unavailable()

    def _unexpected(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        # The exception's text may quote submitted data: log its type and where, not what.
        where = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("Unexpected %s in %s\n%s", type(exc).__name__, request.method, where)
        return _json(500, "server_error", _("Something went wrong on our side. Try again."))
