"""The main flow in the Finnish UI, from a Kela benefit processor's first message to the
read receipt the sender sees (steps 1-5), in two browser contexts: Kela and social work."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, expect

from silta.exchange.models import Case, InboxEntry, Message, Receipt, ReceiptKind, Thread
from tests.e2e.conftest import TIMEOUT_MS, Journey, htmx_submit, submit
from tests.factories import PDF_BYTES, PNG_BYTES, give_consent

pytestmark = pytest.mark.e2e

# Finnish short date-time (Django's fi format "j.n.Y G.i"), e.g. 23.11.2026 9.05
FI_DATETIME = r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}"
SUBJECT = "Vuokravakuus ja toimeentulotuki"
BODY = "Hei, asiakas on hakenut vuokravakuutta. Liitteenä päätös ja kuva vuokrasopimuksesta."
REPLY = "Kiitos. Olemme käsitelleet asian: selvitys liitteenä."


def _context(new_context: Any) -> BrowserContext:
    context: BrowserContext = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "upload"
    folder.mkdir()
    decision, photo, report = (
        folder / n for n in ("paatos.pdf", "vuokrasopimus.png", "selvitys.pdf")
    )
    decision.write_bytes(PDF_BYTES)
    photo.write_bytes(PNG_BYTES)
    report.write_bytes(PDF_BYTES)
    return decision, photo, report


def test_kela_and_social_work_exchange_with_read_receipt(
    live_server: Any,
    new_context: Any,
    login: Any,
    journey: Journey,
    tmp_path: Path,
    artifacts: Path,
    readme_screenshots: Path | None,
) -> None:
    world, client = journey.world, journey.client
    give_consent(client, world.county, world.kela_unit)  # the checkbox on the application
    decision, photo, report = _files(tmp_path)
    kela = _context(new_context).new_page()

    # 1. The Kela benefit processor signs in with password + one-time code, finds the
    #    client by identity code (POSTed, never in the URL) and opens a shared case.
    login(kela, journey.kela_user)
    kela.locator(f"header nav a[href='{reverse('clients:find')}']").click()
    expect(kela.locator("html")).to_have_attribute("lang", "fi")
    kela.locator("#id_query").fill(client.identity_code)
    submit(kela, reverse("clients:find"))
    expect(kela).to_have_url(re.compile(r"/clients/[0-9a-f-]+/$"))
    assert client.identity_code not in kela.url
    expect(kela.locator("h1")).to_have_text(client.full_name)

    kela.locator("#id_acting_unit").select_option(label=world.kela_unit.name_fi)
    kela.locator("#id_counterpart_unit").select_option(
        label=f"{world.county.name_fi} – {world.social_unit.name_fi}"
    )
    # The client ticked the consent box on the application: no statutory basis to choose.
    submit(kela, reverse("exchange:case_open", args=[client.public_id]))
    expect(kela).to_have_url(re.compile(r"/cases/[0-9a-f-]+/$"))
    case = Case.objects.get(client=client)
    assert (case.kela_unit_id, case.social_unit_id, case.legal_basis) == (
        world.kela_unit.pk,
        world.social_unit.pk,
        "consent",
    )
    expect(kela.locator("[data-testid=basis-consent]")).to_be_visible()

    # 2. A message with two documents attached at once.
    kela.locator("#id_subject").fill(SUBJECT)
    kela.locator("#id_body").fill(BODY)
    kela.locator("#id_attachments").set_input_files([decision, photo])
    submit(kela, reverse("exchange:thread_start", args=[case.public_id]))
    expect(kela).to_have_url(re.compile(r"/threads/[0-9a-f-]+/$"))
    thread = Thread.objects.get(case=case)
    expect(kela.locator(".message-success")).to_be_visible()
    expect(kela.locator("h1")).to_have_text(SUBJECT)
    first = kela.locator("article.message-card.own")
    expect(first).to_have_count(1)
    expect(first.locator(".body")).to_contain_text(BODY)
    expect(first.locator("ul.attachments a")).to_have_text(["paatos.pdf", "vuokrasopimus.png"])
    expect(first.locator("[data-testid=read-receipt]")).to_have_count(0)
    kela.screenshot(path=artifacts / "1-kela-sent.png", full_page=True)

    # 3. The social worker signs in, sees the unread thread in the unit inbox, opens it
    #    (the read receipt is recorded) and claims it.
    social = _context(new_context).new_page()
    login(social, journey.social_worker)
    expect(social).to_have_url(re.compile(rf"/units/{world.social_unit.public_id}/inbox/$"))
    expect(social.locator("[data-testid=unread-count]")).to_have_text("1")
    row = social.locator("table.inbox tbody tr.unread")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(client.full_name)
    expect(row.locator(".badge-strong")).to_have_text("1")
    if readme_screenshots:
        social.screenshot(path=readme_screenshots / "inbox.png")
    social.screenshot(path=artifacts / "3-social-inbox.png", full_page=True)

    row.get_by_role("link", name=SUBJECT).click()
    expect(social).to_have_url(re.compile(rf"/threads/{thread.public_id}/$"))
    expect(social.locator("article.message-card")).to_have_count(1)
    expect(social.locator("ul.attachments a")).to_have_count(2)
    download = social.request.get(
        live_server.url + social.locator("ul.attachments a").first.get_attribute("href")
    )
    assert download.ok and download.body() == PDF_BYTES
    receipt = Receipt.objects.get(message__thread=thread, kind=ReceiptKind.READ)
    assert receipt.user == journey.social_worker

    submit(social, reverse("exchange:thread_claim", args=[thread.public_id]))
    expect(social.locator(".message-success")).to_be_visible()
    expect(social.locator(".thread-tools strong")).to_have_text(journey.social_worker.display_name)
    assert InboxEntry.objects.get(thread=thread, unit=world.social_unit).assignee == (
        journey.social_worker
    )

    # 4. The reply with a document (sent with htmx: the thread body is swapped in place).
    social.locator("#id_body").fill(REPLY)
    social.locator("#id_attachments").set_input_files(report)
    htmx_submit(social, reverse("exchange:message_send", args=[thread.public_id]))
    expect(social.locator("#thread-body .message-success")).to_be_visible()
    expect(social.locator("article.message-card")).to_have_count(2)
    expect(social.locator("article.message-card.own ul.attachments a")).to_have_text("selvitys.pdf")
    expect(social.locator("#id_body")).to_have_value("")
    social.screenshot(path=artifacts / "4-social-replied.png", full_page=True)

    # 5. Back in Kela: the reply is in the inbox; on the thread, the first message shows
    #    "Luettu: <social worker>, <time>".
    kela.locator(
        f"header nav a[href='{reverse('exchange:inbox', args=[world.kela_unit.public_id])}']"
    ).click()
    expect(kela.locator("[data-testid=unread-count]")).to_have_text("1")
    row = kela.locator("table.inbox tbody tr.unread")
    expect(row).to_contain_text(client.full_name)
    row.get_by_role("link", name=SUBJECT).click()
    expect(kela.locator("html")).to_have_attribute("lang", "fi")
    cards = kela.locator("article.message-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(1).locator(".body")).to_contain_text(REPLY)
    expect(cards.nth(1)).to_contain_text(journey.social_worker.display_name)
    expect(cards.nth(1).locator("ul.attachments a")).to_have_text("selvitys.pdf")
    read = cards.nth(0).locator("[data-testid=read-receipt]")
    expect(read).to_have_text(
        re.compile(rf"^Luettu: {journey.social_worker.display_name}, {FI_DATETIME}$")
    )
    if readme_screenshots:
        kela.screenshot(path=readme_screenshots / "case.png")
    kela.screenshot(path=artifacts / "5-kela-read-receipt.png", full_page=True)

    # The case timeline tells the story, newest first: each message with its receipts and
    # the claim folded under it.
    kela.locator(f"a[href='{reverse('exchange:case', args=[case.public_id])}']").first.click()
    expect(kela).to_have_url(re.compile(rf"/cases/{case.public_id}/$"))
    timeline = kela.locator("ol.timeline > li")
    kinds = [
        c.split()[1].removeprefix("story-")
        for c in timeline.evaluate_all("items => items.map(i => i.className)")
    ]
    assert kinds == ["document", "document", "case"]  # reply, first message, case opened
    reply_item, first_item = timeline.nth(0), timeline.nth(1)
    expect(reply_item.locator("details li")).to_have_count(1)  # Kela read the reply
    expect(reply_item.locator("details li")).not_to_be_visible()  # folded until opened
    reply_item.locator("details summary").click()
    expect(reply_item.locator("details li")).to_contain_text(journey.kela_user.display_name)
    expect(first_item.locator("details li")).to_have_count(2)  # read, then claimed
    expect(reply_item.locator("a.attachment-link")).to_have_text("selvitys.pdf")
    expect(kela.locator("ol.timeline a.attachment-link")).to_have_count(3)
    unit = reply_item.locator(".who abbr")
    expect(unit).to_have_text(world.social_unit.name_fi)
    expect(unit).to_have_attribute("title", f"{world.county.name_fi} – {world.social_unit.name_fi}")
    kela.screenshot(path=artifacts / "5-kela-timeline.png", full_page=True)
    assert Message.objects.filter(thread=thread).count() == 2
