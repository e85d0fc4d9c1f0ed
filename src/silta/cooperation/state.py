"""The agenda item's life cycle, as data: proposed -> scheduled -> discussed -> decided ->
done, or declined with a reason. Only the forum's chair moves an item."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    DISCUSSED = "discussed", _("Discussed")
    DECIDED = "decided", _("Decided")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


class ItemAction(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule to a meeting")
    DISCUSS = "discuss", _("Mark as discussed")
    DECIDE = "decide", _("Record the decision")
    COMPLETE = "complete", _("Mark as done")
    DECLINE = "decline", _("Decline")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    needs_reason: bool = False
    needs_date: bool = False
    needs_decision: bool = False

    @property
    def label(self) -> str:
        return str(ItemAction(self.action).label)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        # A scheduled item may be moved to another meeting.
        Transition(
            action=ItemAction.SCHEDULE,
            sources=(ItemStatus.PROPOSED, ItemStatus.SCHEDULED),
            target=ItemStatus.SCHEDULED,
            needs_date=True,
        ),
        Transition(
            action=ItemAction.DISCUSS, sources=(ItemStatus.SCHEDULED,), target=ItemStatus.DISCUSSED
        ),
        Transition(
            action=ItemAction.DECIDE,
            sources=(ItemStatus.DISCUSSED,),
            target=ItemStatus.DECIDED,
            needs_decision=True,
        ),
        # Done when the decision's follow-up actions are done (checked by the service).
        Transition(
            action=ItemAction.COMPLETE, sources=(ItemStatus.DECIDED,), target=ItemStatus.DONE
        ),
        Transition(
            action=ItemAction.DECLINE,
            sources=(ItemStatus.PROPOSED, ItemStatus.SCHEDULED, ItemStatus.DISCUSSED),
            target=ItemStatus.DECLINED,
            needs_reason=True,
        ),
    ]
}

OPEN_STATUSES = (ItemStatus.PROPOSED, ItemStatus.SCHEDULED, ItemStatus.DISCUSSED)
DECISION_STATUSES = (ItemStatus.DECIDED, ItemStatus.DONE)


def available(status: str) -> list[Transition]:
    """What the chair may do to an item in ``status`` (buttons and the API's hints)."""
    return [t for t in TRANSITIONS.values() if status in t.sources]
