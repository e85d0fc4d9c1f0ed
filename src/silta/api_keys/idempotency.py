"""``Idempotency-Key`` for API POSTs: a retried request returns the first result.

The first request with a key stores its status and body; a retry with the same key and
the same content gets them back and creates nothing. The same key with different content
is refused (409). Concurrent duplicates wait on the key's unique row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, cast

import orjson
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from silta.api_keys.models import IdempotencyRecord
from silta.api_keys.request import ApiRequest
from silta.core.api_input import refuse_unstorable_text
from silta.core.errors import Conflict, Invalid, ServiceError
from silta.core.renderer import dumps

HEADER = "Idempotency-Key"
Result = tuple[int, Any]


def _fingerprint(request: HttpRequest, payload: Any) -> str:
    hasher = hashlib.sha256()
    hasher.update(f"{request.method} {request.path}\n".encode())
    hasher.update(repr(payload).encode())
    for field, files in sorted(request.FILES.lists()):
        for upload in files:
            hasher.update(f"{field}:{upload.name}:{upload.size}".encode())
            for chunk in upload.chunks():
                hasher.update(chunk)
            upload.seek(0)
    return hasher.hexdigest()


def error_body(error: ServiceError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "message": str(error.message)}
    if error.field:
        body["field"] = error.field
    body.update(error.details())
    return body


def run_idempotent(request: HttpRequest, payload: Any, handler: Callable[[], Result]) -> Result:
    """Run ``handler`` once per ``Idempotency-Key``; service errors are results too."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return _as_result(handler)
    if len(key) > 200:
        raise Invalid(
            _("The Idempotency-Key is too long (at most 200 characters)."),
            code="idempotency_key_invalid",
        )
    refuse_unstorable_text(key, field=HEADER)
    # Behind ApiKeyAuth: Ninja set ``auth`` to the unit's key.
    api_key = cast(ApiRequest, request).auth
    fingerprint = _fingerprint(request, payload)
    with transaction.atomic():
        record, created = IdempotencyRecord.objects.select_for_update().get_or_create(
            api_key=api_key, key=key, defaults={"fingerprint": fingerprint}
        )
        if not created:
            if record.fingerprint != fingerprint:
                raise Conflict(
                    _("This Idempotency-Key was already used for a different request."),
                    code="idempotency_key_reused",
                )
            return record.status_code or 200, record.response
        status, body = _as_result(handler)
        # Stored as the response's JSON gives it (UUIDs, times), so a retry gets the same.
        body = orjson.loads(dumps(body))
        record.status_code, record.response = status, body
        record.save(update_fields=["status_code", "response"])
    return status, body


def _as_result(handler: Callable[[], Result]) -> Result:
    try:
        return handler()
    except ServiceError as error:
        return error.status, error_body(error)
