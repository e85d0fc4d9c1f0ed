"""The expense-kind field of the referral and message forms.

Choosing a kind asks the guide for its entry (``hx-get`` with the code alone: no client
data in the URL); the guide's hint view (knowledge, a higher layer) answers by URL name,
so nothing here imports it.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from silta.reference.expense_kinds import expense_kind_choices

HINT_URL_NAME = "knowledge:hint"


def expense_kind_field(*, hint_target: str) -> forms.ChoiceField:
    """An optional expense kind whose change loads the guide's hint into ``hint_target``
    (an element id)."""
    return forms.ChoiceField(
        label=_("Expense kind"),
        required=False,
        choices=expense_kind_choices,
        help_text=_("Optional: what the matter is about in the division-of-labour guide."),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy(HINT_URL_NAME),
                "hx-trigger": "change",
                "hx-target": f"#{hint_target}",
                # The hint's container is a polite live region: the entry is read out
                # when it arrives; the field keeps Django's help-text description.
                "hx-swap": "innerHTML",
            }
        ),
    )
