"""Errors raised by services and selectors, each with a stable code.

One handler per interface turns them into a response: ``silta.core.views`` renders a
translated page or htmx fragment, ``silta.config.api`` a JSON body ``{code, message}``.
"""

from __future__ import annotations

from django.utils.functional import Promise


class ServiceError(Exception):
    """Base of the errors a service or selector may raise to its caller."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.field = field

    def details(self) -> dict[str, object]:
        """Extra members of the API's error body (none by default)."""
        return {}


class Invalid(ServiceError):
    """Bad input: nothing was changed."""

    status = 400
    default_code = "invalid"


class NotFound(ServiceError):
    """Does not exist, or is not the actor's to see: the two are never told apart."""

    status = 404
    default_code = "not_found"


class Forbidden(ServiceError):
    """The actor may see the object but their role does not allow this action."""

    status = 403
    default_code = "forbidden"


class Conflict(ServiceError):
    """The action does not fit the object's current state (stale page, double post...)."""

    status = 409
    default_code = "conflict"
