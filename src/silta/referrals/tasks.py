"""Background work for referrals (django-tasks, run by ``manage.py worker``):
silence escalation and the daily digest (``digest``: due and overdue referrals and the
sections other apps register)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from silta.referrals.deadline_rules import RULES
from silta.referrals.digest import Mail, digest_mails, unit_emails
from silta.referrals.models import Referral, ReferralEvent
from silta.referrals.state import Status
from silta.workdays.calendar import (
    local_date,
    working_days_between,
)


def _unopened() -> QuerySet[Referral]:
    return Referral.objects.filter(status=Status.REQUESTED).select_related("receiver_unit")


def silence_step(referral: Referral, now: dt.datetime) -> str:
    """ "renotify", "escalate" or "" for an unopened referral (working days, per type)."""
    rule = RULES[referral.deadline_rule]
    if referral.escalated_at is not None:
        return ""  # escalated already: no late reminder after it
    # The arrival day is never counted, whatever day it is (DOMAIN.md §3).
    waited = working_days_between(referral.arrived_on, local_date(now))
    if waited >= rule.escalate_after:
        return "escalate"
    if waited >= rule.renotify_after and referral.renotified_at is None:
        return "renotify"
    return ""


@task()
def escalate_silent_referrals() -> dict[str, int]:
    """Unopened after one working day: re-notify the receiving unit; after two: escalate to
    its manager. The sender sees the escalation on the referral."""
    now = timezone.now()
    mails: list[Mail] = []
    counts = {"renotify": 0, "escalate": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for referral in _unopened().iterator():
            step = silence_step(referral, now)
            if not step:
                continue
            counts[step] += 1
            name = referral.get_type_display()
            if step == "renotify":
                referral.renotified_at = now
                recipients = unit_emails(referral.receiver_unit_id)
                subject = _("Silta: a referral is waiting to be opened (%(type)s)") % {"type": name}
            else:
                referral.escalated_at = now
                recipients = unit_emails(referral.receiver_unit_id, managers_only=True)
                subject = _("Silta: an unopened referral was escalated to you (%(type)s)") % {
                    "type": name
                }
            referral.save(update_fields=["renotified_at", "escalated_at"])
            ReferralEvent.objects.create(
                referral=referral,
                action=step,
                from_status=referral.status,
                to_status=referral.status,
                actor_label="Silta",
                at=now,
                unit_id=referral.receiver_unit_id,
            )
            body = _("Unit: %(unit)s. Due: %(due)s. Open Silta to acknowledge it.") % {
                "unit": referral.receiver_unit.name_fi,
                "due": referral.due_date.isoformat(),
            }
            if recipients:
                mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    send_mass_mail(mails, fail_silently=False)
    return counts


@task()
def send_daily_digests() -> int:
    """One e-mail per unit with referrals due soon or overdue and the other apps' digest
    sections, and one per person owning an action (``digest``; no client names)."""
    with translation.override(settings.LANGUAGE_CODE):
        mails = digest_mails(local_date(timezone.now()))
    send_mass_mail(mails, fail_silently=False)
    return len(mails)
