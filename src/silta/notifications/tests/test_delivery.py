"""Notifying a client: the records, the worker's delivery by e-mail and Suomi.fi Messages
(the local fake), retries with backoff, the delivery log, and that no client data is in
any channel's content."""

from __future__ import annotations

import datetime as dt
import re
import smtplib
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from silta.notifications.delivery import backoff, deliver, retry_due_deliveries
from silta.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    Outcome,
)
from silta.notifications.services import PreferenceInput, notify_client, preference_set
from silta.notifications.tests.fake_messages import FakeMessagesServer
from tests.factories import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(settings) -> Iterator[FakeMessagesServer]:
    with FakeMessagesServer() as server:
        settings.SILTA_SUOMIFI_MESSAGES_URL = server.url
        settings.SILTA_SUOMIFI_MESSAGES_USERNAME = server.state.username
        settings.SILTA_SUOMIFI_MESSAGES_PASSWORD = server.state.password
        settings.SILTA_SUOMIFI_MESSAGES_SERVICE_ID = server.state.service_id
        settings.SILTA_PUBLIC_URL = "https://silta.example.fi"
        yield server


@pytest.fixture
def person():
    client = make_client(931)
    client.first_names, client.last_name = "Aino Maria", "Virtanen-Testi"
    client.save()
    return client


def choose(client, *, email: str = "", suomifi: bool = False, language: str = "fi"):
    return preference_set(
        client=client,
        data=PreferenceInput(email=email, use_suomifi=suomifi, language=language),
    )


def notify(client, kind=NotificationKind.MEETING_CONFIRMED, capture=None):
    notification = notify_client(client, kind)
    assert notification is not None
    return notification


def run_all(notification: Notification) -> dict[str, str]:
    return {d.channel: deliver.call(d.pk) for d in notification.deliveries.all()}


def test_no_channel_is_recorded_and_nothing_is_queued(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(person)
    assert notification.outcome == Outcome.NO_CHANNEL
    assert notification.deliveries.count() == 0
    assert callbacks == []
    assert not DBTaskResult.objects.exists()


def test_a_delivery_is_queued_only_when_the_action_commits(
    person, django_capture_on_commit_callbacks
):
    choose(person, email="aino@example.fi")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person)
    (delivery,) = notification.deliveries.all()
    assert (delivery.channel, delivery.status) == (Channel.EMAIL, DeliveryStatus.PENDING)
    (job,) = DBTaskResult.objects.all()
    assert job.args_kwargs["args"] == [delivery.pk]


def test_a_rolled_back_action_notifies_nobody(person, django_capture_on_commit_callbacks):
    choose(person, email="aino@example.fi")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(person)
                raise RuntimeError("the staff action failed")
        except RuntimeError:
            pass
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert callbacks == []


def test_a_broken_notification_never_stops_the_caller(person, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database trouble")

    monkeypatch.setattr(Notification.objects, "create", explode)
    with transaction.atomic():
        assert notify_client(person, NotificationKind.MEETING_CONFIRMED) is None
        person.save()  # the caller's transaction is still usable


def test_email_in_the_clients_language_with_only_the_link(person, settings):
    settings.SILTA_PUBLIC_URL = "https://silta.example.fi"
    choose(person, email="aino@example.fi", language="sv")
    notification = notify(person)
    assert run_all(notification) == {"email": "sent"}
    (message,) = mail.outbox
    assert message.to == ["aino@example.fi"]
    assert message.subject == "Silta: du har ny information"
    assert "https://silta.example.fi" + notification.link_path in message.body
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")


def test_suomifi_messages_after_the_mailbox_check(person, fake):
    fake.state.active_mailboxes.add(person.identity_code)
    choose(person, suomifi=True, language="en")
    notification = notify(person, NotificationKind.CONSENT_EXPIRING)
    assert run_all(notification) == {"suomifi": "sent"}
    (sent,) = fake.state.messages
    delivery = notification.deliveries.get()
    assert sent["externalId"] == str(delivery.external_id)
    assert sent["electronic"]["title"] == "Silta: you have new information"
    assert delivery.provider_message_id.isdigit()
    assert fake.state.calls[-2:] == ["/v1/mailboxes/active", "/v2/messages/electronic"]


def test_no_mailbox_in_use_is_logged_and_not_retried(person, fake):
    choose(person, suomifi=True, email="aino@example.fi")
    notification = notify(person)
    assert run_all(notification) == {"suomifi": "no_mailbox", "email": "sent"}
    assert fake.state.messages == []
    assert "/v2/messages/electronic" not in fake.state.calls  # checked, not sent
    assert deliver.call(notification.deliveries.get(channel="suomifi").pk) == "no_mailbox"


def test_suomifi_off_by_default_sends_by_email_only(person, settings):
    assert settings.SILTA_SUOMIFI_MESSAGES_URL == ""
    choose(person, suomifi=True, email="aino@example.fi")
    notification = notify(person)
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]


def test_suomifi_only_client_without_the_service_on_has_no_channel(person, settings):
    choose(person, suomifi=True)
    assert notify(person).outcome == Outcome.NO_CHANNEL


def test_a_failed_delivery_is_retried_with_backoff_until_it_goes_through(
    person, fake, settings, django_capture_on_commit_callbacks
):
    settings.SILTA_NOTIFICATION_RETRY_SECONDS = 60
    fake.state.active_mailboxes.add(person.identity_code)
    choose(person, suomifi=True)
    notification = notify(person)
    delivery = notification.deliveries.get()
    fake.state.fail_next("/v2/messages/electronic", 503)
    fake.state.fail_next("/v2/messages/electronic", 429, {"Retry-After": "600"})

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver.call(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (1, "suomifi:server_error HTTP 503")
    assert before + dt.timedelta(seconds=59) < delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + dt.timedelta(seconds=60)
    # The retry is queued to run after the backoff.
    job = DBTaskResult.objects.get(args_kwargs__args=[delivery.pk])
    assert job.run_after == delivery.next_attempt_at
    # Early (a duplicate job): nothing happens.
    assert deliver.call(delivery.pk) == "not_due"

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver.call(delivery.pk) == "retrying"
    delivery.refresh_from_db()
    # 429 asked for ten minutes, more than the second backoff (2 min).
    assert delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(seconds=600)

    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver.call(delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error, delivery.next_attempt_at) == (3, "", None)
    assert len(fake.state.messages) == 1


def test_after_the_last_attempt_the_delivery_has_failed(person, settings):
    settings.SILTA_NOTIFICATION_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "silta.notifications.tests.test_delivery.DownBackend"
    choose(person, email="aino@example.fi")
    delivery = notify(person).deliveries.get()
    assert deliver.call(delivery.pk) == "retrying"
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver.call(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (2, "email:SMTPServerDisconnected")
    assert deliver.call(delivery.pk) == "failed"  # stays failed; no third attempt
    assert delivery.attempts == 2


def test_a_refused_address_is_not_retried(person, settings):
    settings.EMAIL_BACKEND = "silta.notifications.tests.test_delivery.RefusingBackend"
    choose(person, email="aino@example.fi")
    delivery = notify(person).deliveries.get()
    assert deliver.call(delivery.pk) == "failed"


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("down")


class RefusingBackend(DownBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({})


def test_backoff_doubles_up_to_six_hours(settings):
    settings.SILTA_NOTIFICATION_RETRY_SECONDS = 60
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30) == dt.timedelta(hours=6)
    assert backoff(1, retry_after=30) == dt.timedelta(seconds=60)
    assert backoff(1, retry_after=99999) == dt.timedelta(hours=6)


def test_the_sweep_queues_due_retries_and_lost_jobs(person, settings):
    choose(person, email="aino@example.fi")
    lost = notify(person).deliveries.get()
    Notification.objects.filter(pk=lost.notification_id).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    fresh = notify(person).deliveries.get()
    due = notify(person).deliveries.get()
    Delivery.objects.filter(pk=due.pk).update(
        status=DeliveryStatus.RETRYING, next_attempt_at=timezone.now()
    )
    assert retry_due_deliveries.call() == 2
    queued = {job.args_kwargs["args"][0] for job in DBTaskResult.objects.all()}
    assert queued == {lost.pk, due.pk}
    assert fresh.pk not in queued


def test_each_kind_is_a_dedup_once_where_keyed(person):
    choose(person, email="aino@example.fi")
    assert notify_client(person, NotificationKind.CONSENT_EXPIRING, dedup_key="k1")
    assert notify_client(person, NotificationKind.CONSENT_EXPIRING, dedup_key="k1") is None
    assert Notification.objects.count() == 1


# --- no client data in any channel's content ---------------------------------------------

FORBIDDEN_TEMPLATE = ("{code}", "{first}", "{last}", "Aino", "Virtanen", "931")


def _forbidden(client) -> list[str]:
    return [client.identity_code, *client.first_names.split(), client.last_name, "931"]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", NotificationKind.values)
def test_no_client_data_in_any_channel(person, fake, kind, language):
    fake.state.active_mailboxes.add(person.identity_code)
    choose(person, email="aino@example.fi", suomifi=True, language=language)
    notification = notify(person, kind)
    assert run_all(notification) == {"email": "sent", "suomifi": "sent"}
    (message,) = mail.outbox
    (sent,) = fake.state.messages
    contents = [
        message.subject,
        message.body,
        sent["electronic"]["title"],
        sent["electronic"]["body"],
    ]
    for text in contents:
        for forbidden in _forbidden(person):
            assert forbidden.lower() not in text.lower(), (kind, language, forbidden)
        # Nothing that looks like an identity code, a date or a time either.
        assert not re.search(r"\d{6}[-+A-FU-Y]\d{3}", text)
        assert not re.search(r"\d{1,2}\.\d{1,2}\.\d{4}", text)
    # The identity code travels only as the Suomi.fi recipient.
    assert sent["recipient"]["id"] == person.identity_code
    assert person.identity_code not in str(sent["electronic"])


def test_the_delivery_log_keeps_no_address_or_response_text(person, fake):
    fake.state.active_mailboxes.add(person.identity_code)
    choose(person, email="aino@example.fi", suomifi=True)
    notification = notify(person)
    fake.state.fail_next("/v2/messages/electronic", 500)
    run_all(notification)
    for delivery in Delivery.objects.all():
        row = " ".join(str(getattr(delivery, f.attname)) for f in Delivery._meta.fields)
        assert "aino@" not in row and person.identity_code not in row
        assert "Simulated" not in row


def test_the_preference_is_validated(person):
    from silta.core.errors import Invalid

    with pytest.raises(Invalid) as caught:
        choose(person, email="aino@")
    assert caught.value.code == "email_invalid"
    with pytest.raises(Invalid):
        choose(person, email="aino@example.fi", language="de")
    assert not NotificationPreference.objects.exists()
    preference = choose(person, email=" aino@example.fi ", suomifi=True, language="sv")
    assert (preference.email, preference.use_suomifi, preference.language) == (
        "aino@example.fi",
        True,
        "sv",
    )
