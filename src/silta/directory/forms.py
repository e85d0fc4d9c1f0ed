"""Directory forms: they parse; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.directory.models import ChannelKind, Topic

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Municipality, unit or person"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("In Finnish or Swedish, e.g. Kuopio, Helsingfors, aikuissosiaalityö."),
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )


class RouteForm(forms.Form):
    municipality = forms.CharField(
        label=_("Client's municipality of residence (code or name)"), max_length=50
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)


class UnitForm(forms.Form):
    description_fi = forms.CharField(
        label=_("Description in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_sv = forms.CharField(
        label=_("Description in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    label_fi = forms.CharField(label=_("Label in Finnish"), max_length=200, required=False)
    label_sv = forms.CharField(label=_("Label in Swedish"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    always_open = forms.BooleanField(label=_("Open 24/7"), required=False)
    open_on_holidays = forms.BooleanField(label=_("Open on public holidays"), required=False)
    exceptions = forms.CharField(
        label=_("Exceptions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date per line: 2026-12-31 9-12, or 2026-12-23 closed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day{day}"] = forms.CharField(
                label=name,
                required=False,
                max_length=100,
                help_text=_("e.g. 9-11, 12-15; empty = closed") if day == 0 else "",
            )

    def day_fields(self) -> list[Any]:
        return [self[f"day{day}"] for day in range(7)]
