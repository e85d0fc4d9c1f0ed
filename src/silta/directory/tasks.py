"""Background work for the directory (django-tasks; run by ``manage.py worker``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from silta.accounts.models import Membership
from silta.accounts.roles import Role
from silta.directory.models import UnitEditor
from silta.directory.selectors import STALE_AFTER
from silta.organisations.models import Unit

REMIND_EVERY = dt.timedelta(days=7)


def stale_units(now: dt.datetime) -> list[Unit]:
    cutoff = now - STALE_AFTER
    return list(
        Unit.objects.filter(is_active=True)
        .filter(Q(verified_at__isnull=True) | Q(verified_at__lt=cutoff))
        .filter(Q(stale_reminded_at__isnull=True) | Q(stale_reminded_at__lt=now - REMIND_EVERY))
        .order_by("pk")[:1000]
    )


def _owners(unit: Unit) -> set[str]:
    managers = Membership.objects.filter(
        unit=unit, role=Role.UNIT_MANAGER, user__is_active=True
    ).values_list("user__email", flat=True)
    editors = UnitEditor.objects.filter(unit=unit, user__is_active=True).values_list(
        "user__email", flat=True
    )
    return {email for email in [*managers, *editors] if email}


@task()
def remind_stale_unit_owners() -> int:
    """E-mail each stale unit's owners (its managers and named editors), at most weekly.
    Returns the number of units reminded."""
    now = timezone.now()
    messages = []
    units = stale_units(now)
    with translation.override(settings.LANGUAGE_CODE):
        for unit in units:
            recipients = sorted(_owners(unit))
            if not recipients:
                continue
            path = reverse("directory:unit", args=[unit.public_id])
            subject = _("Silta: please check the directory entry of %(unit)s") % {
                "unit": unit.name_fi
            }
            body = _(
                "The directory entry of %(unit)s has not been checked in 90 days. Kela and "
                "social services staff rely on it to reach you. Please review the phone "
                "numbers and service hours and click “Mark as checked”: %(path)s"
            ) % {"unit": unit.name_fi, "path": path}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    send_mass_mail(messages, fail_silently=False)
    Unit.objects.filter(pk__in=[u.pk for u in units]).update(stale_reminded_at=now)
    return len(messages)
