from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.callbacks.models import Outcome, Urgency
from silta.callbacks.services import CallbackInput, CancelInput, CompleteInput
from silta.consents.forms import BasisFields
from silta.directory.models import Topic


class CallbackForm(BasisFields):
    """The request; about a client, also the lawful basis (``consents/_basis.html``)."""

    requester_unit = forms.ChoiceField(label=_("On behalf of"))
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
    )
    phone = forms.CharField(label=_("Number to call"), max_length=40)
    preferred_times = forms.CharField(label=_("Preferred times"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What is it about?"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["requester_unit"]).choices = [
            (str(u.public_id), u.name) for u in units
        ]

    def to_input(self) -> CallbackInput:
        data = dict(self.cleaned_data)
        for name in ("statutory_basis", "circumstance"):  # not chosen: None
            data[name] = data.get(name) or None
        return CallbackInput.model_validate(data)


class CompleteForm(forms.Form):
    """Parses only: the outcome is checked by the service, as for the API."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(
        label=_("Note for the requester"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def to_input(self) -> CompleteInput:
        return CompleteInput.model_validate(getattr(self, "cleaned_data", {}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500, required=False)

    def to_input(self) -> CancelInput:
        return CancelInput.model_validate(getattr(self, "cleaned_data", {}))
