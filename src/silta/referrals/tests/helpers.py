"""Builders for the referral tests: a valid referral of each type, a frozen clock."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from silta.exchange.models import Case
from silta.referrals import services
from silta.referrals.models import Referral
from silta.workdays.calendar import HELSINKI, today
from tests.factories import World, pdf

D = dt.date

# Who sends each type in these tests (Kela for "either" types unless a test says so).
KELA_SENT = ("contact", "forwarded_application", "assessment_before_reduction")
SOCIAL_SENT = ("document_delivery", "urgent_handling")
EITHER = ("statement_request", "meeting_request")
ALL_TYPES = KELA_SENT + SOCIAL_SENT + EITHER


def referral_input(type_: str, **overrides: object) -> services.ReferralInput:
    """The smallest valid form of each type; overrides name common or own fields."""
    per_type: dict[str, dict[str, object]] = {
        "contact": {"concerns": ["no_money"], "basis": "consented"},
        "document_delivery": {"document_kind": "social_care_statement"},
        "statement_request": {"requested_date": today() + dt.timedelta(days=30)},
        "meeting_request": {"proposed_times": "ma 14.12. klo 10-12"},
    }
    fields = dict(per_type.get(type_, {}))
    common: dict[str, Any] = {"type": type_, "description": "Asiakas tarvitsee apua."}
    for name, value in overrides.items():
        (common if name in ("description", "urgent") else fields)[name] = value
    return services.ReferralInput(**common, fields=fields)


def needs_files(type_: str) -> bool:
    return type_ in ("forwarded_application", "document_delivery")


def default_sender(type_: str) -> str:
    return "social_worker" if type_ in SOCIAL_SENT else "kela_processor"


def send(
    world: World,
    type_: str = "contact",
    *,
    sender: str | None = None,
    case: Case | None = None,
    token: uuid.UUID | None = None,
    **overrides: object,
) -> Referral:
    sender = sender or default_sender(type_)
    return services.referral_send(
        actor=world.actor(sender),
        case=case or world.open_case(),
        data=referral_input(type_, **overrides),
        files=[pdf()] if needs_files(type_) else [],
        client_token=token,
    )


def act(world: World, key: str, referral: Referral, action: str, **fields: Any) -> Referral:
    return services.referral_act(
        actor=world.actor(key),
        referral=Referral.objects.get(pk=referral.pk),
        data=services.ActInput(action=action, **fields),
    )


# A valid completion of each type, written out by hand from the outcome lists.
COMPLETIONS: dict[str, dict[str, Any]] = {
    "contact": {"outcome": "assessment_started", "outcome_date": D(2026, 12, 1)},
    "forwarded_application": {"outcome": "granted"},
    "assessment_before_reduction": {"outcome": "attended", "outcome_date": D(2026, 12, 1)},
    "statement_request": {"outcome": "statement_given", "outcome_text": "Lausunto liitteenä."},
    "document_delivery": {"outcome": "no_change"},
    "urgent_handling": {"outcome": "decided", "outcome_date": D(2026, 12, 1)},
    "meeting_request": {
        "outcome": "meeting_confirmed",
        "outcome_date": D(2026, 12, 14),
        "outcome_time": dt.time(10, 0),
        "outcome_text": "Kelan toimisto, Kuopio",
    },
}


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware moment in Helsinki time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


class Clock:
    """Freezes ``django.utils.timezone.now`` (services, tasks and the audit use it)."""

    def __init__(self, monkeypatch, moment: dt.datetime) -> None:
        self.now = moment
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args: int) -> dt.datetime:
        self.now = at(*args)
        return self.now


def give_emails(world: World) -> None:
    for key, user in world.users.items():
        user.email = f"{key}@example.fi"
        user.save(update_fields=["email"])
