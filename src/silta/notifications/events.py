"""Delivery events of Suomi.fi Messages: the worker reads the service's events from where
it stopped last (the continuation token, kept in ``EventCursor``) and records each sent
message's state on its delivery (in the client's mailbox, read), for the administrators'
delivery log. Events of messages Silta does not know (another system of the same
organisation) are passed over; a state never goes back (read stays read). Nothing of the
client is read or stored here: only the service's message ids and times."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from silta.notifications.models import Channel, Delivery, EventCursor, ProviderState
from silta.notifications.suomifi import Event, MessagesClient, MessagesConfig

CURSOR = "suomifi_events"
# Pages read in one run at most; the rest waits for the next run (the token is kept).
MAX_PAGES = 50
RANK = {"": 0, ProviderState.CREATED: 1, ProviderState.READ: 2}


def _record(events: list[Event]) -> int:
    ids = {event.message_id for event in events}
    deliveries = {
        d.provider_message_id: d
        for d in Delivery.objects.filter(channel=Channel.SUOMIFI, provider_message_id__in=ids)
    }
    changed = 0
    for event in events:
        delivery = deliveries.get(event.message_id)
        if delivery is None or RANK[event.state] <= RANK[delivery.provider_state]:
            continue
        delivery.provider_state = event.state
        delivery.provider_state_at = event.at or timezone.now()
        delivery.save(update_fields=["provider_state", "provider_state_at"])
        changed += 1
    return changed


def poll_delivery_events(
    client: MessagesClient | None = None, *, max_pages: int = MAX_PAGES
) -> int:
    """Read the new events and record them; returns how many deliveries changed. A
    failing call (``MessagesError``) stops the run with the token of the last page read."""
    if client is None:
        config = MessagesConfig.from_settings()
        if config is None:
            return 0
        client = MessagesClient(config)
    cursor, _created = EventCursor.objects.get_or_create(name=CURSOR)
    changed = 0
    for _page in range(max_pages):
        page = client.events(cursor.token)
        with transaction.atomic():
            changed += _record(page.events)
            cursor.token = page.token
            cursor.updated_at = timezone.now()
            cursor.save(update_fields=["token", "updated_at"])
        if page.empty:
            break
    return changed
