"""An inbox page as rows (issue 10: throughput): each line is a plain row with its triage
facts, built from one statement's value rows (the entry's columns, its thread's latest
referral folded in by ``inbox``), not an ``InboxEntry`` with a thread, a client and a user
built around it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from silta.workdays import calendar

# Only what an inbox line shows: no identity codes or password hashes are even read.
LINE_COLUMNS = (
    "id",
    "thread_id",
    "client_id",
    "assignee_id",
    "unread_count",
    "last_activity_at",
    "awaiting_reply_since",
    "is_open",
    "thread__public_id",
    "thread__subject",
    "client__public_id",
    "client__first_names",
    "client__last_name",
    "client__birth_date",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "referral",
)


@dataclass(frozen=True)
class InboxRow:
    """What the triage columns show for one entry: kind, status, due date and countdown."""

    kind: str
    status: str
    due: dt.date | None
    days_left: int | None
    referral_id: Any = None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


@dataclass(frozen=True, slots=True)
class InboxLine:
    """One thread as the inbox shows it (``pk`` is the entry's id)."""

    pk: int
    thread_id: int
    client_id: int
    assignee_id: int | None
    unread_count: int
    last_activity_at: dt.datetime
    awaiting_reply_since: dt.datetime | None
    is_open: bool
    thread_public_id: uuid.UUID
    subject: str
    client_public_id: uuid.UUID
    client_name: str
    birth_date: dt.date | None
    assignee_name: str
    row: InboxRow


class _Labels:
    """The message rows' labels in the reader's language, translated once per page."""

    def __init__(self) -> None:
        self.message = _("Message")
        self.closed = _("Closed")
        self.waiting = _("Waiting for our reply")
        self.answered = _("Answered")


def _message_row(
    is_open: bool, waiting_since: dt.datetime | None, today: dt.date, labels: _Labels
) -> InboxRow:
    if not is_open:
        return InboxRow(kind=labels.message, status=labels.closed, due=None, days_left=None)
    if not waiting_since:
        return InboxRow(kind=labels.message, status=labels.answered, due=None, days_left=None)
    days = settings.SILTA_UNANSWERED_WORKING_DAYS
    due = calendar.add_working_days(calendar.local_date(waiting_since), days)
    return InboxRow(
        kind=labels.message,
        status=labels.waiting,
        due=due,
        days_left=calendar.working_days_between(today, due),
    )


def inbox_lines(
    rows: Any, today: dt.date, referral_row: Callable[[str], InboxRow]
) -> list[InboxLine]:
    """``InboxLine``s from value rows of ``LINE_COLUMNS``; ``referral_row`` gives the row of
    a thread with a referral from the value of the ``referral`` column."""
    labels = _Labels()
    lines = []
    for (
        pk,
        thread_id,
        client_id,
        assignee_id,
        unread,
        last_activity,
        waiting_since,
        is_open,
        thread_public_id,
        subject,
        client_public_id,
        first_names,
        last_name,
        birth_date,
        assignee_first,
        assignee_last,
        assignee_username,
        referral,
    ) in rows:
        if referral is not None:
            row = referral_row(referral)
        else:
            row = _message_row(is_open, waiting_since, today, labels)
        assignee = ""
        if assignee_id is not None:
            assignee = f"{assignee_first} {assignee_last}".strip() or assignee_username
        lines.append(
            InboxLine(
                pk=pk,
                thread_id=thread_id,
                client_id=client_id,
                assignee_id=assignee_id,
                unread_count=unread,
                last_activity_at=last_activity,
                awaiting_reply_since=waiting_since,
                is_open=is_open,
                thread_public_id=thread_public_id,
                subject=subject,
                client_public_id=client_public_id,
                client_name=f"{last_name}, {first_names}",
                birth_date=birth_date,
                assignee_name=assignee,
                row=row,
            )
        )
    return lines
