"""Delivering: claim the due deliveries, send them signed, log each try, schedule retries.

* Order per object: a subscription gets an object's event only once the object's earlier
  events to it have succeeded or been given up (``_claim``'s "earlier pending" test).
* Backoff: the n-th failed try waits ``base × 4^(n-1)`` (±20 % jitter, at least the
  receiver's ``Retry-After``, at most a day); after ``SILTA_WEBHOOK_MAX_ATTEMPTS`` tries
  the delivery is given up and the object's next event goes.
* ``SILTA_WEBHOOK_DISABLE_AFTER_FAILURES`` failed tries in a row, or a 410 Gone, turn the
  subscription off and e-mail the unit's administrators (``mail.py``).
* Idempotency: ``webhook-id`` is the event's id on every try and replay; only the
  ``webhook-timestamp`` (and so the signature) is new each time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from silta.webhooks import signing, transport
from silta.webhooks.mail import send_disabled_mail
from silta.webhooks.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Subscription,
    WebhookEvent,
)

BATCH = 500
MAX_DELAY_SECONDS = 24 * 3600
GONE = 410
_pool: ThreadPoolExecutor | None = None


@dataclass
class Tally:
    sent: int = 0
    succeeded: int = 0
    failed: int = 0
    given_up: int = 0
    disabled: int = 0


def payload(event: WebhookEvent) -> bytes:
    """The body: the event's type, id and time and the object's type and public id only."""
    return json.dumps(
        {
            "id": event.webhook_id,
            "type": event.type,
            "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": {"object_type": event.object_type, "object_id": str(event.object_id)},
        },
        separators=(",", ":"),
    ).encode()


def signing_secrets(sub: Subscription, now: dt.datetime) -> list[str]:
    overlap = sub.previous_secret and sub.previous_secret_until and sub.previous_secret_until > now
    return [sub.secret, sub.previous_secret] if overlap else [sub.secret]


def backoff(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    base = settings.SILTA_WEBHOOK_RETRY_BASE_SECONDS * 4 ** (attempts - 1)
    seconds = min(MAX_DELAY_SECONDS, base * random.uniform(0.8, 1.2))  # noqa: S311 (jitter)
    if retry_after is not None:
        seconds = min(MAX_DELAY_SECONDS, max(seconds, retry_after))
    return dt.timedelta(seconds=seconds)


def _heads() -> QuerySet[Delivery]:
    """The pending deliveries of active subscriptions that head their object's queue."""
    earlier = Delivery.objects.filter(
        subscription_id=OuterRef("subscription_id"),
        object_id=OuterRef("object_id"),
        status=DeliveryStatus.PENDING,
    ).filter(
        Q(occurred_at__lt=OuterRef("occurred_at"))
        | Q(occurred_at=OuterRef("occurred_at"), pk__lt=OuterRef("pk"))
    )
    return Delivery.objects.filter(
        status=DeliveryStatus.PENDING, subscription__is_active=True
    ).exclude(Exists(earlier))


def _claim(now: dt.datetime, limit: int) -> list[Delivery]:
    """The due deliveries that head their object's queue, leased to this worker (a
    crashed worker's lease runs out and another one tries again)."""
    due = (
        _heads()
        .filter(next_attempt_at__lte=now)
        .select_related("event", "subscription")
        .order_by("next_attempt_at", "pk")
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    lease = dt.timedelta(seconds=settings.SILTA_WEBHOOK_TIMEOUT_SECONDS * 2 + 30)
    with transaction.atomic():
        rows = list(due[:limit])
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(next_attempt_at=now + lease)
    return rows


def _send_one(delivery: Delivery, now: dt.datetime) -> transport.Outcome:
    body = payload(delivery.event)
    stamp = int(timezone.now().timestamp())
    secrets = signing_secrets(delivery.subscription, now)
    headers = signing.headers(delivery.event.webhook_id, stamp, body, secrets)
    timeout = settings.SILTA_WEBHOOK_TIMEOUT_SECONDS
    return transport.post(delivery.subscription.url, body, headers, timeout=timeout)


def _send(rows: list[Delivery], now: dt.datetime) -> list[transport.Outcome]:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(settings.SILTA_WEBHOOK_CONCURRENCY, "silta-webhook")
    return list(_pool.map(lambda d: _send_one(d, now), rows))


def deliver_batch(limit: int = BATCH) -> Tally | None:
    """Claim, send and record one batch; None when nothing is due."""
    now = timezone.now()
    rows = _claim(now, limit)
    if not rows:
        return None
    outcomes = _send(rows, now)
    return _record(rows, outcomes, timezone.now())


def _record(rows: list[Delivery], outcomes: list[transport.Outcome], now: dt.datetime) -> Tally:
    tally = Tally(sent=len(rows))
    Attempt.objects.bulk_create(
        Attempt(
            delivery_id=d.pk,
            number=d.attempts + 1,
            at=now,
            status_code=o.status_code,
            latency_ms=o.latency_ms,
            error=o.error,
            succeeded=o.succeeded,
            replay=d.replays > 0 and d.attempts == 0,
        )
        for d, o in zip(rows, outcomes, strict=True)
    )
    by_code: dict[int | None, list[int]] = defaultdict(list)
    failures: dict[int, int] = defaultdict(int)
    recovered: set[int] = set()
    for d, o in zip(rows, outcomes, strict=True):
        if o.succeeded:
            by_code[o.status_code].append(d.pk)
            recovered.add(d.subscription_id)
        else:
            failures[d.subscription_id] += 1
            tally.given_up += _failed(d, o, now)
    for code, pks in by_code.items():
        tally.succeeded += Delivery.objects.filter(pk__in=pks).update(
            status=DeliveryStatus.SUCCEEDED,
            attempts=F("attempts") + 1,
            last_status_code=code,
            last_error="",
            finished_at=now,
            next_attempt_at=None,
        )
    tally.failed = sum(failures.values())
    tally.disabled = _count_failures(recovered, failures, gone=_gone(rows, outcomes), now=now)
    return tally


def _failed(d: Delivery, o: transport.Outcome, now: dt.datetime) -> int:
    """Schedule the next try, or give up; 1 when given up."""
    attempts = d.attempts + 1
    give_up = attempts >= settings.SILTA_WEBHOOK_MAX_ATTEMPTS or o.status_code == GONE
    Delivery.objects.filter(pk=d.pk).update(
        attempts=attempts,
        last_status_code=o.status_code,
        last_error=o.error,
        status=DeliveryStatus.FAILED if give_up else DeliveryStatus.PENDING,
        finished_at=now if give_up else None,
        next_attempt_at=None if give_up else now + backoff(attempts, o.retry_after),
    )
    return int(give_up)


def _gone(rows: list[Delivery], outcomes: list[transport.Outcome]) -> set[int]:
    return {d.subscription_id for d, o in zip(rows, outcomes, strict=True) if o.status_code == GONE}


def _count_failures(
    recovered: set[int], failures: dict[int, int], *, gone: set[int], now: dt.datetime
) -> int:
    """Keep each subscription's count of failures in a row; turn off those past the limit
    (or answering 410 Gone) and tell their unit. Returns how many were turned off."""
    Subscription.objects.filter(pk__in=recovered - failures.keys()).exclude(
        consecutive_failures=0
    ).update(consecutive_failures=0)
    for pk in recovered & failures.keys():
        Subscription.objects.filter(pk=pk).update(consecutive_failures=failures[pk])
    for pk, count in failures.items():
        if pk not in recovered:
            Subscription.objects.filter(pk=pk).update(
                consecutive_failures=F("consecutive_failures") + count
            )
    limit = settings.SILTA_WEBHOOK_DISABLE_AFTER_FAILURES
    failing = Q(pk__in=failures.keys(), consecutive_failures__gte=limit) | Q(pk__in=gone)
    return sum(
        _disable(pk, now, "gone" if pk in gone else "failures") for pk in _candidates(failing)
    )


def _candidates(failing: Q) -> Iterable[int]:
    return list(Subscription.objects.filter(failing, is_active=True).values_list("pk", flat=True))


def _disable(pk: int, now: dt.datetime, reason: str) -> int:
    turned_off = Subscription.objects.filter(pk=pk, is_active=True).update(
        is_active=False, disabled_at=now, disabled_reason=reason
    )
    if turned_off:
        send_disabled_mail(Subscription.objects.select_related("unit").get(pk=pk))
    return turned_off


def next_due() -> dt.datetime | None:
    """When the earliest waiting delivery of an active subscription is due (of those that
    head their object's queue: one behind a leased delivery waits for the lease)."""
    row = _heads().order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    return row
