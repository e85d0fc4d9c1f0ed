"""The shape of a referral type: its own fields, flags and outcomes, declared as data.

A type is one ``TypeSpec`` (keyword arguments only) in the registry. Everything else reads
it: the web form (``forms``), the API schema (``payload_model`` and ``request_model``), the
validation of the type's own fields (``clean_payload``, used by the one send service),
the rows on the referral page (``rows``), the outcome choices, and what sending it
discloses (``disclosure``, and the basis a field's choice implies: ``basis_choice``).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

import pydantic
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from silta.consents.gate import NO_CHOICE, BasisChoice
from silta.core.errors import Invalid

Text = str | Promise
Option = tuple[str, Text]  # a stored code and its translated label
Model = type[pydantic.BaseModel]


class Kind(enum.StrEnum):
    """What a type's own field holds (and so which input and which JSON type)."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTIPLE_CHOICE = "multiple_choice"
    DATE = "date"
    FLAG = "flag"


class Direction(enum.StrEnum):
    """Who may send a type: Kela, social services, or either."""

    KELA_TO_SOCIAL = "kela_to_social"
    SOCIAL_TO_KELA = "social_to_kela"
    EITHER = "either"


class ClientSees(enum.StrEnum):
    """When the client sees a referral about them in their own view (silta.portal).

    The client is a party (julkisuuslaki 11 §, 812/2000 11 §): by default they see a
    referral once it is sent. A type may wait until the receiver has opened it or until
    its outcome, or never show it; a single referral may still be withheld by a worker
    with a recorded reason where the law allows (``silta.portal.withholding``).
    """

    NEVER = "never"
    SENT = "sent"
    RECEIVED = "received"
    COMPLETED = "completed"


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    """One of the type's own fields (stored in ``Referral.payload`` under ``name``)."""

    name: str
    kind: Kind
    label: Text
    choices: tuple[Option, ...] = ()
    required: bool = False
    help: Text = ""
    # The message when a required field is empty (a general one otherwise).
    missing: Text = ""
    max_length: int = 500
    # Dates: refuse a day before today (a due date the sender asks for).
    not_past: bool = False
    # Choices that make the whole referral urgent (SHL 35 §: contact at once).
    urgent_choices: tuple[str, ...] = ()
    # Choices that name the lawful basis of the disclosure when the sender chose none:
    # choice -> (statutory basis, circumstance) (``consents.bases``).
    implies_basis: Mapping[str, tuple[str, str]] = field(default_factory=dict, hash=False)

    def label_of(self, code: str) -> str:
        return next((str(label) for value, label in self.choices if value == code), code)

    def display(self, value: Any) -> str:
        """The stored value as the reader sees it, in the active language."""
        if self.kind == Kind.MULTIPLE_CHOICE:
            return ", ".join(self.label_of(v) for v in value or ())
        if self.kind == Kind.CHOICE:
            return self.label_of(value)
        if self.kind == Kind.FLAG:
            return str(_("Yes")) if value else ""
        return str(value or "")


@dataclass(frozen=True, kw_only=True)
class TypeSpec:
    """A referral type: who sends it, its fields, its deadline rule and its outcomes."""

    type: str
    label: Text
    direction: Direction
    # What sending it discloses to the other organisation (``consents.codes.DisclosureKind``).
    disclosure: str
    rule: str  # the deadline rule (``deadline_rules.RULES``)
    law: str
    fields: tuple[FieldSpec, ...] = ()
    outcomes: tuple[Option, ...]
    # Outcomes that need an extra value: a date, a text, a time of day.
    outcome_needs_date: tuple[str, ...] = ()
    outcome_needs_text: tuple[str, ...] = ()
    outcome_needs_time: tuple[str, ...] = ()
    always_urgent: bool = False
    needs_attachment: bool = False
    # The field whose date is the due date (rules where the sender sets it).
    due_field: str = ""
    # The rule that restarts the clock when the sender supplies what was missing.
    rule_after_resume: str = ""
    help: Text = ""
    # When the client sees it in their own view (``ClientSees``).
    client_sees: ClientSees = ClientSees.SENT

    def allowed_from(self, sender_is_kela: bool) -> bool:
        if self.direction == Direction.EITHER:
            return True
        return (self.direction == Direction.KELA_TO_SOCIAL) == sender_is_kela

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def outcome_label(self, code: str) -> str:
        return next((str(label) for value, label in self.outcomes if value == code), code)

    @property
    def outcome_codes(self) -> tuple[str, ...]:
        return tuple(value for value, _label in self.outcomes)

    def is_urgent(self, urgent: bool, payload: Mapping[str, Any]) -> bool:
        """Urgent when the sender says so, the type always is, or a field's choice makes it."""
        return (
            urgent
            or self.always_urgent
            or any(payload.get(f.name) in f.urgent_choices for f in self.fields)
        )

    def basis_choice(self, chosen: BasisChoice, payload: Mapping[str, Any]) -> BasisChoice:
        """The lawful basis to decide on: the sender's choice, or when the sender chose
        none, the one a field's choice implies (the contact's "cannot cope": SHL 35 § 2)."""
        if chosen != NO_CHOICE:
            return chosen
        for spec in self.fields:
            value = payload.get(spec.name)
            if isinstance(value, str) and value in spec.implies_basis:
                basis, circumstance = spec.implies_basis[value]
                return BasisChoice(statutory_basis=basis, circumstance=circumstance)
        return chosen

    def requested_due(self, payload: Mapping[str, Any]) -> dt.date | None:
        value = payload.get(self.due_field) if self.due_field else None
        return dt.date.fromisoformat(value) if value else None

    def rows(self, payload: Mapping[str, Any]) -> Iterator[tuple[str, str, FieldSpec]]:
        """(label, shown value, field) of each filled field, for the referral page."""
        for spec in self.fields:
            shown = spec.display(payload.get(spec.name))
            if shown:
                yield str(spec.label), shown, spec

    @cached_property
    def model_name(self) -> str:
        return "".join(part.capitalize() for part in self.type.split("_"))

    @cached_property
    def payload_model(self) -> Model:
        """The type's own fields as a pydantic model (validation and the OpenAPI schema)."""
        with translation.override("en"):  # the API is documented in English
            definitions: dict[str, Any] = {f.name: _annotation(f) for f in self.fields}
        return pydantic.create_model(
            f"{self.model_name}Payload",
            __config__=pydantic.ConfigDict(extra="forbid", frozen=True),
            __doc__=f"The own fields of a “{self.type}” referral.",
            **definitions,
        )

    def clean_payload(self, raw: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
        """Validate the type's own fields; returns the JSON stored on the referral.

        Empty values (blank text, no choice, no date) count as not given. An error is an
        ``Invalid`` naming the field, with the code ``<field>_required``, ``_invalid``,
        ``_too_long`` or ``_past`` (or ``field_unknown``).
        """
        given = {k: _blank_to_none(v) for k, v in raw.items()}
        given = {k: v for k, v in given.items() if v is not None}
        try:
            model = self.payload_model.model_validate(given)
        except pydantic.ValidationError as error:
            raise self._invalid(error.errors()[0]) from None
        payload = model.model_dump(mode="json", exclude_none=True)
        for spec in self.fields:
            value = getattr(model, spec.name)
            if spec.kind == Kind.MULTIPLE_CHOICE:  # the checklist's order, once each
                payload[spec.name] = [c for c, _label in spec.choices if c in value]
            if spec.not_past and value is not None and value < today:
                raise Invalid(
                    _("The date cannot be in the past."), code=f"{spec.name}_past", field=spec.name
                )
        return payload

    def _invalid(self, error: Any) -> Invalid:
        name = str(error["loc"][0]) if error["loc"] else ""
        spec = self.field(name)
        if spec is None:
            return Invalid(
                _("“%(name)s” is not a field of this type of referral.") % {"name": name},
                code="field_unknown",
                field=name,
            )
        kind = error["type"]
        if kind in ("missing", "string_too_short", "too_short"):
            message = spec.missing or _("Fill in “%(field)s”.") % {"field": spec.label}
            return Invalid(message, code=f"{name}_required", field=name)
        if kind in ("string_too_long", "too_long"):
            return Invalid(
                _("“%(field)s” is too long (at most %(max)s characters).")
                % {"field": spec.label, "max": spec.max_length},
                code=f"{name}_too_long",
                field=name,
            )
        return Invalid(
            _("Check “%(field)s”: the value is not one of the allowed ones.")
            % {"field": spec.label},
            code=f"{name}_invalid",
            field=name,
        )


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return None if value in ("", None, [], ()) else value


def _annotation(spec: FieldSpec) -> tuple[Any, Any]:
    """(type, default) of a field in the pydantic model; required fields have no default."""
    description = str(spec.help or spec.label)
    codes = tuple(value for value, _label in spec.choices)
    base: Any
    default: Any
    if spec.kind in (Kind.TEXT, Kind.LONG_TEXT):
        base = Annotated[
            str,
            pydantic.StringConstraints(strip_whitespace=True, max_length=spec.max_length),
        ]
        default = ""
    elif spec.kind == Kind.CHOICE:
        base, default = Literal[codes], None
    elif spec.kind == Kind.MULTIPLE_CHOICE:
        base = Annotated[list[Literal[codes]], pydantic.Field(min_length=1)]  # type: ignore[valid-type]
        default = []
    elif spec.kind == Kind.DATE:
        base, default = dt.date, None
    else:
        base, default = bool, False
    if spec.required:
        return base, pydantic.Field(description=description)
    if default is None:
        base = base | None
    return base, pydantic.Field(default=default, description=description)
