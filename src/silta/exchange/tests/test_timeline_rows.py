"""``case_timeline``: a case's timeline as rows, newest first, in one statement."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from silta.exchange import services
from silta.exchange.models import CaseEvent
from silta.exchange.selectors import EXCERPT_LENGTH, case_timeline

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_lines_newest_first_with_what_a_line_shows(world, django_assert_num_queries) -> None:
    case = world.open_case()
    first = world.thread(case)
    long_body = "x" * (EXCERPT_LENGTH + 50)
    reply = services.message_send(
        actor=world.actor("social_worker"),
        thread=first.thread,
        body=long_body,
        files=[
            SimpleUploadedFile(name, PDF, content_type="application/pdf")
            for name in ("liite.pdf", "b-liite.pdf")
        ],
    )
    world.social_unit.name_sv = "Socialtjänsten"
    world.social_unit.save(update_fields=["name_sv"])
    with django_assert_num_queries(1), translation.override("sv"):
        page = case_timeline(case=case)
    expected = list(CaseEvent.objects.filter(case=case).order_by("-at", "-id"))
    assert [line.pk for line in page.items] == [e.pk for e in expected]
    sent = next(
        line for line in page.items if line.kind == "message_sent" and line.excerpt.startswith("x")
    )
    assert sent.excerpt == long_body[:EXCERPT_LENGTH]
    assert sent.unit_name == "Socialtjänsten"
    assert (sent.thread_public_id, sent.subject) == (first.thread.public_id, first.thread.subject)
    files = reply.attachments.order_by("pk")
    assert sent.attachments == [(a.public_id, a.original_name) for a in files]
    assert len(sent.attachments) == 2
    assert sent.actor_label == next(e.actor_label for e in expected if e.pk == sent.pk)
    with translation.override("fi"):
        fi_line = next(line for line in case_timeline(case=case).items if line.pk == sent.pk)
    assert fi_line.unit_name == world.social_unit.name_fi
    others = [line for line in page.items if line.kind != "message_sent"]
    assert others and all(line.excerpt == "" for line in others)


def test_pages_of_fifty(world) -> None:
    case = world.open_case()
    message = world.thread(case)
    actor = world.actor("social_worker")
    for i in range(55):
        services.message_send(actor=actor, thread=message.thread, body=f"{i}")
    first, second = case_timeline(case=case, page=1), case_timeline(case=case, page=2)
    assert len(first.items) == 50 and first.has_next
    assert not second.has_next
    assert not {line.pk for line in first.items} & {line.pk for line in second.items}
