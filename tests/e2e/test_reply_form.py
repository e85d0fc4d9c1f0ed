"""The reply form in the browser: an empty reply is refused with a clear message and sends
nothing; a reply from a stale page is held back, with the text kept, until the sender has
seen the messages that arrived meanwhile."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from silta.accounts.actor import Actor
from silta.exchange import services
from silta.exchange.models import Message, Thread
from tests.e2e.conftest import TIMEOUT_MS, Journey, htmx_submit
from tests.factories import PDF_BYTES, give_consent

pytestmark = pytest.mark.e2e

# Finnish texts (msgstr in locale/fi/LC_MESSAGES/django.po).
WRITE_A_MESSAGE = "Kirjoita viesti."
SENT = "Viesti lähetetty."
STALE = (
    "Viestiketjuun on tullut uusia viestejä. Lue ne ennen kuin lähetät omasi. "
    "Kirjoittamasi teksti on tallessa."
)


def _context(new_context: Any) -> BrowserContext:
    context: BrowserContext = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _thread(journey: Journey) -> Thread:
    """A shared case and a thread Kela has started, made with the services, on the
    client's consent (the checkbox on the application)."""
    kela = Actor.for_user(journey.kela_user)
    give_consent(journey.client, journey.world.county, journey.world.kela_unit)
    case, _ = services.case_open(
        actor=kela,
        client=journey.client,
        acting_unit_id=journey.world.kela_unit.pk,
        counterpart_unit_id=journey.world.social_unit.pk,
    )
    message = services.thread_start(
        actor=kela,
        case=case,
        subject="Asumistuen selvitys",
        body="Tarvitsemme selvityksen asumiskuluista.",
        files=[],
    )
    return message.thread


def _send(page: Page, thread: Thread) -> None:
    htmx_submit(page, reverse("exchange:message_send", args=[thread.public_id]))


def _open_thread(page: Page, live_server: Any, thread: Thread) -> None:
    page.goto(live_server.url + reverse("exchange:thread", args=[thread.public_id]))
    expect(page.locator("h1")).to_have_text(thread.subject)
    expect(page.locator("html")).to_have_attribute("lang", "fi")


def test_empty_reply_shows_an_error_and_sends_nothing(
    live_server: Any,
    new_context: Any,
    login: Any,
    journey: Journey,
    tmp_path: Path,
    artifacts: Path,
) -> None:
    thread = _thread(journey)
    page = _context(new_context).new_page()
    login(page, journey.social_worker)
    _open_thread(page, live_server, thread)
    body = page.locator("#id_body")
    error = page.locator("#id_body_error")

    # Nothing written at all.
    _send(page, thread)
    expect(error).to_have_text(WRITE_A_MESSAGE)
    expect(body).to_have_attribute("aria-invalid", "true")

    # Only spaces and line breaks, with a document: still nothing to send.
    attachment = tmp_path / "liite.pdf"
    attachment.write_bytes(PDF_BYTES)
    body.fill("   \n  ")
    page.locator("#id_attachments").set_input_files(attachment)
    _send(page, thread)
    expect(error).to_have_text(WRITE_A_MESSAGE)
    expect(page.locator(".message-success")).to_have_count(0)
    expect(page.locator("article.message-card")).to_have_count(1)
    page.screenshot(path=artifacts / "empty-reply.png", full_page=True)
    assert Message.objects.filter(thread=thread).count() == 1

    # Once written, the reply goes and the error is gone.
    body.fill("Selvitys tulossa huomenna.")
    _send(page, thread)
    expect(page.locator("#thread-body .message-success")).to_have_text(SENT)
    expect(error).to_have_count(0)
    expect(page.locator("article.message-card")).to_have_count(2)
    assert Message.objects.filter(thread=thread).count() == 2


def test_reply_from_a_stale_page_is_held_back_and_keeps_the_text(
    live_server: Any,
    new_context: Any,
    login: Any,
    journey: Journey,
    artifacts: Path,
) -> None:
    thread = _thread(journey)
    # The social worker's tab, opened before Kela's next message.
    stale = _context(new_context).new_page()
    login(stale, journey.social_worker)
    _open_thread(stale, live_server, thread)
    expect(stale.locator("article.message-card")).to_have_count(1)

    # Meanwhile, in Kela's browser, a second message is sent to the thread.
    kela = _context(new_context).new_page()
    login(kela, journey.kela_user)
    _open_thread(kela, live_server, thread)
    kela.locator("#id_body").fill("Lisäys: myös vuokrasopimus tarvitaan.")
    _send(kela, thread)
    expect(kela.locator("#thread-body .message-success")).to_have_text(SENT)

    # The stale tab's reply is not sent: the new message is shown, the text is kept.
    text = "Selvitys asumiskuluista on liitteenä."
    stale.locator("#id_body").fill(text)
    _send(stale, thread)
    expect(stale.locator("#thread-body .form-errors")).to_have_text(STALE)
    expect(stale.locator("#id_body")).to_have_value(text)
    expect(stale.locator("article.message-card")).to_have_count(2)
    expect(stale.locator("article.message-card").nth(1)).to_contain_text("vuokrasopimus")
    stale.screenshot(path=artifacts / "stale-reply.png", full_page=True)
    assert Message.objects.filter(thread=thread).count() == 2

    # Having seen it, the worker sends the kept text as it is.
    _send(stale, thread)
    expect(stale.locator("#thread-body .message-success")).to_have_text(SENT)
    cards = stale.locator("article.message-card")
    expect(cards).to_have_count(3)
    expect(cards.nth(2)).to_have_class(re.compile(r"\bown\b"))
    expect(cards.nth(2).locator(".body")).to_have_text(text)
    assert (
        list(
            Message.objects.filter(thread=thread)
            .order_by("sent_at", "pk")
            .values_list("body", flat=True)
        )[-1]
        == text
    )

    # The held-back page showed Kela's new message: it counts as read, for both sides.
    stale.goto(
        live_server.url + reverse("exchange:inbox", args=[journey.world.social_unit.public_id])
    )
    expect(stale.locator("[data-testid=unread-count]")).to_have_text("0")
    kela.reload()
    second = kela.locator("article.message-card").nth(1)
    expect(second.locator("[data-testid=read-receipt]")).to_have_text(
        re.compile(rf"^Luettu: {journey.social_worker.display_name}, ")
    )
