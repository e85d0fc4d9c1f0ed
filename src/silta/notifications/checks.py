"""Settings checks: the notification channels are known ones, and Suomi.fi Messages, when
switched on, is configured completely and reached over https."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CHANNELS = {"email", "suomifi"}


@register()
def notification_channels(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    unknown = sorted(set(settings.SILTA_NOTIFICATION_CHANNELS) - CHANNELS)
    if not unknown:
        return []
    return [
        Error(
            "SILTA_NOTIFICATION_CHANNELS names unknown channels: "
            + ", ".join(unknown)
            + " (known: email, suomifi)",
            id="silta.notifications.E003",
        )
    ]


@register()
def suomifi_messages_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    url = settings.SILTA_SUOMIFI_MESSAGES_URL
    if not url:
        return []
    errors = []
    missing = [
        name
        for name in (
            "SILTA_SUOMIFI_MESSAGES_USERNAME",
            "SILTA_SUOMIFI_MESSAGES_PASSWORD",
            "SILTA_SUOMIFI_MESSAGES_SERVICE_ID",
        )
        if not getattr(settings, name)
    ]
    if missing:
        errors.append(
            Error(
                "Suomi.fi Messages is on (SILTA_SUOMIFI_MESSAGES_URL) but not configured: "
                + ", ".join(missing),
                id="silta.notifications.E001",
            )
        )
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.hostname not in LOOPBACK:
        errors.append(
            Error(
                "SILTA_SUOMIFI_MESSAGES_URL must be https (plain http only on loopback).",
                id="silta.notifications.E002",
            )
        )
    return errors
