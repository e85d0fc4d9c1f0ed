"""Consents about to expire: the warning window in working days (arkipäivä, DOMAIN.md §3).

A consent valid until day V is usable through V and expires at the next midnight in
Helsinki. Its workers still have ``working_days_between(today, V)`` working days, after
today, to get it renewed; it is in the warning window when that is at most
``SILTA_CONSENT_EXPIRY_WARNING_DAYS`` (N). A V on a weekend or holiday counts like the
working day before it: V on Easter Monday leaves as many working days as V on the Thursday
before Good Friday. The warning e-mail goes once per consent (``ConsentExpiryWarning``);
who gets it is decided above consents (the client's cases live in ``exchange``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from silta.accounts.models import Membership
from silta.consents.models import Consent
from silta.consents.permissions import case_worker_roles
from silta.workdays.calendar import add_working_days, working_days_between


def warning_days() -> int:
    """N: how many working days ahead the workers are warned (the setting)."""
    return int(settings.SILTA_CONSENT_EXPIRY_WARNING_DAYS)


def working_days_left(valid_until: dt.date, today: dt.date) -> int:
    """Working days after ``today`` up to and including the last valid day."""
    return working_days_between(today, valid_until)


def in_warning_window(valid_until: dt.date, today: dt.date, days: int | None = None) -> bool:
    """Still valid today, and at most N working days left."""
    days = warning_days() if days is None else days
    return valid_until >= today and working_days_left(valid_until, today) <= days


def window_end(today: dt.date, days: int | None = None) -> dt.date:
    """The first last-valid-day outside the window: V is inside exactly when V < this day
    (``working_days_between(today, V) <= N`` if and only if ``V < add_working_days(today,
    N + 1)``), so the database compares dates only."""
    days = warning_days() if days is None else days
    return add_working_days(today, days + 1)


def expiring_unwarned(today: dt.date, days: int | None = None) -> QuerySet[Consent]:
    """The consents in force today, in the warning window, not revoked and not warned yet
    (soonest first)."""
    return (
        Consent.objects.filter(
            valid_from__lte=today,
            valid_until__gte=today,
            valid_until__lt=window_end(today, days),
            revocation__isnull=True,
            expiry_warning__isnull=True,
        )
        .select_related("client", "organiser", "revocation")
        .prefetch_related("units__organisation")
        .order_by("valid_until", "pk")
    )


def case_worker_addresses(unit_ids: set[int]) -> dict[str, str]:
    """E-mail address -> language ("" for Finnish) of the active members of ``unit_ids``
    whose role there works on cases (administrators are not warned)."""
    rows = (
        Membership.objects.filter(
            unit_id__in=unit_ids, user__is_active=True, role__in=case_worker_roles()
        )
        .exclude(user__email="")
        .values_list("user__email", "user__language")
        .order_by("user__email")
    )
    return dict(rows)
