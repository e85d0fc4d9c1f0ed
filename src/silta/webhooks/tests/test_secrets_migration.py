"""The migration encrypts the plain signing secrets already stored, and backwards gives
them back (real migrations: a module of its own, no module-wide transaction)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from silta.core import fieldcrypto
from silta.webhooks.models import Subscription
from silta.webhooks.tests.test_secrets import _stored
from tests.factories import build_world


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_plain_secrets_already_stored():
    world = build_world()
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0001_initial")])
    old = executor.loader.project_state([("webhooks", "0001_initial")]).apps
    plain = old.get_model("webhooks", "Subscription").objects.create(
        unit_id=world.social_unit.pk,
        url="https://receiver.example/hooks",
        event_types=["referral.sent"],
        secret="whsec_bm90LWEtcmVhbC1zZWNyZXQtYnV0LTMyLWJ5dGVzISE=",
        previous_secret="whsec_b2xkLXNlY3JldC0wMTIzNDU2Nzg5LTAxMjM0NTY3ODk=",
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0002_secrets_encrypted")])
    raw, previous = _stored(plain.pk)
    assert raw.startswith(fieldcrypto.TOKEN_PREFIX) and "whsec_" not in raw + previous
    sub = Subscription.objects.get(pk=plain.pk)
    assert (sub.secret, sub.previous_secret) == (plain.secret, plain.previous_secret)
    # Backwards gives the plain secrets back.
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0001_initial")])
    assert _stored(plain.pk) == (plain.secret, plain.previous_secret)
    executor = MigrationExecutor(connection)
    executor.migrate([("webhooks", "0002_secrets_encrypted")])
    assert Subscription.objects.get(pk=plain.pk).secret == plain.secret
