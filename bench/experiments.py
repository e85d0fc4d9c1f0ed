"""What a change in ``src/`` would give, measured without editing ``src/``.

Each experiment swaps one module attribute of Silta's code for the duration of a call
(exactly the change it describes), and is timed round-robin against the unchanged code
on the same operation, so both see the same background load.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

INBOX_SHOWN_FIELDS = (
    "id", "unit_id", "client_id", "thread_id", "assignee_id", "unread_count",
    "last_activity_at", "awaiting_reply_since", "is_open",
    "thread__id", "thread__public_id", "thread__subject", "thread__status",
    "client__id", "client__public_id", "client__first_names", "client__last_name",
    "assignee__id", "assignee__first_name", "assignee__last_name", "assignee__username",
)  # fmt: skip

TIMELINE_SHOWN_FIELDS = (
    "id", "case_id", "thread_id", "message_id", "unit_id", "kind", "actor_label", "at",
    "detail", "thread__id", "thread__public_id", "thread__subject",
    "unit__id", "unit__name_fi", "unit__name_sv", "message__id", "message__body",
)  # fmt: skip


@dataclass(frozen=True)
class Experiment:
    name: str
    change: str  # the change to make in src/, in Markdown
    operations: tuple[str, ...]  # names of the operations it affects
    patch: Callable[[], AbstractContextManager[None]]


@dataclass(frozen=True)
class ExperimentResult:
    experiment: Experiment
    operation: str
    current_ms: float
    changed_ms: float
    raw_audit_ms: float
    queries_current: int
    queries_changed: int
    same_rows: bool

    @property
    def gain(self) -> float:
        return 1 - self.changed_ms / self.current_ms

    @property
    def ratios(self) -> tuple[float, float]:
        """Real / raw+audit before and after the change."""
        return self.current_ms / self.raw_audit_ms, self.changed_ms / self.raw_audit_ms

    def summary(self) -> str:
        before, after = self.ratios
        return (
            f"{self.experiment.name} / {self.operation}: {self.current_ms:.2f} -> "
            f"{self.changed_ms:.2f} ms ({self.gain:+.0%} time saved; ratio {before:.2f}x -> "
            f"{after:.2f}x), queries "
            f"{self.queries_current} -> {self.queries_changed}, same rows: "
            f"{'yes' if self.same_rows else 'NO'}"
        )


@contextmanager
def swapped(module_name: str, attribute: str, value: Any) -> Iterator[None]:
    module = importlib.import_module(module_name)
    original = getattr(module, attribute)
    setattr(module, attribute, value)
    try:
        yield
    finally:
        setattr(module, attribute, original)


def _entries_without_case(unit: Any) -> Any:
    from silta.exchange.models import InboxEntry

    return InboxEntry.objects.filter(unit=unit).select_related("thread", "client", "assignee")


def _entries_only_shown(unit: Any) -> Any:
    return _entries_without_case(unit).only(*INBOX_SHOWN_FIELDS)


def _visible_cases_with_organiser(actor: Any, perm: Any = None) -> Any:
    from silta.accounts.roles import Perm
    from silta.exchange.permissions import visible_cases

    return visible_cases(actor, perm or Perm.CASE_VIEW).select_related("social_unit__organisation")


def _paginate_only_shown(queryset: Any, *, number: int, size: int) -> Any:
    from silta.core.pagination import paginate

    return paginate(queryset.only(*TIMELINE_SHOWN_FIELDS), number=number, size=size)


@contextmanager
def _timeline_both() -> Iterator[None]:
    with (
        swapped("silta.exchange.selectors", "visible_cases", _visible_cases_with_organiser),
        swapped("silta.exchange.selectors", "paginate", _paginate_only_shown),
    ):
        yield


INBOX_OPS = ("inbox, all + counts", "inbox, unread + counts")
TIMELINE_OP = "case timeline (case_get + page 1)"

EXPERIMENTS = [
    Experiment(
        name="inbox without the case join",
        change=(
            "`silta/exchange/inbox.py`, `_entries`: "
            '`select_related("thread", "client", "assignee")` instead of '
            '`select_related("thread", "thread__case", "client", "assignee")`: the inbox '
            "shows nothing of the case, yet every row joins and builds one."
        ),
        operations=INBOX_OPS,
        patch=lambda: swapped("silta.exchange.inbox", "_entries", _entries_without_case),
    ),
    Experiment(
        name="inbox: only the columns shown",
        change=(
            "As above, plus `.only(...)` of the fields the inbox shows "
            f"(`{', '.join(INBOX_SHOWN_FIELDS)}`): the list no longer loads every "
            "client's identity code and every assignee's password hash into memory."
        ),
        operations=INBOX_OPS,
        patch=lambda: swapped("silta.exchange.inbox", "_entries", _entries_only_shown),
    ),
    Experiment(
        name="case_get with the organiser",
        change=(
            '`silta/exchange/selectors.py`, `case_get`: add `"social_unit__organisation"` '
            "to its `select_related(...)`: the case page shows the social services unit's "
            "organiser, which is otherwise one more query per page view."
        ),
        operations=(TIMELINE_OP,),
        patch=lambda: swapped(
            "silta.exchange.selectors", "visible_cases", _visible_cases_with_organiser
        ),
    ),
    Experiment(
        name="timeline: only the columns shown",
        change=(
            "`silta/exchange/selectors.py`, `case_timeline`: `.only(...)` on the events "
            f"query (`{', '.join(TIMELINE_SHOWN_FIELDS)}`): the page shows 200 characters "
            "of each message, nothing of its payload, and the unit's name only."
        ),
        operations=(TIMELINE_OP,),
        patch=lambda: swapped("silta.exchange.selectors", "paginate", _paginate_only_shown),
    ),
    Experiment(
        name="timeline: both changes",
        change="The two changes above together.",
        operations=(TIMELINE_OP,),
        patch=_timeline_both,
    ),
]
