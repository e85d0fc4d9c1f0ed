"""Recompute the due date of referrals that arrived on a non-working day.

The working-day rule was corrected (DOMAIN.md §3): the arrival day is never counted,
whatever day it is, and the first working day after it is working day 1. Before the
correction an arrival on a Saturday, Sunday or weekday holiday was first moved to the next
working day and counted from there, which gave one working day too many. Each corrected
referral gets a ``due_corrected`` event in its history (before, after, and why). Closed
referrals are corrected too, so that the monthly deadline report (Totul 27 c §) counts
their outcomes against the lawful due date.
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

from silta.workdays.calendar import add_working_days, is_working_day

# The deadline rules as they stood at the correction (working days, urgent working days);
# statements (``requested_date``) have a date set by the requester and are not recounted.
RULE_DAYS = {
    "totul_14a_decision": (7, 1),
    "totul_14a_after_completion": (7, 1),
    "totul_14b_urgent": (1, 1),
    "totul_14d_meeting": (7, 7),
    "shl_36_assessment": (7, 0),
    "totul_10a_assessment": (7, 0),
    "totul_15_consider": (7, 1),
}


def correct(apps, schema_editor) -> None:
    referral_model = apps.get_model("referrals", "Referral")
    event_model = apps.get_model("referrals", "ReferralEvent")
    now = timezone.now()
    candidates = referral_model.objects.filter(deadline_rule__in=list(RULE_DAYS)).only(
        "arrived_on", "due_date", "deadline_rule", "urgent", "status", "version"
    )
    for referral in candidates.iterator():
        if is_working_day(referral.arrived_on):
            continue
        normal, urgent = RULE_DAYS[referral.deadline_rule]
        due = add_working_days(referral.arrived_on, urgent if referral.urgent else normal)
        if due == referral.due_date:
            continue
        event_model.objects.create(
            referral=referral,
            action="due_corrected",
            from_status=referral.status,
            to_status=referral.status,
            actor=None,
            actor_label="Silta",
            unit=None,
            at=now,
            detail={
                "due_before": referral.due_date.isoformat(),
                "due_after": due.isoformat(),
                "rule": "arrival_day_not_counted",
            },
        )
        referral_model.objects.filter(pk=referral.pk).update(
            due_date=due, version=referral.version + 1
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_type_choices_and_subject_keys")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop, elidable=True)]
