"""Notify a client: ``notify_client`` records the notification and queues its delivery.

The triggers (meetings, referrals, the consent-expiry job) call it inside the
transaction of the action that caused it. It never raises and never waits for a
channel: the rows are written in a savepoint (a failure there is logged and the staff
action goes on), and the deliveries are queued for the worker once the transaction
commits (``transaction.on_commit``); a rolled-back action notifies nobody. A client who
has chosen no channel gets a notification recorded as "no channel", and nothing else.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.clients.models import Client
from silta.core.errors import Invalid
from silta.notifications.channels import chosen_channels
from silta.notifications.content import link_path_for
from silta.notifications.delivery import enqueue_deliveries
from silta.notifications.models import (
    Delivery,
    Language,
    Notification,
    NotificationPreference,
    Outcome,
)

logger = logging.getLogger(__name__)


def notify_client(
    client: Client, kind: str, link_path: str | None = None, *, dedup_key: str = ""
) -> Notification | None:
    """Tell ``client`` there is something new (``kind``: ``NotificationKind``) linking to
    ``link_path`` (default: the client's page for the kind). None when nothing was
    recorded: a once-only ``dedup_key`` already used, or an error (logged)."""
    try:
        with transaction.atomic():
            if dedup_key and Notification.objects.filter(dedup_key=dedup_key).exists():
                return None
            preference = NotificationPreference.objects.filter(client=client).first()
            channels = chosen_channels(preference)
            notification = Notification.objects.create(
                client=client,
                kind=kind,
                link_path=link_path or link_path_for(kind),
                language=preference.language if preference else Language.FI,
                outcome=Outcome.QUEUED if channels else Outcome.NO_CHANNEL,
                dedup_key=dedup_key,
                created_at=timezone.now(),
            )
            ids = [
                Delivery.objects.create(notification=notification, channel=channel).pk
                for channel in channels
            ]
    except Exception:
        logger.exception("Notification not recorded (kind %s)", kind)
        return None
    if ids:
        transaction.on_commit(functools.partial(enqueue_deliveries, ids), robust=True)
    return notification


class PreferenceInput(pydantic.BaseModel):
    """The client's channels and language, from the preferences form."""

    model_config = pydantic.ConfigDict(frozen=True)

    email: str = ""
    use_suomifi: bool = False
    language: str = Language.FI


def preference_set(
    *,
    client: Client,
    data: PreferenceInput,
    actor: Actor | None = None,
    detail: dict[str, Any] | None = None,
) -> NotificationPreference:
    """Save the client's choice (an empty e-mail address turns e-mail off), audited with
    the client as the subject and ``actor`` (the client in their own view) as who."""
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(
                _("Check the e-mail address: it is not complete."),
                code="email_invalid",
                field="email",
            ) from None
    if data.language not in Language.values:
        raise Invalid(_("Choose a language."), code="language_invalid", field="language")
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            client=client,
            defaults={
                "email": email,
                "use_suomifi": bool(data.use_suomifi),
                "language": data.language,
                "updated_at": timezone.now(),
            },
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=preference,
            client=client,
            detail={**(detail or {}), "page": "notification_preferences"},
        )
    return preference
