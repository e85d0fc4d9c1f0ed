"""Each service announces its change to the units concerned, inside its transaction, with
the object's public id (never client data); the outbox (test_outbox.py) keeps it only if
the change commits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from silta.bookings.tests.scene import book, one_slot, service_point
from silta.callbacks import services as callbacks
from silta.consents import services as consents
from silta.consents.models import Consent
from silta.core import events
from silta.core.events import DomainEvent
from silta.exchange.workflow import thread_mark_read
from silta.meetings.tests.scene import new_meeting
from silta.webhooks.tests.scene import act, send_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(monkeypatch) -> Iterator[list[DomainEvent]]:
    seen: list[DomainEvent] = []
    monkeypatch.setattr(events, "_receivers", [seen.append])
    yield seen


def _types(seen: list[DomainEvent]) -> list[tuple[str, str]]:
    return [(e.type, e.object_type) for e in seen]


def test_referrals_messages_and_receipts(
    shared_world, announced, django_capture_on_commit_callbacks
):
    world = shared_world
    parties = {world.kela_unit.pk, world.social_unit.pk}
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(world)
    assert _types(announced) == [("message.created", "message"), ("referral.sent", "referral")]
    assert all(e.unit_ids == parties for e in announced)
    assert announced[1].object_id == referral.public_id
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(world, referral, "receive")
        thread_mark_read(actor=world.actor("social_worker"), thread=referral.thread)
    assert _types(announced) == [
        ("referral.status_changed", "referral"),
        ("receipt.read", "thread"),
    ]
    assert announced[1].object_id == referral.thread.public_id


def test_callbacks_meetings_and_consents(
    shared_world, announced, django_capture_on_commit_callbacks
):
    world = shared_world
    case = world.open_case()  # with the client's consent to share
    with django_capture_on_commit_callbacks(execute=True):
        request = callbacks.callback_request(
            actor=world.actor("kela_processor"),
            requester_unit_id=world.kela_unit.pk,
            unit=world.social_unit,
            client=world.clients[0],
            data=callbacks.CallbackInput(
                topic="adult_social_work", urgency="normal", phone="020 692 200", description="x"
            ),
        )
        callbacks.callback_claim(actor=world.actor("social_worker"), request=request)
        meeting = new_meeting(world, case)
        consent = Consent.objects.filter(client=world.clients[0]).first()
        assert consent is not None
        consents.consent_revoke(actor=world.actor("social_worker"), consent=consent, how="phone")
    assert ("callback.created", "callback") in _types(announced)
    assert ("callback.changed", "callback") in _types(announced)
    assert ("meeting.changed", "meeting") in _types(announced)
    assert ("consent.revoked", "consent") in _types(announced)
    by_type = {e.type: e for e in announced}
    assert by_type["callback.created"].object_id == request.public_id
    assert by_type["meeting.changed"].object_id == meeting.public_id
    assert by_type["consent.revoked"].object_id == consent.public_id
    assert world.social_unit.pk in by_type["consent.revoked"].unit_ids


def test_bookings(shared_world, announced, django_capture_on_commit_callbacks):
    point = service_point(shared_world)
    slot = one_slot(shared_world)
    with django_capture_on_commit_callbacks(execute=True):
        booked = book(shared_world, slot).booking
    changed = [e for e in announced if e.type == "booking.changed"]
    assert [e.object_id for e in changed] == [booked.public_id]
    assert changed[0].unit_ids == {shared_world.social_unit.pk, point.pk}
