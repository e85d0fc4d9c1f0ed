"""End to end through ``manage.py worker``'s loop: a staff action that commits queues the
client's notification; the worker delivers it through Suomi.fi Messages (the loopback
fake) and e-mail; a failure queues the retry for when it is due, and the next due run
sends it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from silta.core.worker import ResilientWorker
from silta.meetings import services as meetings
from silta.meetings.inputs import ConfirmInput
from silta.meetings.tests.scene import future, new_meeting
from silta.notifications.delivery import deliver
from silta.notifications.models import Delivery
from silta.notifications.services import PreferenceInput, preference_set
from silta.notifications.tests.fake_messages import FakeMessagesServer
from tests.factories import build_world

# Real commits: the deliveries are queued after the staff action's commit.
pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    ResilientWorker(
        max_backoff=1,
        sleep=lambda _s: None,
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="notifications-test",
        excluded_queue_names=[],
    ).run()


def test_the_worker_delivers_and_retries_when_due(settings):
    with FakeMessagesServer() as fake:
        settings.SILTA_SUOMIFI_MESSAGES_URL = fake.url
        settings.SILTA_SUOMIFI_MESSAGES_USERNAME = fake.state.username
        settings.SILTA_SUOMIFI_MESSAGES_PASSWORD = fake.state.password
        settings.SILTA_SUOMIFI_MESSAGES_SERVICE_ID = fake.state.service_id
        settings.SILTA_NOTIFICATION_RETRY_SECONDS = 3600
        world = build_world()
        case = world.open_case()
        fake.state.active_mailboxes.add(case.client.identity_code)
        preference_set(
            client=case.client,
            data=PreferenceInput(email="asiakas@example.fi", use_suomifi=True),
        )
        meeting = new_meeting(world, case)
        fake.state.fail_next("/v2/messages/electronic", 503)
        meetings.meeting_confirm(
            actor=world.actor("social_worker"),
            meeting=meeting,
            data=ConfirmInput(starts_at=future(10)),
        )
        runs = DBTaskResult.objects.filter(task_path=deliver.module_path)
        assert runs.count() == 2  # one per channel, queued by the commit
        mail.outbox.clear()  # the staff's invitations
        run_worker()

        email = Delivery.objects.get(channel="email")
        suomifi = Delivery.objects.get(channel="suomifi")
        assert (email.status, email.attempts) == ("sent", 1)
        assert [m.to for m in mail.outbox] == [["asiakas@example.fi"]]
        assert (suomifi.status, suomifi.attempts) == ("retrying", 1)
        later = runs.get(status=TaskResultStatus.READY)
        assert later.run_after == suomifi.next_attempt_at
        assert fake.state.messages == []

        # When the retry is due, the worker's next pass sends it.
        DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now())
        Delivery.objects.filter(pk=suomifi.pk).update(next_attempt_at=timezone.now())
        run_worker()
        suomifi.refresh_from_db()
        assert (suomifi.status, suomifi.attempts) == ("sent", 2)
        assert len(fake.state.messages) == 1
