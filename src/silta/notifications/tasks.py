"""Periodic notification jobs (django-tasks; queued by ``manage.py client_notifications``).

``notify_expiring_consents``: a client whose consent is in force and ends within
``SILTA_CONSENT_EXPIRY_WARNING_DAYS`` working days (``consents.expiry``, the same window
the case workers are warned in) is told once per consent that there is something new.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from silta.consents.expiry import window_end
from silta.consents.models import Consent
from silta.notifications.delivery import retry_due_deliveries
from silta.notifications.events import poll_delivery_events
from silta.notifications.models import NotificationKind
from silta.notifications.services import notify_client
from silta.workdays.calendar import local_date

__all__ = ["notify_expiring_consents", "read_delivery_events", "retry_due_deliveries"]


@task()
def read_delivery_events() -> int:
    """Record the new delivery events of Suomi.fi Messages (``notifications.events``)."""
    return poll_delivery_events()


def consent_dedup_key(consent: Consent) -> str:
    return f"consent_expiring:{consent.public_id}"


@task()
def notify_expiring_consents() -> int:
    """Notify each client of a consent about to expire, once; returns how many."""
    today = local_date(timezone.now())
    consents = (
        Consent.objects.filter(
            valid_from__lte=today,
            valid_until__gte=today,
            valid_until__lt=window_end(today),
            revocation__isnull=True,
        )
        .select_related("client")
        .order_by("valid_until", "pk")
    )
    notified = 0
    for consent in consents.iterator():
        if notify_client(
            consent.client,
            NotificationKind.CONSENT_EXPIRING,
            dedup_key=consent_dedup_key(consent),
        ):
            notified += 1
    return notified
