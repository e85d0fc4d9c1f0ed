"""Domain events: one ``publish`` any app calls, receivers that other apps register.

An app announces that something changed (a referral moved, a message arrived...) with
``publish(EventType.X, unit_ids, object_type, object_id)`` inside the service's
transaction. The receivers run at once, inside that transaction (a transactional outbox):
what they write commits with the change or rolls back with it, so a committed change is
never without its event and a rolled-back change announces nothing. Work that must wait
for the commit (waking the worker) the receivers schedule themselves with ``on_commit``.
Events carry ids only (never client data or identity codes): whoever learns of one
fetches the object through the API, with its own access checks.

The webhooks app registers a receiver at start-up; publishers never import it, so this
module lives at the bottom layer and any app may emit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """Full-stop delimited, as the Standard Webhooks specification recommends."""

    REFERRAL_SENT = "referral.sent", _("Referral sent")
    REFERRAL_STATUS_CHANGED = "referral.status_changed", _("Referral status changed")
    MESSAGE_CREATED = "message.created", _("Message received")
    RECEIPT_READ = "receipt.read", _("Message read by the recipient")
    CALLBACK_CREATED = "callback.created", _("Call-back requested")
    CALLBACK_CHANGED = "callback.changed", _("Call-back request changed")
    MEETING_CHANGED = "meeting.changed", _("Meeting arranged or changed")
    BOOKING_CHANGED = "booking.changed", _("Booking made or changed")
    CONSENT_REVOKED = "consent.revoked", _("Consent revoked")


@dataclass(frozen=True)
class DomainEvent:
    type: str
    unit_ids: frozenset[int]
    object_type: str
    object_id: uuid.UUID
    occurred_at: dt.datetime


Receiver = Callable[[DomainEvent], object]
_receivers: list[Receiver] = []


def register(receiver: Receiver) -> None:
    """Call ``receiver`` with every event, inside the publishing transaction (idempotent)."""
    if receiver not in _receivers:
        _receivers.append(receiver)


def publish(
    event_type: str,
    unit_ids: Iterable[int | None],
    object_type: str,
    object_id: uuid.UUID,
) -> None:
    """Announce a change to the ``unit_ids`` concerned, in the current transaction.

    Call it inside the service's ``transaction.atomic()`` block. The time is taken now,
    under the writing transaction's row locks, so two changes of one object are ordered as
    they happened. A receiver that fails raises here and the change rolls back with it:
    a change is not committed without its event.
    """
    event = DomainEvent(
        type=str(event_type),
        unit_ids=frozenset(u for u in unit_ids if u is not None),
        object_type=object_type,
        object_id=object_id,
        occurred_at=timezone.now(),
    )
    if event.unit_ids:
        for receiver in list(_receivers):
            receiver(event)
