"""Demo referrals: every type, in several states, so the loop can be seen end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.demo.clock import DemoClock
from silta.exchange.models import Case
from silta.referrals.models import Referral
from silta.referrals.services import ActInput, ReferralInput, referral_act, referral_send
from silta.workdays.calendar import today

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf(name: str) -> ContentFile[bytes]:
    return ContentFile(PDF, name=name)


def seed(users: dict[str, User], clock: DemoClock) -> None:
    """Referrals spread over the past three weeks: completed, returned and re-sent, due
    soon, overdue and never opened (the worker escalates those when the demo runs)."""
    kela = Actor.for_user(users["kela.kasittelija"])
    kela_south = Actor.for_user(users["kela.etela"])
    social = Actor.for_user(users["sos.tyontekija"])
    social_psavo = Actor.for_user(users["sos.etuus"])
    vantaa = Actor.for_user(users["vantaa.tyontekija"])
    cases = list(Case.objects.select_related("client").order_by("pk"))
    kuopio, kuopio2, psavo, south = cases[0], cases[1], cases[2], cases[3]

    def act(actor: Actor, referral: Referral, action: str, **extra: Any) -> Referral:
        return referral_act(actor=actor, referral=referral, data=ActInput(action=action, **extra))

    clock.set(15, "09:12")
    contact = referral_send(
        actor=kela,
        case=kuopio,
        data=ReferralInput(
            type="contact",
            description="Asiakas kertoi häätöuhasta ja siitä, ettei rahaa ole ruokaan.",
            fields={
                "basis": "consented",
                "concerns": ["housing_risk", "no_money"],
                "share_back": "Tieto siitä, onko palvelutarpeen arviointi aloitettu.",
            },
        ),
    )
    steps = ((14, "08:41", "receive"), (14, "09:10", "accept"), (13, "10:05", "start"))
    for days_ago, hhmm, step in steps:
        clock.set(days_ago, hhmm)
        contact = act(social, contact, step)
    clock.set(9, "14:20")
    act(
        social,
        contact,
        "complete",
        outcome="assessment_started",
        outcome_date=clock.now.date(),
        outcome_text="Palvelutarpeen arviointi aloitettu, seuraava tapaaminen sovittu.",
    )

    clock.set(6, "13:30")
    assessment = referral_send(
        actor=kela,
        case=kuopio,
        data=ReferralInput(
            type="assessment_before_reduction",
            description="Perusosan alentamista harkitaan "
            "(40 %). Pyydämme palvelutarpeen arviointia.",
            fields={"planned_reduction": "40"},
        ),
    )
    clock.set(5, "09:02")
    act(social, assessment, "receive")

    clock.set(10, "11:15")
    delivery = referral_send(
        actor=social,
        case=kuopio2,
        files=[_pdf("aktivointisuunnitelma.pdf")],
        data=ReferralInput(
            type="document_delivery",
            description="Aktivointisuunnitelma 12.11.",
            fields={"document_kind": "activation_plan"},
        ),
    )
    clock.set(10, "15:40")
    for step in ("receive", "accept"):
        delivery = act(kela, delivery, step)
    clock.set(8, "10:25")
    act(
        kela,
        delivery,
        "complete",
        outcome="no_change",
        outcome_text="Otettu huomioon, ei muutosta käsittelyyn.",
    )

    clock.set(4, "10:00")
    meeting = referral_send(
        actor=kela,
        case=kuopio2,
        data=ReferralInput(
            type="meeting_request",
            description="Asiakas toivoo yhteistä tapaamista.",
            fields={"proposed_times": "ti 1.12. klo 10 tai ke 2.12. klo 13", "joint": True},
        ),
    )
    clock.set(3, "12:48")
    for step in ("receive", "accept"):
        meeting = act(social, meeting, step)
    clock.set(2, "09:35")
    act(
        social,
        meeting,
        "complete",
        outcome="meeting_confirmed",
        outcome_date=today() + dt.timedelta(days=7),
        outcome_time=dt.time(10),
        outcome_text="Teams-kokous, linkki lähetetty asiakkaalle ja Kelaan.",
    )

    clock.set(12, "09:45")
    forwarded = referral_send(
        actor=kela,
        case=psavo,
        files=[_pdf("hakemus.pdf"), _pdf("perustoimeentulotuki.pdf")],
        data=ReferralInput(
            type="forwarded_application",
            description="Vuokravakuus, asiakkaan pyynnöstä.",
            expense_kind="rent-deposit",
        ),
    )
    clock.set(11, "08:20")
    act(social_psavo, forwarded, "receive")
    clock.set(11, "13:10")
    forwarded = act(
        social_psavo,
        forwarded,
        "return",
        reason="basic_assistance_expense",
        reason_text="Vuokravakuus kuuluu ensin perustoimeentulotukeen.",
        expense_kind="rent-deposit",
    )
    clock.set(10, "08:30")
    forwarded = act(kela, forwarded, "resend")
    clock.set(9, "11:02")
    for step in ("receive", "accept", "start"):
        forwarded = act(social_psavo, forwarded, step)
    clock.set(3, "14:15")
    act(social_psavo, forwarded, "hold", reason_text="Pyydetty vuokrasopimus.")

    clock.set(2, "16:05")  # urgent, never opened: overdue
    referral_send(
        actor=vantaa,
        case=south,
        data=ReferralInput(
            type="urgent_handling",
            description="Asiakkaalla ei ole rahaa lääkkeisiin.",
            expense_kind="medicine",
        ),
    )
    clock.set(1, "11:30")
    referral_send(
        actor=kela_south,
        case=south,
        data=ReferralInput(
            type="statement_request",
            description="Pyydämme lausuntoa yrittäjäasiakkaan tilanteesta.",
            fields={"requested_date": today() + dt.timedelta(days=10)},
        ),
    )
    # One referral left unopened for nine working days: overdue, escalated by the worker.
    clock.set(9, "08:55")
    referral_send(
        actor=kela_south,
        case=south,
        data=ReferralInput(
            type="contact",
            description="Asiakas pyysi yhteydenottoa sosiaalityöhön.",
            fields={"basis": "client_asked", "concerns": ["mental_health"]},
        ),
    )
