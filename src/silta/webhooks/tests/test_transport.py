"""Where a webhook may go and how an answer counts: no redirects followed, Retry-After
respected, names that resolve to this machine refused outside development."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from silta.core.errors import Invalid
from silta.webhooks import delivery, transport
from silta.webhooks.addresses import check_url
from silta.webhooks.models import Delivery
from silta.webhooks.tests.scene import send_referral, subscribe

pytestmark = pytest.mark.django_db


def test_a_name_resolving_to_this_machine_is_refused_in_production(settings, receiver):
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = False
    # Saved while allowed (or pointed there later by DNS): refused at delivery, unsent.
    outcome = transport.post(f"http://localhost:{receiver.port}/hooks/silta", b"{}", {}, timeout=2)
    assert outcome.status_code is None and "address not allowed" in outcome.error
    assert receiver.requests == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/h", "http://localhost/h", "https://[::1]/h"]
)
def test_loopback_is_allowed_only_in_development(settings, url):
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = True
    assert check_url(url) == url
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(Invalid) as refused:
        check_url(url)
    assert refused.value.code == "url_not_allowed"


def test_a_redirect_is_a_failure_and_is_not_followed(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    _, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    receiver.secrets, receiver.status = [secret], 302
    receiver.extra_headers = {"Location": "http://127.0.0.1:9/elsewhere"}
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    found = Delivery.objects.get()
    assert (found.status, found.last_status_code, found.last_error) == ("pending", 302, "HTTP 302")
    assert len(receiver.requests) == 1


def test_retry_after_postpones_the_next_try(
    shared_world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SILTA_WEBHOOK_RETRY_BASE_SECONDS = 1
    _, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    receiver.secrets, receiver.status = [secret], 503
    receiver.extra_headers = {"Retry-After": "600"}
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    found = Delivery.objects.get()
    assert found.next_attempt_at is not None
    assert found.next_attempt_at >= timezone.now() + dt.timedelta(seconds=590)
    assert delivery.deliver_batch() is None, "nothing is due before then"


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1",
        "https://hooks.example.fi:99999/",
        "https://hooks.example.fi/a b",
        "https://hooks.example.fi/x\r\nX-Injected: 1",
        "ftp://hooks.example.fi/",
        "hooks.example.fi/silta",
    ],
)
def test_malformed_addresses_are_refused(url):
    with pytest.raises(Invalid) as refused:
        check_url(url)
    assert refused.value.code == "url_invalid"


@pytest.mark.parametrize(
    "url",
    ["https://10.1.2.3/", "https://[fd00::1]/", "https://169.254.169.254/", "https://0.0.0.0/"],
)
def test_private_and_link_local_addresses_are_refused(settings, url):
    settings.SILTA_WEBHOOK_ALLOW_LOOPBACK = True
    with pytest.raises(Invalid) as refused:
        check_url(url)
    assert refused.value.code == "url_not_allowed"
