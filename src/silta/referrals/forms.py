"""Referral forms, built from the type's spec. Forms only parse; the services validate.

Each form turns its cleaned data into the one typed input of its service
(``ReferralInput``, ``ActInput``), the same input the API builds from its body.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.consents.forms import BasisFields
from silta.core.forms import AttachmentsForm, MultipleFileField
from silta.reference.forms import expense_kind_field
from silta.referrals.services import ReferralInput
from silta.referrals.state import TRANSITIONS, Action
from silta.referrals.transitions import ActInput
from silta.referrals.types import SPECS, ReturnReason
from silta.referrals.typespec import FieldSpec, Kind


class DateInput(forms.DateInput):
    input_type = "date"


def _form_field(spec: FieldSpec) -> forms.Field:
    """The web input of one of the type's own fields (not required here: the service
    decides, with the same messages as the API)."""
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help, "required": False}
    choices = list(spec.choices)
    if spec.kind == Kind.TEXT:
        return forms.CharField(max_length=spec.max_length, **common)
    if spec.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=spec.max_length, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if spec.kind == Kind.CHOICE:
        radio = len(choices) <= 4
        return forms.ChoiceField(
            choices=choices if radio else [("", "—"), *choices],
            widget=forms.RadioSelect if radio else forms.Select,
            **common,
        )
    if spec.kind == Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == Kind.DATE:
        return forms.DateField(widget=DateInput, **common)
    return forms.BooleanField(**common)


class ReferralForm(BasisFields, AttachmentsForm):
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    expense_kind = expense_kind_field(hint_target="referral-guide-hint")
    attachments = MultipleFileField(label=_("Documents"))
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, referral_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = SPECS[referral_type]
        self.help = self.spec.help
        if self.spec.always_urgent:
            del self.fields["urgent"]
        for spec in self.spec.fields:
            self.fields[spec.name] = _form_field(spec)
        self.order_fields([f.name for f in self.spec.fields])

    def to_input(self) -> ReferralInput:
        data = self.cleaned_data
        return ReferralInput(
            type=self.spec.type,
            description=data["description"],
            urgent=data.get("urgent", False),
            fields={f.name: data[f.name] for f in self.spec.fields},
            basis=self.basis_choice(),
            expense_kind=data["expense_kind"],
        )


# The fields each step asks for besides its name. The reason text comes with every step
# the transition table marks ``needs_reason`` (the server requires it from the same flag),
# and reject, return and cancel also ask the actor to confirm what will happen
# (``CONSEQUENCES``).
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    Action.RETURN: ("reason", "expense_kind"),
    # The outcome goes back to the sender: with the lawful basis it goes out on.
    Action.COMPLETE: (
        "outcome",
        "outcome_date",
        "outcome_time",
        "outcome_text",
        "statutory_basis",
        "circumstance",
    ),
}
CONSEQUENCES: dict[str, Any] = {
    Action.REJECT: _(
        "%(other)s sees the referral as rejected, with your reason. The referral closes "
        "and cannot be reopened."
    ),
    Action.RETURN: _(
        "%(other)s sees this as a return, with your reason; it counts as a handoff. They "
        "can send it again or withdraw it."
    ),
    Action.CANCEL: _(
        "%(other)s sees the referral as cancelled, with your reason. The referral closes "
        "and its deadline stops."
    ),
}


class ActForm(BasisFields):
    """One step on a referral, with only the fields that step needs (the lawful-basis
    fields only where the step discloses: the outcome)."""

    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.ChoiceField(
        label=_("Why does it belong to the other organisation?"),
        required=False,
        choices=[("", "—"), *ReturnReason.choices],
    )
    reason_text = forms.CharField(label=_("Reason"), required=False, max_length=500)
    # A return because the expense belongs to the other organisation names its guide entry.
    expense_kind = expense_kind_field(hint_target="return-guide-hint")
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, widget=forms.RadioSelect)
    outcome_date = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    outcome_time = forms.TimeField(
        label=_("Time of the meeting"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    outcome_text = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Confirm that you want to do this.")},
    )

    def __init__(
        self, *args: Any, referral_type: str, action: str, other: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("action", action)
        super().__init__(*args, **kwargs)
        spec = SPECS[referral_type]
        self.step = action
        self.label = Action(action).label if action in Action.values else action
        self.confirms = action in CONSEQUENCES
        wanted = {"action", "version", *ACTION_FIELDS.get(action, ())}
        transition = TRANSITIONS.get(action)
        if transition is not None and transition.needs_reason:
            wanted.add("reason_text")
        if action in CONSEQUENCES:
            wanted.add("confirm")
        if not spec.outcome_needs_time:
            wanted.discard("outcome_time")
        for name in [n for n in self.fields if n not in wanted]:
            del self.fields[name]
        if "outcome" in self.fields:
            cast(forms.ChoiceField, self.fields["outcome"]).choices = list(spec.outcomes)
        if action == Action.RETURN:
            self.fields["reason_text"].label = _("Explanation")
            self.fields["expense_kind"].label = _("Guide entry the return relies on")
            self.fields["expense_kind"].help_text = _(
                "Required when the expense belongs to the other organisation: the expense "
                "kind whose division-of-labour guide entry says so."
            )
        if self.confirms:
            self.fields["confirm"].label = _("I understand: %(consequence)s") % {
                "consequence": CONSEQUENCES[action] % {"other": other}
            }

    @property
    def discloses(self) -> bool:
        return "statutory_basis" in self.fields

    def to_input(self) -> ActInput:
        data = dict(self.cleaned_data)
        for name in ("statutory_basis", "circumstance"):  # not chosen: None
            data[name] = data.get(name) or None
        return ActInput.model_validate(data)
