"""Phone numbers: validated and stored as E.164, shown in the Finnish national format."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

from silta.core.errors import Invalid


def normalise_phone(value: str, *, field: str = "phone") -> str:
    """E.164 (``+358401234567``) or ``Invalid`` with a translated message."""
    text = (value or "").strip()
    if not text:
        raise Invalid(_("Enter a phone number."), code="phone_missing", field=field)
    try:
        number = phonenumbers.parse(text, "FI")
    except phonenumbers.NumberParseException as exc:
        raise Invalid(
            _("This is not a phone number. Use e.g. 017 123 4567 or +358 17 123 4567."),
            code="phone_invalid",
            field=field,
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise Invalid(
            _("This is not a valid phone number. Check the area code and the digits."),
            code="phone_invalid",
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """National format for Finnish numbers (``040 1234567``), international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 358
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
