"""A consent's validity: the default and the longest allowed, in calendar months."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silta.core.errors import Invalid


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity(valid_from: dt.date, valid_until: dt.date | None) -> tuple[dt.date, dt.date]:
    """(from, until) with the default end filled in; ``Invalid`` when the end comes before
    the start or later than the maximum allowed."""
    if valid_until is None:
        valid_until = add_months(valid_from, settings.SILTA_CONSENT_DEFAULT_MONTHS)
    if valid_until < valid_from:
        raise Invalid(
            _("The validity cannot end before it starts."),
            code="validity_ends_before_start",
            field="valid_until",
        )
    longest = settings.SILTA_CONSENT_MAX_MONTHS
    if valid_until > add_months(valid_from, longest):
        raise Invalid(
            ngettext(
                "A consent can be valid for at most %(months)d month.",
                "A consent can be valid for at most %(months)d months.",
                longest,
            )
            % {"months": longest},
            code="validity_too_long",
            field="valid_until",
        )
    return valid_from, valid_until
