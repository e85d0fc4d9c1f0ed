"""The own view's forms: they parse input only; the services decide."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.consents.codes import Purpose
from silta.exchange.models import Case
from silta.portal.models import WithholdReason


def _case_choices(cases: Sequence[Case]) -> list[tuple[str, str]]:
    return [(str(c.public_id), f"{c.kela_unit.name} – {c.social_unit.name}") for c in cases]


class MeetingRequestForm(forms.Form):
    case = forms.ChoiceField(label=_("Which Kela and social services office"))
    wishes = forms.CharField(
        label=_("When would suit you? (not required)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, cases: Sequence[Case], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["case"].choices = _case_choices(cases)  # type: ignore[attr-defined]
        if len(cases) == 1:
            self.fields["case"].initial = str(cases[0].public_id)
            self.fields["case"].widget = forms.HiddenInput()


class ConsentGiveForm(forms.Form):
    case = forms.ChoiceField(label=_("Which social services"))
    purposes = forms.MultipleChoiceField(
        label=_("For what"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one.")},
    )
    agreed = forms.BooleanField(
        label=_("I have read the text above and I agree."),
        error_messages={"required": _("Tick the box to show that you agree.")},
    )

    def __init__(
        self, *args: object, cases: Sequence[Case], purposes: Sequence[str], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["case"].choices = _case_choices(cases)  # type: ignore[attr-defined]
        if len(cases) == 1:
            self.fields["case"].initial = str(cases[0].public_id)
            self.fields["case"].widget = forms.HiddenInput()
        self.fields["purposes"].choices = [  # type: ignore[attr-defined]
            (code, Purpose(code).label) for code in purposes if code in Purpose.values
        ]
        self.fields["purposes"].initial = list(purposes)


class ConsentRevokeForm(forms.Form):
    consent = forms.UUIDField(widget=forms.HiddenInput)


class DataUseForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class WithholdForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why"), choices=WithholdReason.choices)
    note = forms.CharField(
        label=_("Note (not shown to the client)"), required=False, max_length=500
    )
