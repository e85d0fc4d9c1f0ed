from __future__ import annotations

import pytest

from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import BasisChoice
from silta.core.errors import Conflict, Forbidden, Invalid, NotFound
from silta.exchange import services, workflow
from silta.exchange.models import (
    Attachment,
    Case,
    CaseEvent,
    InboxEntry,
    Message,
    Receipt,
    Thread,
)
from tests.factories import exe_as_pdf, pdf, png

pytestmark = pytest.mark.django_db


def test_thread_start_delivers_to_the_other_side_with_attachments(world):
    message = world.thread(files=[pdf(), png()])
    assert message.sender_unit == world.kela_unit
    assert message.recipient_unit == world.social_unit
    assert Attachment.objects.filter(message=message).count() == 2
    receipt = Receipt.objects.get(message=message)
    assert (receipt.kind, receipt.unit) == ("delivered", world.social_unit)
    social = InboxEntry.objects.get(thread=message.thread, unit=world.social_unit)
    kela = InboxEntry.objects.get(thread=message.thread, unit=world.kela_unit)
    assert (social.unread_count, kela.unread_count) == (1, 0)
    assert social.awaiting_reply_since is not None and kela.awaiting_reply_since is None


def test_attachment_sha256_and_type_come_from_the_bytes(world):
    import hashlib

    from tests.factories import PDF_BYTES

    message = world.thread(files=[pdf("paatos")])  # no extension: the bytes decide
    attachment = message.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "paatos.pdf"
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


def test_exe_renamed_pdf_is_refused_and_nothing_is_saved(world):
    case = world.open_case()
    with pytest.raises(Invalid) as excinfo:
        services.thread_start(
            actor=world.actor("kela_processor"),
            case=case,
            subject="x",
            body="y",
            files=[pdf(), exe_as_pdf()],
        )
    assert excinfo.value.code == "attachment_type_not_allowed"
    assert not Thread.objects.exists() and not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_too_large_attachment_is_refused(world, settings):
    settings.SILTA_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(Invalid) as excinfo:
        world.thread(files=[pdf()])
    assert excinfo.value.code == "attachment_too_large"
    assert not Message.objects.exists()


def test_empty_message_is_refused(world):
    message = world.thread()
    with pytest.raises(Invalid) as excinfo:
        services.message_send(actor=world.actor("social_worker"), thread=message.thread, body="   ")
    assert excinfo.value.code == "message_empty"
    assert Message.objects.count() == 1


def test_reply_reverses_direction_and_clears_waiting(world):
    first = world.thread()
    reply = services.message_send(
        actor=world.actor("social_worker"),
        thread=first.thread,
        body="Päätös liitteenä.",
        files=[pdf()],
    )
    assert reply.recipient_unit == world.kela_unit
    social = InboxEntry.objects.get(thread=first.thread, unit=world.social_unit)
    kela = InboxEntry.objects.get(thread=first.thread, unit=world.kela_unit)
    assert social.awaiting_reply_since is None
    assert kela.unread_count == 1 and kela.awaiting_reply_since is not None


def test_read_receipt_records_who_and_resets_unread(world):
    message = world.thread()
    thread = message.thread
    marked = workflow.thread_mark_read(actor=world.actor("social_worker"), thread=thread)
    assert marked == 1
    read = Receipt.objects.get(message=message, kind="read")
    assert read.user == world.users["social_worker"]
    assert InboxEntry.objects.get(thread=thread, unit=world.social_unit).unread_count == 0
    # Opening again marks nothing more; the sender's own side never marks its own message.
    assert workflow.thread_mark_read(actor=world.actor("social_worker"), thread=thread) == 0
    assert workflow.thread_mark_read(actor=world.actor("kela_processor"), thread=thread) == 0
    assert CaseEvent.objects.filter(kind="message_read").count() == 1


def test_double_post_with_same_token_sends_once(world):
    import uuid

    first = world.thread()
    token = uuid.uuid4()
    a = services.message_send(
        actor=world.actor("social_worker"), thread=first.thread, body="Kerran", client_token=token
    )
    b = services.message_send(
        actor=world.actor("social_worker"), thread=first.thread, body="Kerran", client_token=token
    )
    assert a.pk == b.pk
    assert Message.objects.count() == 2


def test_stale_version_is_refused_with_conflict(world):
    first = world.thread()
    thread = Thread.objects.get(pk=first.thread.pk)
    seen = thread.version
    services.message_send(actor=world.actor("social_worker"), thread=thread, body="Uusi")
    with pytest.raises(Conflict) as excinfo:
        services.message_send(
            actor=world.actor("social_counsellor"),
            thread=thread,
            body="Vanha sivu",
            seen_version=seen,
        )
    assert excinfo.value.code == "thread_stale"
    assert Message.objects.count() == 2


def test_outsider_cannot_send_and_gets_not_found(world):
    message = world.thread()
    with pytest.raises(NotFound):
        services.message_send(
            actor=world.actor("social_other_org"), thread=message.thread, body="Hei"
        )


def test_admin_role_cannot_open_cases(world):
    with pytest.raises(Forbidden):
        services.case_open(
            actor=world.actor("kela_admin"),
            client=world.clients[0],
            acting_unit_id=world.kela_unit.pk,
            counterpart_unit_id=world.social_unit.pk,
            basis=BasisChoice(statutory_basis="totul_18h"),
        )


def test_case_exists_once_per_client_and_units(world):
    a = world.open_case()
    b, created = services.case_open(
        actor=world.actor("social_worker"),
        client=world.clients[0],
        acting_unit_id=world.social_unit.pk,
        counterpart_unit_id=world.kela_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18b"),
    )
    assert a.pk == b.pk and not created


def test_case_needs_lawful_basis_and_other_side(world):
    actor = world.actor("kela_processor")
    with pytest.raises(NoLawfulBasis) as excinfo:
        services.case_open(
            actor=actor,
            client=world.clients[0],  # no consent recorded, no statutory basis chosen
            acting_unit_id=world.kela_unit.pk,
            counterpart_unit_id=world.social_unit.pk,
        )
    assert excinfo.value.code == "no_lawful_basis" and excinfo.value.reason == "no_consent"
    assert not Case.objects.exists()
    with pytest.raises(Invalid) as invalid:
        services.case_open(
            actor=actor,
            client=world.clients[0],
            acting_unit_id=world.kela_unit.pk,
            counterpart_unit_id=world.kela_unit2.pk,
            basis=BasisChoice(statutory_basis="totul_18h"),
        )
    assert invalid.value.code == "counterpart_invalid"


def test_claim_and_assign(world):
    message = world.thread()
    thread = message.thread
    entry = workflow.thread_claim(actor=world.actor("social_worker"), thread=thread)
    assert entry.assignee == world.users["social_worker"]
    entry = workflow.thread_assign(
        actor=world.actor("social_manager"),
        thread=thread,
        assignee_id=world.users["social_counsellor"].public_id,
    )
    assert entry.assignee == world.users["social_counsellor"]
    with pytest.raises(Forbidden):
        workflow.thread_assign(
            actor=world.actor("social_worker"),
            thread=thread,
            assignee_id=world.users["social_worker"].public_id,
        )
    with pytest.raises(Invalid):
        workflow.thread_assign(
            actor=world.actor("social_manager"),
            thread=thread,
            assignee_id=world.users["kela_processor"].public_id,
        )


def test_close_and_reopen_by_new_message(world):
    message = world.thread()
    thread = workflow.thread_set_status(
        actor=world.actor("social_worker"), thread=message.thread, status="closed"
    )
    assert not InboxEntry.objects.filter(thread=thread, is_open=True).exists()
    services.message_send(actor=world.actor("kela_processor"), thread=thread, body="Vielä")
    assert Thread.objects.get(pk=thread.pk).status == "open"
    assert InboxEntry.objects.filter(thread=thread, is_open=True).count() == 2
