"""The inbox as a triage tool: kind, status, due date and countdown, filters, order,
birth date instead of the identity code, claiming several at once, and lean queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from silta.exchange.inbox import InboxQuery, inbox_page
from silta.exchange.models import InboxEntry
from silta.referrals.models import Referral
from silta.referrals.state import Status
from silta.referrals.types import ReferralType
from silta.workdays import calendar
from tests.factories import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_totp(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True  # the TOTP sign-in itself is tested in accounts


def browser(user, language: str = "en") -> HttpClient:
    http = HttpClient()
    http.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    http.force_login(user)
    return http


def send(world, type_: str = "contact", *, case=None) -> Referral:
    """A referral from Kela to the social unit, as stored (the referral services are tested
    in their own app): its thread is in both units' inboxes."""
    message = world.thread(case or world.open_case())
    now = message.sent_at
    return Referral.objects.create(
        case=message.case,
        thread=message.thread,
        type=type_,
        sender_unit=world.kela_unit,
        receiver_unit=world.social_unit,
        status="requested",
        deadline_rule="shl_36_assessment",
        arrived_on=calendar.local_date(now),
        due_date=calendar.add_working_days(calendar.local_date(now), 7),
        sent_at=now,
    )


def _page(world, **query):
    actor = world.actor("social_worker")
    with translation.override("en"):
        return inbox_page(actor=actor, unit=world.social_unit, query=InboxQuery(**query))


def _overdue(referral: Referral, working_days: int = 3) -> None:
    today = calendar.today()
    due = today
    for _ in range(working_days):  # step back over working days, written out
        due -= dt.timedelta(days=1)
        while not calendar.is_working_day(due):
            due -= dt.timedelta(days=1)
    Referral.objects.filter(pk=referral.pk).update(due_date=due)


def test_rows_show_kind_status_due_and_countdown(world) -> None:
    message = world.thread(world.open_case(world.clients[1]))
    referral = send(world, "contact")
    rows = {e.thread_id: e.row for e in _page(world).items}
    assert rows[message.thread_id].kind == "Message"
    assert rows[message.thread_id].status == "Waiting for our reply"
    assert rows[message.thread_id].due is not None  # unanswered after N working days
    ref_row = rows[referral.thread_id]
    assert ref_row.kind == "Contact to social services"
    assert ref_row.status == "Sent"
    assert ref_row.due == referral.due_date
    assert ref_row.days_left == calendar.working_days_between(calendar.today(), referral.due_date)
    assert not ref_row.overdue


def test_filter_by_kind_and_overdue(world) -> None:
    message = world.thread(world.open_case(world.clients[1]))
    late = send(world, "contact")
    on_time = send(world, "contact", case=world.open_case(world.clients[2]))
    _overdue(late)
    assert {e.thread_id for e in _page(world, kind="message").items} == {message.thread_id}
    assert {e.thread_id for e in _page(world, kind="referral").items} == {
        late.thread_id,
        on_time.thread_id,
    }
    overdue = _page(world, overdue=True).items
    assert [e.thread_id for e in overdue] == [late.thread_id]
    assert overdue[0].row.overdue and overdue[0].row.days_late == 3


def test_overdue_includes_threads_unanswered_too_long(world) -> None:
    message = world.thread(world.open_case(world.clients[1]))
    long_ago = calendar.start_of_local_day(calendar.today() - dt.timedelta(days=14))
    InboxEntry.objects.filter(thread_id=message.thread_id, unit=world.social_unit).update(
        awaiting_reply_since=long_ago
    )
    rows = _page(world, overdue=True).items
    assert [e.thread_id for e in rows] == [message.thread_id]
    assert rows[0].row.overdue


def test_sort_by_due_date_mixes_messages_and_referrals(world) -> None:
    fresh = world.thread(world.open_case(world.clients[1]))  # due in N working days
    late_message = world.thread(world.open_case(world.clients[2]))
    long_ago = calendar.start_of_local_day(calendar.today() - dt.timedelta(days=21))
    InboxEntry.objects.filter(thread_id=late_message.thread_id, unit=world.social_unit).update(
        awaiting_reply_since=long_ago
    )
    first = send(world, "contact")
    second = send(world, "contact", case=world.open_case(make_client()))
    _overdue(second, 1)
    _overdue(first, 4)
    done = send(world, "contact", case=world.open_case(make_client()))
    Referral.objects.filter(pk=done.pk).update(status="completed")  # no due date any more
    ordered = [e.thread_id for e in _page(world, sort="due").items]
    # Three weeks waiting is due before a referral four working days late.
    assert ordered[:4] == [
        late_message.thread_id,
        first.thread_id,
        second.thread_id,
        fresh.thread_id,
    ]
    assert ordered[-1] == done.thread_id
    overdue = {e.thread_id for e in _page(world, overdue=True).items}
    assert overdue == {late_message.thread_id, first.thread_id, second.thread_id}


def test_client_shown_with_birth_date_never_identity_code(world) -> None:
    client = world.clients[0]
    world.thread(world.open_case(client))
    http = browser(world.users["social_worker"])
    html = http.get(reverse("exchange:inbox", args=[world.social_unit.public_id])).content
    assert client.birth_date is not None
    assert client.identity_code.encode() not in html
    assert client.identity_code[:6].encode() not in html
    assert f"{client.birth_date.day}.{client.birth_date.month}.".encode() in html


def test_inbox_loads_no_identity_code(world) -> None:
    world.thread()
    with CaptureQueriesContext(connection) as queries:
        _page(world)
    assert not any("identity_code" in q["sql"] for q in queries.captured_queries)


def test_query_count_does_not_grow_with_rows(world, django_assert_num_queries) -> None:
    """No N+1: the page, its referrals and the audit row, whatever the number of rows."""
    world.thread()
    send(world, "contact", case=world.open_case(world.clients[1]))
    with CaptureQueriesContext(connection) as few:
        _page(world, sort="due")
    for i in range(6):
        world.thread(world.open_case(make_client()))
        send(world, "contact", case=world.open_case(world.clients[i % 3]))
    with django_assert_num_queries(len(few.captured_queries)):
        page = _page(world, sort="due")
        for entry in page.items:  # what the template reads
            _ = (entry.row.kind, entry.client_name, entry.birth_date, entry.assignee_name)


def test_claim_several_at_once(world) -> None:
    threads = [world.thread(world.open_case(world.clients[i])).thread for i in range(3)]
    user = world.users["social_worker"]
    http = browser(user)
    url = reverse("exchange:inbox_claim", args=[world.social_unit.public_id])
    picked = [str(t.public_id) for t in threads[:2]]
    response = http.post(url, {"threads": picked, "filter": "all", "kind": "message"})
    assert response.status_code == 302
    assert response["Location"].endswith("?filter=all&kind=message&sort=activity")
    mine = InboxEntry.objects.filter(unit=world.social_unit, assignee=user)
    assert {e.thread_id for e in mine} == {t.pk for t in threads[:2]}


def test_claim_ignores_threads_of_other_units(world) -> None:
    foreign = world.thread(
        world.open_case(world.clients[0], social_unit=world.other_social_unit)
    ).thread
    http = browser(world.users["social_worker"])
    url = reverse("exchange:inbox_claim", args=[world.social_unit.public_id])
    http.post(url, {"threads": [str(foreign.public_id)]})
    assert not InboxEntry.objects.filter(thread=foreign, assignee__isnull=False).exists()


def test_referral_row_in_swedish_and_its_latest_referral(world) -> None:
    """The latest referral of the thread gives the row (type, status, due, public id)."""
    first = send(world, "contact")
    later = Referral.objects.create(
        case=first.case,
        thread=first.thread,
        type="contact",
        sender_unit=world.kela_unit,
        receiver_unit=world.social_unit,
        status="completed",
        deadline_rule="shl_36_assessment",
        arrived_on=first.arrived_on,
        due_date=first.due_date,
        sent_at=first.sent_at + dt.timedelta(minutes=5),
    )
    actor = world.actor("social_worker")
    with translation.override("sv"):
        rows = {e.thread_id: e.row for e in inbox_page(actor=actor, unit=world.social_unit).items}
        expected_kind = str(ReferralType("contact").label)
        expected_status = str(Status("completed").label)
    row = rows[first.thread_id]
    assert row.referral_id == later.public_id
    assert (row.kind, row.status, row.due, row.days_left) == (
        expected_kind,
        expected_status,
        None,
        None,
    )
    assert expected_kind != "Contact to social services"  # really translated
