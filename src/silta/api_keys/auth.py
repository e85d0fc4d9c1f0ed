"""API authentication: ``Authorization: Bearer silta_<prefix>_<secret>``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from silta.accounts.actor import Actor
from silta.api_keys.services import api_key_authenticate


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_key = api_key_authenticate(token)
        if api_key is None:
            return None
        request.actor = Actor.for_api_key(api_key)  # type: ignore[attr-defined]
        return api_key


def api_actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor
