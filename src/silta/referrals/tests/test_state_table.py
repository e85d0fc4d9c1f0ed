"""The transition table pinned cell by cell: what each side is offered in each state, which
steps need a reason (the server reads the same flag the form shows), and which states are
open for every consumer (lists, overdue marking, digest, the open-referral index).

Expected values are written out by hand; they are not read from ``silta.referrals.state``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from silta.core.errors import Invalid
from silta.referrals import selectors, state
from silta.referrals.forms import ActForm
from silta.referrals.models import Referral
from silta.referrals.state import TRANSITIONS, available
from silta.referrals.tasks import send_daily_digests
from silta.referrals.tests.helpers import Clock, act, at, give_emails, send

D = dt.date
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
# (status, side) -> the actions offered; "receive" is never offered (it happens on open).
OFFERED = {
    ("requested", "receiver"): set(),
    ("requested", "sender"): {"cancel"},
    ("received", "receiver"): {"accept", "reject", "return"},
    ("received", "sender"): {"cancel"},
    ("accepted", "receiver"): {"return", "start", "complete"},
    ("accepted", "sender"): {"cancel"},
    ("rejected", "receiver"): set(),
    ("rejected", "sender"): set(),
    ("returned", "receiver"): set(),
    ("returned", "sender"): {"resend", "cancel"},
    ("in_progress", "receiver"): {"hold", "complete"},
    ("in_progress", "sender"): {"cancel"},
    ("on_hold", "receiver"): set(),
    ("on_hold", "sender"): {"resume", "cancel"},
    ("completed", "receiver"): set(),
    ("completed", "sender"): set(),
    ("cancelled", "receiver"): set(),
    ("cancelled", "sender"): set(),
}
# action: (side, sources, target, needs a reason)
TABLE = {
    "receive": ("receiver", {"requested"}, "received", False),
    "accept": ("receiver", {"received"}, "accepted", False),
    "reject": ("receiver", {"received"}, "rejected", True),
    "return": ("receiver", {"received", "accepted"}, "returned", True),
    "start": ("receiver", {"accepted"}, "in_progress", False),
    "hold": ("receiver", {"in_progress"}, "on_hold", True),
    "resume": ("sender", {"on_hold"}, "in_progress", False),
    "complete": ("receiver", {"accepted", "in_progress"}, "completed", False),
    "cancel": (
        "sender",
        {"requested", "received", "accepted", "in_progress", "on_hold", "returned"},
        "cancelled",
        True,
    ),
    "resend": ("sender", {"returned"}, "requested", False),
}
OPEN = ("requested", "received", "accepted", "in_progress", "on_hold")
FINAL = ("rejected", "completed", "cancelled")


def offered(status: str, side: str) -> list[str]:
    return [str(t.action) for t in available(status, side)]


@pytest.mark.parametrize(("status", "side"), sorted(OFFERED))
def test_each_state_offers_each_side_exactly_its_actions(status: str, side: str) -> None:
    actions = offered(status, side)
    assert sorted(actions) == sorted(OFFERED[(status, side)])


def test_received_state_offers_receiver_accept_reject_return_and_sender_cancel_only() -> None:
    assert sorted(offered("received", "receiver")) == ["accept", "reject", "return"]
    assert offered("received", "sender") == ["cancel"]


def test_receive_is_never_offered_to_either_side_in_any_state() -> None:
    for status in STATUSES:
        for side in ("sender", "receiver"):
            assert "receive" not in offered(status, side)


def test_a_new_referral_offers_its_receiver_nothing_until_opened_and_its_sender_cancel() -> None:
    assert offered("requested", "receiver") == []
    assert offered("requested", "sender") == ["cancel"]


def test_an_unknown_side_is_offered_nothing() -> None:
    for status in STATUSES:
        assert offered(status, "outsider") == []
        assert offered(status, "") == []


def test_transition_table_sides_sources_targets_and_reasons() -> None:
    assert set(TRANSITIONS) == set(TABLE)
    for action, (side, sources, target, needs_reason) in TABLE.items():
        transition = TRANSITIONS[action]
        assert transition.action == action
        assert (transition.side, set(transition.sources)) == (side, sources), action
        assert (transition.target, transition.needs_reason) == (target, needs_reason), action


def test_the_transition_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        TRANSITIONS["reject"].needs_reason = False  # type: ignore[misc]


def test_reason_needed_for_reject_return_hold_and_cancel_only() -> None:
    assert {a for a, t in TRANSITIONS.items() if t.needs_reason} == {
        "reject",
        "return",
        "hold",
        "cancel",
    }


def test_transition_label_is_the_translated_action_name() -> None:
    with translation.override("en"):
        assert TRANSITIONS["accept"].label == "Accept"
        assert TRANSITIONS["hold"].label == "Ask for more information"
    with translation.override("fi"):
        assert TRANSITIONS["accept"].label == str(state.Action.ACCEPT.label)


def test_each_state_maps_to_its_fhir_task_status_and_business_status() -> None:
    # HL7 FHIR R4 Task.status and the BSeR / IHE 360X businessStatus (STANDARDS.md).
    assert {str(k): v for k, v in state.FHIR.items()} == {
        "requested": ("requested", "2.0", "Created"),
        "received": ("requested", "2.1", "Received by the recipient"),
        "accepted": ("accepted", "3.0", "Accepted"),
        "rejected": ("rejected", "4.0", "Declined"),
        "returned": ("rejected", "4.1", "Returned to the other organisation"),
        "in_progress": ("in-progress", "5.0", "In progress"),
        "on_hold": ("on-hold", "5.3", "Waiting for information"),
        "completed": ("completed", "7.0", "Fulfillment completed"),
        "cancelled": ("cancelled", "6.0", "Fulfillment cancelled"),
    }


def test_open_states_are_requested_received_accepted_in_progress_and_on_hold() -> None:
    assert {str(s) for s in state.OPEN_STATES} == set(OPEN)
    for status in STATUSES:
        assert Referral(status=status).is_open is (status in OPEN), status


def test_final_states_offer_nothing_and_no_step_leaves_them() -> None:
    for status in FINAL:
        assert offered(status, "sender") == offered(status, "receiver") == []
        assert all(status not in t.sources for t in TRANSITIONS.values())


def test_open_referral_index_covers_exactly_the_open_states() -> None:
    index = next(i for i in Referral._meta.indexes if i.name == "referral_in_open_due")
    assert index.condition is not None
    assert sorted(dict(index.condition.children)["status__in"]) == sorted(OPEN)


# The server's reason rule is the table's flag (the form shows a reason field from it).


def _referral_in(world, status: str) -> Referral:
    referral = send(world, "contact")
    act(world, "social_worker", referral, "receive")
    if status in ("accepted", "in_progress", "on_hold"):
        act(world, "social_worker", referral, "accept")
    if status in ("in_progress", "on_hold"):
        act(world, "social_worker", referral, "start")
    return Referral.objects.get(pk=referral.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "status", "who"),
    [
        ("reject", "received", "social_worker"),
        ("return", "received", "social_worker"),
        ("hold", "in_progress", "social_worker"),
        ("cancel", "received", "kela_processor"),
    ],
)
def test_server_refuses_a_step_the_table_marks_as_needing_a_reason_without_one(
    world, action: str, status: str, who: str
) -> None:
    referral = _referral_in(world, status)
    with pytest.raises(Invalid) as excinfo:
        act(world, who, referral, action)
    assert excinfo.value.code == "reason_required"
    assert Referral.objects.get(pk=referral.pk).status == status


@pytest.mark.django_db
def test_server_reads_the_reason_rule_from_the_transition_table(world, monkeypatch) -> None:
    flipped = {
        **TRANSITIONS,
        "reject": dataclasses.replace(TRANSITIONS["reject"], needs_reason=False),
        "accept": dataclasses.replace(TRANSITIONS["accept"], needs_reason=True),
    }
    monkeypatch.setattr(state, "TRANSITIONS", flipped)
    monkeypatch.setattr("silta.referrals.transitions.TRANSITIONS", flipped)
    referral = _referral_in(world, "received")
    with pytest.raises(Invalid) as excinfo:
        act(world, "social_worker", referral, "accept")
    assert excinfo.value.code == "reason_required"
    assert act(world, "social_worker", referral, "reject").status == "rejected"


def test_form_shows_a_reason_field_exactly_where_the_table_needs_a_reason() -> None:
    for action, transition in TRANSITIONS.items():
        form = ActForm(referral_type="contact", action=action)
        assert ("reason_text" in form.fields) == transition.needs_reason, action


def test_form_reads_the_reason_rule_from_the_transition_table(monkeypatch) -> None:
    flipped = {
        **TRANSITIONS,
        "reject": dataclasses.replace(TRANSITIONS["reject"], needs_reason=False),
        "accept": dataclasses.replace(TRANSITIONS["accept"], needs_reason=True),
    }
    monkeypatch.setattr("silta.referrals.forms.TRANSITIONS", flipped)
    assert "reason_text" in ActForm(referral_type="contact", action="accept").fields
    assert "reason_text" not in ActForm(referral_type="contact", action="reject").fields


# "accepted" is open for every consumer of the open states.


@pytest.mark.django_db
def test_accepted_referral_past_its_due_date_is_overdue_and_open_for_both_sides(world) -> None:
    referral = _referral_in(world, "accepted")
    late = referral.due_date + dt.timedelta(days=30)
    receiver, sender = world.actor("social_worker"), world.actor("kela_processor")
    social, kela = world.social_unit.pk, world.kela_unit.pk

    def ids(page) -> list[int]:
        return [r.pk for r in page.items]

    def received(filter: str) -> list[int]:
        return ids(
            selectors.referrals_received(actor=receiver, unit_id=social, filter=filter, on=late)
        )

    assert received("overdue") == received("open") == [referral.pk]
    assert received("closed") == []
    sent = selectors.referrals_sent(actor=sender, unit_id=kela, filter="overdue", on=late)
    assert ids(sent) == [referral.pk]


@pytest.mark.django_db
def test_daily_digest_counts_an_overdue_accepted_referral(world, monkeypatch) -> None:
    give_emails(world)
    clock = Clock(monkeypatch, at(2026, 11, 23, 7))  # Monday
    referral = _referral_in(world, "accepted")
    Referral.objects.filter(pk=referral.pk).update(due_date=D(2026, 11, 20))
    clock.set(2026, 11, 23, 7)
    mail.outbox.clear()
    assert send_daily_digests.call() == 1
    assert len(mail.outbox) == 1
