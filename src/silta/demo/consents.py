"""Demo consents: one in each state (in force from the application's checkbox, replaced,
revoked by social services, expired, not yet valid) and a verified power of attorney
under which an attorney gave a consent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.consents.codes import Category, Purpose
from silta.consents.models import Consent, ConsentWording
from silta.consents.poa_services import PoaInput, poa_record, poa_verify
from silta.consents.rules import helsinki_date
from silta.consents.services import ConsentInput, consent_record, consent_revoke
from silta.exchange.models import Case

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
WORDING_FI = (
    "Annan suostumukseni siihen, että Kela ja hyvinvointialueen sosiaalipalvelut voivat "
    "luovuttaa toisilleen valitsemiani tietoja valitsemiini tarkoituksiin, jotta "
    "toimeentulotukiasiani voidaan hoitaa yhdessä. Suostumus on voimassa merkittyyn "
    "päivään asti. Voin peruuttaa sen milloin tahansa Kelassa tai sosiaalipalveluissa."
)
WORDING_SV = (
    "Jag samtycker till att FPA och välfärdsområdets socialtjänst får lämna ut de "
    "uppgifter om mig som jag har valt till varandra för de ändamål jag har valt, så att "
    "mitt ärende om utkomststöd kan skötas tillsammans. Samtycket gäller till det angivna "
    "datumet. Jag kan när som helst återkalla det hos FPA eller socialtjänsten."
)


def seed(users: dict[str, User]) -> None:
    ConsentWording.objects.create(
        version="2026-1",
        text_fi=WORDING_FI,
        text_sv=WORDING_SV,
        purposes=list(Purpose.values),
        categories=list(Category.values),
    )
    kela = Actor.for_user(users["kela.kasittelija"])
    social = Actor.for_user(users["sos.tyontekija"])
    cases = list(Case.objects.select_related("client", "social_unit").order_by("pk")[:3])
    first, second, third = cases[0], cases[1], cases[2]

    def consent(case: Case, actor: Actor, **changes: Any) -> Consent:
        fields: dict[str, Any] = {
            "given_by": "client",
            "organiser_id": case.social_unit.organisation.public_id,
            "purposes": ["joint_assistance", "outcome_report"],
            "categories": ["benefit_decisions", "applications", "contact_outcome"],
            "given_how": "application",
            "application_reference": f"TO-{case.client.pk:05d}",
            "wording_version": "2026-1",
        }
        fields.update(changes)
        return consent_record(actor=actor, client=case.client, data=ConsentInput(**fields))

    old = consent(first, kela, purposes=["joint_assistance"])
    # The client widened it: a new consent replaces the old one.
    consent(first, kela, replaces_id=old.public_id)
    revoked = consent(second, social, given_how="in_person", application_reference="")
    consent_revoke(actor=social, consent=revoked, how="phone", note="Asiakas soitti")
    today = helsinki_date(timezone.now())
    consent(
        third,
        kela,
        valid_from=today - dt.timedelta(days=800),
        valid_until=today - dt.timedelta(days=70),
    )
    consent(
        third,
        social,
        given_how="phone",
        application_reference="",
        valid_from=today + dt.timedelta(days=14),
    )
    poa = poa_record(
        actor=social,
        client=second.client,
        data=PoaInput(
            attorney_kind="person",
            attorney_name="Pekka Virtanen",
            attorney_identity="020594X903P",
            scopes=["consents", "social_assistance", "kela_benefits"],
        ),
        document=ContentFile(PDF, name="valtakirja.pdf"),
    )
    poa = poa_verify(actor=social, poa=poa)
    consent(
        second,
        social,
        given_by="attorney",
        power_of_attorney_id=poa.public_id,
        given_how="in_person",
        application_reference="",
    )
