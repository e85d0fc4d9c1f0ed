"""The client's notification choices: the form only parses; ``preference_set`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.notifications.models import Language

NATIVE_NAMES = [(Language.FI, "suomi"), (Language.SV, "svenska"), (Language.EN, "English")]


class PreferenceForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Leave it empty if you do not want e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    use_suomifi = forms.BooleanField(
        label=_("Send to my Suomi.fi Messages"),
        required=False,
        help_text=_("You need to have Suomi.fi Messages in use."),
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=NATIVE_NAMES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, suomifi: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not suomifi:
            del self.fields["use_suomifi"]
