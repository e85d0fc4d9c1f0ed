"""The bulk-loaded tables and the column order of their COPY lines (see ``simulate``)."""

from __future__ import annotations

COLUMNS: dict[str, tuple[str, ...]] = {
    "clients_client": (
        "id", "public_id", "identity_code", "first_names", "last_name", "search_name",
        "created_at", "created_by_id", "municipality_id",
    ),
    "exchange_case": (
        "id", "public_id", "client_id", "kela_unit_id", "social_unit_id", "legal_basis",
        "opened_at", "opened_by_id", "opened_by_unit_id", "last_activity_at",
    ),
    "exchange_thread": (
        "id", "public_id", "case_id", "subject", "started_by_unit_id", "created_at",
        "last_message_at", "status", "version",
    ),
    "exchange_inboxentry": (
        "id", "thread_id", "unit_id", "client_id", "assignee_id", "unread_count",
        "last_activity_at", "awaiting_reply_since", "is_open",
    ),
    "exchange_message": (
        "id", "public_id", "thread_id", "case_id", "kind", "body", "payload", "sender_id",
        "sender_label", "sender_unit_id", "recipient_unit_id", "sent_at", "client_token",
    ),
    "exchange_attachment": (
        "id", "public_id", "message_id", "storage_name", "original_name", "content_type",
        "size", "sha256", "created_at",
    ),
    "exchange_receipt": ("id", "message_id", "unit_id", "kind", "user_id", "actor_label", "at"),
    "exchange_caseevent": (
        "id", "case_id", "thread_id", "message_id", "kind", "actor_id", "actor_label",
        "unit_id", "at", "detail",
    ),
}  # fmt: skip

BULK_TABLES = tuple(COLUMNS)

# The small tables written through the ORM before the bulk load (ids given explicitly).
WORLD_TABLES = (
    "organisations_organisation",
    "organisations_unit",
    "accounts_user",
    "accounts_membership",
)
