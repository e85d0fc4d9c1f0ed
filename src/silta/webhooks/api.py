"""API: the key's unit's webhook subscriptions (list, create, change, delete, rotate the
secret), their delivery log and manual replay. Changing needs the key's ``webhooks``
scope. The same selectors and services as the admin."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from silta.api_keys.auth import api_actor
from silta.core.api_schemas import ErrorOut
from silta.core.events import EventType
from silta.webhooks import selectors, services
from silta.webhooks.inputs import SubscriptionInput
from silta.webhooks.models import Attempt, Delivery, Subscription

router = Router(tags=["webhooks"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
READ_ERRORS = {400: ErrorOut, 404: ErrorOut}


class EventTypeOut(Schema):
    type: str
    label: str


class SubscriptionOut(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    is_active: bool
    disabled_at: dt.datetime | None
    disabled_reason: str
    consecutive_failures: int
    previous_secret_valid_until: dt.datetime | None
    created_at: dt.datetime


class SubscriptionSecretOut(SubscriptionOut):
    """``secret`` (``whsec_…``) is shown only here, once: keep it in the receiving system."""

    secret: str


class AttemptOut(Schema):
    number: int
    at: dt.datetime
    status_code: int | None
    latency_ms: int
    error: str
    succeeded: bool
    replay: bool


class DeliveryOut(Schema):
    id: uuid.UUID
    webhook_id: str
    event_type: str
    object_type: str
    object_id: uuid.UUID
    occurred_at: dt.datetime
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    finished_at: dt.datetime | None
    log: list[AttemptOut]


class DeliveriesPage(Schema):
    page: int
    has_next: bool
    items: list[DeliveryOut]


class SubscriptionIn(SubscriptionInput):
    """``url``: https (plain http only to this machine in development); ``event_types``:
    values of ``GET /webhooks/event-types``."""


def _subscription(sub: Subscription, secret: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": sub.public_id,
        "unit_id": sub.unit.public_id,
        "url": sub.url,
        "description": sub.description,
        "event_types": sub.event_types,
        "is_active": sub.is_active,
        "disabled_at": sub.disabled_at,
        "disabled_reason": sub.disabled_reason,
        "consecutive_failures": sub.consecutive_failures,
        "previous_secret_valid_until": sub.previous_secret_until if sub.previous_secret else None,
        "created_at": sub.created_at,
    }
    if secret is not None:
        out["secret"] = secret
    return out


def _attempt(row: Attempt) -> AttemptOut:
    return AttemptOut(
        number=row.number,
        at=row.at,
        status_code=row.status_code,
        latency_ms=row.latency_ms,
        error=row.error,
        succeeded=row.succeeded,
        replay=row.replay,
    )


def _delivery(row: Delivery) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "webhook_id": row.event.webhook_id,
        "event_type": row.event.type,
        "object_type": row.event.object_type,
        "object_id": row.event.object_id,
        "occurred_at": row.event.occurred_at,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "finished_at": row.finished_at,
        "log": [_attempt(a) for a in row.log.all()],
    }


@router.get(
    "/webhooks/event-types",
    response={200: list[EventTypeOut]},
    summary="The event types a subscription may ask for",
)
def event_types(request: HttpRequest) -> Any:
    return [{"type": value, "label": str(label)} for value, label in EventType.choices]


@router.get(
    "/webhooks/subscriptions",
    response={200: list[SubscriptionOut]},
    summary="The key's unit's webhook subscriptions",
)
def subscription_list(request: HttpRequest) -> Any:
    return [_subscription(s) for s in selectors.subscription_list(actor=api_actor(request))]


@router.post(
    "/webhooks/subscriptions",
    response={201: SubscriptionSecretOut, **ERRORS},
    summary="Subscribe the key's unit's system to event types (the secret is shown once)",
)
def subscription_create(request: HttpRequest, data: SubscriptionIn) -> Any:
    actor = api_actor(request)
    issued = services.subscription_create(actor=actor, unit=selectors.key_unit(actor), data=data)
    return Status(201, _subscription(issued.subscription, issued.secret))


@router.get(
    "/webhooks/subscriptions/{subscription_id}",
    response={200: SubscriptionOut, **READ_ERRORS},
)
def subscription_detail(request: HttpRequest, subscription_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    return _subscription(selectors.subscription_get(actor=actor, subscription_id=subscription_id))


@router.put(
    "/webhooks/subscriptions/{subscription_id}",
    response={200: SubscriptionOut, **ERRORS},
    summary="Change a subscription; is_active true turns a disabled one on again",
)
def subscription_update(
    request: HttpRequest, subscription_id: uuid.UUID, data: SubscriptionIn
) -> Any:
    actor = api_actor(request)
    found = selectors.subscription_get(actor=actor, subscription_id=subscription_id)
    return _subscription(services.subscription_update(actor=actor, subscription=found, data=data))


@router.delete(
    "/webhooks/subscriptions/{subscription_id}",
    response={204: None, **ERRORS},
    summary="Delete a subscription with its delivery log",
)
def subscription_delete(request: HttpRequest, subscription_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    found = selectors.subscription_get(actor=actor, subscription_id=subscription_id)
    services.subscription_delete(actor=actor, subscription=found)
    return Status(204, None)


@router.post(
    "/webhooks/subscriptions/{subscription_id}/rotate-secret",
    response={200: SubscriptionSecretOut, **ERRORS},
    summary="A new secret; the previous one keeps signing too for the overlap period",
)
def secret_rotate(request: HttpRequest, subscription_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    found = selectors.subscription_get(actor=actor, subscription_id=subscription_id)
    issued = services.secret_rotate(actor=actor, subscription=found)
    return _subscription(issued.subscription, issued.secret)


@router.get(
    "/webhooks/subscriptions/{subscription_id}/deliveries",
    response={200: DeliveriesPage, **READ_ERRORS},
    summary="The delivery log, newest first (status: pending, succeeded or failed)",
)
def delivery_list(
    request: HttpRequest, subscription_id: uuid.UUID, status: str = "", page: int = 1
) -> Any:
    actor = api_actor(request)
    found = selectors.subscription_get(actor=actor, subscription_id=subscription_id)
    result = selectors.delivery_list(subscription=found, status=status, page=page)
    return {
        "page": result.number,
        "has_next": result.has_next,
        "items": [_delivery(d) for d in result.items],
    }


@router.post(
    "/webhooks/subscriptions/{subscription_id}/deliveries/{delivery_id}/replay",
    response={202: DeliveryOut, **ERRORS},
    summary="Send a finished delivery again, with the same webhook-id",
)
def delivery_replay(
    request: HttpRequest, subscription_id: uuid.UUID, delivery_id: uuid.UUID
) -> Any:
    actor = api_actor(request)
    found = selectors.subscription_get(actor=actor, subscription_id=subscription_id)
    delivery = selectors.delivery_get(actor=actor, subscription=found, delivery_id=delivery_id)
    return Status(202, _delivery(services.delivery_replay(actor=actor, delivery=delivery)))
