"""Every disclosure a referral makes rests on a recorded basis (703/2023 10 §, DOMAIN.md §2).

Sending discloses the type's ``disclosure`` (and each document) to the other party; the
outcome discloses the result back to the sender. Without a consent in force that covers
it or a statutory basis that allows it nothing is written; what is sent is logged once
per referral (object "referral") and once per document, the outcome once ("referral_outcome").
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import translation

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.consents.codes import Category, Purpose
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.gate import NO_CHOICE, BasisChoice
from silta.consents.models import Consent, Disclosure
from silta.exchange import services as exchange
from silta.exchange.models import Case, Thread
from silta.referrals import services
from silta.referrals.models import Referral
from silta.referrals.tests.helpers import (
    ALL_TYPES,
    COMPLETIONS,
    act,
    default_sender,
    needs_files,
    referral_input,
)
from silta.referrals.types import SPECS
from tests.factories import World, give_consent, pdf

pytestmark = pytest.mark.django_db

KELA, SOCIAL = "kela_processor", "social_worker"
# Each type from each side that may send it: the statutory bases that would make it
# lawful without a consent (DOMAIN.md §2; none: the client's consent only).
WITHOUT_CONSENT: dict[tuple[str, str], tuple[str, ...]] = {
    ("contact", KELA): ("shl_35_2_no_consent",),  # only when the client cannot be asked
    ("forwarded_application", KELA): ("totul_14c",),
    ("assessment_before_reduction", KELA): ("totul_18h",),
    ("statement_request", KELA): (),
    ("statement_request", SOCIAL): (),
    ("document_delivery", SOCIAL): ("totul_15", "totul_18b"),
    ("urgent_handling", SOCIAL): (),
    ("meeting_request", KELA): (),
    ("meeting_request", SOCIAL): (),
}
# (type, the basis chosen, the audit's coarse legal basis, the client to be informed)
ON_STATUTE = [
    ("forwarded_application", "totul_14c", "client_request", False),
    ("assessment_before_reduction", "totul_18h", "statutory_duty", True),
    ("document_delivery", "totul_15", "statutory_duty", True),
    ("document_delivery", "totul_18b", "statutory_duty", True),
]


def bare_case(world: World) -> Case:
    """A shared case of client 1 with no consent at all (opened on Kela's Totul 18 h §)."""
    case, _ = exchange.case_open(
        actor=world.actor(KELA),
        client=world.clients[1],
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=BasisChoice(statutory_basis="totul_18h"),
    )
    assert not Consent.objects.filter(client=case.client).exists()
    return case


def send(
    world: World,
    case: Case,
    type_: str,
    sender: str | None = None,
    choice: BasisChoice = NO_CHOICE,
    files: list[Any] | None = None,
    **fields: object,
) -> Referral:
    """Send ``type_`` on ``case`` with the sender's basis ``choice`` (``fields``: the
    type's own, e.g. the contact's ``basis`` field)."""
    data = referral_input(type_, **fields).model_copy(update={"basis": choice})
    return services.referral_send(
        actor=world.actor(sender or default_sender(type_)),
        case=case,
        data=data,
        files=files if files is not None else ([pdf()] if needs_files(type_) else []),
    )


def written(case: Case) -> tuple[int, int, int]:
    """(referrals, threads, disclosure rows) of the case's client."""
    return (
        Referral.objects.filter(case=case).count(),
        Thread.objects.filter(case=case).count(),
        Disclosure.objects.filter(client=case.client).count(),
    )


def test_every_type_and_side_is_in_the_table() -> None:
    sides = {
        (code, key)
        for code, spec in SPECS.items()
        for key, is_kela in ((KELA, True), (SOCIAL, False))
        if spec.allowed_from(is_kela)
    }
    assert sides == set(WITHOUT_CONSENT)


@pytest.mark.parametrize(("type_", "sender"), sorted(WITHOUT_CONSENT))
def test_without_consent_nothing_is_sent(world, type_: str, sender: str) -> None:
    case = bare_case(world)
    before = written(case)
    with pytest.raises(NoLawfulBasis) as refused:
        send(world, case, type_, sender)
    assert refused.value.reason == "no_consent"
    assert refused.value.lawful_bases == WITHOUT_CONSENT[type_, sender]
    assert written(case) == before == (0, 0, 1)  # the case's own disclosure only
    denied = AuditEvent.objects.get(action="denied", client=case.client)
    assert (denied.detail["disclose"], denied.detail["object"]) == (
        SPECS[type_].disclosure,
        "referral",
    )


@pytest.mark.parametrize(("type_", "basis", "legal_basis", "inform"), ON_STATUTE)
def test_a_statutory_basis_allows_its_types(world, type_, basis, legal_basis, inform) -> None:
    case = bare_case(world)
    choice = BasisChoice(statutory_basis=basis)
    referral = send(world, case, type_, choice=choice, files=[pdf()])  # the document too
    rows = Disclosure.objects.filter(client=case.client).exclude(object_type="case")
    assert {(r.object_type, r.statutory_basis, r.consent_id, r.inform_client) for r in rows} == {
        ("referral", basis, None, inform),
        ("attachment", basis, None, inform),
    }
    assert rows.get(object_type="referral").object_id == str(referral.public_id)
    audit = AuditEvent.objects.get(action="disclose", object_type="referral")
    assert audit.legal_basis == legal_basis


@pytest.mark.parametrize(
    ("type_", "sender", "basis"),
    [
        ("statement_request", KELA, "totul_18h"),
        ("meeting_request", KELA, "totul_14c"),
        ("urgent_handling", SOCIAL, "totul_15"),
        ("meeting_request", SOCIAL, "totul_18b"),
        ("contact", KELA, "totul_18h"),
        ("assessment_before_reduction", KELA, "totul_14c"),
    ],
)
def test_a_basis_does_not_carry_over_to_another_type(world, type_, sender, basis) -> None:
    case = bare_case(world)
    with pytest.raises(NoLawfulBasis) as refused:
        send(world, case, type_, sender, choice=BasisChoice(statutory_basis=basis))
    assert refused.value.reason == "basis_kind_not_allowed"
    assert written(case) == (0, 0, 1)


def test_contact_when_the_client_cannot_cope_goes_out_without_consent(world) -> None:
    """SHL 35 § 2 mom.: the field's choice names the basis and the fact; the client is
    to be informed."""
    case = bare_case(world)
    referral = send(world, case, "contact", basis="cannot_cope")
    row = Disclosure.objects.get(object_type="referral")
    assert (row.object_id, row.kind, row.consent_id) == (str(referral.public_id), "contact", None)
    assert (row.statutory_basis, row.inform_client) == ("shl_35_2_no_consent", True)
    assert (row.purpose, row.category) == (
        Purpose.SOCIAL_SERVICES_CONTACT,
        Category.CONTACT_DETAILS,
    )
    assert referral.urgent is True
    audit = AuditEvent.objects.get(action="disclose", object_type="referral")
    assert audit.legal_basis == "welfare_concern"


def test_cannot_cope_carries_no_documents(world) -> None:
    """Nothing but the contact goes out on SHL 35 § 2 mom.: a document needs a consent."""
    case = bare_case(world)
    with pytest.raises(NoLawfulBasis) as refused:
        send(world, case, "contact", basis="cannot_cope", files=[pdf()])
    assert refused.value.reason == "basis_kind_not_allowed"
    assert written(case) == (0, 0, 1)


def test_another_basis_choice_wins_over_the_implied_one(world) -> None:
    """The implied basis applies only when the sender chose nothing else."""
    case = bare_case(world)
    with pytest.raises(NoLawfulBasis) as refused:
        send(
            world,
            case,
            "contact",
            choice=BasisChoice(statutory_basis="totul_18h"),
            basis="cannot_cope",
        )
    assert refused.value.reason == "basis_kind_not_allowed"
    assert written(case) == (0, 0, 1)


def test_the_other_contact_bases_need_the_consent(world) -> None:
    case = bare_case(world)
    for choice in ("consented", "client_asked"):
        with pytest.raises(NoLawfulBasis):
            send(world, case, "contact", basis=choice)
    assert written(case) == (0, 0, 1)


@pytest.mark.parametrize(("type_", "sender"), sorted(WITHOUT_CONSENT))
def test_on_the_consent_one_row_per_referral_and_document(world, type_, sender) -> None:
    case = world.open_case()
    consent = Consent.objects.get(client=case.client)
    referral = send(world, case, type_, sender, files=[pdf(), pdf("hakemus.pdf")])
    rows = Disclosure.objects.filter(client=case.client).exclude(object_type="case")
    documents = referral.thread.messages.get().attachments.all()
    assert sorted((r.object_type, r.object_id) for r in rows) == sorted(
        [("referral", str(referral.public_id))]
        + [("attachment", str(d.public_id)) for d in documents]
    )
    assert len(documents) == 2 and {r.consent_id for r in rows} == {consent.pk}
    own = rows.get(object_type="referral")
    assert own.kind == SPECS[type_].disclosure
    assert (own.discloser_unit_id, own.recipient_unit_id) == (
        referral.sender_unit_id,
        referral.receiver_unit_id,
    )
    assert not rows.filter(object_type="message").exists()  # the referral carries it
    audit = AuditEvent.objects.get(action="disclose", object_type="referral")
    assert audit.legal_basis == "consent" and audit.detail["disclosure"] == str(own.public_id)


# --- the outcome back to the sender ------------------------------------------------------


def _started(world: World, referral: Referral) -> Referral:
    for step in ("receive", "accept", "start"):
        referral = act(world, SOCIAL, referral, step)
    return referral


def test_outcome_needs_the_clients_consent(world) -> None:
    """No law obliges the report back (SHL 35 §): the outcome rests on the consent only."""
    case = bare_case(world)
    sent = send(
        world, case, "forwarded_application", choice=BasisChoice(statutory_basis="totul_14c")
    )
    referral = _started(world, sent)
    with translation.override("en"), pytest.raises(NoLawfulBasis) as refused:
        act(world, SOCIAL, referral, "complete", **COMPLETIONS["forwarded_application"])
    assert (refused.value.code, refused.value.reason) == ("no_lawful_basis", "no_consent")
    assert refused.value.lawful_bases == ()
    assert "No law obliges reporting it back" in str(refused.value.message)
    # A statutory basis does not stand in for it either.
    with pytest.raises(NoLawfulBasis):
        act(
            world,
            SOCIAL,
            referral,
            "complete",
            statutory_basis="totul_15",
            **COMPLETIONS["forwarded_application"],
        )
    assert Referral.objects.get(pk=referral.pk).status == "in_progress"
    assert not Disclosure.objects.filter(object_type="referral_outcome").exists()
    consent = give_consent(case.client, world.county, world.kela_unit)
    done = act(world, SOCIAL, referral, "complete", **COMPLETIONS["forwarded_application"])
    assert done.status == "completed"
    row = Disclosure.objects.get(object_type="referral_outcome")
    assert (row.object_id, row.kind, row.consent_id) == (
        str(referral.public_id),
        "outcome",
        consent.pk,
    )
    assert (row.discloser_unit_id, row.recipient_unit_id) == (
        world.social_unit.pk,
        world.kela_unit.pk,
    )
    assert (row.purpose, row.category) == (Purpose.OUTCOME_REPORT, Category.CONTACT_OUTCOME)
    audit = AuditEvent.objects.filter(object_type="referral", action="update").latest("pk")
    assert audit.legal_basis == "consent" and audit.detail["disclosure"] == str(row.public_id)


@pytest.mark.parametrize(
    ("purposes", "categories", "reason"),
    [
        ([Purpose.JOINT_ASSISTANCE], list(Category.values), "consent_purpose_out_of_scope"),
        (list(Purpose.values), [Category.APPLICATIONS], "consent_category_out_of_scope"),
    ],
)
def test_a_consent_that_does_not_cover_the_outcome_is_refused(
    world, purposes, categories, reason
) -> None:
    case = bare_case(world)
    referral = _started(
        world,
        send(
            world,
            case,
            "assessment_before_reduction",
            choice=BasisChoice(statutory_basis="totul_18h"),
        ),
    )
    give_consent(
        case.client, world.county, world.kela_unit, purposes=purposes, categories=categories
    )
    with pytest.raises(NoLawfulBasis) as refused:
        act(world, SOCIAL, referral, "complete", **COMPLETIONS["assessment_before_reduction"])
    assert refused.value.reason == reason
    assert Referral.objects.get(pk=referral.pk).status == "in_progress"


def test_other_steps_disclose_nothing(world) -> None:
    case = bare_case(world)
    referral = send(
        world, case, "forwarded_application", choice=BasisChoice(statutory_basis="totul_14c")
    )
    before = Disclosure.objects.count()
    _started(world, referral)
    act(world, SOCIAL, Referral.objects.get(pk=referral.pk), "hold", reason_text="Liite puuttuu")
    assert Disclosure.objects.count() == before


# --- the pages and the API ---------------------------------------------------------------


@pytest.fixture
def pages(world, settings) -> dict[str, HttpClient]:
    settings.SILTA_DEMO_SKIP_TOTP = True
    result = {}
    for key in (KELA, SOCIAL):
        http = HttpClient()
        http.cookies["django_language"] = "en"
        http.force_login(world.users[key])
        result[key] = http
    return result


def _token(page: str) -> str:
    found = re.search(r'name="client_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_new_referral_page_refuses_without_basis_and_keeps_the_text(world, pages) -> None:
    case = bare_case(world)
    url = f"/cases/{case.public_id}/referrals/new/"
    form = pages[KELA].get(url, {"type": "contact"}).content.decode()
    assert 'data-testid="basis-missing"' in form
    assert 'value="shl_35_2_no_consent"' in form  # the basis the contact may choose
    data = {
        "type": "contact",
        "description": "Asiakas pyysi yhteydenottoa, vuokrat rästissä.",
        "concerns": ["housing_risk"],
        "basis": "consented",
        "client_token": _token(form),
    }
    refused = pages[KELA].post(url, data)
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'data-testid="basis-error"' in html and "Not sent" in html
    assert "Asiakas pyysi yhteydenottoa, vuokrat rästissä." in html
    assert written(case) == (0, 0, 1)
    sent = pages[KELA].post(url, {**data, "basis": "cannot_cope"})
    assert sent.status_code == 302
    row = Disclosure.objects.get(object_type="referral")
    assert row.statutory_basis == "shl_35_2_no_consent" and row.inform_client is True


def test_new_referral_page_sends_on_a_chosen_statutory_basis(world, pages) -> None:
    case = bare_case(world)
    url = f"/cases/{case.public_id}/referrals/new/"
    form = pages[KELA].get(url, {"type": "assessment_before_reduction"}).content.decode()
    assert 'value="totul_18h"' in form
    data = {"type": "assessment_before_reduction", "description": "x", "client_token": _token(form)}
    assert pages[KELA].post(url, data).status_code == 400
    sent = pages[KELA].post(url, {**data, "statutory_basis": "totul_18h"})
    assert sent.status_code == 302
    assert Disclosure.objects.get(object_type="referral").statutory_basis == "totul_18h"


def test_new_referral_page_shows_the_consent_it_goes_out_on(world, pages) -> None:
    case = world.open_case()
    form = pages[KELA].get(f"/cases/{case.public_id}/referrals/new/", {"type": "contact"})
    assert 'data-testid="basis-consent"' in form.content.decode()


def test_outcome_step_refused_without_consent_keeps_the_text(world, pages) -> None:
    case = bare_case(world)
    referral = send(
        world, case, "forwarded_application", choice=BasisChoice(statutory_basis="totul_14c")
    )
    referral = _started(world, referral)
    detail = f"/referrals/{referral.public_id}/"
    page = pages[SOCIAL].get(detail).content.decode()
    assert 'data-testid="basis-consent-only"' in page  # the outcome: consent only
    text = "Myönnetty osittain, vuokravakuus 600 euroa."
    refused = pages[SOCIAL].post(
        f"{detail}act/",
        {
            "action": "complete",
            "version": referral.version,
            "outcome": "partly_granted",
            "outcome_text": text,
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'data-testid="basis-error"' in html and "No law obliges reporting it back" in html
    assert text in html
    assert Referral.objects.get(pk=referral.pk).status == "in_progress"
    give_consent(case.client, world.county, world.kela_unit)
    assert 'data-testid="basis-consent"' in pages[SOCIAL].get(detail).content.decode()


class Api:
    def __init__(self, unit) -> None:
        issued = api_key_issue(unit=unit, name="CMS")
        self.http = HttpClient(
            HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en"
        )

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.http.post(f"/api/v1{path}", data, content_type="application/json")


def test_api_answers_422_and_sends_on_the_named_basis(world) -> None:
    case = bare_case(world)
    kela, social = Api(world.kela_unit), Api(world.social_unit)
    body = {
        "case_id": str(case.public_id),
        "type": "assessment_before_reduction",
        "description": "Palvelutarpeen arviointi ennen 40 %:n alentamista",
    }
    refused = kela.post("/referrals", body)
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["lawful_bases"]) == (
        "no_lawful_basis",
        ["totul_18h"],
    )
    assert written(case) == (0, 0, 1)
    sent = kela.post("/referrals", {**body, "statutory_basis": "totul_18h"})
    assert sent.status_code == 201, sent.json()
    row = Disclosure.objects.get(object_type="referral")
    assert (row.object_id, row.statutory_basis) == (sent.json()["id"], "totul_18h")
    path = f"/referrals/{sent.json()['id']}/transitions"
    for step in ("receive", "accept"):
        assert social.post(path, {"action": step}).status_code == 200
    outcome = {"action": "complete", "outcome": "attended", "outcome_date": "2026-12-01"}
    refused = social.post(path, outcome)
    assert refused.status_code == 422 and refused.json()["code"] == "no_lawful_basis"
    consent = give_consent(case.client, world.county, world.kela_unit)
    done = social.post(path, {**outcome, "consent_id": str(consent.public_id)})
    assert done.status_code == 200, done.json()
    assert Disclosure.objects.get(object_type="referral_outcome").consent_id == consent.pk


def test_every_type_is_in_the_helpers_list() -> None:
    assert set(ALL_TYPES) == set(SPECS)
