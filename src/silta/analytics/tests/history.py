"""A generated handoff history of the last three months and today, written straight into
the tables the figures read: returns with and without a guide entry (which renames the
referral's expense kind, as ``referral_act`` does), re-sends, redirects, completions that
are not handoffs, threads started with the other organisation (with and without an
expense kind, and referrals' own threads), events just before and after midnight
(Helsinki), pairs with many and with fewer than five handoffs."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from silta.analytics.tests.scene import _referral, at
from silta.exchange.models import Thread
from silta.referrals.models import Referral, ReferralEvent
from silta.workdays.calendar import today
from tests.factories import World, make_client

REASONS = ("basic_assistance_expense", "supplementary_expense", "wrong_unit", "wrong_organiser")
KINDS = ("rent-deposit", "medicine", "rent", "")


def event(referral: Referral, action: str, unit_id: int, when: dt.datetime, **detail: Any) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        action=action,
        to_status="returned",
        actor_label="Testi",
        unit_id=unit_id,
        at=when,
        detail=detail,
    )
    if action == "return" and detail.get("expense_kind"):
        Referral.objects.filter(pk=referral.pk).update(expense_kind=detail["expense_kind"])


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice(((0, 5), (9, 0), (12, 30), (16, 0), (23, 40)))
    return at(day, hour, minute)


def build(world: World, *, seed: int = 12, referrals: int = 60) -> list[Referral]:
    rng = random.Random(seed)
    clients = [*world.clients, *(make_client(n) for n in range(3, 8))]
    cases = [
        world.open_case(clients[0]),
        world.open_case(clients[1], social_unit=world.social_unit2),
        world.open_case(
            clients[2], kela_unit=world.kela_unit2, social_unit=world.other_social_unit
        ),
        *(world.open_case(client) for client in clients[3:6]),
        *(world.open_case(c, social_unit=world.social_unit2) for c in clients[6:]),
    ]
    now, made = today(), []
    for n in range(referrals):
        case = rng.choice(cases)
        kela, social = case.kela_unit, case.social_unit
        sender, receiver = (kela, social) if n % 3 else (social, kela)
        arrived = now - dt.timedelta(days=rng.randint(1, 95))
        referral = _referral(
            case, sender, receiver, arrived, None, None, arrived, rng.choice(KINDS)
        )
        day = arrived
        for _step in range(rng.randint(1, 4)):
            day = min(now, day + dt.timedelta(days=rng.randint(0, 6)))
            roll = rng.random()
            if roll < 0.45:
                guide = rng.choice(KINDS) if rng.random() < 0.5 else ""
                extra = {"expense_kind": guide} if guide else {}
                event(referral, "return", receiver.pk, _moment(rng, day),
                      reason=rng.choice(REASONS), **extra)  # fmt: skip
            elif roll < 0.75:
                event(referral, "resend", sender.pk, _moment(rng, day))
            elif roll < 0.85:
                event(referral, "complete", receiver.pk, _moment(rng, day), outcome="transferred")
            else:
                event(referral, "complete", receiver.pk, _moment(rng, day), outcome="no_action")
        made.append(referral)
        if n % 4 == 0:  # the referral's own thread is about its expense kind
            Thread.objects.filter(pk=referral.thread_id).update(expense_kind=referral.expense_kind)
    for n in range(referrals // 2):  # threads started with the other organisation
        case = rng.choice(cases)
        unit = case.kela_unit if n % 2 else case.social_unit
        moment = _moment(rng, now - dt.timedelta(days=rng.randint(0, 95)))
        Thread.objects.create(case=case, subject="Asia", started_by_unit=unit,
                              created_at=moment, last_message_at=moment,
                              expense_kind=rng.choice(KINDS))  # fmt: skip
    return made
