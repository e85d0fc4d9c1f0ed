"""The call-back life cycle, permissions, audit and the overdue computation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.callbacks import services
from silta.callbacks.models import CallbackRequest
from silta.callbacks.selectors import callback_counts, callback_get, callback_queue
from silta.core.errors import Conflict, Forbidden, Invalid, NotFound
from tests.factories import give_consent

pytestmark = pytest.mark.django_db


def ask(world, *, client=None, urgency="normal", token=None, **extra) -> CallbackRequest:
    data = services.CallbackInput(
        topic="adult_social_work",
        urgency=urgency,
        phone="020 692 200",
        description="Soittakaa",
        **extra,
    )
    return services.callback_request(
        actor=world.actor("kela_processor"),
        requester_unit_id=world.kela_unit.pk,
        unit=world.social_unit,
        data=data,
        client=client,
        client_token=token,
    )


def test_life_cycle_to_outcome_seen_by_requester(world) -> None:
    request = ask(world)
    assert request.status == "open" and request.phone == "+35820692200"
    worker = world.actor("social_worker")
    request = services.callback_claim(actor=worker, request=request)
    assert request.status == "claimed" and request.claimed_by == world.users["social_worker"]
    request = services.callback_complete(
        actor=worker,
        request=request,
        data=services.CompleteInput(outcome="resolved", note="Sovittu"),
    )
    seen = callback_get(actor=world.actor("kela_processor"), request_id=request.public_id)
    assert (seen.status, seen.outcome, seen.outcome_note, seen.attempts) == (
        "done",
        "resolved",
        "Sovittu",
        1,
    )


def test_not_reached_needs_attempts(world) -> None:
    request = ask(world)
    worker = world.actor("social_worker")
    with pytest.raises(Invalid):
        services.callback_complete(
            actor=worker, request=request, data=services.CompleteInput(outcome="not_reached")
        )
    services.callback_attempt(actor=worker, request=request)
    services.callback_attempt(actor=worker, request=request)
    done = services.callback_complete(
        actor=worker, request=request, data=services.CompleteInput(outcome="not_reached")
    )
    assert done.attempts == 2 and done.status == "done"


def test_closed_request_cannot_move(world) -> None:
    request = ask(world)
    services.callback_cancel(
        actor=world.actor("kela_processor"),
        request=request,
        data=services.CancelInput(reason="Asia ratkesi"),
    )
    with pytest.raises(Conflict):
        services.callback_claim(actor=world.actor("social_worker"), request=request)
    with pytest.raises(Invalid):
        services.callback_cancel(
            actor=world.actor("kela_processor"),
            request=ask(world),
            data=services.CancelInput(reason=" "),
        )


def test_only_receiving_unit_handles(world) -> None:
    request = ask(world)
    for key in ("kela_processor", "social_other_org", "social_same_org_other_unit"):
        with pytest.raises(Forbidden):
            services.callback_claim(actor=world.actor(key), request=request)
    with pytest.raises(NotFound):
        callback_get(actor=world.actor("social_other_org"), request_id=request.public_id)
    assert AuditEvent.objects.filter(action="denied").exists()


def test_bad_input_changes_nothing(world) -> None:
    with pytest.raises(Invalid) as excinfo:
        services.callback_request(
            actor=world.actor("kela_processor"),
            requester_unit_id=world.kela_unit.pk,
            unit=world.social_unit,
            data=services.CallbackInput(
                topic="adult_social_work", urgency="normal", phone="12", description="x"
            ),
        )
    assert excinfo.value.code == "phone_invalid"
    with pytest.raises(Invalid) as excinfo:
        ask(world, client=None, urgency="whenever")
    assert excinfo.value.code == "urgency_required"
    assert not CallbackRequest.objects.exists()


def test_about_a_client_is_audited_with_the_basis_it_went_out_on(world) -> None:
    client = world.clients[0]
    give_consent(client, world.county, world.kela_unit)
    request = ask(world, client=client)
    assert request.legal_basis == "consent"
    assert (
        AuditEvent.objects.filter(action="disclose", client=client, legal_basis="consent").count()
        == 1
    )
    callback_get(actor=world.actor("social_worker"), request_id=request.public_id)
    assert AuditEvent.objects.filter(action="view", client=client).count() == 1


def test_double_post_creates_one(world) -> None:
    token = uuid.uuid4()
    assert ask(world, token=token).pk == ask(world, token=token).pk
    assert CallbackRequest.objects.count() == 1


def test_overdue_queue_and_counts(world) -> None:
    late, fresh = ask(world), ask(world, urgency="urgent")
    CallbackRequest.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    CallbackRequest.objects.filter(pk=fresh.pk).update(
        due_at=timezone.now() + dt.timedelta(hours=1)
    )
    worker = world.actor("social_worker")
    overdue = callback_queue(actor=worker, unit_id=world.social_unit.pk, filter="overdue")
    assert [r.pk for r in overdue.items] == [late.pk]
    queue = callback_queue(actor=worker, unit_id=world.social_unit.pk)
    assert [r.pk for r in queue.items] == [late.pk, fresh.pk]  # earliest due first
    counts = callback_counts(unit_id=world.social_unit.pk)
    assert (counts.open, counts.overdue) == (2, 1)
