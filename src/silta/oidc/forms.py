from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ProviderEmailForm(forms.Form):
    """Find the organisation's provider by the work e-mail address's domain."""

    email = forms.EmailField(
        label=_("Work e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("One-time code"),
        max_length=10,
        help_text=_("The six-digit code from your authenticator app."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
