"""Moving referrals through the state machine.

Every transition goes through ``referral_act``: it checks the side (sender or receiver),
the role, the state and the required fields, in one transaction with the audit event and
the case timeline. An illegal transition is a ``Conflict`` (HTTP 409 in the API).
Completing discloses the outcome to the sender: it needs the client's consent (no law
obliges the report back, DOMAIN.md §2), decided before the write and logged inside it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pydantic
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.consents.codes import DisclosureKind
from silta.consents.disclosures import REFUSALS, Authorised, NoLawfulBasis, audit_late_refusals
from silta.consents.gate import gate_decide, gate_log, legal_basis_of
from silta.consents.schemas import (
    BASIS_HELP,
    CIRCUMSTANCE_HELP,
    CONSENT_HELP,
    BasisId,
    CircumstanceCode,
    basis_choice,
)
from silta.core.errors import Conflict, Forbidden, Invalid, ServiceError
from silta.core.events import EventType, publish
from silta.reference.expense_kinds import EXPENSE_KIND_HELP, clean_expense_kind, guide_has_entry
from silta.referrals.client_notices import notify_step
from silta.referrals.deadlines import due_date
from silta.referrals.history import log_step
from silta.referrals.models import Referral
from silta.referrals.state import RECEIVER, SENDER, TRANSITIONS, Action, Status
from silta.referrals.types import GUIDE_REASONS, SPECS, ReturnReason
from silta.workdays.calendar import local_date


class ActInput(pydantic.BaseModel):
    """One step on a referral, from the web form or the API body alike (the API's schema).

    ``version`` is the referral version the actor saw: a stale one is refused.
    """

    model_config = pydantic.ConfigDict(frozen=True, populate_by_name=True)

    action: str = pydantic.Field(json_schema_extra={"enum": list(Action.values)})
    reason: str = ""
    reason_text: str = ""
    # A return because the expense belongs to the other organisation names the guide
    # entry it relies on, by its expense kind (``reference.expense_kinds``).
    expense_kind: str = pydantic.Field(default="", description=EXPENSE_KIND_HELP)
    outcome: str = ""
    outcome_date: dt.date | None = None
    outcome_time: dt.time | None = None
    outcome_text: str = ""
    seen_version: int | None = pydantic.Field(default=None, alias="version")
    # The lawful basis of the outcome reported back (complete only).
    consent_id: uuid.UUID | None = pydantic.Field(default=None, description=CONSENT_HELP)
    statutory_basis: BasisId | None = pydantic.Field(default=None, description=BASIS_HELP)
    circumstance: CircumstanceCode | None = pydantic.Field(
        default=None, description=CIRCUMSTANCE_HELP
    )


class OutcomeNotShared(NoLawfulBasis):
    """The outcome was not recorded: reporting it back rests on the client's consent."""

    def __init__(self, refused: NoLawfulBasis) -> None:
        ServiceError.__init__(
            self,
            _(
                "The outcome was not recorded: %(reason)s. No law obliges reporting it back, "
                "so only the client's consent can make it lawful."
            )
            % {"reason": REFUSALS[refused.reason]},
            field="statutory_basis",
        )
        self.reason = refused.reason
        self.lawful_bases = refused.lawful_bases


def _side(actor: Actor, referral: Referral, side: str) -> int:
    unit_id = referral.sender_unit_id if side == SENDER else referral.receiver_unit_id
    if unit_id not in actor.units_with(Perm.MESSAGE_SEND):
        raise deny(
            actor,
            message=_("Only the receiving unit can do this.")
            if side == RECEIVER
            else _("Only the sending unit can do this."),
            obj=referral,
            detail={"referral_side": side},
        )
    return unit_id


def _check_fields(referral: Referral, data: ActInput) -> dict[str, Any]:
    """Required fields of the action; the closed loop: no completion without outcome."""
    spec = SPECS[referral.type]
    changes: dict[str, Any] = {}
    if TRANSITIONS[data.action].needs_reason:  # the table's flag: the form shows the same
        if data.action == Action.RETURN and data.reason not in ReturnReason.values:
            raise Invalid(
                _("Choose why the referral is returned."), code="reason_required", field="reason"
            )
        text = (data.reason_text or "").strip()
        if data.action != Action.RETURN and not text:
            raise Invalid(_("Give a reason."), code="reason_required", field="reason_text")
        changes.update(
            reason=data.reason if data.action == Action.RETURN else "", reason_text=text[:500]
        )
        if data.action == Action.RETURN:
            changes.update(_guide_entry(referral, data))
    if data.action == Action.COMPLETE:
        if data.outcome not in spec.outcome_codes:
            raise Invalid(
                _("Choose the outcome: the sender is waiting for it."),
                code="outcome_required",
                field="outcome",
            )
        if data.outcome in spec.outcome_needs_date and data.outcome_date is None:
            raise Invalid(
                _("Give the date for this outcome."),
                code="outcome_date_required",
                field="outcome_date",
            )
        text = (data.outcome_text or "").strip()
        if data.outcome in spec.outcome_needs_text and not text:
            raise Invalid(
                _("Write the details of the outcome."),
                code="outcome_text_required",
                field="outcome_text",
            )
        if data.outcome in spec.outcome_needs_time and data.outcome_time is None:
            raise Invalid(
                _("Give the time of the meeting."),
                code="outcome_time_required",
                field="outcome_time",
            )
        changes.update(
            outcome=data.outcome,
            outcome_date=data.outcome_date,
            outcome_time=data.outcome_time,
            outcome_text=text[:5000],
        )
    return changes


def _guide_entry(referral: Referral, data: ActInput) -> dict[str, Any]:
    """The guide entry a return relies on, named by its expense kind: required when the
    expense belongs to the other organisation (the form offers the referral's own kind);
    it is recorded on the referral, so the entry's return figures count it."""
    code = clean_expense_kind(data.expense_kind)
    if data.reason not in GUIDE_REASONS:
        return {"expense_kind": code} if code else {}
    if not code or not guide_has_entry(code):
        raise Invalid(
            _(
                "Name the guide entry this return relies on: choose the expense kind "
                "whose entry in the division-of-labour guide says the expense belongs to "
                "the other organisation."
            ),
            code="guide_entry_required",
            field="expense_kind",
        )
    return {"expense_kind": code}


def referral_act(*, actor: Actor, referral: Referral, data: ActInput) -> Referral:
    """Move a referral along the state machine (refused with ``Conflict`` if illegal)."""
    transition = TRANSITIONS.get(data.action)
    if transition is None:
        raise Invalid(_("Unknown action."), code="action_unknown")
    unit_id = _side(actor, referral, transition.side)
    changes = _check_fields(referral, data)
    outcome = _decide_outcome(actor, referral, unit_id, data)
    with audit_late_refusals(), transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if data.seen_version is not None and data.seen_version != locked.version:
            raise Conflict(
                _("The referral changed meanwhile. Reload the page."), code="referral_stale"
            )
        if locked.status not in transition.sources:
            raise Conflict(
                _("“%(action)s” is not possible when the referral is “%(status)s”.")
                % {
                    "action": Action(transition.action).label,
                    "status": Status(locked.status).label,
                },
                code="transition_not_allowed",
            )
        now = timezone.now()
        source = locked.status  # the caller's copy may be stale: log the real state
        changes.update(_side_effects(locked, data, now))
        for name, value in {
            **changes,
            "status": transition.target,
            "version": locked.version + 1,
        }.items():
            setattr(locked, name, value)
        locked.save()
        publish(
            EventType.REFERRAL_STATUS_CHANGED,
            (locked.sender_unit_id, locked.receiver_unit_id),
            "referral",
            locked.public_id,
        )
        disclosure = gate_log(outcome, object_id=locked.public_id)
        detail = {k: str(v) for k, v in changes.items() if v not in ("", None)}
        log_step(
            actor,
            locked,
            transition.action,
            source,
            transition.target,
            unit_id,
            now,
            detail,
        )
        audit: dict[str, Any] = {"action": transition.action, "to": transition.target}
        if disclosure is not None:
            audit["disclosure"] = str(disclosure.public_id)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            client=locked.case.client,
            unit_id=unit_id,
            legal_basis=legal_basis_of(outcome) or locked.case.legal_basis,
            detail=audit,
        )
        notify_step(locked, transition.action)
    return locked


def _decide_outcome(
    actor: Actor, referral: Referral, unit_id: int, data: ActInput
) -> Authorised | None:
    """The lawful basis of the outcome the receiver reports back to the sender, decided
    before the write (None: not a completion). Refused: ``OutcomeNotShared``."""
    if data.action != Action.COMPLETE:
        return None
    try:
        return gate_decide(
            actor=actor,
            client=referral.case.client,
            unit_id=unit_id,
            recipient=referral.sender_unit_id,
            kind=DisclosureKind.OUTCOME,
            object_type="referral_outcome",
            choice=basis_choice(data.consent_id, data.statutory_basis, data.circumstance),
        )
    except NoLawfulBasis as refused:
        raise OutcomeNotShared(refused) from None


def _side_effects(referral: Referral, data: ActInput, now: dt.datetime) -> dict[str, Any]:
    """Clock and counter changes of a transition."""
    changes: dict[str, Any] = {}
    if data.action == Action.RECEIVE:
        changes["received_at"] = now
    if data.action == Action.RETURN:
        changes["handoff_count"] = referral.handoff_count + 1
    rule_after_resume = SPECS[referral.type].rule_after_resume
    if data.action == Action.RESUME and rule_after_resume:
        # The clock restarts when the missing information arrives (Totul 14 a §).
        changes["deadline_rule"] = rule_after_resume
        changes["arrived_on"] = local_date(now)
        changes["due_date"] = due_date(rule_after_resume, local_date(now), urgent=referral.urgent)
    if data.action == Action.COMPLETE:
        changes["completed_at"] = changes["closed_at"] = now
    if data.action in (Action.REJECT, Action.CANCEL):
        changes["closed_at"] = now
    if data.action == Action.RESEND:
        changes.update(_resend(referral, data, now))
    return changes


def _resend(referral: Referral, data: ActInput, now: dt.datetime) -> dict[str, Any]:
    """A returned referral goes out again: a new arrival, a new clock."""
    arrived = local_date(now)
    return {
        "received_at": None,
        "reason": "",
        "reason_text": "",
        "renotified_at": None,
        "escalated_at": None,
        "sent_at": now,
        "arrived_on": arrived,
        "due_date": due_date(
            referral.deadline_rule,
            arrived,
            urgent=referral.urgent,
            requested=SPECS[referral.type].requested_due(referral.payload),
        ),
    }


def referral_open(*, actor: Actor, referral: Referral) -> Referral:
    """The receiving unit's first open records the receipt (automatic acknowledgement).

    The receipt is a transition, so it needs the send permission: a member or an API key
    that may only view just views. Used by the web page and the API alike.
    """
    if referral.status != Status.REQUESTED:
        return referral
    if referral.receiver_unit_id not in actor.units_with(Perm.MESSAGE_SEND):
        return referral
    try:
        return referral_act(actor=actor, referral=referral, data=ActInput(action=Action.RECEIVE))
    except (Conflict, Forbidden):
        return Referral.objects.get(pk=referral.pk)
