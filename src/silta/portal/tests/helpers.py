"""Builders shared by the portal tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from django.utils import timezone

from silta.clients.models import Client
from silta.consents.models import PowerOfAttorney
from silta.organisations.models import Unit
from tests.factories import make_client

_numbers = itertools.count(1500)


def new_client() -> Client:
    """A client whose test identity code no world's client has."""
    return make_client(next(_numbers))


def power_of_attorney(
    principal: Client,
    attorney: Client,
    recorded_in: Unit,
    *,
    verified: bool = True,
    scopes: Sequence[str] = ("social_assistance",),
) -> PowerOfAttorney:
    """A power of attorney by which ``attorney`` acts for ``principal``."""
    return PowerOfAttorney.objects.create(
        client=principal,
        attorney_kind="person",
        attorney_name=attorney.full_name,
        attorney_identity=attorney.identity_code,
        scopes=list(scopes),
        valid_from=timezone.localdate() - dt.timedelta(days=1),
        recorded_at=timezone.now(),
        recorded_by_unit=recorded_in,
        recorded_by_label="Testi",
        verified_at=timezone.now() if verified else None,
        verified_by_label="Testi" if verified else "",
    )
