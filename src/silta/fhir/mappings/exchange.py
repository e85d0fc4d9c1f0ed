"""Messages as FHIR Communication; their attachments as DocumentReference, whose content
links to ``Binary/<id>``: the bytes leave only through the access-checked, audited
download (``exchange.downloads``)."""

from __future__ import annotations

from typing import Any

from silta.exchange.models import Attachment, Message, ReceiptKind
from silta.fhir.codes import ref


def communication_resource(message: Message) -> dict[str, Any]:
    """A message (thread, case, client, units, attachments and receipts loaded)."""
    payload: list[dict[str, Any]] = []
    if message.body:
        payload.append({"contentString": message.body})
    payload += [
        {"contentReference": ref("DocumentReference", a.public_id, a.original_name)}
        for a in message.attachments.all()
    ]
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": str(message.public_id),
        "meta": {"lastUpdated": message.sent_at.isoformat()},
        "status": "completed",
        "subject": ref("Patient", message.case.client.public_id),
        "topic": {"text": message.thread.subject},
        "sent": message.sent_at.isoformat(),
        "sender": ref("Organization", message.sender_unit.public_id, message.sender_label),
        "recipient": [ref("Organization", message.recipient_unit.public_id)],
        "payload": payload,
    }
    delivered = [r.at for r in message.receipts.all() if r.kind == ReceiptKind.DELIVERED]
    if delivered:
        resource["received"] = min(delivered).isoformat()
    return resource


def document_reference_resource(attachment: Attachment, binary_url: str) -> dict[str, Any]:
    """An attachment's metadata; ``binary_url`` is where its bytes are fetched (with the
    same API key)."""
    message = attachment.message
    return {
        "resourceType": "DocumentReference",
        "id": str(attachment.public_id),
        "status": "current",
        "subject": ref("Patient", message.case.client.public_id),
        "date": attachment.created_at.isoformat(),
        "description": attachment.original_name,
        "content": [
            {
                "attachment": {
                    "contentType": attachment.content_type,
                    "url": binary_url,
                    "size": attachment.size,
                    "title": attachment.original_name,
                    "creation": attachment.created_at.isoformat(),
                }
            }
        ],
        "context": {"related": [ref("Communication", message.public_id)]},
    }
