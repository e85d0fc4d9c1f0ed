"""The unit inbox and the manager's load view."""

from __future__ import annotations

import datetime as dt

import pytest

from silta.core.errors import Forbidden, Invalid, NotFound
from silta.exchange import services
from silta.exchange.inbox import inbox_counts, inbox_page, unit_load
from silta.exchange.models import InboxEntry
from silta.workdays.calendar import HELSINKI

pytestmark = pytest.mark.django_db


def _threads(world, n: int) -> list:
    return [world.thread(world.open_case(world.clients[i % 3])) for i in range(n)]


def test_inbox_lists_unit_threads_newest_first_with_unread(world) -> None:
    messages = _threads(world, 3)
    actor = world.actor("social_worker")
    page = inbox_page(actor=actor, unit=world.social_unit)
    assert [e.thread_id for e in page.items] == [m.thread_id for m in reversed(messages)]
    assert all(e.unread_count == 1 for e in page.items)
    assert inbox_counts(actor=actor, unit=world.social_unit).unread_threads == 3


def test_filters_unread_and_mine(world) -> None:
    from silta.exchange import workflow

    first, second = _threads(world, 2)
    actor = world.actor("social_worker")
    workflow.thread_mark_read(actor=actor, thread=first.thread)
    workflow.thread_claim(actor=actor, thread=second.thread)
    unread = inbox_page(actor=actor, unit=world.social_unit, filter="unread")
    mine = inbox_page(actor=actor, unit=world.social_unit, filter="mine")
    assert [e.thread_id for e in unread.items] == [second.thread_id]
    assert [e.thread_id for e in mine.items] == [second.thread_id]


def test_search_by_identity_code_and_name(world) -> None:
    _threads(world, 3)
    actor = world.actor("social_worker")
    target = world.clients[1]
    by_code = inbox_page(actor=actor, unit=world.social_unit, search=target.identity_code)
    assert {e.client_id for e in by_code.items} == {target.pk}
    by_name = inbox_page(actor=actor, unit=world.social_unit, search=target.last_name.lower())
    assert {e.client_id for e in by_name.items} == {target.pk}
    with pytest.raises(Invalid):
        inbox_page(actor=actor, unit=world.social_unit, search="a")


def test_pages_are_bounded(world) -> None:
    _threads(world, 27)
    actor = world.actor("social_worker")
    first = inbox_page(actor=actor, unit=world.social_unit, page=1)
    second = inbox_page(actor=actor, unit=world.social_unit, page=2)
    assert len(first.items) == 25 and first.has_next
    assert len(second.items) == 2 and not second.has_next


def test_unit_load_counts_overdue_in_working_days(world, settings) -> None:
    settings.SILTA_UNANSWERED_WORKING_DAYS = 2
    old, recent = _threads(world, 2)
    # Waiting since Thursday 19 Nov 2026; "now" is Tuesday 24 Nov: 3 working days (Fri,
    # Mon, Tue) > 2. The recent one since Monday 23 Nov: 1 working day.
    InboxEntry.objects.filter(thread=old.thread, unit=world.social_unit).update(
        awaiting_reply_since=dt.datetime(2026, 11, 19, 15, 0, tzinfo=HELSINKI)
    )
    InboxEntry.objects.filter(thread=recent.thread, unit=world.social_unit).update(
        awaiting_reply_since=dt.datetime(2026, 11, 23, 9, 0, tzinfo=HELSINKI)
    )
    now = dt.datetime(2026, 11, 24, 12, 0, tzinfo=HELSINKI)
    load = unit_load(actor=world.actor("social_manager"), unit=world.social_unit, now=now)
    assert (load.open_threads, load.unread_threads, load.overdue) == (2, 2, 1)
    # Friday 20 Nov is exactly 2 working days before Tuesday: not over the limit.
    InboxEntry.objects.filter(thread=old.thread, unit=world.social_unit).update(
        awaiting_reply_since=dt.datetime(2026, 11, 20, 8, 0, tzinfo=HELSINKI)
    )
    load = unit_load(actor=world.actor("social_manager"), unit=world.social_unit, now=now)
    assert load.overdue == 0


def test_reply_clears_overdue(world) -> None:
    message = _threads(world, 1)[0]
    services.message_send(actor=world.actor("social_worker"), thread=message.thread, body="Ok")
    entry = InboxEntry.objects.get(thread=message.thread, unit=world.social_unit)
    assert entry.awaiting_reply_since is None


def test_load_view_only_for_managers(world) -> None:
    # A member of the unit sees that the load view exists (403); an outsider does not (404).
    with pytest.raises(Forbidden):
        unit_load(actor=world.actor("social_worker"), unit=world.social_unit)
    with pytest.raises(NotFound):
        unit_load(actor=world.actor("social_other_org_manager"), unit=world.social_unit)


def test_counts_are_one_statement_and_count_each_tab(world, django_assert_num_queries) -> None:
    from silta.exchange import workflow

    first, second, _third = _threads(world, 3)
    actor = world.actor("social_worker")
    workflow.thread_mark_read(actor=actor, thread=first.thread)
    workflow.thread_claim(actor=actor, thread=second.thread)
    with django_assert_num_queries(1):
        counts = inbox_counts(actor=actor, unit=world.social_unit)
    assert (counts.unread_threads, counts.mine) == (2, 1)
    other = inbox_counts(actor=world.actor("social_manager"), unit=world.social_unit)
    assert (other.unread_threads, other.mine) == (2, 0)


def test_lines_carry_what_the_row_shows(world, django_assert_num_queries) -> None:
    """A page is one read and the audit row; each line has the client's name and birth
    date, the thread's subject and public id, and the assignee's name."""
    from silta.exchange import workflow

    message = _threads(world, 1)[0]
    user = world.users["social_worker"]
    user.first_name, user.last_name = "Sari", "Heikkinen"
    user.save(update_fields=["first_name", "last_name"])
    workflow.thread_claim(actor=world.actor("social_worker"), thread=message.thread)
    actor = world.actor("social_worker")
    with django_assert_num_queries(2):
        (line,) = inbox_page(actor=actor, unit=world.social_unit).items
    client = message.case.client
    assert line.client_name == f"{client.last_name}, {client.first_names}"
    assert line.birth_date == client.birth_date
    assert (line.subject, line.thread_public_id) == (
        message.thread.subject,
        message.thread.public_id,
    )
    assert line.assignee_name == "Sari Heikkinen"
    assert line.pk == InboxEntry.objects.get(thread=message.thread, unit=world.social_unit).pk


def test_unassigned_and_nameless_assignee(world) -> None:
    from silta.exchange import workflow

    first, second = _threads(world, 2)
    user = world.users["social_worker"]
    user.first_name = user.last_name = ""
    user.save(update_fields=["first_name", "last_name"])
    workflow.thread_claim(actor=world.actor("social_worker"), thread=first.thread)
    lines = {
        e.thread_id: e
        for e in inbox_page(actor=world.actor("social_worker"), unit=world.social_unit).items
    }
    assert lines[first.thread_id].assignee_name == user.username
    assert lines[second.thread_id].assignee_name == ""
