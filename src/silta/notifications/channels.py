"""The notification backends, chosen by settings.

``SILTA_NOTIFICATION_CHANNELS`` lists the channels this instance uses (default: both):
``email`` through Django's e-mail backend (``EMAIL_URL``), ``suomifi`` through Suomi.fi
Messages, which is on only when ``SILTA_SUOMIFI_MESSAGES_URL`` is set. A client gets a
channel they chose that the instance uses.
"""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from silta.clients.models import Client
from silta.notifications.content import Text
from silta.notifications.errors import DeliveryError
from silta.notifications.models import Channel, NotificationPreference
from silta.notifications.suomifi import MessagesClient, MessagesConfig, NoMailbox


def enabled_channels() -> set[str]:
    wanted = set(settings.SILTA_NOTIFICATION_CHANNELS)
    enabled = {Channel.EMAIL.value} & wanted
    if Channel.SUOMIFI in wanted and MessagesConfig.from_settings() is not None:
        enabled.add(Channel.SUOMIFI.value)
    return enabled


def chosen_channels(preference: NotificationPreference | None) -> list[str]:
    """The channels a notification goes by: the client's choice that the instance uses."""
    if preference is None:
        return []
    chosen = []
    if preference.use_suomifi:
        chosen.append(Channel.SUOMIFI.value)
    if preference.email:
        chosen.append(Channel.EMAIL.value)
    enabled = enabled_channels()
    return [channel for channel in chosen if channel in enabled]


def send_email(address: str, text: Text) -> str:
    message = EmailMessage(
        subject=text.title, body=text.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        # A refused address is not worth retrying; a server that is down is.
        permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
        raise DeliveryError("email:" + type(error).__name__, retryable=not permanent) from None
    return ""


# One session per configuration, so the worker reuses its token between deliveries.
_clients: dict[MessagesConfig, MessagesClient] = {}


def messages_client() -> MessagesClient:
    config = MessagesConfig.from_settings()
    if config is None:
        raise DeliveryError("suomifi:off", retryable=False)
    if config not in _clients:
        _clients.clear()
        _clients[config] = MessagesClient(config)
    return _clients[config]


def send_suomifi(client: Client, text: Text, external_id: str) -> str:
    """Check the mailbox (the service allows the check only for sending), then send."""
    messages = messages_client()
    if not messages.has_mailbox(client.identity_code):
        raise NoMailbox()
    return messages.send_electronic(
        identity_code=client.identity_code,
        title=text.title,
        body=text.body,
        external_id=external_id,
    )
