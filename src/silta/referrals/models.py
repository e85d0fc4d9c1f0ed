"""Referrals: typed, closed-loop requests between Kela and social services."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from silta.exchange.models import Case, Thread
from silta.organisations.models import Unit
from silta.reference.expense_kinds import CODE_LENGTH, expense_kind_label
from silta.referrals.state import OPEN_STATES, Action, Status
from silta.referrals.types import SPECS, ReturnReason, type_choices
from silta.referrals.typespec import FieldSpec, TypeSpec

OPEN_STATE_VALUES = [str(s) for s in OPEN_STATES]
# No transition leaves these (the response figures sum them once settled).
SETTLED_STATE_VALUES = [str(Status.COMPLETED), str(Status.REJECTED), str(Status.CANCELLED)]


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    # The conversation about the referral (messages and documents) lives in a thread.
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(_("type"), max_length=40, choices=type_choices)
    sender_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    receiver_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    # What the referral is about in the guide's terms (``reference.expense_kinds``), or "".
    expense_kind = models.CharField(_("expense kind"), max_length=CODE_LENGTH, blank=True)
    # Type-specific fields of the form (checklist, basis, dates...): no identity codes.
    payload = models.JSONField(default=dict)
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    outcome_date = models.DateField(_("date"), null=True, blank=True)
    outcome_time = models.TimeField(_("time"), null=True, blank=True)
    outcome_text = models.TextField(_("details"), blank=True)
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    reason_text = models.CharField(_("reason"), max_length=500, blank=True)
    # The deadline: the rule and the date it gave (Europe/Helsinki, working days).
    deadline_rule = models.CharField(max_length=40)
    arrived_on = models.DateField()
    due_date = models.DateField(_("due"))
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    handoff_count = models.PositiveSmallIntegerField(_("handoffs"), default=0)
    renotified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    client_token = models.UUIDField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["sender_unit", "client_token"],
                condition=models.Q(client_token__isnull=False),
                name="referral_unique_client_token",
            )
        ]
        indexes = [
            models.Index(fields=["receiver_unit", "status", "due_date"], name="referral_in"),
            # The received lists (open, due soon, overdue) in their own order.
            models.Index(
                fields=["receiver_unit", "due_date", "sent_at", "id"],
                condition=models.Q(status__in=OPEN_STATE_VALUES),
                name="referral_in_open_due",
            ),
            models.Index(fields=["sender_unit", "-sent_at"], name="referral_out"),
            models.Index(fields=["receiver_unit", "-sent_at"], name="referral_in_month"),
            models.Index(fields=["case", "-sent_at"], name="referral_case"),
            # The response figures (analytics.response_sql): every referral by arrival day,
            # the unsettled ones by arrival day, the settled ones by when they were settled.
            models.Index(fields=["arrived_on"], name="referral_arrived"),
            models.Index(
                fields=["arrived_on"],
                condition=~models.Q(status__in=SETTLED_STATE_VALUES),
                name="referral_unsettled",
            ),
            models.Index(
                fields=["closed_at"],
                condition=models.Q(status__in=SETTLED_STATE_VALUES),
                name="referral_settled_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.public_id}"

    @property
    def spec(self) -> TypeSpec:
        """The type's declaration: its own fields, outcomes and flags."""
        return SPECS[self.type]

    @property
    def type_label(self) -> str:
        spec = SPECS.get(self.type)
        return str(spec.label) if spec else self.type

    @property
    def outcome_label(self) -> str:
        """The outcome in the reader's language (the field stores the type's outcome code)."""
        spec = SPECS.get(self.type)
        return spec.outcome_label(self.outcome) if spec else self.outcome

    @property
    def expense_kind_label(self) -> str:
        return expense_kind_label(self.expense_kind) if self.expense_kind else ""

    @property
    def reason_label(self) -> str:
        """Why it was returned, translated (the field stores the ReturnReason code)."""
        return str(ReturnReason(self.reason).label) if self.reason in ReturnReason.values else ""

    def payload_rows(self) -> list[tuple[str, str, FieldSpec]]:
        """The type's own fields that were filled in: (label, value shown, field)."""
        spec = SPECS.get(self.type)
        return list(spec.rows(self.payload)) if spec else []

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


# A due date recomputed after the working-day rule was corrected (arrivals on a
# non-working day are not moved to the next working day; DOMAIN.md §3).
DUE_CORRECTED = "due_corrected"
# Not a transition: the consent the referral was sent on was revoked or replaced
# (``consent_flags``); both sides see it on the referral and the case timeline.
CONSENT_REVOKED = "consent_revoked"


class ReferralEvent(models.Model):
    """Every transition: who, which unit, when, from which state to which, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["referral", "at"], name="referralevent_time"),
            # Returns by reason in the monthly report (the returning unit is the receiver).
            models.Index(
                fields=["unit", "at"],
                condition=models.Q(action="return"),
                name="referralevent_return",
            ),
            # The handoff figures by time (analytics: the worker's refresh, today's live
            # count and the stale check).
            models.Index(
                fields=["at"],
                condition=models.Q(action__in=["return", "resend", "complete"]),
                name="referralevent_handoff_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        if self.action == "send":
            return str(_("sent the referral"))
        if self.action == "renotify":
            return str(_("reminded the receiving unit (not opened in a working day)"))
        if self.action == "escalate":
            return str(_("escalated to the receiving unit's manager"))
        if self.action == DUE_CORRECTED:
            return str(
                _(
                    "due date corrected from %(before)s to %(after)s "
                    "(the arrival day is not counted)"
                )
                % {
                    "before": formats.date_format(
                        dt.date.fromisoformat(self.detail["due_before"]), "SHORT_DATE_FORMAT"
                    ),
                    "after": formats.date_format(
                        dt.date.fromisoformat(self.detail["due_after"]), "SHORT_DATE_FORMAT"
                    ),
                }
            )
        if self.action == CONSENT_REVOKED:
            if self.detail.get("how") == "replaced":
                return str(_("the consent this referral was sent on was replaced by a new one"))
            return str(_("the client revoked the consent this referral was sent on"))
        label = Action(self.action).label if self.action in Action.values else self.action
        return f"{label} → {Status(self.to_status).label}"
