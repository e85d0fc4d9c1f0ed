"""The facade's request handling: the same API keys as /api/v1 (``ApiKeyAuth``, with the
area's scope for a write), and every error as an OperationOutcome."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from silta.accounts.actor import Actor
from silta.api_keys.auth import ApiKeyAuth, api_actor
from silta.api_keys.scopes import SAFE_METHODS
from silta.core.errors import ServiceError
from silta.fhir.outcome import FhirError, error_response, from_service_error

logger = logging.getLogger("silta.fhir")
View = Callable[..., Any]


def authenticate(request: HttpRequest, scope: str | None = "") -> Actor:
    """The key's actor; 401 without a valid key, 403 ``scope_missing`` (audited) for a
    write the key's scopes do not allow (``scope=None``: a POST that only reads)."""
    if ApiKeyAuth(scope=scope)(request) is None:
        raise FhirError(401, "unauthorized", _("A valid API key is required."))
    return api_actor(request)


def fhir_view(view: View) -> View:
    """Errors of the view and of the services it calls as OperationOutcomes, in the
    language of ``Accept-Language`` (fi, sv, en) as in the JSON API."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = _answer(view, request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapper


def _answer(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    writing = request.method not in SAFE_METHODS
    try:
        return view(request, *args, **kwargs)
    except FhirError as error:
        return error_response(error)
    except ServiceError as exc:
        return error_response(from_service_error(exc, writing=writing))
    except (OperationalError, InterfaceError):
        response = error_response(
            FhirError(
                503,
                "database_unavailable",
                _("The service is temporarily unavailable. Try again shortly."),
            )
        )
        response["Retry-After"] = "30"
        return response


def json_body(request: HttpRequest, content_types: tuple[str, ...]) -> Any:
    """The request's JSON body; 415 for another content type, 400 if unreadable."""
    content_type = request.content_type or ""
    if content_type not in content_types:
        raise FhirError(
            415,
            "unsupported_media_type",
            _("Send the body as %(types)s.") % {"types": " or ".join(content_types)},
        )
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FhirError(400, "bad_json", _("The body is not valid JSON.")) from None


def if_match_version(request: HttpRequest) -> int | None:
    """The version in ``If-Match: W/"3"`` (None when absent)."""
    raw = request.headers.get("If-Match")
    if not raw:
        return None
    digits = raw.removeprefix("W/").strip('"')
    if not digits.isdigit():
        raise FhirError(400, "bad_if_match", _('Write If-Match as W/"<version>".'))
    return int(digits)
