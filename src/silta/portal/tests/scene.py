"""The own view's scene: two clients with a shared case each, their referrals, meetings,
appointments booked for them (at Kela's service point) and consents, and two attorneys
of client A (one for matters, one for consents only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from silta.bookings.models import Booking
from silta.bookings.tests.scene import at, book, one_slot, service_point, working_day
from silta.clients.models import Client, OwnWorker
from silta.consents.models import ConsentWording, PowerOfAttorney
from silta.exchange.models import Case
from silta.meetings.models import Meeting
from silta.meetings.tests.scene import confirmed_meeting
from silta.portal.services import WithholdInput, withhold
from silta.portal.tests.helpers import new_client, power_of_attorney
from silta.referrals import services as referrals
from silta.referrals.models import Referral
from tests.factories import World
from tests.permissions import REFERRAL_INPUTS

WORDING = {
    "text_fi": "Annan Kelalle ja sosiaalipalveluille luvan vaihtaa tietojani.",
    "text_sv": "Jag ger FPA och socialservicen lov att utbyta mina uppgifter.",
}


@dataclass
class Portal:
    world: World
    a: Client
    b: Client
    case_a: Case
    case_b: Case
    attorney: Client  # for A, matters only
    consent_attorney: Client  # for A, consents only
    stranger: Client  # no case at all
    referrals: dict[str, Referral] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)
    powers: dict[str, PowerOfAttorney] = field(default_factory=dict)


def _urgent(world: World, case: Case) -> Referral:
    data = referrals.ReferralInput(type="urgent_handling", description="Ei rahaa lääkkeisiin")
    return referrals.referral_send(actor=world.actor("social_worker"), case=case, data=data)


def _completed_contact(world: World, case: Case) -> Referral:
    referral = referrals.referral_send(
        actor=world.actor("kela_processor"), case=case, data=REFERRAL_INPUTS["contact"]
    )
    kuopio = world.actor("social_worker")
    for step, outcome in (
        ("receive", ""),
        ("accept", ""),
        ("start", ""),
        ("complete", "urgent_acted"),
    ):
        act = referrals.ActInput(action=step, outcome=outcome)
        referral = referrals.referral_act(actor=kuopio, referral=referral, data=act)
    return referral


def build_portal(world: World) -> Portal:
    a, b = new_client(), new_client()
    case_a, case_b = world.open_case(a), world.open_case(b)
    # The newest wording is the one the own view shows.
    ConsentWording.objects.get_or_create(
        version="2026-portal",
        defaults={
            **WORDING,
            "purposes": ["joint_assistance", "social_services_contact", "outcome_report"],
            "categories": ["benefit_decisions", "applications", "contact_details"],
        },
    )
    scene = Portal(
        world=world,
        a=a,
        b=b,
        case_a=case_a,
        case_b=case_b,
        attorney=new_client(),
        consent_attorney=new_client(),
        stranger=new_client(),
    )
    OwnWorker.objects.create(
        client=a,
        unit=world.social_unit,
        name="Sanna Sosiaalityöntekijä",
        phone="+358401234567",
        reachability="ma–pe 9–11",
        updated_at=case_a.opened_at,
    )
    for key, client_case in (("a", case_a), ("b", case_b)):
        scene.referrals[f"done_{key}"] = _completed_contact(world, client_case)
        scene.referrals[f"urgent_{key}"] = _urgent(world, client_case)
        scene.meetings[key] = confirmed_meeting(world, client_case, kind="tripartite", externals=[])
    service_point(world)
    for key, client_case, hour in (("a", case_a, 9), ("b", case_b, 10)):
        slot = one_slot(world, starts_at=at(working_day(), hour))
        scene.bookings[key] = book(world, slot, client_case).booking
    # A new contact: not shown until social services open it (ClientSees.RECEIVED).
    scene.referrals["unopened_a"] = referrals.referral_send(
        actor=world.actor("kela_processor"), case=case_a, data=REFERRAL_INPUTS["contact"]
    )
    scene.referrals["withheld_a"] = _urgent(world, case_a)
    withhold(
        actor=world.actor("social_worker"),
        referral=scene.referrals["withheld_a"],
        data=WithholdInput(reason="child_safety", note="Lapsen etu"),
    )
    scene.powers["matters"] = power_of_attorney(
        a, scene.attorney, world.social_unit, scopes=("social_assistance",)
    )
    scene.powers["consents"] = power_of_attorney(
        a, scene.consent_attorney, world.social_unit, scopes=("consents",)
    )
    return scene
