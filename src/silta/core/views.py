"""Turning service errors into pages and htmx fragments; error pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from silta.core.errors import Forbidden, NotFound, ServiceError

if TYPE_CHECKING:
    from silta.accounts.models import User

View = Callable[..., HttpResponseBase]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def service_errors(view: View) -> View:
    """NotFound becomes the ordinary 404 page, Forbidden the 403 page; any other service
    error a page (or htmx fragment) that shows its translated message."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ServiceError as exc:
            template = "core/error_fragment.html" if is_htmx(request) else "core/error.html"
            return render(request, template, {"error": exc}, status=exc.status)

    return wrapper


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (the middleware lets no one else reach a view)."""
    return cast("User", request.user)
