"""Write the fixed world (organisations, units, staff, memberships) through the ORM.

These tables are small, so the models' own ``save`` runs (derived fields such as search
keys stay right even as the models evolve); only memberships use ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.db import transaction

from bench.generation.world import World


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def load_world(world: World, rng: random.Random, joined: int) -> None:
    from silta.accounts.models import Membership, User
    from silta.organisations.models import Organisation, Unit

    joined_at = dt.datetime.fromtimestamp(joined, dt.UTC)
    with transaction.atomic():
        Organisation(
            id=1,
            public_id=_uuid(rng),
            kind="kela",
            organiser_code="",
            name_fi="Kela",
            name_sv="FPA",
        ).save(force_insert=True)
        for o in world.organisers:
            Organisation(
                id=o.organisation_id,
                public_id=_uuid(rng),
                kind="social_services",
                organiser_code=o.code,
                name_fi=o.name_fi,
                name_sv=o.name_sv,
            ).save(force_insert=True)
        for u in world.units:
            Unit(
                id=u.id,
                public_id=_uuid(rng),
                organisation_id=u.organisation_id,
                kind=u.kind,
                name_fi=u.name_fi,
                name_sv=u.name_sv,
            ).save(force_insert=True)
        for user_id, username, first, last, title in world.users:
            User(
                id=user_id,
                public_id=_uuid(rng),
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@bench.invalid",
                title=title,
                password=f"!bench{rng.getrandbits(160):040x}",  # unusable
                date_joined=joined_at,
            ).save(force_insert=True)
        Membership.objects.bulk_create(
            Membership(id=mid, user_id=uid, unit_id=unit_id, role=role)
            for mid, uid, unit_id, role in world.memberships
        )
