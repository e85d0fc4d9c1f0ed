"""The demo seeds the notifications: Aino (demo client 0) has chosen e-mail, so the demo's
staff actions on her matters queued her notifications; the others are "no channel"."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from silta.clients.models import Client
from silta.notifications.models import Notification, NotificationPreference, Outcome

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_client_with_e_mail_and_notifications(settings):
    call_command("demo_seed", stdout=io.StringIO())
    aino = Client.objects.get(first_names="Aino", last_name="Lehtonen")
    assert NotificationPreference.objects.get(client=aino).email == "aino.lehtonen@example.fi"
    outcomes = set(Notification.objects.values_list("client_id", "outcome"))
    assert (aino.pk, Outcome.QUEUED) in outcomes, "the demo's staff actions notify Aino"
    assert all(
        outcome == (Outcome.QUEUED if client_id == aino.pk else Outcome.NO_CHANNEL)
        for client_id, outcome in outcomes
    )
