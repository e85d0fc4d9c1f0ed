"""The own view in the demo: Aino Lehtonen (the local provider's test identity "aino",
demo client 0) sees her shared case with Kela Itä and Kuopio's adult social work, its
referrals and meetings, her consents, her own worker, and who used her data; Eino
Savolainen (demo client 1) holds a verified power of attorney for Helmi Kinnunen
(client 2) covering her social-assistance matters. Kela names its staff to clients in
the data-use report; the wellbeing counties keep the default (not named)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.clients.models import Client
from silta.consents.models import PowerOfAttorney
from silta.exchange.own_workers import own_worker_set
from silta.organisations.models import Organisation, Unit
from silta.portal.models import OrganisationSetting


def seed(units: dict[str, Unit], users: dict[str, User], clients: list[Client]) -> None:
    worker = users["sos.tyontekija"]
    own_worker_set(
        actor=Actor.for_user(worker),
        client=clients[0],
        unit_id=units["kuopio_adult"].pk,
        worker_id=worker.public_id,
        phone="+358 44 718 2000",
        reachability="Puhelinaika ma–pe klo 9–11 · Telefontid mån–fre kl. 9–11",
    )
    OrganisationSetting.objects.create(
        organisation=Organisation.objects.get(kind="kela"), show_staff_names=True
    )
    now = timezone.now()
    PowerOfAttorney.objects.create(
        client=clients[2],
        attorney_kind="person",
        attorney_name=f"{clients[1].first_names} {clients[1].last_name}",
        attorney_identity=clients[1].identity_code,
        scopes=["social_assistance", "consents"],
        valid_from=timezone.localdate() - dt.timedelta(days=30),
        external_mandate_ref="DEMO-VALTUUS-1",
        recorded_at=now,
        recorded_by=worker,
        recorded_by_unit=units["kuopio_adult"],
        recorded_by_label=worker.display_name,
        verified_at=now,
        verified_by=worker,
        verified_by_label=worker.display_name,
    )
