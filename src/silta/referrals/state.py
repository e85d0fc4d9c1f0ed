"""One state machine for every referral type, aligned with HL7 FHIR R4 Task.

requested -> received (automatic on the receiver's first open) -> accepted | rejected |
returned -> in_progress <-> on_hold (waiting for information) -> completed (outcome
required) | cancelled (by the sender). A returned referral may be re-sent (a counted
handoff). Each state maps to a FHIR Task.status and a businessStatus (BSeR / IHE 360X
codes, ../shared/STANDARDS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    REQUESTED = "requested", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("Waiting for information")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Action(models.TextChoices):
    RECEIVE = "receive", pgettext_lazy("referral action", "Open")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return to the other organisation")
    START = "start", _("Start handling")
    HOLD = "hold", _("Ask for more information")
    RESUME = "resume", _("Information supplied")
    COMPLETE = "complete", _("Complete with outcome")
    CANCEL = "cancel", _("Cancel")
    RESEND = "resend", _("Send again")


SENDER, RECEIVER = "sender", "receiver"
OPEN_STATES = (
    Status.REQUESTED,
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
)


@dataclass(frozen=True)
class Transition:
    action: str
    side: str  # who may do it: the sending or the receiving unit
    sources: tuple[str, ...]
    target: str
    needs_reason: bool = False

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(Action.RECEIVE, RECEIVER, (Status.REQUESTED,), Status.RECEIVED),
        Transition(Action.ACCEPT, RECEIVER, (Status.RECEIVED,), Status.ACCEPTED),
        Transition(Action.REJECT, RECEIVER, (Status.RECEIVED,), Status.REJECTED, True),
        Transition(
            Action.RETURN, RECEIVER, (Status.RECEIVED, Status.ACCEPTED), Status.RETURNED, True
        ),
        Transition(Action.START, RECEIVER, (Status.ACCEPTED,), Status.IN_PROGRESS),
        Transition(Action.HOLD, RECEIVER, (Status.IN_PROGRESS,), Status.ON_HOLD, True),
        Transition(Action.RESUME, SENDER, (Status.ON_HOLD,), Status.IN_PROGRESS),
        Transition(
            Action.COMPLETE, RECEIVER, (Status.ACCEPTED, Status.IN_PROGRESS), Status.COMPLETED
        ),
        Transition(
            Action.CANCEL,
            SENDER,
            (
                Status.REQUESTED,
                Status.RECEIVED,
                Status.ACCEPTED,
                Status.IN_PROGRESS,
                Status.ON_HOLD,
                Status.RETURNED,  # a returned referral is sent again or withdrawn
            ),
            Status.CANCELLED,
            True,
        ),
        Transition(Action.RESEND, SENDER, (Status.RETURNED,), Status.REQUESTED),
    ]
}

# Silta status -> (FHIR Task.status, Task.businessStatus code, display)
FHIR: dict[str, tuple[str, str, str]] = {
    Status.REQUESTED: ("requested", "2.0", "Created"),
    Status.RECEIVED: ("requested", "2.1", "Received by the recipient"),
    Status.ACCEPTED: ("accepted", "3.0", "Accepted"),
    Status.REJECTED: ("rejected", "4.0", "Declined"),
    Status.RETURNED: ("rejected", "4.1", "Returned to the other organisation"),
    Status.IN_PROGRESS: ("in-progress", "5.0", "In progress"),
    Status.ON_HOLD: ("on-hold", "5.3", "Waiting for information"),
    Status.COMPLETED: ("completed", "7.0", "Fulfillment completed"),
    Status.CANCELLED: ("cancelled", "6.0", "Fulfillment cancelled"),
}


def available(status: str, side: str) -> list[Transition]:
    """What the given side may do now (for buttons and the API's hints)."""
    return [
        t
        for t in TRANSITIONS.values()
        if t.side == side and status in t.sources and t.action != Action.RECEIVE
    ]
