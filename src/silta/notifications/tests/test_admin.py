"""The delivery log in the admin: administrators read it; it shows the kind, channel,
status, attempts and the error's code, never the client's address or identity code, and
nobody can add, change or delete a row there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from silta.notifications.delivery import deliver
from silta.notifications.models import Delivery, NotificationKind
from silta.notifications.services import PreferenceInput, notify_client, preference_set
from tests.factories import make_client

pytestmark = pytest.mark.django_db


def test_administrators_read_the_log_without_client_data(admin_client, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    person = make_client(951)
    preference_set(
        client=person, data=PreferenceInput(email="asiakas951@example.fi", language="fi")
    )
    settings.EMAIL_BACKEND = "silta.notifications.tests.test_delivery.DownBackend"
    notification = notify_client(person, NotificationKind.MEETING_CANCELLED)
    assert notification is not None
    delivery = notification.deliveries.get()
    deliver.call(delivery.pk)

    listing = admin_client.get(reverse("admin:notifications_delivery_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "email:SMTPServerDisconnected" in page
    for secret in ("asiakas951@example.fi", person.identity_code, person.last_name):
        assert secret not in page
    detail = admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert detail.status_code == 200
    assert str(person.public_id) in detail.content.decode()
    assert person.identity_code not in detail.content.decode()
    # Read-only: no add, no delete.
    assert admin_client.get(reverse("admin:notifications_delivery_add")).status_code == 403
    delete = reverse("admin:notifications_delivery_delete", args=[delivery.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Delivery.objects.filter(pk=delivery.pk).exists()


def test_staff_without_admin_rights_do_not_see_it(client, settings):
    settings.SILTA_DEMO_SKIP_TOTP = True
    response = client.get(reverse("admin:notifications_delivery_changelist"))
    assert response.status_code == 302
