"""What an API key may change, by area (issue 9: "a read-only key cannot change anything").

Every key reads what its unit may see. Changing needs the area's scope: the scope of an
operation is its router's tag, so a new router is one row here. A key with no scopes is
read-only. Keys issued before scopes existed keep every scope (migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CLIENTS = "clients", _("Clients: add clients")
    EXCHANGE = "exchange", _("Cases and messages: open cases, send messages, mark read")
    REFERRALS = "referrals", _("Referrals: send and move referrals")
    CALLBACKS = "call-backs", _("Call-backs: request and handle call-backs")
    CONSENTS = "consents", _("Consents: record and revoke consents and powers of attorney")
    MEETINGS = "meetings", _("Meetings: arrange meetings, minutes and actions")
    BOOKINGS = "bookings", _("Appointments: publish slots, book, cancel, record no-shows")
    COOPERATION = "cooperation", _("Cooperation: regional teams, forums and agenda items")
    KNOWLEDGE = "knowledge", _("Knowledge: publish and acknowledge guideline-change bulletins")
    WEBHOOKS = "webhooks", _("Webhooks: manage the unit's subscriptions, rotate secrets, replay")


ALL_SCOPES: tuple[str, ...] = tuple(Scope.values)
# Methods that change nothing: any key may call them.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def all_scopes() -> list[str]:
    """The default of a new key (the model's field default)."""
    return list(ALL_SCOPES)


def scope_labels(scopes: list[str]) -> list[str]:
    return [str(Scope(code).label) for code in scopes if code in Scope.values]
