"""The request an API operation gets behind ``ApiKeyAuth``, typed.

Django Ninja sets ``request.auth`` to what the authenticator returned (the unit's key)
and ``ApiKeyAuth.authenticate`` sets ``request.actor``. Ninja hands operations Django's
``HttpRequest``; the helpers that read the two (``api_actor``, ``run_idempotent``) name
this class so the attributes are checked. A type only, like
``silta.accounts.request.AuthenticatedRequest`` for staff pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from silta.accounts.actor import Actor
    from silta.api_keys.models import ApiKey


class ApiRequest(HttpRequest):
    auth: ApiKey
    actor: Actor
