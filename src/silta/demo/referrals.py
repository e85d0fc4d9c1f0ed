"""Demo referrals: every type, in several states, so the loop can be seen end to end."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from silta.accounts.actor import Actor
from silta.accounts.models import User
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


def seed(users: dict[str, User]) -> None:
    kela = Actor.for_user(users["kela.kasittelija"])
    kela_south = Actor.for_user(users["kela.etela"])
    social = Actor.for_user(users["sos.tyontekija"])
    social_psavo = Actor.for_user(users["sos.etuus"])
    vantaa = Actor.for_user(users["vantaa.tyontekija"])
    cases = list(Case.objects.select_related("client").order_by("pk"))
    kuopio, kuopio2, psavo, south = cases[0], cases[1], cases[2], cases[3]

    def act(actor: Actor, referral: Referral, action: str, **extra: object) -> Referral:
        return referral_act(actor=actor, referral=referral, data=ActInput(action=action, **extra))  # type: ignore[arg-type]

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
    for step in ("receive", "accept", "start"):
        contact = act(social, contact, step)
    act(
        social,
        contact,
        "complete",
        outcome="assessment_started",
        outcome_date=today(),
        outcome_text="Palvelutarpeen arviointi aloitettu, seuraava tapaaminen sovittu.",
    )

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
    act(social, assessment, "receive")

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
    for step in ("receive", "accept"):
        delivery = act(kela, delivery, step)
    act(
        kela,
        delivery,
        "complete",
        outcome="no_change",
        outcome_text="Otettu huomioon, ei muutosta käsittelyyn.",
    )

    meeting = referral_send(
        actor=kela,
        case=kuopio2,
        data=ReferralInput(
            type="meeting_request",
            description="Asiakas toivoo yhteistä tapaamista.",
            fields={"proposed_times": "ti 1.12. klo 10 tai ke 2.12. klo 13", "joint": True},
        ),
    )
    for step in ("receive", "accept"):
        meeting = act(social, meeting, step)
    act(
        social,
        meeting,
        "complete",
        outcome="meeting_confirmed",
        outcome_date=today() + dt.timedelta(days=7),
        outcome_time=dt.time(10),
        outcome_text="Teams-kokous, linkki lähetetty asiakkaalle ja Kelaan.",
    )

    forwarded = referral_send(
        actor=kela,
        case=psavo,
        files=[_pdf("hakemus.pdf"), _pdf("perustoimeentulotuki.pdf")],
        data=ReferralInput(
            type="forwarded_application", description="Vuokravakuus, asiakkaan pyynnöstä."
        ),
    )
    act(social_psavo, forwarded, "receive")
    forwarded = act(
        social_psavo,
        forwarded,
        "return",
        reason="basic_assistance_expense",
        reason_text="Vuokravakuus kuuluu ensin perustoimeentulotukeen.",
    )
    forwarded = act(kela, forwarded, "resend")
    for step in ("receive", "accept", "start"):
        forwarded = act(social_psavo, forwarded, step)
    act(social_psavo, forwarded, "hold", reason_text="Pyydetty vuokrasopimus.")

    referral_send(
        actor=vantaa,
        case=south,
        data=ReferralInput(
            type="urgent_handling", description="Asiakkaalla ei ole rahaa lääkkeisiin."
        ),
    )
    referral_send(
        actor=kela_south,
        case=south,
        data=ReferralInput(
            type="statement_request",
            description="Pyydämme lausuntoa yrittäjäasiakkaan tilanteesta.",
            fields={"requested_date": today() + dt.timedelta(days=10)},
        ),
    )
    # One referral left unopened and older, to show the escalation.
    stale = referral_send(
        actor=kela_south,
        case=south,
        data=ReferralInput(
            type="contact",
            description="Asiakas pyysi yhteydenottoa sosiaalityöhön.",
            fields={"basis": "client_asked", "concerns": ["mental_health"]},
        ),
    )
    earlier = stale.arrived_on - dt.timedelta(days=7)
    Referral.objects.filter(pk=stale.pk).update(
        arrived_on=earlier, due_date=today() - dt.timedelta(days=1)
    )
