"""Forms parse only: the services validate (the same as for the API)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.core.forms import AttachmentsForm, MultipleFileField
from silta.directory.models import Topic
from silta.knowledge.inputs import (
    BulletinInput,
    PostInput,
    ReviewInput,
    ReviewRequestInput,
    StepInput,
    VersionInput,
)
from silta.knowledge.models import CommentKind, GuideVersion, Payer

STEP_SLOTS = 4
TEXT = {"rows": 3}


def _cleaned(form: forms.Form) -> dict[str, Any]:
    form.is_valid()
    return dict(getattr(form, "cleaned_data", {}))


class VersionForm(forms.Form):
    title_fi = forms.CharField(label=_("Title in Finnish"), max_length=200, required=False)
    title_sv = forms.CharField(label=_("Title in Swedish"), max_length=200, required=False)
    summary_fi = forms.CharField(
        label=_("In short, in Finnish"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    summary_sv = forms.CharField(
        label=_("In short, in Swedish"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    conditions_fi = forms.CharField(
        label=_("Conditions in Finnish"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    conditions_sv = forms.CharField(
        label=_("Conditions in Swedish"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    law = forms.CharField(label=_("Section of law"), max_length=200, required=False)
    kela_reference = forms.CharField(label=_("Kela's guideline"), max_length=300, required=False)
    organiser_reference = forms.CharField(
        label=_("The organiser's guideline"), max_length=300, required=False
    )
    examples_fi = forms.CharField(
        label=_("Worked examples in Finnish"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    examples_sv = forms.CharField(
        label=_("Worked examples in Swedish"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *Payer.choices]
        for n in range(1, STEP_SLOTS + 1):
            self.fields[f"payer_{n}"] = forms.ChoiceField(
                label=_("Step %(n)d: who covers it") % {"n": n}, choices=choices, required=False
            )
            self.fields[f"note_fi_{n}"] = forms.CharField(
                label=_("Step %(n)d: note in Finnish") % {"n": n}, max_length=500, required=False
            )
            self.fields[f"note_sv_{n}"] = forms.CharField(
                label=_("Step %(n)d: note in Swedish") % {"n": n}, max_length=500, required=False
            )

    @classmethod
    def initial_from(cls, version: GuideVersion | None) -> dict[str, Any]:
        if version is None:
            return {}
        initial = {name: getattr(version, name) for name in VersionInput.model_fields}
        for n, step in enumerate(version.steps[:STEP_SLOTS], start=1):
            initial[f"payer_{n}"] = step.get("payer", "")
            initial[f"note_fi_{n}"] = step.get("note_fi", "")
            initial[f"note_sv_{n}"] = step.get("note_sv", "")
        return initial

    def to_input(self) -> VersionInput:
        data = _cleaned(self)
        steps = [
            StepInput(
                payer=data.get(f"payer_{n}") or "",
                note_fi=data.get(f"note_fi_{n}") or "",
                note_sv=data.get(f"note_sv_{n}") or "",
            )
            for n in range(1, STEP_SLOTS + 1)
        ]
        fields = {name: data.get(name) or "" for name in VersionInput.model_fields}
        return VersionInput.model_validate({**fields, "steps": steps})


class ReviewRequestForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Reviewer of the other organisation"), required=False)

    def __init__(self, *args: Any, reviewers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [("", "—")] + [
            (str(u.public_id), f"{u.display_name}, {u.title}" if u.title else u.display_name)
            for u in reviewers
        ]

    def to_input(self) -> ReviewRequestInput:
        return ReviewRequestInput(reviewer_id=_cleaned(self).get("reviewer") or None)


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Your review"),
        choices=CommentKind.choices,
        widget=forms.RadioSelect,
        initial=CommentKind.COMMENT,
        required=False,
    )
    body = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs=TEXT))

    def to_input(self) -> ReviewInput:
        data = _cleaned(self)
        return ReviewInput(kind=data.get("kind") or "", body=data.get("body") or "")


class BulletinForm(AttachmentsForm):
    publisher_unit = forms.ChoiceField(label=_("Published by"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs=TEXT))
    what_changes = forms.CharField(
        label=_("What changes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    why = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs=TEXT))
    effective_date = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics it touches"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expense_kinds = forms.MultipleChoiceField(
        label=_("Expense kinds it touches"), widget=forms.CheckboxSelectMultiple, required=False
    )
    organisations = forms.MultipleChoiceField(
        label=_("Organisations concerned"), widget=forms.CheckboxSelectMultiple, required=False
    )
    attachments = MultipleFileField(label=_("Attachments (PDF)"))

    def __init__(
        self, *args: Any, units: Any, kinds: Any, organisations: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["publisher_unit"]).choices = [
            (str(u.public_id), u.name) for u in units
        ]
        cast(forms.ChoiceField, self.fields["expense_kinds"]).choices = kinds
        cast(forms.ChoiceField, self.fields["organisations"]).choices = [
            (str(o.public_id), o.name) for o in organisations
        ]

    def to_input(self) -> BulletinInput:
        data = _cleaned(self)
        return BulletinInput.model_validate(
            {
                **{name: data.get(name) or "" for name in ("title", "summary", "what_changes")},
                "why": data.get("why") or "",
                "effective_date": data.get("effective_date"),
                "topics": data.get("topics") or [],
                "expense_kinds": data.get("expense_kinds") or [],
                "organisations": data.get("organisations") or [],
            }
        )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Question or answer"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def to_input(self) -> PostInput:
        return PostInput(body=_cleaned(self).get("body") or "")
