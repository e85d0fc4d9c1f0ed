"""Booking forms: they parse only; the services and selectors validate (as for the API)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silta.bookings.inputs import (
    BookingCancelInput,
    BookInput,
    PublishInput,
    RebookInput,
    SearchInput,
)
from silta.bookings.models import Slot, SlotChannel
from silta.core.errors import Invalid
from silta.core.ids import parse_uuid
from silta.directory.models import Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _data(form: forms.Form) -> dict[str, Any]:
    form.is_valid()
    return {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v not in ("", None)}


def slot_label(slot: Slot) -> str:
    when = formats.date_format(timezone.localtime(slot.starts_at), "SHORT_DATETIME_FORMAT")
    return f"{when} · {slot.resource} · {slot.get_channel_display()}"


class PublishForm(forms.Form):
    unit_id = forms.ChoiceField(label=_("Serving unit"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, required=False)
    channel = forms.ChoiceField(
        label=_("How"), choices=SlotChannel.choices, widget=forms.RadioSelect, required=False
    )
    place_details = forms.CharField(
        label=_("Room, or how the call goes"), max_length=400, required=False
    )
    video_url = forms.CharField(label=_("Video link (https)"), max_length=600, required=False)
    video_platform = forms.CharField(label=_("Video platform"), max_length=100, required=False)
    resource = forms.CharField(label=_("Who serves"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=30, required=False)
    first_day = forms.DateField(label=_("First day"), widget=DATE, required=False)
    last_day = forms.DateField(label=_("Last day"), widget=DATE, required=False)
    day_start = forms.TimeField(label=_("Day starts"), widget=TIME, required=False)
    day_end = forms.TimeField(label=_("Day ends"), widget=TIME, required=False)
    every_minutes = forms.IntegerField(
        label=_("A slot every (minutes)"), initial=30, required=False
    )

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit_id"]).choices = [
            (str(u.public_id), u.name) for u in units
        ]

    def to_input(self) -> PublishInput:
        return PublishInput.model_validate(_data(self))


class SearchForm(forms.Form):
    service_area = forms.ChoiceField(label=_("Kela service area"), required=False)
    municipality = forms.CharField(label=_("Or a municipality code"), max_length=3, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices, required=False)
    date_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("To"), widget=DATE, required=False)

    def __init__(self, *args: Any, areas: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service_area"]).choices = [("", "—")] + [
            (a.code, a.name_sv if get_language() == "sv" else a.name_fi) for a in areas
        ]

    def to_input(self) -> SearchInput:
        data = _data(self)
        municipality = data.pop("municipality", "")
        return SearchInput.model_validate(
            {**data, "municipalities": [municipality] if municipality else []}
        )


class BookForm(forms.Form):
    # Selects whose value the selectors and the service check (a case not the actor's is
    # 404 there, as in the API; an unsuitable referral a clear message).
    case_id = forms.CharField(label=_("Client (shared case)"), required=False, widget=forms.Select)
    referral_id = forms.CharField(
        label=_("Assessment referral (Totul 10 a §) to give feedback on"),
        required=False,
        widget=forms.Select,
    )
    client_email = forms.CharField(
        label=_("The client's e-mail for the confirmation (optional)"),
        max_length=254,
        required=False,
    )

    def __init__(self, *args: Any, cases: Any = (), referrals: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.Select, self.fields["case_id"].widget).choices = [("", "—")] + [
            (str(c.public_id), c.client.full_name) for c in cases
        ]
        cast(forms.Select, self.fields["referral_id"].widget).choices = [("", "—")] + [
            (str(r.public_id), f"{r.case.client.full_name} · {r.get_type_display()}")
            for r in referrals
        ]

    def to_input(self) -> BookInput:
        data = _data(self)
        for name in ("case_id", "referral_id"):
            if name in data and parse_uuid(data[name]) is None:
                raise Invalid(_("Choose from the list."), code="choice_invalid", field=name)
        return BookInput.model_validate(data)


class RebookForm(forms.Form):
    slot_id = forms.ChoiceField(label=_("New time"), required=False)

    def __init__(self, *args: Any, slots: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["slot_id"]).choices = [
            (str(s.public_id), slot_label(s)) for s in slots
        ]

    def to_input(self) -> RebookInput:
        return RebookInput.model_validate(_data(self))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def to_input(self) -> BookingCancelInput:
        return BookingCancelInput.model_validate(_data(self))
