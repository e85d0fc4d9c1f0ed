"""Start-up checks of the identity provider settings (``manage.py check``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from silta.oidc.providers import Provider, client_provider, staff_providers

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _problems(provider: Provider) -> list[str]:
    problems = []
    parts = urlsplit(provider.issuer)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        problems.append("its issuer must be https (http only on loopback)")
    if not provider.client_id:
        problems.append("it needs a client id")
    if settings.IS_PRODUCTION and not provider.client_secret:
        problems.append("it needs a client secret in production")
    return problems


@register()
def identity_providers(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    try:
        providers = list(staff_providers())
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="oidc.E001")]
    client = client_provider()
    if client is not None:
        providers.append(client)
    for provider in providers:
        for problem in _problems(provider):
            errors.append(Error(f"Identity provider {provider.key!r}: {problem}.", id="oidc.E002"))
    return errors
