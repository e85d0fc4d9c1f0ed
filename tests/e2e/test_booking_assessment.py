"""Joint appointment booking in the Finnish UI: Kela has referred the client to the
service-need assessment before a 40 % reduction (Totul 10 a §); Kuopio's social worker
finds a free time at Kela's customer-service point by municipality and topic, books it
for the client with the referral linked, and the referral's feedback "booked (date)"
follows without another step. The confirmation goes to the worker and the client's own
address with no client data in it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from silta.bookings.models import Booking
from silta.bookings.tests.scene import at, publish, service_point, working_day
from silta.referrals import services as referrals
from silta.workdays.calendar import HELSINKI
from tests.e2e.conftest import TIMEOUT_MS, Journey

pytestmark = pytest.mark.e2e

EMAIL = "matti.meikalainen@example.net"


def test_social_worker_books_a_kela_appointment_and_the_10a_feedback_follows(
    live_server: Any, page: Any, login: Any, journey: Journey
) -> None:
    world = journey.world
    service_point(world)
    slot = publish(world, starts_at=at(working_day(), 10))[0]
    case = world.open_case(journey.client)
    referral = referrals.referral_send(
        actor=world.actor("kela_processor"),
        case=case,
        data=referrals.ReferralInput(
            type="assessment_before_reduction",
            description="Perusosan alentamista harkitaan (40 %).",
            fields={"planned_reduction": "40"},
        ),
    )
    journey.social_worker.email = "sanna.virtanen@kuopio.example.fi"
    journey.social_worker.save(update_fields=["email"])
    page.set_default_timeout(TIMEOUT_MS)

    # 1. The social worker searches Kela's free times for Kuopio (GET: no client data).
    login(page, journey.social_worker)
    page.goto(live_server.url + reverse("bookings:search"))
    page.locator("#id_municipality").fill("297")
    page.locator("#id_topic").select_option("basic_assistance")
    page.locator("main form button[type=submit]").click()
    results = page.locator("[data-testid=slot-results]")
    expect(results).to_contain_text("Kelan palvelupiste Kuopio")
    assert "Meikäläinen" not in page.url and "297" in page.url

    # 2. Books it for the client, linking Kela's assessment referral.
    results.locator(f"a[href='{reverse('bookings:book', args=[slot.public_id])}']").click()
    expect(page.locator("h1")).to_have_text("Varaa aika")
    page.locator("#id_case_id").select_option(str(case.public_id))
    page.locator("#id_referral_id").select_option(str(referral.public_id))
    page.locator("#id_client_email").fill(EMAIL)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/appointments/[0-9a-f-]+/$"))
    expect(page.locator("[data-testid=booking-status]")).to_have_text("Varattu")
    expect(page.locator("[data-testid=booking-feedback]")).to_contain_text("kirjattu")

    # 3. The feedback is on the referral, dated the appointment's day.
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "booked")
    assert referral.outcome_date == slot.starts_at.astimezone(HELSINKI).date()
    booking = Booking.objects.get()
    assert booking.slot == slot and booking.feedback_at is not None
    page.goto(live_server.url + reverse("referrals:detail", args=[referral.public_id]))
    expect(page.locator("main")).to_contain_text("Asiakas varasi ajan arviointiin")

    # 4. Confirmations: the worker and the client, time and place only.
    assert sorted(m.to[0] for m in mail.outbox) == [EMAIL, journey.social_worker.email]
    for message in mail.outbox:
        assert "Meikäläinen" not in message.subject + message.body
        assert "Puijonkatu 19" in message.body
