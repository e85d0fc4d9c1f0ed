"""Warn the workers of a client's cases that the client's consent is about to expire
(django-tasks, run by ``manage.py worker``; queued daily by ``consent_expiry_warnings``).

A consent in force whose last valid day falls within ``SILTA_CONSENT_EXPIRY_WARNING_DAYS``
working days (``consents.expiry``) is warned about once: to the members of both party
units of each of the client's cases the consent covers (the case's social services unit
belongs to the consent's organiser, and to its named units where it names any), in each
recipient's own language. The e-mail names no client and no identity code; it links to
the client's consent panel by the client's opaque id.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from silta.consents.expiry import case_worker_addresses, expiring_unwarned, working_days_left
from silta.consents.models import Consent
from silta.consents.services import expiry_warning_record
from silta.exchange.models import Case
from silta.organisations.models import Unit
from silta.workdays.calendar import local_date

Mail = tuple[str, str, str, list[str]]


def covered_case_units(consent: Consent) -> list[Unit]:
    """Both party units of each of the client's cases that ``consent`` covers."""
    terms = consent.terms()
    cases = Case.objects.filter(
        client_id=consent.client_id, social_unit__organisation_id=consent.organiser_id
    )
    if terms.kela_unit_ids:
        cases = cases.filter(kela_unit_id__in=terms.kela_unit_ids)
    if terms.social_unit_ids:
        cases = cases.filter(social_unit_id__in=terms.social_unit_ids)
    unit_ids = {unit_id for case in cases for unit_id in case.party_unit_ids}
    return list(Unit.objects.filter(pk__in=unit_ids).order_by("pk"))


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def warning_mails(
    consent: Consent, days_left: int, units: list[Unit], addresses: dict[str, str]
) -> list[Mail]:
    """One e-mail per recipient language (each recipient in their own)."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for email, language in addresses.items():
        by_language[_language(language)].append(email)
    path = reverse("consents:panel", args=[consent.client.public_id])
    mails: list[Mail] = []
    for language, recipients in sorted(by_language.items()):
        with translation.override(language):
            until = formats.date_format(consent.valid_until, "SHORT_DATE_FORMAT")
            subject = _("Silta: a client's consent ends on %(date)s") % {"date": until}
            body = ngettext(
                "A client's consent to share data between Kela and %(organiser)s is valid "
                "until %(date)s: %(days)d working day left. The client's cases are handled "
                "in %(units)s. If the sharing is still needed, ask the client for a new "
                "consent before then. The client's consents in Silta: %(path)s",
                "A client's consent to share data between Kela and %(organiser)s is valid "
                "until %(date)s: %(days)d working days left. The client's cases are handled "
                "in %(units)s. If the sharing is still needed, ask the client for a new "
                "consent before then. The client's consents in Silta: %(path)s",
                days_left,
            ) % {
                "organiser": consent.organiser.name,
                "date": until,
                "days": days_left,
                "units": ", ".join(unit.name for unit in units),
                "path": path,
            }
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients)))
    return mails


@task()
def warn_expiring_consents() -> int:
    """E-mail the case workers of each consent about to expire, once per consent. Returns
    the number of consents warned about. A consent whose client has no case it covers, or
    whose units have no one to e-mail, is left for a later run (the panel shows it)."""
    now = timezone.now()
    today = local_date(now)
    warned = 0
    for consent in list(expiring_unwarned(today)):
        units = covered_case_units(consent)
        addresses = case_worker_addresses({unit.pk for unit in units})
        if not addresses:
            continue
        days_left = working_days_left(consent.valid_until, today)
        with transaction.atomic():
            if (
                expiry_warning_record(
                    consent=consent, at=now, days_left=days_left, recipient_count=len(addresses)
                )
                is None
            ):
                continue  # another worker warned about it
            send_mass_mail(warning_mails(consent, days_left, units, addresses), fail_silently=False)
        warned += 1
    return warned
