"""Forms only parse input; the services decide (the same as for the API)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.cooperation.models import ItemTopic
from silta.cooperation.services import FollowUpInput, MoveInput, ProposeInput, RoutinesInput


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _data(form: forms.Form) -> dict[str, Any]:
    return {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v is not None}


class TeamFilterForm(forms.Form):
    municipality = forms.CharField(
        label=_("Municipality"),
        required=False,
        max_length=100,
        help_text=_("Name or three-digit code, e.g. Kuopio or 297."),
    )


class RoutinesForm(forms.Form):
    text = forms.CharField(
        label=_("Agreed routines"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_input(self) -> RoutinesInput:
        return RoutinesInput.model_validate(_data(self))


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Not client data: do not name clients or write identity codes."),
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "—"), *ItemTopic.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].required = False

    def to_input(self) -> ProposeInput:
        return ProposeInput.model_validate(_data(self))


class MoveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=_date_widget())
    decision = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(label=_("Reason for declining"), max_length=1000, required=False)

    def to_input(self) -> MoveInput:
        return MoveInput.model_validate(_data(self))


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=500, required=False)
    owner_unit_id = forms.ChoiceField(label=_("Unit responsible"), required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=_date_widget())

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner_unit_id"]).choices = [
            ("", "—"),
            *((str(u.public_id), u.name) for u in units),
        ]

    def to_input(self) -> FollowUpInput:
        data = _data(self)
        if not data.get("owner_unit_id"):
            data.pop("owner_unit_id", None)
        return FollowUpInput.model_validate(data)


class DecisionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search decisions"), required=False, max_length=200)
