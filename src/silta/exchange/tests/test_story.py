"""The case timeline as a story: receipts and steps under the item they concern."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from silta.exchange import services, workflow
from silta.exchange.models import CaseEvent, CaseEventKind
from silta.exchange.story import case_story
from tests.factories import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_totp(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True  # the TOTP sign-in itself is tested in accounts


def browser(user, language: str = "en") -> HttpClient:
    http = HttpClient()
    http.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    http.force_login(user)
    return http


def _conversation(world):
    """Kela writes (with a file), social work reads, claims and answers; Kela reads."""
    first = world.thread(files=[pdf()])
    social = world.actor("social_worker")
    workflow.thread_mark_read(actor=social, thread=first.thread)
    workflow.thread_claim(actor=social, thread=first.thread)
    reply = services.message_send(
        actor=social, thread=first.thread, body="Vastaus.", files=[], client_token=None
    )
    workflow.thread_mark_read(actor=world.actor("kela_processor"), thread=first.thread)
    return first, reply


def test_receipts_and_claims_fold_under_their_message(world) -> None:
    first, reply = _conversation(world)
    items = case_story(case=first.case).items
    assert [i.kind for i in items] == ["message", "document", "case"]
    newest, oldest = items[0], items[1]
    assert newest.event.message_id == reply.pk and newest.body == "Vastaus."
    assert [s.kind for s in newest.steps] == [CaseEventKind.MESSAGE_READ]
    assert [s.kind for s in oldest.steps] == [
        CaseEventKind.MESSAGE_READ,
        CaseEventKind.THREAD_CLAIMED,
    ]
    assert [a.original_name for a in oldest.attachments] == ["paatos.pdf"]
    assert not items[2].steps
    # Every event but thread_started is shown exactly once.
    shown = sum(1 + len(i.steps) for i in items)
    assert shown == CaseEvent.objects.filter(case=first.case).exclude(kind="thread_started").count()


def test_filter_by_kind(world) -> None:
    first, _reply = _conversation(world)
    kinds = {
        k: [i.kind for i in case_story(case=first.case, kind=k).items]
        for k in ("messages", "documents", "referrals", "all", "nonsense")
    }
    assert kinds["messages"] == ["message", "document"]
    assert kinds["documents"] == ["document"]
    assert kinds["referrals"] == []
    assert kinds["all"] == kinds["nonsense"] == ["message", "document", "case"]


def test_story_queries_do_not_grow_with_items(world, django_assert_max_num_queries) -> None:
    first, _ = _conversation(world)
    for _ in range(5):
        services.message_send(
            actor=world.actor("kela_processor"),
            thread=first.thread,
            body="Lisää.",
            files=[pdf()],
            client_token=None,
        )
    with django_assert_max_num_queries(3):
        items = case_story(case=first.case).items
        _ = [
            (i.event.unit.organisation.name, i.event.thread and i.event.thread.subject)
            for i in items
        ]


def test_a_page_without_documents_reads_no_attachments(world, django_assert_num_queries) -> None:
    """Bodies come with the items; the documents are read only when an item has some."""
    thread = world.thread()
    services.message_send(
        actor=world.actor("social_worker"),
        thread=thread.thread,
        body="Ei liitteitä.",
        files=[],
        client_token=None,
    )
    with django_assert_num_queries(2):
        items = case_story(case=thread.case).items
    assert next(i.body for i in items if i.kind == "message") == "Ei liitteitä."
    assert all(not i.attachments for i in items)


def test_steps_and_units_read_in_the_readers_language(world) -> None:
    """A row's unit and organisation name and its step label follow the reader's language."""
    first, _ = _conversation(world)
    world.social_unit.name_sv = "Vuxensocialarbete"
    world.social_unit.save(update_fields=["name_sv"])
    item = case_story(case=first.case).items[0]
    with translation.override("sv"):
        assert item.event.unit.name == "Vuxensocialarbete"
        assert item.steps[0].get_kind_display() == str(
            CaseEventKind(CaseEventKind.MESSAGE_READ).label
        )
    with translation.override("fi"):
        assert item.event.unit.name == world.social_unit.name_fi


def test_page_shows_short_unit_names_with_the_full_name_on_hover(world) -> None:
    first, _ = _conversation(world)
    http = browser(world.users["kela_processor"])
    html = http.get(reverse("exchange:case", args=[first.case.public_id])).content.decode()
    full = f"{world.county.name_fi} – {world.social_unit.name_fi}"
    assert f'<abbr title="{full}">{world.social_unit.name_fi}</abbr>' in html
    assert "<details>" in html
