"""Forms of the client pages: they only parse input; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FindClientForm(forms.Form):
    query = forms.CharField(
        label=_("Identity code or name"),
        max_length=200,
        help_text=_("The identity code (DDMMYYCZZZQ) or the beginning of the last name."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class ClientCreateForm(forms.Form):
    identity_code = forms.CharField(label=_("Identity code"), max_length=20)
    last_name = forms.CharField(label=_("Last name"), max_length=200)
    first_names = forms.CharField(label=_("First names"), max_length=200)
    municipality_code = forms.CharField(
        label=_("Municipality of residence (code)"),
        max_length=3,
        help_text=_("Three digits, e.g. 297 Kuopio, 091 Helsinki."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
