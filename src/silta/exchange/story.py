"""The case timeline as a story: each message and referral is one item, with the receipts
and state changes that concern it folded under it (for a case already returned by
``case_get``, which checked access and wrote the audit row)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from silta.core.pagination import Page, paginate
from silta.exchange.models import Attachment, Case, CaseEvent, CaseEventKind, Message
from silta.referrals.state import Status
from silta.referrals.types import ReferralType

STORY_PAGE_SIZE = 30
STORY_KINDS = ("all", "messages", "referrals", "documents")
HEADLINE_KINDS = (
    CaseEventKind.CASE_OPENED,
    CaseEventKind.MESSAGE_SENT,
    CaseEventKind.REFERRAL_SEND,
)
# Steps shown under their item; thread_started repeats its first message and is left out.
STEP_KINDS = [
    k for k in CaseEventKind.values if k not in (*HEADLINE_KINDS, CaseEventKind.THREAD_STARTED)
]
MAX_STEPS = 1000
DOCUMENT_REFERRAL_TYPES = ("document_delivery", "forwarded_application")
EVENT_FIELDS = (
    "id",
    "case_id",
    "thread_id",
    "message_id",
    "kind",
    "at",
    "actor_label",
    "detail",
    "thread__public_id",
    "thread__subject",
    "unit__public_id",
    "unit__name_fi",
    "unit__name_sv",
    "unit__organisation__name_fi",
    "unit__organisation__name_sv",
)


@dataclass
class StoryItem:
    """A message, a referral or the opening of the case, and what followed it."""

    event: CaseEvent
    steps: list[CaseEvent] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    body: str = ""

    @property
    def kind(self) -> str:
        if self.event.kind == CaseEventKind.REFERRAL_SEND:
            return "referral"
        if self.event.kind == CaseEventKind.MESSAGE_SENT:
            return "document" if self.attachments else "message"
        return "case"

    @property
    def referral_type(self) -> str:
        code = self.event.detail.get("type", "")
        return str(ReferralType(code).label) if code in ReferralType.values else ""

    @property
    def current_status(self) -> str:
        """A referral's status after its latest step shown, in the reader's language."""
        statuses = [s.detail.get("status", "") for s in self.steps if s.detail.get("status")]
        code = statuses[-1] if statuses else str(self.event.detail.get("status", ""))
        return str(Status(code).label) if code in Status.values else ""


def _events(case: Case) -> QuerySet[CaseEvent]:
    return (
        CaseEvent.objects.filter(case=case)
        .select_related("thread", "unit", "unit__organisation")
        .only(*EVENT_FIELDS)
    )


def _headlines(case: Case, kind: str) -> QuerySet[CaseEvent]:
    events = _events(case).filter(kind__in=HEADLINE_KINDS)
    has_files = Exists(Attachment.objects.filter(message_id=OuterRef("message_id")))
    if kind == "messages":
        events = events.filter(kind=CaseEventKind.MESSAGE_SENT)
    elif kind == "referrals":
        events = events.filter(kind=CaseEventKind.REFERRAL_SEND)
    elif kind == "documents":
        events = events.filter(
            Q(kind=CaseEventKind.MESSAGE_SENT, message__isnull=False) & Q(has_files)
            | Q(kind=CaseEventKind.REFERRAL_SEND, detail__type__in=DOCUMENT_REFERRAL_TYPES)
        )
    return events.order_by("-at", "-id")


def _owner(step: CaseEvent, items: list[StoryItem]) -> StoryItem | None:
    """The item a step belongs to: a receipt to its message, a referral's step to the
    referral, a claim or closing to the latest message of its thread before it."""
    if step.message_id:
        return next((i for i in items if i.event.message_id == step.message_id), None)
    referral = step.detail.get("referral") if step.kind.startswith("referral_") else None
    if referral:
        return next((i for i in items if i.event.detail.get("referral") == referral), None)
    same_thread = [i for i in items if step.thread_id and i.event.thread_id == step.thread_id]
    earlier = [i for i in same_thread if i.event.at <= step.at]
    if earlier:
        return max(earlier, key=lambda i: (i.event.at, i.event.pk))
    return min(same_thread, key=lambda i: (i.event.at, i.event.pk), default=None)


def case_story(*, case: Case, page: int = 1, kind: str = "all") -> Page[StoryItem]:
    """One page of the case's story, newest item first; four queries whatever the page."""
    kind = kind if kind in STORY_KINDS else "all"
    result = paginate(_headlines(case, kind), number=page, size=STORY_PAGE_SIZE)
    items = [StoryItem(event=e) for e in result.items]
    message_ids = [i.event.message_id for i in items if i.event.message_id]
    thread_ids = {i.event.thread_id for i in items if i.event.thread_id}
    by_message: dict[int, StoryItem] = {i.event.message_id: i for i in items if i.event.message_id}
    if message_ids:
        for attachment in Attachment.objects.filter(message_id__in=message_ids).order_by("pk"):
            by_message[attachment.message_id].attachments.append(attachment)
        for pk, body in Message.objects.filter(pk__in=message_ids).values_list("pk", "body"):
            by_message[pk].body = body
    steps = (
        _events(case)
        .filter(kind__in=STEP_KINDS, thread_id__in=thread_ids)
        .order_by("at", "id")[:MAX_STEPS]
    )
    for step in steps if thread_ids else []:
        owner = _owner(step, items)
        if owner is not None and owner.event.at <= step.at:
            owner.steps.append(step)
    return Page(items=items, number=result.number, size=result.size, has_next=result.has_next)
