"""The worker's side: deliver one notification by one channel, retry with backoff.

``deliver`` (django-tasks, run by ``manage.py worker``) sends one ``Delivery``. A failure
the other end may get over (a mail server or Suomi.fi Messages down, 429, 5xx, a lapsed
token) is retried after ``SILTA_NOTIFICATION_RETRY_SECONDS`` x 2^(attempt-1), at most six
hours and never before the ``Retry-After`` the service asked for, until
``SILTA_NOTIFICATION_MAX_ATTEMPTS`` attempts; then, and at once for a refusal that would
repeat (400 validation, a refused address), the delivery is "failed". A client without
Suomi.fi Messages in use is "no mailbox". Each step is in the delivery log (the admin).
``retry_due_deliveries`` (queued periodically) re-queues any delivery whose job was lost.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from silta.notifications.channels import send_email, send_suomifi
from silta.notifications.content import render
from silta.notifications.errors import DeliveryError
from silta.notifications.models import (
    FINAL_STATUSES,
    Channel,
    Delivery,
    DeliveryStatus,
    NotificationPreference,
)
from silta.notifications.suomifi import NoMailbox

logger = logging.getLogger(__name__)
MAX_DELAY = dt.timedelta(hours=6)
# A pending delivery older than this had its job lost (the sweep queues it again).
LOST_AFTER = dt.timedelta(minutes=2)


def backoff(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    """The wait before the next attempt after ``attempts`` failed ones."""
    base = settings.SILTA_NOTIFICATION_RETRY_SECONDS
    delay = dt.timedelta(seconds=base * 2 ** max(0, attempts - 1))
    delay = min(delay, MAX_DELAY)
    if retry_after is not None:
        delay = max(delay, dt.timedelta(seconds=min(retry_after, MAX_DELAY.total_seconds())))
    return delay


def enqueue_deliveries(ids: list[int], run_after: dt.datetime | None = None) -> None:
    """Queue each delivery for the worker; one that cannot be queued now is left to the
    sweep (``retry_due_deliveries``)."""
    job = deliver.using(run_after=run_after) if run_after is not None else deliver
    for delivery_id in ids:
        try:
            job.enqueue(delivery_id)
        except Exception:
            logger.exception("Delivery %s not queued; the sweep will queue it", delivery_id)


def _send(delivery: Delivery) -> str:
    notification = delivery.notification
    text = render(notification)
    if delivery.channel == Channel.SUOMIFI:
        return send_suomifi(notification.client, text, str(delivery.external_id))
    # The address is read now: a corrected address is used by the retries.
    preference = NotificationPreference.objects.filter(client_id=notification.client_id).first()
    if preference is None or not preference.email:
        raise DeliveryError("email:no_address", retryable=False)
    return send_email(preference.email, text)


def _failed(delivery: Delivery, error: DeliveryError, now: dt.datetime) -> None:
    delivery.last_error = error.log_text[:100]
    if isinstance(error, NoMailbox):
        delivery.status, delivery.next_attempt_at = DeliveryStatus.NO_MAILBOX, None
    elif not error.retryable or delivery.attempts >= settings.SILTA_NOTIFICATION_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + backoff(delivery.attempts, error.retry_after)


@task()
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; returns its status afterwards. A delivery already
    done, or not due yet (a duplicate job), is left as it is."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification__client")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status in FINAL_STATUSES:
            return str(delivery.status)
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return "not_due"
        delivery.attempts += 1
        delivery.last_attempt_at = now
        try:
            delivery.provider_message_id = _send(delivery)[:40]
        except DeliveryError as error:
            _failed(delivery, error, now)
        else:
            delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
            delivery.next_attempt_at, delivery.last_error = None, ""
        delivery.save()
        if delivery.status == DeliveryStatus.RETRYING:
            transaction.on_commit(
                lambda: enqueue_deliveries([delivery_id], run_after=delivery.next_attempt_at)
            )
    return str(delivery.status)


@task()
def retry_due_deliveries() -> int:
    """Queue again the deliveries whose retry is due or whose job was lost."""
    now = timezone.now()
    due = Delivery.objects.filter(
        Q(status=DeliveryStatus.RETRYING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.PENDING, notification__created_at__lte=now - LOST_AFTER)
    ).values_list("pk", flat=True)
    ids = list(due[:1000])
    enqueue_deliveries(ids)
    return len(ids)
