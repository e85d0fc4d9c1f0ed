"""The receiver of ``silta.core.events``, a transactional outbox: an announced change
becomes one ``WebhookEvent`` and a ``Delivery`` per active subscription of the units
concerned that asked for its type, written inside the announcing transaction.

So the event commits with the change or not at all: a process that dies after the commit
leaves the pending deliveries for the worker (``tasks.sweep`` finds them), and a rolled-back
change leaves none. With no subscription interested it writes nothing. Waking the delivery
job waits for the commit (the worker must see the rows).
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
    # robust: the change is committed by then; a failed wake is made good by the sweep.
    transaction.on_commit(wake, robust=True)
    return row
