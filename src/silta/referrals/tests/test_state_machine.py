"""The referral state machine: every allowed transition works, every other is refused,
for every type, source status and side (sending unit, receiving unit, an outsider unit).

The expected table below is written out by hand from the issue; it is not read from
``silta.referrals.state``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import transaction

from silta.audit.models import AuditEvent
from silta.core.errors import Conflict, Forbidden, Invalid, ServiceError
from silta.exchange.models import CaseEvent
from silta.referrals import services
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.tests.helpers import COMPLETIONS, SOCIAL_SENT, act, referral_input, send
from silta.workdays.calendar import today

pytestmark = pytest.mark.django_db

STATUSES = (
    "requested",
    "received",
    "accepted",
    "rejected",
    "returned",
    "in_progress",
    "on_hold",
    "completed",
    "cancelled",
)
OPEN = {"requested", "received", "accepted", "in_progress", "on_hold"}
# action: (the side that may do it, the statuses it may start from, the status it gives)
EXPECTED = {
    "receive": ("receiver", {"requested"}, "received"),
    "accept": ("receiver", {"received"}, "accepted"),
    "reject": ("receiver", {"received"}, "rejected"),
    "return": ("receiver", {"received", "accepted"}, "returned"),
    "start": ("receiver", {"accepted"}, "in_progress"),
    "hold": ("receiver", {"in_progress"}, "on_hold"),
    "resume": ("sender", {"on_hold"}, "in_progress"),
    "complete": ("receiver", {"accepted", "in_progress"}, "completed"),
    # A returned referral is either sent again or withdrawn by its sender.
    "cancel": ("sender", OPEN | {"returned"}, "cancelled"),
    "resend": ("sender", {"returned"}, "requested"),
}
# The fields each action needs, so that only the state and the side decide.
FIELDS: dict[str, dict[str, Any]] = {
    "reject": {"reason_text": "Ei kuulu meille"},
    "return": {"reason": "wrong_unit"},
    "hold": {"reason_text": "Vuokrasopimus puuttuu"},
    "cancel": {"reason_text": "Asia ratkesi"},
}
# (type, sending user, receiving user, outsider: a unit of the receiver's organisation
# that is not a party to the case). Types sent either way are tested both ways.
PARTIES = [
    ("contact", "kela_processor", "social_worker", "social_same_org_other_unit"),
    ("forwarded_application", "kela_processor", "social_worker", "social_same_org_other_unit"),
    ("assessment_before_reduction", "kela_advisor", "social_processor", "social_other_org"),
    ("statement_request", "kela_processor", "social_counsellor", "social_same_org_other_unit"),
    ("statement_request", "social_worker", "kela_processor", "kela_other_unit"),
    ("document_delivery", "social_worker", "kela_processor", "kela_other_unit"),
    ("urgent_handling", "social_processor", "kela_advisor", "kela_other_unit"),
    ("meeting_request", "kela_processor", "social_manager", "social_other_org"),
    ("meeting_request", "social_counsellor", "kela_manager", "kela_other_unit"),
]


def expected_result(action: str, side: str, status: str) -> tuple[str, str]:
    allowed_side, sources, target = EXPECTED[action]
    if side != allowed_side:  # the side is checked first: a wrong side is Forbidden
        return ("Forbidden", "forbidden")
    if status not in sources:
        return ("Conflict", "transition_not_allowed")
    return ("ok", target)


def receiver_of(type_: str) -> str:
    """The receiving user when ``send`` uses its default sender."""
    return "kela_processor" if type_ in SOCIAL_SENT else "social_worker"


def snapshot(referral_pk: int) -> tuple[object, ...]:
    row = Referral.objects.get(pk=referral_pk)
    return (row.status, row.version, row.outcome, row.handoff_count, row.due_date, row.closed_at)


def counts(referral: Referral) -> tuple[int, int, int]:
    return (
        ReferralEvent.objects.filter(referral=referral).count(),
        CaseEvent.objects.filter(case_id=referral.case_id).count(),
        AuditEvent.objects.filter(object_id=str(referral.public_id), action="update").count(),
    )


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize(("type_", "sender", "receiver", "outsider"), PARTIES)
def test_transition_matrix(world, type_, sender, receiver, outsider, action) -> None:
    referral = send(world, type_, sender=sender)
    assert referral.receiver_unit_id == world.actor(receiver).memberships[0].unit_id
    users = {"sender": sender, "receiver": receiver, "outsider": outsider}
    fields = {**FIELDS.get(action, {}), **(COMPLETIONS[type_] if action == "complete" else {})}
    mismatches = []
    for side, key in users.items():
        for status in STATUSES:
            with transaction.atomic():
                Referral.objects.filter(pk=referral.pk).update(status=status, version=3)
                before, before_counts = snapshot(referral.pk), counts(referral)
                denied = AuditEvent.objects.filter(action="denied").count()
                want = expected_result(action, side, status)
                try:
                    result = services.referral_act(
                        actor=world.actor(key),
                        referral=Referral.objects.get(pk=referral.pk),
                        data=services.ActInput(action=action, **fields),
                    )
                    got = ("ok", result.status)
                except ServiceError as error:
                    got = (type(error).__name__, error.code)
                if got != want:
                    mismatches.append((side, status, want, got))
                elif got[0] == "ok":
                    row = Referral.objects.get(pk=referral.pk)
                    event = ReferralEvent.objects.filter(referral=referral).last()
                    case_event = CaseEvent.objects.filter(case_id=referral.case_id).last()
                    audit = AuditEvent.objects.filter(object_id=str(referral.public_id)).first()
                    assert row.status == want[1] and row.version == 4
                    assert event is not None and case_event is not None and audit is not None
                    assert (event.action, event.from_status, event.to_status) == (
                        action,
                        status,
                        want[1],
                    )
                    assert event.actor == world.users[key]
                    assert case_event.kind == f"referral_{action}"
                    assert case_event.detail["status"] == want[1]
                    assert (audit.action, audit.detail["action"]) == ("update", action)
                    assert counts(referral) == tuple(n + 1 for n in before_counts)
                else:
                    assert snapshot(referral.pk) == before, (side, status)
                    assert counts(referral) == before_counts, (side, status)
                    if got[0] == "Forbidden":
                        assert AuditEvent.objects.filter(action="denied").count() == denied + 1
                transaction.set_rollback(True)
    assert mismatches == []


@pytest.mark.parametrize("type_", list(COMPLETIONS))
def test_completion_needs_an_outcome_of_the_type(world, type_) -> None:
    referral = send(world, type_)
    receiver = receiver_of(type_)
    act(world, receiver, referral, "receive")
    act(world, receiver, referral, "accept")
    for outcome in ("", "bogus", "granted" if type_ != "forwarded_application" else "decided"):
        with pytest.raises(Invalid) as refused:
            act(world, receiver, referral, "complete", outcome=outcome)
        assert refused.value.code == "outcome_required"
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    done = act(world, receiver, referral, "complete", **COMPLETIONS[type_])
    assert done.status == "completed" and done.outcome == COMPLETIONS[type_]["outcome"]
    assert done.completed_at is not None and done.closed_at is not None


# (type, outcome, the missing value, the refusal code): from the outcome table.
NEEDS = [
    ("contact", "assessment_started", "outcome_date", "outcome_date_required"),
    ("contact", "already_client", "outcome_text", "outcome_text_required"),
    ("contact", "no_action", "outcome_text", "outcome_text_required"),
    ("contact", "transferred", "outcome_text", "outcome_text_required"),
    ("assessment_before_reduction", "attended", "outcome_date", "outcome_date_required"),
    ("assessment_before_reduction", "booked", "outcome_date", "outcome_date_required"),
    ("statement_request", "statement_given", "outcome_text", "outcome_text_required"),
    ("urgent_handling", "decided", "outcome_date", "outcome_date_required"),
    ("meeting_request", "meeting_confirmed", "outcome_date", "outcome_date_required"),
    ("meeting_request", "meeting_confirmed", "outcome_text", "outcome_text_required"),
    ("meeting_request", "meeting_confirmed", "outcome_time", "outcome_time_required"),
]
FULL = {
    "outcome_date": dt.date(2026, 12, 1),
    "outcome_text": "Tiedot",
    "outcome_time": dt.time(9, 30),
}


@pytest.mark.parametrize(("type_", "outcome", "missing", "code"), NEEDS)
def test_outcome_needs_its_date_text_or_time(world, type_, outcome, missing, code) -> None:
    referral = send(world, type_)
    receiver = receiver_of(type_)
    act(world, receiver, referral, "receive")
    act(world, receiver, referral, "accept")
    blank = {"outcome_text": "   "} if missing == "outcome_text" else {}
    values = {**{k: v for k, v in FULL.items() if k != missing}, **blank}
    with pytest.raises(Invalid) as refused:
        act(world, receiver, referral, "complete", outcome=outcome, **values)
    assert refused.value.code == code
    assert act(world, receiver, referral, "complete", outcome=outcome, **FULL).outcome == outcome


@pytest.mark.parametrize(
    "outcome", ["granted", "partly_granted", "refused", "no_action_needed_is_not_one"]
)
def test_plain_outcomes_need_nothing_more(world, outcome) -> None:
    referral = send(world, "forwarded_application")
    act(world, "social_worker", referral, "receive")
    act(world, "social_worker", referral, "accept")
    if outcome.startswith("no_"):
        with pytest.raises(Invalid):
            act(world, "social_worker", referral, "complete", outcome=outcome)
    else:
        assert act(world, "social_worker", referral, "complete", outcome=outcome).outcome


@pytest.mark.parametrize("reason", ["", "nonsense", "other_reason"])
def test_return_needs_a_return_reason(world, reason) -> None:
    referral = act(world, "social_worker", send(world), "receive")
    with pytest.raises(Invalid) as refused:
        act(world, "social_worker", referral, "return", reason=reason, reason_text="Väärä")
    assert refused.value.code == "reason_required"
    returned = act(world, "social_worker", referral, "return", reason="no_basic_decision")
    assert (returned.status, returned.reason, returned.handoff_count) == (
        "returned",
        "no_basic_decision",
        1,
    )


@pytest.mark.parametrize(
    ("action", "key", "status"),
    [
        ("reject", "social_worker", "received"),
        ("hold", "social_worker", "in_progress"),
        ("cancel", "kela_processor", "accepted"),
    ],
)
@pytest.mark.parametrize("text", ["", "   "])
def test_reject_hold_cancel_need_a_reason_text(world, action, key, status, text) -> None:
    referral = send(world)
    Referral.objects.filter(pk=referral.pk).update(status=status)
    with pytest.raises(Invalid) as refused:
        act(world, key, referral, action, reason_text=text)
    assert refused.value.code == "reason_required"
    assert Referral.objects.get(pk=referral.pk).status == status
    assert act(world, key, referral, action, reason_text=" Syy ").reason_text == "Syy"


def test_final_states_reached_through_the_services_stay_final(world) -> None:
    done = send(world)
    for action in ("receive", "accept", "start"):
        act(world, "social_worker", done, action)
    act(world, "social_worker", done, "complete", **COMPLETIONS["contact"])
    rejected = act(world, "social_worker", send(world), "receive")
    act(world, "social_worker", rejected, "reject", reason_text="Ei tarvetta")
    cancelled = act(world, "kela_processor", send(world), "cancel", reason_text="Peruttu")
    everything = COMPLETIONS["contact"]  # valid fields: only the state refuses
    for referral in (done, rejected, cancelled):
        for key, action in [
            ("social_worker", "accept"),
            ("social_worker", "complete"),
            ("social_worker", "return"),
            ("kela_processor", "cancel"),
            ("kela_processor", "resend"),
            ("kela_processor", "resume"),
        ]:
            with pytest.raises(Conflict) as refused:
                act(world, key, referral, action, **{**FIELDS.get(action, {}), **everything})
            assert refused.value.code == "transition_not_allowed"
    assert [r.status for r in Referral.objects.order_by("pk")] == [
        "completed",
        "rejected",
        "cancelled",
    ]


def test_double_submitted_send_creates_one_referral(world) -> None:
    case, token = world.open_case(), uuid.uuid4()
    first = send(world, case=case, token=token)
    again = send(world, case=case, token=token)
    assert first.pk == again.pk and Referral.objects.count() == 1
    assert ReferralEvent.objects.filter(action="send").count() == 1
    assert send(world, case=case, token=uuid.uuid4()).pk != first.pk


def test_stale_version_is_refused(world) -> None:
    referral = act(world, "social_worker", send(world), "receive")
    assert referral.version == 1
    with pytest.raises(Conflict) as refused:
        act(world, "social_worker", referral, "accept", seen_version=0)
    assert refused.value.code == "referral_stale"
    assert act(world, "social_worker", referral, "accept", seen_version=1).status == "accepted"


def test_event_records_the_state_it_really_left(world) -> None:
    # The caller holds an old copy (status "requested"); the database has "received".
    stale = send(world)
    act(world, "social_worker", stale, "receive")
    services.referral_act(
        actor=world.actor("social_worker"), referral=stale, data=services.ActInput(action="accept")
    )
    event = ReferralEvent.objects.filter(action="accept").get()
    assert (event.from_status, event.to_status) == ("received", "accepted")


@pytest.mark.parametrize(
    ("type_", "key"),
    [
        ("document_delivery", "kela_processor"),
        ("urgent_handling", "kela_advisor"),
        ("contact", "social_worker"),
        ("forwarded_application", "social_processor"),
        ("assessment_before_reduction", "social_counsellor"),
    ],
)
def test_type_sent_in_the_wrong_direction_is_refused(world, type_, key) -> None:
    with pytest.raises(Invalid) as refused:
        send(world, type_, sender=key)
    assert refused.value.code == "type_direction"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("type_", ["forwarded_application", "document_delivery"])
def test_attachment_is_required(world, type_) -> None:
    sender = "social_worker" if type_ == "document_delivery" else "kela_processor"
    with pytest.raises(Invalid) as refused:
        services.referral_send(
            actor=world.actor(sender),
            case=world.open_case(),
            data=referral_input(type_),
        )
    assert refused.value.code == "attachment_required"
    assert not Referral.objects.exists()


def test_statement_request_needs_a_date_not_in_the_past(world) -> None:
    for requested, code in [
        (None, "requested_date_required"),
        (today() - dt.timedelta(1), "requested_date_past"),
    ]:
        with pytest.raises(Invalid) as refused:
            send(world, "statement_request", requested_date=requested)
        assert refused.value.code == code
    future = today() + dt.timedelta(days=10)
    referral = send(world, "statement_request", requested_date=future)
    assert referral.due_date == future and referral.deadline_rule == "requested_date"


@pytest.mark.parametrize("key", ["kela_admin", "social_admin", "social_other_org"])
def test_who_may_not_send_at_all(world, key) -> None:
    with pytest.raises(Forbidden):
        send(world, "statement_request", sender=key)
    assert not Referral.objects.exists()


def test_unknown_action_is_invalid(world) -> None:
    with pytest.raises(Invalid) as refused:
        act(world, "social_worker", send(world), "approve")
    assert refused.value.code == "action_unknown"
