"""Finnish personal identity code (henkilötunnus) validation.

``DDMMYYCZZZQ``: century sign ``+`` (1800s), ``-`` or ``YXWVU`` (1900s), ``A`` or
``BCDEF`` (2000s, the extra signs since 2023); individual number 002-899 for persons and
900-999 for temporary and test codes; check character from the 31-character table.
The code is personal data: this module never puts it into an error message.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, ValidationError
from stdnum.fi import hetu

from silta.core.errors import Invalid


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²" and other scripts' digits."""
    return text.isascii() and text.isdigit()


def is_test_code(code: str) -> bool:
    """Individual number 900-999: temporary and test codes (DOMAIN.md §4)."""
    return len(code) == 11 and _digits(code[7:10]) and int(code[7:10]) >= 900


def validate_identity_code(value: str, *, allow_test_codes: bool | None = None) -> str:
    """Return the normalised identity code or raise ``Invalid`` with a translated message."""
    if allow_test_codes is None:
        allow_test_codes = settings.SILTA_ALLOW_TEST_IDENTITY_CODES
    code = normalise(value)
    if not code:
        raise Invalid(_("Enter the identity code."), code="identity_code_missing")
    if is_test_code(code) and not allow_test_codes:
        raise Invalid(
            _("Test identity codes (900-999) are not accepted here."),
            code="identity_code_test_not_allowed",
        )
    try:
        if not code.isascii():  # the library reads "９" (full width) as a digit
            raise InvalidFormat()
        return str(hetu.validate(code, allow_temporary=True))
    except InvalidChecksum as exc:
        raise Invalid(
            _("The identity code's check character is wrong. Check the code."),
            code="identity_code_checksum",
        ) from exc
    except (InvalidComponent, ValidationError) as exc:
        raise Invalid(
            _("This is not a valid identity code (format DDMMYYCZZZQ)."),
            code="identity_code_invalid",
        ) from exc


def looks_like_identity_code(value: str) -> bool:
    """Does a search term look like an identity code rather than a name?"""
    code = normalise(value)
    return len(code) == 11 and _digits(code[:6])


_CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}
_CENTURIES.update(dict.fromkeys("ABCDEF", 2000))


def birth_date_of(code: str) -> dt.date | None:
    """The date of birth encoded in a valid identity code (DDMMYY and the century sign).

    Shown instead of the code to tell namesakes apart; ``None`` if it cannot be read.
    """
    code = normalise(code)
    if len(code) != 11 or not _digits(code[:6]) or code[6] not in _CENTURIES:
        return None
    try:
        return dt.date(_CENTURIES[code[6]] + int(code[4:6]), int(code[2:4]), int(code[:2]))
    except ValueError:
        return None


def masked(code: str) -> str:
    """The code with its individual number and check character hidden: ``010594Y****``."""
    code = normalise(code)
    return code[:7] + "*" * max(len(code) - 7, 0)
