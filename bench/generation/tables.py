"""The bulk-loaded tables and their COPY column lists, taken from the models.

A table's COPY columns are its model's columns in the model's field order, less those its
generator leaves to the database (``LEFT_TO_DEFAULT``: NULL, or the Django default that
``schema.set_missing_defaults`` installs for the load). The generators write each row in
that order (``simulate``, ``referrals``). A field added to a model joins the list by itself,
so the generator must fill it or name it below; the bench smoke test fails until then.
"""

from __future__ import annotations

from django.apps import apps

# Table -> model, in load order.
BULK_MODELS = {
    "clients_client": "clients.Client",
    "exchange_case": "exchange.Case",
    "exchange_thread": "exchange.Thread",
    "exchange_inboxentry": "exchange.InboxEntry",
    "exchange_message": "exchange.Message",
    "exchange_attachment": "exchange.Attachment",
    "exchange_receipt": "exchange.Receipt",
    "exchange_caseevent": "exchange.CaseEvent",
}
BULK_TABLES = tuple(BULK_MODELS)
REFERRAL_MODELS = {
    "referrals_referral": "referrals.Referral",
    "referrals_referralevent": "referrals.ReferralEvent",
}

# Columns no generator writes.
LEFT_TO_DEFAULT: dict[str, frozenset[str]] = {
    # Derived from the identity code when Silta saves a client; empty in the bench.
    "clients_client": frozenset({"birth_date"}),
    # Cases opened without a routing suggestion.
    "exchange_case": frozenset({"topic", "suggested_unit_id", "override_reason"}),
    # Threads and referrals name no expense kind in the generated history ("").
    "exchange_thread": frozenset({"expense_kind"}),
    "exchange_attachment": frozenset({"active_content"}),
    # No meeting times, reminders, escalations or client tokens in the generated history.
    "referrals_referral": frozenset(
        {
            "outcome_date",
            "outcome_time",
            "renotified_at",
            "escalated_at",
            "client_token",
            "expense_kind",
        }
    ),
}

# The small tables written through the ORM before the bulk load (ids given explicitly).
WORLD_TABLES = (
    "organisations_organisation",
    "organisations_unit",
    "accounts_user",
    "accounts_membership",
)


def copy_columns(table: str) -> tuple[str, ...]:
    """The COPY column list of one bulk table, from its model (after ``django.setup()``)."""
    model = apps.get_model({**BULK_MODELS, **REFERRAL_MODELS}[table])
    skipped = LEFT_TO_DEFAULT.get(table, frozenset())
    return tuple(f.column for f in model._meta.concrete_fields if f.column not in skipped)


def bulk_columns() -> dict[str, tuple[str, ...]]:
    return {table: copy_columns(table) for table in BULK_TABLES}
