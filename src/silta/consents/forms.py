"""Web forms for consents and powers of attorney: they only parse; the services decide."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from silta.consents.bases import BASES
from silta.consents.codes import (
    AttorneyKind,
    Category,
    Circumstance,
    GivenBy,
    GivenHow,
    PoaScope,
    Purpose,
    RevokedHow,
)
from silta.consents.gate import BasisChoice
from silta.consents.models import LANGUAGES, ConsentWording, PowerOfAttorney
from silta.consents.poa_services import PoaInput
from silta.consents.services import ConsentInput
from silta.organisations.models import Organisation, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    given_how = forms.ChoiceField(
        label=_("How the consent was given"),
        # Only the client gives one in their own view (silta.portal).
        choices=[c for c in GivenHow.choices if c[0] != GivenHow.OWN_VIEW],
        widget=forms.RadioSelect,
        help_text=_("On the application: the client ticked the consent box on the application."),
    )
    application_reference = forms.CharField(
        label=_("Application reference"), max_length=100, required=False
    )
    document = forms.FileField(
        label=_("Signed consent (PDF or image)"),
        required=False,
        help_text=_("Required when the consent was given in writing."),
    )
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=GivenBy.choices, widget=forms.RadioSelect, initial="client"
    )
    representative_name = forms.CharField(
        label=_("Legal representative's name"), max_length=200, required=False
    )
    representative_identity = forms.CharField(
        label=_("Legal representative's identity code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    power_of_attorney = forms.ChoiceField(label=_("Power of attorney"), required=False)
    organiser = forms.ChoiceField(label=_("Social services organiser"))
    units = forms.MultipleChoiceField(
        label=_("Only these units"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for Kela and the whole organiser."),
    )
    # County to county (issue 9): no statutory basis runs between two organisers, so the
    # consent names the other organiser's units the organiser may share with.
    other_units = forms.MultipleChoiceField(
        label=_("Also these units of another organiser"),
        required=False,
        help_text=_(
            "The organiser and these units may share with each other for the purposes "
            "below. Kela may not share with them on this consent."
        ),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Data that may be shared"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    wording = forms.ChoiceField(label=_("Wording shown to the client"))
    wording_language = forms.ChoiceField(
        label=_("Language of the wording"),
        choices=LANGUAGES,
        widget=forms.RadioSelect,
        initial="fi",
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for the default validity."),
    )

    def __init__(
        self,
        *args: Any,
        wordings: list[ConsentWording],
        organisers: list[Organisation],
        units: list[Unit],
        powers: list[PowerOfAttorney],
        other_units: list[Unit] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("wording", [(w.version, w.version) for w in wordings])
        self._choices("organiser", [(str(o.public_id), o.name) for o in organisers])
        self._choices("units", [(str(u.public_id), u.name) for u in units])
        grouped: dict[str, list[tuple[str, str]]] = {}
        for unit in other_units or []:
            grouped.setdefault(unit.organisation.name, []).append((str(unit.public_id), unit.name))
        self._choices("other_units", list(grouped.items()))  # type: ignore[arg-type]
        self._choices(
            "power_of_attorney", [("", "—")] + [(str(p.public_id), p.attorney_name) for p in powers]
        )

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def to_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            given_by=data["given_by"],
            organiser_id=uuid.UUID(data["organiser"]),
            unit_ids=[uuid.UUID(unit) for unit in [*data["units"], *data["other_units"]]],
            purposes=data["purposes"],
            categories=data["categories"],
            given_how=data["given_how"],
            application_reference=data["application_reference"],
            wording_version=data["wording"],
            wording_language=data["wording_language"],
            representative_name=data["representative_name"],
            representative_identity=data["representative_identity"],
            power_of_attorney_id=(
                uuid.UUID(data["power_of_attorney"]) if data["power_of_attorney"] else None
            ),
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
        )


class RevokeForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How the client revoked it"),
        choices=[c for c in RevokedHow.choices if c[0] != RevokedHow.REPLACED],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class PoaForm(forms.Form):
    attorney_kind = forms.ChoiceField(
        label=_("The attorney is"),
        choices=AttorneyKind.choices,
        widget=forms.RadioSelect,
        initial="person",
    )
    attorney_name = forms.CharField(label=_("Attorney's name"), max_length=200)
    attorney_identity = forms.CharField(
        label=_("Attorney's identity code or Business ID"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Matters covered"), choices=PoaScope.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty when valid until revoked."),
    )
    document = forms.FileField(label=_("Scanned power of attorney (PDF or image)"), required=False)
    external_mandate_ref = forms.CharField(
        label=_("Suomi.fi mandate reference"),
        max_length=100,
        required=False,
        help_text=_("Instead of a scan, when the mandate is registered in Suomi.fi."),
    )

    def to_input(self) -> PoaInput:
        data = self.cleaned_data
        return PoaInput(
            attorney_kind=data["attorney_kind"],
            attorney_name=data["attorney_name"],
            attorney_identity=data["attorney_identity"],
            scopes=data["scopes"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            external_mandate_ref=data["external_mandate_ref"],
        )


class BasisFields(forms.Form):
    """The lawful-basis fields of every form that discloses to the other organisation.

    Left empty, Silta uses a consent in force that covers the disclosure; the sender picks
    a statutory basis only where none does (``consents/_basis.html`` shows which)."""

    statutory_basis = forms.ChoiceField(
        label=_("Statutory basis"),
        required=False,
        choices=[("", _("The client's consent in force"))]
        + [(basis.id, f"{basis.law}: {basis.description}") for basis in BASES.values()],
    )
    circumstance = forms.ChoiceField(
        label=_("The circumstance the basis rests on"),
        required=False,
        choices=Circumstance.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rendered by consents/_basis.html, not by the general field loop.
        for name in ("statutory_basis", "circumstance"):
            self.fields[name].lawful_basis = True  # type: ignore[attr-defined]

    def basis_choice(self) -> BasisChoice:
        data = self.cleaned_data
        return BasisChoice(
            statutory_basis=data.get("statutory_basis") or "",
            circumstance=data.get("circumstance") or "",
        )
