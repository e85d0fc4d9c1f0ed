"""The current request's id and source address, for audit events and log lines.

Set by ``RequestContextMiddleware`` for web and API requests; management commands and
tasks run with the defaults (no request id, no address).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    source_address: str | None = None


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "silta_request_context",
    default=RequestContext(),  # noqa: B039 (frozen, immutable)
)


def current() -> RequestContext:
    return _current.get()


def activate(context: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(context)


def deactivate(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)
