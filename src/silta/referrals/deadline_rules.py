"""Statutory deadlines as data: one table, so a change in the law is a change in one row.

Each rule: id, the section of law it comes from, working days after arrival (the arrival
day not counted), and the variant for urgent cases. ``None`` working days means the
requester sets the date (statements). DOMAIN.md §2 gives the law.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    law: str
    working_days: int | None
    urgent_working_days: int | None
    description: str | Promise
    # Silence: re-notify the receiving unit after this many working days unopened, and
    # escalate to its manager after this many (the sender sees the escalation).
    renotify_after: int = 1
    escalate_after: int = 2


RULES: dict[str, DeadlineRule] = {
    rule.id: rule
    for rule in [
        DeadlineRule(
            "totul_14a_decision",
            "Totul 14 a §, 14 b §",
            7,
            1,
            _(
                "Decision by the 7th working day after arrival; urgent: the same or the next "
                "working day"
            ),
        ),
        DeadlineRule(
            "totul_14a_after_completion",
            "Totul 14 a §",
            7,
            1,
            _("Decision by the 7th working day after the completed application arrives"),
        ),
        DeadlineRule(
            "totul_14b_urgent",
            "Totul 14 b §",
            1,
            1,
            _("Urgent: decided the same or at the latest the next working day"),
        ),
        DeadlineRule(
            "totul_14d_meeting",
            "Totul 14 d §",
            7,
            7,
            _("Personal meeting by the 7th working day after the client asks"),
        ),
        DeadlineRule(
            "shl_36_assessment",
            "SHL 36 §",
            7,
            0,
            _(
                "Service-need assessment started by the 7th working day; urgent need "
                "assessed at once"
            ),
        ),
        DeadlineRule(
            "totul_10a_assessment",
            "Totul 10 a §, SHL 36 §",
            7,
            0,
            _("Service-need assessment before a reduction: started by the 7th working day"),
        ),
        DeadlineRule(
            "totul_15_consider",
            "Totul 15 §, 18 b §",
            7,
            1,
            _(
                "Kela acknowledges the document and says by the 7th working day whether it "
                "changes Kela's handling"
            ),
        ),
        DeadlineRule(
            "requested_date",
            "—",
            None,
            None,
            _("By the date the requester gave"),
        ),
    ]
}
