"""Sign a client in without the identity provider (tests and the browser test only)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.test import Client as Browser

from silta.clients.models import Client
from silta.consents.models import PowerOfAttorney
from silta.portal.session import sign_in_client


def client_session_key(
    client: Client, *, acting_for: Client | PowerOfAttorney | None = None
) -> str:
    """A fresh saved session in which ``client`` is signed in; returns its key (cookie)."""
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore()
    request.user = AnonymousUser()
    sign_in_client(request, client, acting_for=acting_for, method="test")
    request.session.save()
    return str(request.session.session_key)


def sign_in_as(
    browser: Browser, client: Client, *, acting_for: Client | PowerOfAttorney | None = None
) -> None:
    """Make the test ``browser`` carry a session in which ``client`` is signed in (any
    earlier session of the browser is replaced; its other cookies, such as the language,
    are kept)."""
    browser.cookies[settings.SESSION_COOKIE_NAME] = client_session_key(
        client, acting_for=acting_for
    )
