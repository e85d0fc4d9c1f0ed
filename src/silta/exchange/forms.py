"""Forms only parse input; the services validate the rules and do the work."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.consents.forms import BasisFields
from silta.core.forms import AttachmentsForm, MultipleFileField
from silta.directory.models import Topic
from silta.reference.forms import expense_kind_field


class CaseOpenForm(BasisFields):
    acting_unit = forms.ChoiceField(label=_("Your unit"))
    counterpart_unit = forms.ChoiceField(label=_("The other organisation's unit"))
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[(value, label) for value, label in Topic.choices if value != "basic_assistance"],
    )
    override_reason = forms.CharField(
        label=_("Reason, if you choose another unit than the suggested one"),
        required=False,
        max_length=500,
    )

    def __init__(
        self,
        *args: Any,
        own_units: Any,
        counterparts: Any,
        kela_side: bool = True,
        route_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["acting_unit"]).choices = [
            (str(u.public_id), u.name) for u in own_units
        ]
        cast(forms.ChoiceField, self.fields["counterpart_unit"]).choices = [
            (str(u.public_id), f"{u.organisation.name} – {u.name}") for u in counterparts
        ]
        if not kela_side:
            # Social services ask Kela about basic assistance: no topic to choose.
            del self.fields["topic"]
        elif route_url:
            # Changing the topic refreshes the suggested unit (htmx; works without it too).
            self.fields["topic"].widget.attrs.update(
                {"hx-get": route_url, "hx-target": "#open-case", "hx-swap": "outerHTML"}
            )


class ThreadStartForm(BasisFields, AttachmentsForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    expense_kind = expense_kind_field(hint_target="thread-guide-hint")
    body = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Attachments"))
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ReplyForm(BasisFields, AttachmentsForm):
    # Optional here: the service gives the clear "Write a message." error.
    body = forms.CharField(
        label=_("Reply"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultipleFileField(label=_("Attachments"))
    client_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [("", _("Nobody"))] + [
            (str(m.public_id), m.display_name) for m in members
        ]
