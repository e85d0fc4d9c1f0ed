"""Which language a page is in: the user's saved choice, else the language switcher's
cookie, else Finnish. Never the browser's Accept-Language: the README promises Finnish
unless the user chose otherwise. The JSON API still follows ``Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


def supported(code: str | None) -> str | None:
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else None


def page_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and supported(getattr(user, "language", "")):
        return str(user.language)
    chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    return chosen or settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    """In place of Django's LocaleMiddleware, after authentication (it reads the user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            language = translation.get_language_from_request(request)
        else:
            language = page_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
