"""Forms of the team and forum set-up pages: they only parse input (the services decide,
the same as for the API). A page re-rendered after an error keeps everything entered."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.accounts.models import Membership
from silta.cooperation.models import ContactRole, ForumKind
from silta.cooperation.setup_services import ContactInput, ForumInput, TeamInput
from silta.organisations.models import Organisation, Unit

_ROW = re.compile(r"^contact_(\d+)_person$")
EMPTY_ROWS = 2


def unit_choices(units: Iterable[Unit]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Units grouped by organisation for a select."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        groups.setdefault(unit.organisation.name, []).append((str(unit.public_id), unit.name))
    return list(groups.items())


def _multiple(label: Any, help_text: Any = "", size: int = 10) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": size}),
    )


class _Named(forms.Form):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200, required=False)
    name_sv = forms.CharField(
        label=_("Name in Swedish"),
        max_length=200,
        required=False,
        help_text=_("If left empty, the Finnish name is used."),
    )


class TeamForm(_Named):
    municipalities = forms.CharField(
        label=_("Municipalities served"),
        required=False,
        max_length=2000,
        help_text=_("Names or three-digit codes separated by commas, e.g. Kuopio, Siilinjärvi."),
    )
    unit_search = forms.CharField(
        label=_("Find units"),
        required=False,
        max_length=200,
        help_text=_(
            "Words of a unit's name, its organisation or a municipality it serves. Without "
            "words, the units serving the municipalities above are offered. The units chosen "
            "stay on the list."
        ),
    )
    unit_ids = _multiple(
        _("Units"), _("Units of both Kela and social services, your own unit among them.")
    )

    def __init__(
        self, *args: Any, units: Iterable[Unit] = (), more: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["unit_ids"])
        field.choices = unit_choices(units)
        if more:
            field.help_text = _(
                "More units match than can be listed: add words to the search to narrow it."
            )

    @staticmethod
    def filter_of(data: Any, initial: dict[str, Any]) -> dict[str, Any]:
        """What narrows the units offered: the chosen ones, the search, the municipalities."""
        if data is None:
            return {"chosen": list(initial.get("unit_ids", [])),
                    "municipalities": initial.get("municipalities", "")}  # fmt: skip
        return {
            "chosen": data.getlist("unit_ids"),
            "search": data.get("unit_search", ""),
            "municipalities": data.get("municipalities", ""),
        }

    def chosen_units(self) -> list[str]:
        """The units chosen on the page (or the initial ones): whose people can be named."""
        if self.is_bound:
            return self.data.getlist("unit_ids")  # type: ignore[attr-defined]
        return list(self.initial.get("unit_ids", []))


class _PersonField(forms.ChoiceField):
    """A person of the team's units: the service checks the choice (with a message that
    says why), so a person of a unit just removed is not a bare "invalid choice"."""

    def valid_value(self, value: Any) -> bool:
        return True


class ContactsForm(forms.Form):
    """The contact persons: one row per person (the empty rows add new ones)."""

    def __init__(
        self, *args: Any, people: Iterable[Membership] = (), rows: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        persons = [("", "—")] + [
            (f"{m.unit.public_id}:{m.user.public_id}", f"{m.user.display_name} – {m.unit.name}")
            for m in people
        ]
        for n in range(rows):
            self.fields[f"contact_{n}_person"] = _PersonField(
                label=_("Person"), choices=persons, required=False
            )
            self.fields[f"contact_{n}_role"] = forms.ChoiceField(
                label=_("Contact role"), choices=ContactRole.choices, required=False
            )

    @staticmethod
    def rows_posted(data: Any) -> int:
        numbers = [int(m.group(1)) for key in data if (m := _ROW.match(key))]
        return max(numbers) + 1 if numbers else 0

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        count = sum(1 for name in self.fields if name.endswith("_person"))
        return [(self[f"contact_{n}_person"], self[f"contact_{n}_role"]) for n in range(count)]

    def to_inputs(self) -> list[ContactInput]:
        contacts = []
        for person, role in self.rows():
            value = self.cleaned_data.get(person.name) or ""
            if ":" not in value:
                continue
            unit_id, user_id = value.split(":", 1)
            contacts.append(
                ContactInput(
                    unit_id=unit_id,  # type: ignore[arg-type]
                    user_id=user_id,  # type: ignore[arg-type]
                    role=self.cleaned_data.get(role.name) or ContactRole.CONTACT,
                )
            )
        return contacts


def team_input(form: TeamForm, contacts: ContactsForm) -> TeamInput:
    data = form.cleaned_data
    return TeamInput(
        name_fi=data.get("name_fi") or "",
        name_sv=data.get("name_sv") or "",
        unit_ids=data.get("unit_ids") or [],
        municipalities=(data.get("municipalities") or "").split(","),
        contacts=contacts.to_inputs(),
    )


class ForumForm(_Named):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    organisation_ids = _multiple(
        _("Member organisations"), _("Kela and at least one social services organiser."), 8
    )
    chair_unit_id = forms.ChoiceField(label=_("Chair unit"), required=False)
    unit_search = forms.CharField(
        label=_("Find units"),
        required=False,
        max_length=200,
        help_text=_(
            "Words of a unit's name, its organisation or a municipality it serves. Without "
            "words, the units of the member social services organisers are offered. The units "
            "chosen stay on the list."
        ),
    )
    unit_ids = _multiple(
        _("Member units"), _("Optional: the units that take part, of the member organisations.")
    )

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Organisation] = (),
        units: Iterable[Unit] = (),
        more: bool = False,
        chair_units: Iterable[Unit] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        cast(forms.ChoiceField, fields["kind"]).choices = [("", "—"), *ForumKind.choices]
        cast(forms.MultipleChoiceField, fields["organisation_ids"]).choices = [
            (str(o.public_id), o.name) for o in organisations
        ]
        unit_field = cast(forms.MultipleChoiceField, fields["unit_ids"])
        unit_field.choices = unit_choices(units)
        if more:
            unit_field.help_text = _(
                "More units match than can be listed: add words to the search to narrow it."
            )
        cast(forms.ChoiceField, fields["chair_unit_id"]).choices = [
            (str(u.public_id), u.name) for u in chair_units
        ]

    @staticmethod
    def filter_of(data: Any, initial: dict[str, Any]) -> dict[str, Any]:
        """What narrows the units offered: the chosen ones, the search, the members."""
        if data is None:
            return {"chosen": list(initial.get("unit_ids", [])),
                    "organisations": list(initial.get("organisation_ids", []))}  # fmt: skip
        return {
            "chosen": data.getlist("unit_ids"),
            "search": data.get("unit_search", ""),
            "organisations": data.getlist("organisation_ids"),
        }

    def to_input(self) -> ForumInput:
        data = self.cleaned_data
        return ForumInput(
            name_fi=data.get("name_fi") or "",
            name_sv=data.get("name_sv") or "",
            kind=data.get("kind") or "",
            organisation_ids=data.get("organisation_ids") or [],
            unit_ids=data.get("unit_ids") or [],
            chair_unit_id=data.get("chair_unit_id") or None,
        )
