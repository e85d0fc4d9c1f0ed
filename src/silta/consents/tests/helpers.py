"""Builders shared by the consents tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from silta.consents.models import ConsentWording
from silta.consents.rules import helsinki_date
from silta.consents.services import ConsentInput

ALL_PURPOSES = ["joint_assistance", "social_services_contact", "outcome_report"]
ALL_CATEGORIES = ["benefit_decisions", "applications", "plans", "contact_outcome"]


def wording(version: str = "2026-1") -> ConsentWording:
    return ConsentWording.objects.get_or_create(
        version=version,
        defaults={
            "text_fi": "Annan suostumukseni tietojeni luovuttamiseen.",
            "text_sv": "Jag samtycker till att mina uppgifter lämnas ut.",
            "purposes": ALL_PURPOSES,
            "categories": ALL_CATEGORIES,
        },
    )[0]


def today() -> dt.date:
    return helsinki_date(timezone.now())


def consent_input(world: Any, **changes: Any) -> ConsentInput:
    wording()
    fields: dict[str, Any] = {
        "given_by": "client",
        "organiser_id": world.county.public_id,
        "purposes": ["joint_assistance"],
        "categories": ["benefit_decisions", "applications"],
        "given_how": "application",
        "application_reference": "TO-2026-123",
        "wording_version": "2026-1",
    }
    fields.update(changes)
    return ConsentInput(**fields)
