"""Due dates of referrals, from the rule table and the working-day calendar."""

from __future__ import annotations

import datetime as dt

from silta.referrals.deadline_rules import RULES
from silta.workdays.calendar import add_working_days, working_days_between


def due_date(
    rule_id: str, arrived: dt.date, *, urgent: bool, requested: dt.date | None = None
) -> dt.date:
    """The due date for a referral that arrived on ``arrived`` (local date)."""
    rule = RULES[rule_id]
    days = rule.urgent_working_days if urgent else rule.working_days
    if days is None:
        if requested is None:
            raise ValueError("this rule needs the requested date")
        return requested
    return add_working_days(arrived, days)


def working_days_left(due: dt.date, today: dt.date) -> int:
    """Working days from today to the due date (negative when overdue)."""
    return working_days_between(today, due)
