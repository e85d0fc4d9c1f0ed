"""Domain events: one ``publish`` any app calls, receivers that other apps register.

An app announces that something changed (a referral moved, a message arrived...) with
``publish(EventType.X, unit_ids, object_type, object_id)`` inside the service's
transaction; the receivers run once that transaction has committed, so a rolled-back
change announces nothing. Events carry ids only (never client data or identity codes):
whoever learns of one fetches the object through the API, with its own access checks.

The webhooks app registers a receiver at start-up; publishers never import it, so this
module lives at the bottom layer and any app may emit.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("silta.events")


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
    """Call ``receiver`` with every event published after a commit (idempotent)."""
    if receiver not in _receivers:
        _receivers.append(receiver)


def publish(
    event_type: str,
    unit_ids: Iterable[int | None],
    object_type: str,
    object_id: uuid.UUID,
) -> None:
    """Announce a change to the ``unit_ids`` concerned, once the current transaction commits.

    The time is taken now, inside the writing transaction (under its row locks), so two
    changes of one object are ordered as they happened.
    """
    event = DomainEvent(
        type=str(event_type),
        unit_ids=frozenset(u for u in unit_ids if u is not None),
        object_type=object_type,
        object_id=object_id,
        occurred_at=timezone.now(),
    )
    if event.unit_ids and _receivers:
        # robust: the change is committed already; a failing receiver must not turn it
        # into an error page. Receivers log (and keep) their own failures.
        transaction.on_commit(partial(_dispatch, event), robust=True)


def _dispatch(event: DomainEvent) -> None:
    for receiver in list(_receivers):
        try:
            receiver(event)
        except Exception:
            logger.exception("event receiver failed for %s %s", event.type, event.object_id)
