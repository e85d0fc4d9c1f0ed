"""Signing secrets are encrypted at rest (silta.core.fieldcrypto): the column holds a Fernet
token, the model the secret; a key change keeps them readable through the old keys until
``field_key_rotate``; the migration encrypts the plain secrets already stored."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from silta.core import fieldcrypto
from silta.webhooks import delivery, services
from silta.webhooks.models import Subscription
from silta.webhooks.tests.scene import send_referral, subscribe

KEY_A = "field-key-a-0123456789-0123456789-0123456789"
KEY_B = "field-key-b-9876543210-9876543210-9876543210"


def _stored(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret, previous_secret FROM webhooks_subscription WHERE id = %s", [pk]
        )
        row = cursor.fetchone()
    return row[0], row[1]


@pytest.mark.django_db
def test_the_secret_is_a_token_at_rest_and_still_signs(
    shared_world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SILTA_FIELD_KEY = KEY_A
    sub, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    raw, previous = _stored(sub.pk)
    assert raw.startswith(fieldcrypto.TOKEN_PREFIX) and secret not in raw
    assert secret.removeprefix("whsec_") not in raw and previous == ""
    assert Subscription.objects.get(pk=sub.pk).secret == secret
    # Rotation: both secrets encrypted, both sign.
    rotated = services.secret_rotate(actor=shared_world.actor("social_admin"), subscription=sub)
    raw, previous = _stored(sub.pk)
    assert secret not in raw + previous and rotated.secret not in raw + previous
    assert fieldcrypto.decrypt(previous) == secret
    receiver.secrets = [rotated.secret]
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    assert [r.payload["type"] for r in receiver.accepted] == ["referral.sent"]
    assert len(receiver.accepted[0].headers["webhook-signature"].split()) == 2


@pytest.mark.django_db
def test_a_key_change_keeps_secrets_readable_until_rotated(shared_world, settings):
    settings.SILTA_FIELD_KEY = KEY_A
    sub, secret = subscribe(shared_world, "https://receiver.example/hooks")
    before, _ = _stored(sub.pk)
    settings.SILTA_FIELD_KEY = KEY_B
    with pytest.raises(ImproperlyConfigured):
        Subscription.objects.get(pk=sub.pk)  # the old key is not listed: nothing opens
    settings.SILTA_FIELD_KEYS_OLD = [KEY_A]
    assert Subscription.objects.get(pk=sub.pk).secret == secret
    out = io.StringIO()
    call_command("field_key_rotate", stdout=out)
    assert "re-encrypted" in out.getvalue()
    after, _ = _stored(sub.pk)
    assert after != before
    settings.SILTA_FIELD_KEYS_OLD = []  # the old key dropped: the new one alone opens it
    assert Subscription.objects.get(pk=sub.pk).secret == secret
    assert fieldcrypto.derive(KEY_B).decrypt(after.encode()).decode() == secret
