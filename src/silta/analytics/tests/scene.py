"""A small data set counted by hand (October-November 2026), written straight into the
tables the figures read: the figures are reads, so the scene does not replay the
services. "wd" = working days after the arrival day (never counted, DOMAIN.md §3).

Cases: A = client 0, Kela Itä <-> Kuopio adult social work (social_unit); B = client 1,
Kela Itä <-> Kuopio social assistance (social_unit2); C = client 2, Kela Etelä <-> Vantaa.

| ref | case | from -> to | arrived | received (wd) | completed (wd) | due | kind |
|---|---|---|---|---|---|---|---|
| R1 | A | Kela Itä -> Kuopio | Mon 2.11 | 2.11 (0) | Wed 4.11 (2) | 11.11 | rent-deposit |
| R2 | A | Kela Itä -> Kuopio | Thu 5.11 | Mon 9.11 (2) | Wed 18.11 (9) | 16.11 | rent-deposit |
| R3 | B | Kela Itä -> Kuopio 2 | Tue 10.11 | 10.11 (0) | Thu 12.11 (2) | 19.11 | (none) |
| R4 | B | Kuopio 2 -> Kela Itä | Fri 2.10 | Mon 5.10 (1) | Tue 13.10 (7) | 13.10 | medicine |
| R5 | C | Kela Etelä -> Vantaa | Tue 3.11 | 3.11 (0) | Wed 4.11 (1) | 12.11 | rent |
| R6 | A | Kela Itä -> Kuopio | Mon 16.11 | never | - | 25.11 | rent-deposit |

Handoffs: R1 returned by Kuopio 3.11 (basic assistance expense), re-sent by Kela Itä 3.11,
returned again 4.11 (basic assistance expense); R2 returned by Kuopio 9.11 (wrong unit);
R3 redirected by Kuopio 2 12.11 (completed "transferred to another unit"); R4 returned by
Kela Itä 5.10 (supplementary expense) and re-sent by Kuopio 2 5.10; R5 returned by
Vantaa 3.11 (wrong organiser).

Call-backs to Kuopio: Q1 made Mon 2.11 10:00, claimed Tue 3.11, done 3.11 12:00
(resolved; due 3.11 16:00); Q2 made Wed 4.11, untouched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from silta.callbacks.models import CallbackRequest
from silta.exchange.models import Case, Thread
from silta.organisations.models import Unit
from silta.referrals.models import Referral, ReferralEvent
from silta.workdays.calendar import HELSINKI
from tests.factories import World

D = dt.date


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HELSINKI)


def _thread(case: Case, unit: Unit) -> Thread:
    moment = at(D(2026, 9, 1))
    return Thread.objects.create(
        case=case, subject="Asia", started_by_unit=unit, created_at=moment, last_message_at=moment
    )


def _referral(
    case: Case,
    sender: Unit,
    receiver: Unit,
    arrived: dt.date,
    received: dt.datetime | None,
    completed: dt.datetime | None,
    due: dt.date,
    expense: str,
) -> Referral:
    status = "completed" if completed else "received" if received else "requested"
    return Referral.objects.create(
        case=case,
        thread=_thread(case, sender),
        type="contact",
        sender_unit=sender,
        receiver_unit=receiver,
        status=status,
        deadline_rule="shl_36_assessment",
        arrived_on=arrived,
        due_date=due,
        sent_at=at(arrived),
        received_at=received,
        completed_at=completed,
        closed_at=completed,
        expense_kind=expense,
    )


def _event(referral: Referral, action: str, unit: Unit, when: dt.datetime, **detail: Any) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        action=action,
        to_status="returned",
        actor_label="Testi",
        unit=unit,
        at=when,
        detail=detail,
    )


def build(world: World) -> dict[str, Any]:
    kela, kela2 = world.kela_unit, world.kela_unit2
    kuopio, kuopio2, vantaa = world.social_unit, world.social_unit2, world.other_social_unit
    case_a = world.open_case(world.clients[0])
    case_b = world.open_case(world.clients[1], social_unit=kuopio2)
    case_c = world.open_case(world.clients[2], kela_unit=kela2, social_unit=vantaa)
    r1 = _referral(
        case_a, kela, kuopio, D(2026, 11, 2), at(D(2026, 11, 2), 11), at(D(2026, 11, 4)),
        D(2026, 11, 11), "rent-deposit",
    )  # fmt: skip
    r2 = _referral(
        case_a, kela, kuopio, D(2026, 11, 5), at(D(2026, 11, 9)), at(D(2026, 11, 18)),
        D(2026, 11, 16), "rent-deposit",
    )  # fmt: skip
    r3 = _referral(
        case_b, kela, kuopio2, D(2026, 11, 10), at(D(2026, 11, 10), 12), at(D(2026, 11, 12)),
        D(2026, 11, 19), "",
    )  # fmt: skip
    r4 = _referral(
        case_b, kuopio2, kela, D(2026, 10, 2), at(D(2026, 10, 5)), at(D(2026, 10, 13)),
        D(2026, 10, 13), "medicine",
    )  # fmt: skip
    r5 = _referral(
        case_c, kela2, vantaa, D(2026, 11, 3), at(D(2026, 11, 3), 12), at(D(2026, 11, 4)),
        D(2026, 11, 12), "rent",
    )  # fmt: skip
    r6 = _referral(
        case_a, kela, kuopio, D(2026, 11, 16), None, None, D(2026, 11, 25), "rent-deposit"
    )
    basic = {"reason": "basic_assistance_expense"}
    _event(r1, "return", kuopio, at(D(2026, 11, 3), 9), **basic)
    _event(r1, "resend", kela, at(D(2026, 11, 3), 12))
    _event(r1, "return", kuopio, at(D(2026, 11, 4), 9), **basic)
    _event(r2, "return", kuopio, at(D(2026, 11, 9), 11), reason="wrong_unit")
    _event(r3, "complete", kuopio2, at(D(2026, 11, 12)), outcome="transferred")
    _event(r3, "complete", kuopio2, at(D(2026, 11, 12)), outcome="no_action")  # not a handoff
    _event(r4, "return", kela, at(D(2026, 10, 5), 11), reason="supplementary_expense")
    _event(r4, "resend", kuopio2, at(D(2026, 10, 5), 13))
    _event(r5, "return", vantaa, at(D(2026, 11, 3), 13), reason="wrong_organiser")
    _event(r5, "receive", vantaa, at(D(2026, 11, 3), 12))  # not a handoff
    for created, claimed, done in (
        (at(D(2026, 11, 2)), at(D(2026, 11, 3), 9), at(D(2026, 11, 3), 12)),
        (at(D(2026, 11, 4)), None, None),
    ):
        CallbackRequest.objects.create(
            unit=kuopio,
            requester_label="Testi",
            requester_unit=kela,
            topic="social_assistance",
            urgency="normal",
            phone="+358401234567",
            description="Soittopyyntö",
            status="done" if done else "open",
            created_at=created,
            due_at=at(created.date(), 16) + dt.timedelta(days=1),
            claimed_at=claimed,
            attempts=1 if done else 0,
            completed_at=done,
            outcome="resolved" if done else "",
        )
    return {"r1": r1, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6}
