"""API authentication: ``Authorization: Bearer silta_<prefix>_<secret>``, and the key's
scope for operations that change something (``scopes.py``)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from silta.accounts.actor import Actor
from silta.api_keys.request import ApiRequest
from silta.api_keys.scopes import SAFE_METHODS, Scope
from silta.api_keys.services import api_key_authenticate
from silta.audit.denial import deny

SCOPES_HELP = (
    "A unit's API key. Every key reads what its unit may see; an operation that changes "
    "something needs the key's scope for its area (the operation's tag): "
    + ", ".join(f"`{code}`" for code in Scope.values)
    + ". A key without scopes is read-only; a missing scope is 403 `scope_missing`."
)


class ApiKeyAuth(HttpBearer):
    """``scope``: what a changing operation needs (its router's tag); None: the operation
    changes nothing even though it is a POST (a lookup by identity code in the body)."""

    openapi_description = SCOPES_HELP

    def __init__(self, scope: str | None = "") -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_key = api_key_authenticate(token)
        if api_key is None:
            return None
        actor = Actor.for_api_key(api_key)
        cast(ApiRequest, request).actor = actor
        if self.scope is None or request.method in SAFE_METHODS:
            return api_key
        if not api_key.may_change(self.scope):
            raise deny(
                actor,
                message=_("This API key may not change this (scope “%(scope)s” missing).")
                % {"scope": self.scope},
                code="scope_missing",
                unit_id=api_key.unit_id,
                detail={"scope": self.scope, "method": request.method, "path": request.path},
            )
        return api_key


# A POST that only reads (the identity code goes in the body, never in the URL).
READING = ApiKeyAuth(scope=None)


def api_actor(request: HttpRequest) -> Actor:
    """The actor of an operation behind ``ApiKeyAuth`` (set by ``authenticate``)."""
    return cast(ApiRequest, request).actor
