"""An iCalendar (RFC 5545) invitation for a confirmed joint meeting, for both sides'
calendars. No client name or identity code in it: the summary names the referral only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from silta.referrals.models import Referral
from silta.workdays.calendar import HELSINKI

DURATION = dt.timedelta(hours=1)


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(referral: Referral) -> str:
    assert referral.outcome_date is not None
    start = dt.datetime.combine(
        referral.outcome_date, referral.outcome_time or dt.time(9), tzinfo=HELSINKI
    )
    summary = f"Silta: {referral.sender_unit.name_fi} / {referral.receiver_unit.name_fi}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Silta//Referrals//FI",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{referral.public_id}@silta",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(start + DURATION)}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(referral.outcome_text[:200])}",
        f"DESCRIPTION:{_escape('Totul 14 d §')}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
