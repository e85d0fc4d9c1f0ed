"""The client's pages: what they show, in plain language, and that every read is audited
with the client as the actor."""

from __future__ import annotations

import time
from types import SimpleNamespace

import icalendar
import pytest
from django.core.cache.backends import locmem
from django.urls import reverse
from django.utils import timezone

from silta.audit.models import AuditEvent
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.models import Consent
from silta.exchange.models import Message
from silta.portal.models import Withholding
from silta.portal.testing import sign_in_as
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.factories import browser_client


def _as(client, **kwargs):
    browser = browser_client("en")
    sign_in_as(browser, client, **kwargs)
    return browser


def test_my_matters_shows_cases_outcomes_and_deadlines(portal):
    response = _as(portal.a).get(reverse("portal:home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kela Itä" in text and "Aikuissosiaalityö Kuopio" in text
    assert "Sanna Sosiaalityöntekijä" in text
    assert "Urgent need assessed and acted on" in text  # the outcome of the contact
    due = portal.referrals["urgent_a"].due_date
    assert f"Kela decides by {due.day}.{due.month}.{due.year}." in text
    matters = response.context["matters"]
    shown = {card.referral.pk for card in matters.referrals}
    assert portal.referrals["unopened_a"].pk not in shown  # the type waits until opened
    assert portal.referrals["withheld_a"].pk not in shown
    assert matters.withheld_told == 0  # a child's safety: the client is not told
    assert 'data-testid="withheld-notice"' not in text
    assert portal.referrals["done_b"].pk not in shown


def test_the_client_is_told_of_a_withholding_where_the_law_requires(portal):
    Withholding.objects.filter(referral=portal.referrals["withheld_a"]).update(
        reason="client_health"
    )
    response = _as(portal.a).get(reverse("portal:home"))
    assert response.context["matters"].withheld_told == 1
    assert 'data-testid="withheld-notice"' in response.content.decode()


def test_a_received_contact_becomes_visible(portal):
    referrals.referral_open(
        actor=portal.world.actor("social_worker"), referral=portal.referrals["unopened_a"]
    )
    response = _as(portal.a).get(reverse("portal:home"))
    shown = {card.referral.pk for card in response.context["matters"].referrals}
    assert portal.referrals["unopened_a"].pk in shown


@pytest.mark.parametrize(
    "name", ["portal:home", "portal:meetings", "portal:consents", "portal:data_use"]
)
def test_every_read_is_audited_with_the_client_as_actor(portal, name):
    before = AuditEvent.objects.count()
    response = _as(portal.a).get(reverse(name))
    assert response.status_code == 200
    events = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before])
    if name == "portal:data_use":  # the form only: nothing read yet
        assert events == []
        return
    assert len(events) == 1
    event = events[0]
    assert event.client == portal.a and event.user is None and event.action == "view"
    assert event.actor_label == f"Client {portal.a.full_name}"
    assert event.detail["actor_kind"] == "client"


def test_meetings_page_and_calendar(portal):
    browser = _as(portal.a)
    response = browser.get(reverse("portal:meetings"))
    assert [m.pk for m in response.context["meetings"]] == [portal.meetings["a"].pk]
    ics = browser.get(reverse("portal:meeting_calendar", args=[portal.meetings["a"].public_id]))
    assert ics.status_code == 200 and ics["Content-Type"] == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.content
    assert portal.a.last_name.encode() not in ics.content


def test_booked_appointments_are_shown_with_their_calendar_file(portal):
    from silta.bookings import services as bookings
    from silta.bookings.inputs import BookingCancelInput

    browser = _as(portal.a)
    booking = portal.bookings["a"]
    response = browser.get(reverse("portal:meetings"))
    assert [b.pk for b in response.context["bookings"]] == [booking.pk]
    text = response.content.decode()
    assert "Appointment at Kelan palvelupiste Kuopio" in text
    assert "Puijonkatu 19" in text
    local = timezone.localtime(booking.slot.starts_at)
    assert f"{local.day}.{local.month}.{local.year} kl" in text
    assert local.strftime("%H.%M") in text
    url = reverse("portal:booking_calendar", args=[booking.public_id])
    assert url in text
    event = AuditEvent.objects.filter(client=portal.a, action="view").latest("id")
    assert event.detail["bookings"] == 1 and event.detail["page"] == "meetings"
    ics = browser.get(url)
    assert ics.status_code == 200 and ics["Content-Type"] == "text/calendar"
    calendar = icalendar.Calendar.from_ical(ics.content)
    (vevent,) = calendar.walk("VEVENT")
    assert vevent["uid"] == f"{booking.ical_uid}@silta" and calendar["method"] == "REQUEST"
    assert "Puijonkatu 19" in str(vevent["location"])
    assert portal.a.last_name.encode() not in ics.content
    download = AuditEvent.objects.filter(client=portal.a).latest("id")
    assert download.action == "download" and download.object_id == str(booking.public_id)
    assert download.actor_label == f"Client {portal.a.full_name}"
    # Cancelled: gone from the page; its file is now the cancellation (the same UID).
    bookings.booking_cancel(
        actor=portal.world.actor("social_worker"),
        booking=booking,
        data=BookingCancelInput(reason="Sairastuminen"),
    )
    assert browser.get(reverse("portal:meetings")).context["bookings"] == []
    cancelled = icalendar.Calendar.from_ical(browser.get(url).content)
    assert cancelled["method"] == "CANCEL"


def test_asking_for_a_joint_meeting_and_a_second_is_refused(portal):
    browser = _as(portal.a)
    url = reverse("portal:meetings")
    data = {"case": str(portal.case_a.public_id), "wishes": "Tiistaisin"}
    response = browser.post(url, data)
    assert response.status_code == 302
    made = Referral.objects.get(case=portal.case_a, type="meeting_request")
    assert made.receiver_unit == portal.world.kela_unit and made.status == "requested"
    assert made.payload["joint"] is True
    again = browser.post(url, data)
    assert again.status_code == 200
    assert "You already have a meeting request waiting for an answer." in again.content.decode()
    assert Referral.objects.filter(case=portal.case_a, type="meeting_request").count() == 1


def test_give_and_revoke_a_consent(portal):
    browser = _as(portal.a)
    before = Consent.objects.filter(client=portal.a).count()
    response = browser.post(
        reverse("portal:consent_give"),
        {
            "case": str(portal.case_a.public_id),
            "purposes": ["joint_assistance"],
            "agreed": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = Consent.objects.filter(client=portal.a).latest("recorded_at")
    assert Consent.objects.filter(client=portal.a).count() == before + 1
    assert consent.given_how == "own_view" and consent.given_by == "client"
    assert consent.wording.version == "2026-portal"
    assert consent.recorded_by_label == f"Client {portal.a.full_name}"
    revoke = reverse("portal:consent_revoke")
    assert browser.post(revoke, {"consent": str(consent.public_id)}).status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    # A second revocation: a clear message, nothing changed.
    again = browser.post(revoke, {"consent": str(consent.public_id)}, follow=True)
    assert "This consent has already been revoked." in again.content.decode()


def test_consent_without_agreeing_changes_nothing(portal):
    before = Consent.objects.count()
    response = _as(portal.a).post(
        reverse("portal:consent_give"),
        {"case": str(portal.case_a.public_id), "purposes": ["joint_assistance"]},
    )
    assert response.status_code == 400
    assert "Tick the box to show that you agree." in response.content.decode()
    assert Consent.objects.count() == before


def test_data_use_page_and_pdf(portal):
    browser = _as(portal.a)
    response = browser.post(reverse("portal:data_use"), {"since": "", "until": ""})
    assert response.status_code == 200
    report = response.context["report"]
    used, given = report.sections
    assert used.rows and given.rows
    text = response.content.decode()
    assert "A worker" in text  # the organisation has not chosen to name its staff
    pdf = browser.post(reverse("portal:data_use"), {"pdf": "1"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_data_use_bad_period_is_a_clear_message(portal):
    response = _as(portal.a).post(
        reverse("portal:data_use"), {"since": "2026-05-01", "until": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "The start date must be before the end date." in response.content.decode()
    bad = _as(portal.a).post(reverse("portal:data_use"), {"since": "not a date"})
    assert bad.status_code == 400


def test_a_staff_send_is_refused_once_the_client_revokes_in_the_own_view(portal):
    """consents.gate: the consent the case was shared on is gone, so Kela's next message
    to social services has no lawful basis and is not sent."""
    browser = _as(portal.a)
    for consent in Consent.objects.filter(client=portal.a):
        response = browser.post(
            reverse("portal:consent_revoke"), {"consent": str(consent.public_id)}
        )
        assert response.status_code == 302
    messages_before = Message.objects.filter(case=portal.case_a).count()
    with pytest.raises(NoLawfulBasis):
        portal.world.thread(portal.case_a)
    assert Message.objects.filter(case=portal.case_a).count() == messages_before


def test_contact_channels_and_open_now_are_shown_and_refreshed(portal, monkeypatch, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from silta.directory.services import ChannelInput, channel_save
    from silta.portal import matters

    def save(phone: str) -> None:
        channel_save(
            user=None,
            unit=portal.world.kela_unit,
            check_owner=False,
            data=ChannelInput(kind="phone", phone=phone, always_open=True, weekly={}),
        )

    save("020 692 200")
    browser = _as(portal.a)
    text = browser.get(reverse("portal:home")).content.decode()
    assert 'data-testid="status-open"' in text and "tel:+35820692200" in text
    with CaptureQueriesContext(connection) as cached:
        browser.get(reverse("portal:home"))
    save("020 634 1000")  # within the minute the page still shows what it read
    assert "tel:+358206341000" not in browser.get(reverse("portal:home")).content.decode()
    # A minute later (the local cache's clock moved on): read afresh.
    later = time.time() + matters.CHANNELS_TTL + 1
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    with CaptureQueriesContext(connection) as fresh:
        text = browser.get(reverse("portal:home")).content.decode()
    assert "tel:+358206341000" in text
    assert len(fresh) == len(cached) + 3  # channels, weekly hours, exceptions
    # Kept in Django's cache framework, bounded (not a dict that grows every day).
    local = settings.CACHES[matters.CHANNELS_CACHE]
    assert local["BACKEND"].endswith("LocMemCache") and local["OPTIONS"]["MAX_ENTRIES"] > 0


def test_my_matters_reads_cases_with_own_worker_and_referrals_in_two_statements(portal):
    """The own worker comes with the case's row (no query of its own); with the units'
    channels cached, My matters is two statements: the cases and the referrals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from silta.portal.matters import my_matters

    my_matters(portal.a)  # the units' channels now cached
    with CaptureQueriesContext(connection) as queries:
        matters_a = my_matters(portal.a)
    assert len(queries) == 2
    worker = matters_a.cases[0].own_worker
    assert worker is not None
    assert (worker.name, worker.phone, worker.reachability) == (
        "Sanna Sosiaalityöntekijä",
        "+358401234567",
        "ma–pe 9–11",
    )
    assert (worker.client_id, worker.unit_id) == (portal.a.pk, portal.world.social_unit.pk)
    assert my_matters(portal.b).cases[0].own_worker is None  # B has none in that unit


def test_my_matters_says_states_and_deadlines_in_the_readers_language(portal):
    from django.utils import translation

    from silta.portal.matters import deadline_text, my_matters, plain_status

    with translation.override("sv"):
        cards = my_matters(portal.a).referrals
        assert cards
        for card in cards:
            assert card.status == plain_status(card.referral)
            assert card.deadline == deadline_text(card.referral)
        assert any(card.deadline for card in cards)
        assert all("decides by" not in card.deadline for card in cards)
