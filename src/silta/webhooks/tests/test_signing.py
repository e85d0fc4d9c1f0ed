"""Signatures as the Standard Webhooks specification describes them, checked against the
specification's own library; rotation with two valid secrets; an unsigned, stale or
forged replay refused by the verifier (and by the loopback receiver, which keeps nothing)."""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import time
from pathlib import Path

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from silta.webhooks import delivery, services, signing
from silta.webhooks.tests.scene import send_referral, subscribe

BODY = b'{"id":"msg_1","type":"referral.sent","data":{"object_type":"referral"}}'


def test_a_secret_is_whsec_and_32_random_bytes():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert secret != signing.new_secret()


def test_the_signature_is_the_libraries_signature():
    secret, stamp = signing.new_secret(), int(time.time())
    ours = signing.signature(secret, "msg_1", stamp, BODY)
    theirs = Webhook(secret).sign("msg_1", dt.datetime.fromtimestamp(stamp, dt.UTC), BODY.decode())
    assert ours == theirs
    headers = signing.headers("msg_1", stamp, BODY, [secret])
    assert Webhook(secret).verify(BODY, headers)["type"] == "referral.sent"
    signing.verify(secret, BODY, headers)


def test_during_a_rotation_either_secret_verifies():
    old, new, stamp = signing.new_secret(), signing.new_secret(), int(time.time())
    headers = signing.headers("msg_2", stamp, BODY, [new, old])
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        signing.verify(secret, BODY, headers)
        Webhook(secret).verify(BODY, headers)
    with pytest.raises(signing.VerificationError):
        signing.verify(signing.new_secret(), BODY, headers)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b),
            "missing_headers",
        ),
        (lambda h, b: ({}, b), "missing_headers"),
        (lambda h, b: ({**h, "webhook-timestamp": "soon"}, b), "invalid_timestamp"),
        (lambda h, b: (h, b.replace(b"referral.sent", b"referral.gone")), "bad_signature"),
        (lambda h, b: ({**h, "webhook-id": "msg_other"}, b), "bad_signature"),
        (lambda h, b: ({**h, "webhook-signature": "v1a,AAAA"}, b), "bad_signature"),
    ],
)
def test_unsigned_or_forged_requests_are_refused(change, code):
    secret = signing.new_secret()
    headers, body = change(signing.headers("msg_3", int(time.time()), BODY, [secret]), BODY)
    with pytest.raises(signing.VerificationError) as refused:
        signing.verify(secret, body, headers)
    assert refused.value.code == code
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)


@pytest.mark.parametrize("minutes", [-6, 6])
def test_a_stale_or_future_timestamp_is_refused(minutes):
    secret, stamp = signing.new_secret(), int(time.time()) + minutes * 60
    headers = signing.headers("msg_4", stamp, BODY, [secret])
    with pytest.raises(signing.VerificationError) as refused:
        signing.verify(secret, BODY, headers)
    assert refused.value.code == "stale_timestamp"
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, headers)


def _post(receiver, body: bytes, headers: dict[str, str]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=5)
    conn.request("POST", "/hooks/silta", body=body, headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.django_db
def test_a_captured_delivery_replayed_later_or_unsigned_is_refused(
    shared_world, receiver, django_capture_on_commit_callbacks
):
    """An attacker who captured a delivery cannot replay it after the tolerance, strip
    its signature or change its body: the receiver refuses each and keeps nothing."""
    _, secret = subscribe(shared_world, receiver.url, types=["referral.sent"])
    receiver.secrets = [secret]
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    [captured] = receiver.accepted
    later = time.time() + 6 * 60
    with pytest.raises(signing.VerificationError, match="stale_timestamp"):
        signing.verify(secret, captured.body, captured.headers, now=later)
    stale = {**captured.headers, "webhook-timestamp": str(int(time.time()) - 6 * 60)}
    unsigned = {k: v for k, v in captured.headers.items() if k.lower() != "webhook-signature"}
    forged = captured.body.replace(b"referral.sent", b"referral.status_changed")
    assert _post(receiver, captured.body, stale) == 401
    assert _post(receiver, captured.body, unsigned) == 401
    assert _post(receiver, forged, captured.headers) == 401
    assert [r.refusal for r in receiver.requests[1:]] == [
        "stale_timestamp",
        "missing_headers",
        "bad_signature",
    ]
    assert len(receiver.accepted) == 1


@pytest.mark.django_db
def test_after_rotation_deliveries_carry_both_signatures_until_the_overlap_ends(
    shared_world, receiver, settings, django_capture_on_commit_callbacks
):
    sub, old = subscribe(shared_world, receiver.url, types=["referral.sent"])
    rotated = services.secret_rotate(actor=shared_world.actor("social_admin"), subscription=sub)
    receiver.secrets = [old]  # the receiver has not switched yet
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(shared_world)
    delivery.deliver_batch()
    [first] = receiver.accepted
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    Webhook(rotated.secret).verify(first.body, first.headers)
    # The overlap is over: only the new secret signs.
    sub.refresh_from_db()
    assert sub.previous_secret_until is not None
    after = sub.previous_secret_until + dt.timedelta(seconds=1)
    assert delivery.signing_secrets(sub, after) == [rotated.secret]


def _readme_verify():
    """The ``verify`` of the README's worked example, run as written."""
    readme = (Path(__file__).resolve().parents[4] / "README.md").read_text()
    section = readme.split("## Webhooks", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 (our own README)
    return namespace["verify"]


def test_the_readme_example_verifies_silta_and_refuses_replays():
    verify = _readme_verify()
    old, new, stamp = signing.new_secret(), signing.new_secret(), int(time.time())
    headers = signing.headers("msg_5", stamp, BODY, [new, old])
    verify(old, BODY, headers)
    verify(new, BODY, headers)
    stale = signing.headers("msg_5", stamp - 301, BODY, [new])
    for secret, body, sent in ((new, BODY, stale), (new, BODY + b" ", headers)):
        with pytest.raises(ValueError):
            verify(secret, body, sent)
