"""A year of closed referrals and call-backs behind the demo's figures (silta.analytics).

Written straight into the tables as history (no one is told anything again: every item is
closed), on the demo's own cases and their first conversation. Returns are frequent early
in the year and fewer later (the ping-pong shrinking), rent deposits bounce most; some
outcomes come late, some items are redirected to another unit. Deterministic (one seed).
"""

from __future__ import annotations

import datetime as dt
import random

from silta.callbacks.models import CallbackRequest
from silta.exchange.models import Case, Thread
from silta.referrals.deadlines import due_date
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.types import SPECS
from silta.workdays.calendar import HELSINKI, add_working_days, today

MONTHS = 12
TYPES = ("contact", "forwarded_application", "urgent_handling", "meeting_request")
EXPENSES = ("rent-deposit", "rent-deposit", "rent", "moving-costs", "medicine", "furniture", "")
REASONS = (
    "basic_assistance_expense",
    "basic_assistance_expense",
    "supplementary_expense",
    "no_basic_decision",
    "wrong_unit",
)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))), HELSINKI
    )


def _event(
    referral: Referral, action: str, unit_id: int, at: dt.datetime, **detail: str
) -> ReferralEvent:
    return ReferralEvent(
        referral=referral,
        action=action,
        to_status="returned"
        if action == "return"
        else "requested"
        if action == "resend"
        else "completed",
        actor_label="Demo",
        unit_id=unit_id,
        at=at,
        detail=detail,
    )


def _referral(case: Case, thread: Thread, arrived: dt.date, month: int, rng: random.Random) -> None:
    kind = rng.choice(TYPES)
    urgent = kind == "urgent_handling"
    rule = SPECS[kind].rule
    received = add_working_days(arrived, rng.choice((0, 0, 1, 1, 2, 3)))
    # Early in the year a third of the referrals bounce; by the end, one in eight.
    returned = rng.random() < 0.35 - 0.2 * month / MONTHS
    events: list[tuple[str, int, dt.date, dict[str, str]]] = []
    arrival = arrived
    if returned:
        events.append(("return", case.social_unit_id, received, {"reason": rng.choice(REASONS)}))
        arrival = add_working_days(received, rng.choice((1, 2, 4)))
        events.append(("resend", case.kela_unit_id, arrival, {}))
        received = add_working_days(arrival, rng.choice((0, 1)))
    redirected = kind == "contact" and rng.random() < 0.08
    completed = add_working_days(received, rng.choice((1, 2, 3, 5, 6, 7, 9, 12)))
    if completed >= today():
        return
    outcome = "transferred" if redirected else SPECS[kind].outcome_codes[0]
    events.append(("complete", case.social_unit_id, completed, {"outcome": outcome}))
    referral = Referral.objects.create(
        case=case,
        thread=thread,
        type=kind,
        sender_unit_id=case.kela_unit_id,
        receiver_unit_id=case.social_unit_id,
        status="completed",
        urgent=urgent,
        outcome=outcome,
        # Whatever the outcome asks (a meeting's date and time, details) is filled in.
        outcome_date=completed,
        outcome_time=dt.time(10),
        outcome_text="Demohistoria",
        deadline_rule=rule,
        arrived_on=arrival,
        due_date=due_date(rule, arrival, urgent=urgent, requested=add_working_days(arrival, 7)),
        sent_at=_at(arrival, rng),
        received_at=_at(received, rng),
        completed_at=_at(completed, rng),
        closed_at=_at(completed, rng),
        handoff_count=1 if returned else 0,
        expense_kind=rng.choice(EXPENSES[:2] if returned else EXPENSES),
    )
    ReferralEvent.objects.bulk_create(
        _event(referral, action, unit, _at(day, rng), **detail)
        for action, unit, day, detail in events
    )


def _callbacks(case: Case, day: dt.date, rng: random.Random) -> None:
    created = _at(day, rng)
    handled = add_working_days(day, rng.choice((0, 0, 1, 1, 2)))
    CallbackRequest.objects.create(
        unit_id=case.social_unit_id,
        requester_label="Demo",
        requester_unit_id=case.kela_unit_id,
        topic="social_assistance",
        urgency="normal",
        phone="+358401234567",
        description="Demohistoria",
        status="done",
        created_at=created,
        due_at=dt.datetime.combine(add_working_days(day, 1), dt.time(16), HELSINKI),
        claimed_at=_at(handled, rng),
        attempts=rng.choice((1, 1, 2)),
        completed_at=_at(handled, rng) + dt.timedelta(hours=1),
        completed_by_label="Demo",
        outcome=rng.choice(("resolved", "resolved", "continues_in_case", "not_reached")),
    )


def seed() -> None:
    """Twelve months of history on the demo's cases (after the cases exist)."""
    rng = random.Random(2026)
    first = (today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for case in Case.objects.order_by("pk"):
        # The history's referrals hang on the case's first conversation (a referral needs
        # a thread; a thread of its own would be an inbox item without an inbox entry).
        thread = Thread.objects.filter(case=case).order_by("pk").first()
        if thread is None:
            continue
        for month in range(MONTHS):
            index = first.year * 12 + first.month - 1 - (MONTHS - 1 - month)
            start = dt.date(index // 12, index % 12 + 1, 1)
            for _ in range(rng.randint(1, 4)):
                _referral(case, thread, start + dt.timedelta(days=rng.randint(0, 27)), month, rng)
            if rng.random() < 0.6:
                _callbacks(case, add_working_days(start, rng.randint(0, 18)), rng)
