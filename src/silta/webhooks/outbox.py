"""The receiver of ``silta.core.events``: an announced change becomes one ``WebhookEvent``
and a ``Delivery`` per active subscription of the units concerned that asked for its type.

It runs after the announcing transaction has committed; with no subscription interested it
writes nothing. Then it wakes the delivery job.
"""

from __future__ import annotations

from django.db import transaction

from silta.core.events import DomainEvent
from silta.webhooks.models import Delivery, Subscription, WebhookEvent
from silta.webhooks.tasks import wake


def event_record(event: DomainEvent) -> WebhookEvent | None:
    subscribed = [
        sub_id
        for sub_id, types in Subscription.objects.filter(
            unit_id__in=event.unit_ids, is_active=True
        ).values_list("pk", "event_types")
        if event.type in types
    ]
    if not subscribed:
        return None
    with transaction.atomic():
        row = WebhookEvent.objects.create(
            type=event.type,
            object_type=event.object_type,
            object_id=event.object_id,
            occurred_at=event.occurred_at,
        )
        Delivery.objects.bulk_create(
            Delivery(
                subscription_id=sub_id,
                event=row,
                object_id=row.object_id,
                occurred_at=row.occurred_at,
                next_attempt_at=row.occurred_at,
            )
            for sub_id in subscribed
        )
    wake()
    return row
