"""The request a staff page gets: what ``StaffLoginRequiredMiddleware`` guarantees, typed.

Django's ``HttpRequest`` knows nothing of ``request.actor``, and its ``user`` may be
anonymous. Behind the middleware neither is so, and a view says it by annotating its
request with this class (the django-stubs "authenticated request" pattern). It is a type
only: the object is still Django's request, the middleware sets ``actor`` on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from silta.accounts.actor import Actor
    from silta.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A signed-in, second-factor-verified staff member's request (not under a public
    prefix of the middleware: ``/api/`` has its own, ``silta.api_keys.auth.ApiRequest``)."""

    user: User
    # Built on first use (a lazy object standing in for the Actor: one query, only if read).
    actor: Actor
