"""Referral forms: one form per type built from the type table; the service validates."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.core.forms import MultipleFileField
from silta.referrals.types import (
    CONCERNS,
    CONTACT_BASES,
    DOCUMENT_KINDS,
    SPECS,
    Choice,
    ReferralType,
    ReturnReason,
)


def _choices(values: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(value, Choice(value).label) for value in values]


class DateInput(forms.DateInput):
    input_type = "date"


class ReferralForm(forms.Form):
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    files = MultipleFileField(label=_("Documents"))  # type: ignore[assignment]
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, referral_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral_type = referral_type
        spec = SPECS[referral_type]
        self.help = spec.help
        if referral_type == ReferralType.CONTACT:
            self.fields["concerns"] = forms.MultipleChoiceField(
                label=_("What worries you (concern checklist)"),
                choices=_choices(CONCERNS),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields["basis"] = forms.ChoiceField(
                label=_("Basis of the contact"),
                choices=_choices(CONTACT_BASES),
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields["share_back"] = forms.CharField(
                label=_("What the client consented to share back to Kela"),
                required=False,
                max_length=500,
            )
        if referral_type == ReferralType.DOCUMENT_DELIVERY:
            self.fields["document_kind"] = forms.ChoiceField(
                label=_("Kind of document"),
                choices=[("", "—"), *_choices(DOCUMENT_KINDS)],
                required=False,
            )
        if referral_type == ReferralType.STATEMENT_REQUEST:
            self.fields["requested_date"] = forms.DateField(
                label=_("Statement needed by"), required=False, widget=DateInput
            )
        if referral_type == ReferralType.MEETING_REQUEST:
            self.fields["proposed_times"] = forms.CharField(
                label=_("Proposed times, participants and the client's wish"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields["joint"] = forms.BooleanField(
                label=_("Joint meeting of Kela and social services with the client"), required=False
            )
        if referral_type == ReferralType.ASSESSMENT_BEFORE_REDUCTION:
            self.fields["planned_reduction"] = forms.ChoiceField(
                label=_("Reduction considered"),
                required=False,
                choices=[("20", "20 %"), ("40", "40 %")],
            )
        if referral_type == ReferralType.URGENT_HANDLING:
            del self.fields["urgent"]  # always urgent (Totul 14 b §)


class ActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", "—"), *ReturnReason.choices]
    )
    reason_text = forms.CharField(label=_("Explanation"), required=False, max_length=500)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, widget=forms.RadioSelect)
    outcome_date = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    outcome_time = forms.TimeField(
        label=_("Time (meetings)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    outcome_text = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    receiver_unit = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, referral_type: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if referral_type:
            self.fields["outcome"].choices = _choices(  # type: ignore[attr-defined]
                SPECS[referral_type].outcomes
            )
