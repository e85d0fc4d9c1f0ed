"""The daily digest e-mail: one per unit with its referrals due soon or overdue and the
sections other apps register (``core.digest``), and one per person for what a person
owns (a meeting's agreed action). No client names: counts, dates and titles only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from silta.accounts.models import Membership, User
from silta.accounts.roles import Role
from silta.core.digest import DigestLine, digest_lines
from silta.referrals.models import Referral
from silta.referrals.selectors import DUE_SOON_WORKING_DAYS
from silta.referrals.state import OPEN_STATES
from silta.workdays.calendar import add_working_days

Mail = tuple[str, str, str, list[str]]


def unit_emails(unit_id: int, *, managers_only: bool = False) -> list[str]:
    members = Membership.objects.filter(unit_id=unit_id, user__is_active=True).exclude(
        user__email=""
    )
    if managers_only:
        members = members.filter(role=Role.UNIT_MANAGER)
    else:
        members = members.exclude(role=Role.ORGANISATION_ADMIN)
    return sorted(set(members.values_list("user__email", flat=True)))


def referral_figures(today: dt.date) -> dict[int, dict[str, int]]:
    """Per receiving unit: open referrals overdue and due within the due-soon window."""
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS)
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: {"overdue": 0, "due_soon": 0})
    rows = Referral.objects.filter(status__in=OPEN_STATES, due_date__lte=soon).values_list(
        "receiver_unit_id", "due_date"
    )
    for unit_id, due in rows.iterator():
        per_unit[unit_id]["overdue" if due < today else "due_soon"] += 1
    return per_unit


def _sections(lines: list[DigestLine]) -> str:
    """The lines under their headings, sections in their order."""
    grouped: dict[tuple[int, str], list[str]] = {}
    for line in sorted(lines, key=lambda x: x.order):
        grouped.setdefault((line.order, line.section), []).append(line.text)
    return "\n\n".join(
        section + "\n" + "\n".join(f"- {text}" for text in texts)
        for (_order, section), texts in grouped.items()
    )


def _referral_text(figures: dict[str, int]) -> str:
    return _(
        "Referrals waiting for your unit. Overdue: %(overdue)d. Due within "
        "%(days)d working days: %(soon)d. Open Silta to see them."
    ) % {"overdue": figures["overdue"], "soon": figures["due_soon"], "days": DUE_SOON_WORKING_DAYS}


def unit_mails(today: dt.date, extra: list[DigestLine]) -> list[Mail]:
    """One e-mail per unit with anything to tell (call inside the digest's language)."""
    figures = referral_figures(today)
    by_unit: dict[int, list[DigestLine]] = defaultdict(list)
    for line in extra:
        if line.unit_id is not None:
            by_unit[line.unit_id].append(line)
    mails: list[Mail] = []
    for unit_id in sorted(set(figures) | set(by_unit)):
        recipients = unit_emails(unit_id)
        if not recipients:
            continue
        parts = []
        if unit_id in figures:
            count = figures[unit_id]["overdue"] + figures[unit_id]["due_soon"]
            subject = ngettext(
                "Silta: referrals overdue or due soon (%(count)d)",
                "Silta: referrals overdue or due soon (%(count)d)",
                count,
            ) % {"count": count}
            parts.append(_referral_text(figures[unit_id]))
        else:
            subject = _("Silta: your unit's daily digest")
        if by_unit[unit_id]:
            parts.append(_sections(by_unit[unit_id]))
        mails.append((subject, "\n\n".join(parts), settings.DEFAULT_FROM_EMAIL, recipients))
    return mails


def person_mails(extra: list[DigestLine]) -> list[Mail]:
    """One e-mail per person who owns something themselves."""
    by_user: dict[int, list[DigestLine]] = defaultdict(list)
    for line in extra:
        if line.user_id is not None:
            by_user[line.user_id].append(line)
    users = User.objects.filter(pk__in=by_user, is_active=True).exclude(email="").in_bulk()
    return [
        (
            _("Silta: your daily digest"),
            _sections(by_user[user_id]),
            settings.DEFAULT_FROM_EMAIL,
            [users[user_id].email],
        )
        for user_id in sorted(by_user)
        if user_id in users
    ]


def digest_mails(today: dt.date) -> list[Mail]:
    extra = digest_lines(today)
    return unit_mails(today, extra) + person_mails(extra)
