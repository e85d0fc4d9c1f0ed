"""Request-wide middleware: request id and address, and the Content-Security-Policy."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from silta.core import request_context

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address, as the last of ``SILTA_TRUSTED_PROXY_COUNT`` proxies saw it.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``,
    so only the rightmost entries were written by proxies we trust; anything to their
    left came from the client and may be forged. With N trusted proxies in front of the
    application the client is the N-th entry from the right (the rightmost untrusted
    one). With none (the default) the header is ignored. A header with fewer entries
    than proxies gives its leftmost entry (every entry was written by a trusted proxy);
    an entry that is not an IP address gives the connecting address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.SILTA_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    return _ip(entries[max(0, len(entries) - count)]) or remote


class RequestContextMiddleware:
    """Give every request an id (or keep the proxy's X-Request-ID) for audit and logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        token = request_context.activate(
            request_context.RequestContext(
                request_id=request_id, source_address=client_address(request)
            )
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """A strict CSP on every response: nothing inline, nothing from other origins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.SILTA_CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
