"""Meeting forms: they parse only; the services validate (the same as for the API)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from silta.meetings.inputs import (
    ActionInput,
    ActionStatusInput,
    AgendaInput,
    AnswerInput,
    ConfirmInput,
    ExternalInput,
    MeetingCancelInput,
    MeetingInput,
    MinutesInput,
    PlaceInput,
    TimeAnswerInput,
    TimesInput,
)
from silta.meetings.models import ActionStatus, Answer, MeetingKind, PlaceKind, ProposedTime
from silta.meetings.validation import MAX_TIMES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _data(form: forms.Form) -> dict[str, Any]:
    form.is_valid()
    return getattr(form, "cleaned_data", {})


def _when(time: ProposedTime) -> str:
    return formats.date_format(timezone.localtime(time.starts_at), "SHORT_DATETIME_FORMAT")


class PlaceForm(forms.Form):
    place_kind = forms.ChoiceField(
        label=_("Place"), choices=PlaceKind.choices, widget=forms.RadioSelect, required=False
    )
    place_unit_id = forms.ChoiceField(label=_("Unit (visiting address)"), required=False)
    place_details = forms.CharField(
        label=_("Conference number and how to join, or a room"), max_length=400, required=False
    )
    video_url = forms.CharField(label=_("Video link (https)"), max_length=600, required=False)
    video_platform = forms.CharField(label=_("Video platform"), max_length=100, required=False)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["place_unit_id"]).choices = [("", "—")] + [
            (str(u.public_id), address) for u, address in units
        ]

    def to_input(self) -> PlaceInput:
        data = _data(self)
        return PlaceInput.model_validate(
            {**data, "place_unit_id": data.get("place_unit_id") or None}
        )


class TimesForm(forms.Form):
    """Up to five times (Helsinki time)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_TIMES + 1):
            self.fields[f"time_{n}"] = forms.DateTimeField(
                label=_("Time %(n)s") % {"n": n}, required=False, widget=DATETIME
            )

    def times(self) -> list[Any]:
        data = _data(self)
        return [data[f"time_{n}"] for n in range(1, MAX_TIMES + 1) if data.get(f"time_{n}")]

    def to_input(self) -> TimesInput:
        return TimesInput(times=self.times())


class MeetingForm(PlaceForm, TimesForm):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=60, required=False)
    referral_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    participant_ids = forms.MultipleChoiceField(
        label=_("Invite workers"), widget=forms.CheckboxSelectMultiple, required=False
    )
    externals = forms.CharField(
        label=_("People from outside Silta (network meetings)"),
        help_text=_(
            "One a line: name; e-mail; organisation. They get only the time, place and organiser."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        help_text=_("One item a line."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, workers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["participant_ids"]).choices = [
            (str(m.user.public_id), f"{m.user.display_name} ({m.unit.name})") for m in workers
        ]

    def to_input(self) -> MeetingInput:  # type: ignore[override]
        data = _data(self)
        externals = []
        for line in (data.get("externals") or "").splitlines():
            if line.strip():
                parts = [p.strip() for p in line.split(";")] + ["", ""]
                externals.append(
                    ExternalInput(name=parts[0], email=parts[1], organisation=parts[2])
                )
        return MeetingInput.model_validate(
            {
                **PlaceForm.to_input(self).model_dump(),
                "kind": data.get("kind") or "",
                "title": data.get("title") or "",
                "referral_id": data.get("referral_id"),
                "duration_minutes": data.get("duration_minutes") or 60,
                "participant_ids": data.get("participant_ids") or [],
                "externals": externals,
                "agenda": (data.get("agenda") or "").splitlines(),
                "times": self.times(),
            }
        )


class AnswerForm(forms.Form):
    """One yes / no / maybe per proposed time, for one participant."""

    def __init__(self, *args: Any, times: list[ProposedTime], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.times = times
        for time in times:
            self.fields[f"answer_{time.pk}"] = forms.ChoiceField(
                label=_when(time), choices=Answer.choices, widget=forms.RadioSelect, required=False
            )
        self.fields["participant_id"] = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def to_input(self) -> AnswerInput:
        data = _data(self)
        answers = [
            TimeAnswerInput(starts_at=t.starts_at, answer=data[f"answer_{t.pk}"])
            for t in self.times
            if data.get(f"answer_{t.pk}")
        ]
        return AnswerInput(participant_id=data.get("participant_id"), answers=answers)


class ConfirmForm(forms.Form):
    starts_at = forms.ChoiceField(
        label=_("Confirm the time"), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, times: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["starts_at"]).choices = [
            (t.starts_at.isoformat(), _when(t)) for t in times
        ]

    def to_input(self) -> ConfirmInput:
        value = self.data.get("starts_at") or None
        return ConfirmInput.model_validate({"starts_at": value})


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=500, required=False)

    def to_input(self) -> MeetingCancelInput:
        return MeetingCancelInput.model_validate(_data(self))


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("Agenda item"), max_length=500, required=False)

    def to_input(self) -> AgendaInput:
        return AgendaInput.model_validate(_data(self))


class MinutesForm(forms.Form):
    attended_ids = forms.MultipleChoiceField(
        label=_("Who attended"), widget=forms.CheckboxSelectMultiple, required=False
    )
    client_attended = forms.ChoiceField(
        label=_("Did the client attend?"), choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    agreed = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(
        self, *args: Any, participants: Any = (), with_client: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["attended_ids"]).choices = [
            (str(p.public_id), p.name) for p in participants
        ]
        if not with_client:
            del self.fields["client_attended"]

    def to_input(self) -> MinutesInput:
        data = _data(self)
        attended = data.get("client_attended")
        return MinutesInput(
            attended_ids=data.get("attended_ids") or [],
            client_attended=None if not attended else attended == "yes",
            agreed=data.get("agreed") or "",
        )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Agreed action"), max_length=500, required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args: Any, owners: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "—"), *owners]

    def to_input(self) -> ActionInput:
        data = _data(self)
        kind, _sep, key = (data.get("owner") or "").partition(":")
        return ActionInput.model_validate(
            {
                "text": data.get("text") or "",
                "owner_unit_id": key if kind == "unit" else None,
                "owner_participant_id": key if kind == "participant" else None,
                "due_date": data.get("due_date"),
            }
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, required=False)

    def to_input(self) -> ActionStatusInput:
        return ActionStatusInput.model_validate(_data(self))
