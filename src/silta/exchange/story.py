"""The case timeline as a story: each message and referral is one item, with the receipts
and state changes that concern it folded under it (for a case already returned by
``case_get``, which checked access and wrote the audit row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from silta.core.pagination import Page, paginate
from silta.exchange.models import Attachment, Case, CaseEvent, CaseEventKind
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
    "thread_id",
    "message_id",
    "kind",
    "at",
    "actor_label",
    "detail",
    "thread__public_id",
    "thread__subject",
    "unit__name_fi",
    "unit__name_sv",
    "unit__organisation__name_fi",
    "unit__organisation__name_sv",
)


@dataclass(frozen=True, slots=True)
class Named:
    """A unit's or an organisation's name in both languages, shown in the reader's."""

    name_fi: str
    name_sv: str

    @property
    def name(self) -> str:
        return self.name_sv if get_language() == "sv" and self.name_sv else self.name_fi


@dataclass(frozen=True, slots=True)
class UnitName(Named):
    organisation: Named


@dataclass(frozen=True, slots=True)
class ThreadRef:
    public_id: Any
    subject: str


@dataclass(frozen=True, slots=True)
class EventRow:
    """One case event as the story shows it: a row, not a model with three related models
    (a page may fold a thousand steps)."""

    pk: int
    thread_id: int | None
    message_id: int | None
    kind: str
    at: datetime
    actor_label: str
    detail: dict[str, Any]
    thread: ThreadRef | None
    unit: UnitName

    @property
    def id(self) -> int:
        return self.pk

    def get_kind_display(self) -> str:
        return str(CaseEventKind(self.kind).label) if self.kind in CaseEventKind.values else ""


def _row(values: tuple[Any, ...]) -> EventRow:
    pk, thread_id, message_id, kind, at, actor_label, detail = values[:7]
    thread_public_id, subject, unit_fi, unit_sv, org_fi, org_sv = values[7:]
    return EventRow(
        pk=pk,
        thread_id=thread_id,
        message_id=message_id,
        kind=kind,
        at=at,
        actor_label=actor_label,
        detail=detail or {},
        thread=ThreadRef(thread_public_id, subject) if thread_id else None,
        unit=UnitName(unit_fi, unit_sv or "", Named(org_fi, org_sv or "")),
    )


@dataclass
class StoryItem:
    """A message, a referral or the opening of the case, and what followed it."""

    event: EventRow
    steps: list[EventRow] = field(default_factory=list)
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
    return CaseEvent.objects.filter(case=case)


def _headlines(case: Case, kind: str) -> QuerySet[CaseEvent]:
    """The page's items, each with its message's body and whether it has documents."""
    has_files = Exists(Attachment.objects.filter(message_id=OuterRef("message_id")))
    events = _events(case).filter(kind__in=HEADLINE_KINDS).annotate(has_files=has_files)
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


def _owner(step: EventRow, items: list[StoryItem]) -> StoryItem | None:
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
    """One page of the case's story, newest item first: the items with their messages'
    bodies, the steps of their threads, and the documents only when an item has some
    (two or three queries whatever the page)."""
    kind = kind if kind in STORY_KINDS else "all"
    headlines = _headlines(case, kind).values_list(*EVENT_FIELDS, "message__body", "has_files")
    result = paginate(headlines, number=page, size=STORY_PAGE_SIZE)
    items = [StoryItem(event=_row(values[:-2]), body=values[-2] or "") for values in result.items]
    with_files = [
        i.event.message_id
        for i, v in zip(items, result.items, strict=True)
        if v[-1] and i.event.message_id is not None
    ]
    thread_ids = {i.event.thread_id for i in items if i.event.thread_id}
    by_message: dict[int, StoryItem] = {i.event.message_id: i for i in items if i.event.message_id}
    if with_files:
        for attachment in Attachment.objects.filter(message_id__in=with_files).order_by("pk"):
            by_message[attachment.message_id].attachments.append(attachment)
    steps = (
        _events(case)
        .filter(kind__in=STEP_KINDS, thread_id__in=thread_ids)
        .order_by("at", "id")
        .values_list(*EVENT_FIELDS)[:MAX_STEPS]
    )
    for step in map(_row, steps) if thread_ids else []:
        owner = _owner(step, items)
        if owner is not None and owner.event.at <= step.at:
            owner.steps.append(step)
    return Page(items=items, number=result.number, size=result.size, has_next=result.has_next)
