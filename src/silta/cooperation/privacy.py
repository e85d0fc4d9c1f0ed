"""Forum items and team routines are not client data: refuse text that looks like a
Finnish identity code (DOMAIN.md §4), whatever its check character."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from silta.core.errors import Invalid

# DDMMYY, century sign (+ - A-F U-Y), individual number, check character.
_CODE_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])(\d{2})(\d{2})\d{2}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.IGNORECASE
)


def looks_like_identity_code(text: str) -> bool:
    """A plausible day (01-31) and month (01-12) in the identity-code shape."""
    for match in _CODE_SHAPE.finditer(text or ""):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return True
    return False


def refuse_identity_codes(**fields: str) -> None:
    """Raises ``Invalid`` on the first field whose text looks like an identity code."""
    for name, text in fields.items():
        if looks_like_identity_code(text):
            raise Invalid(
                _(
                    "This looks like a personal identity code. Cooperation items are not "
                    "client data: remove it and describe the matter without identifying "
                    "anyone."
                ),
                code="identity_code_refused",
                field=name,
            )
