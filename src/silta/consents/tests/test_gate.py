"""The gate every disclosing action passes (consents/gate.py): what each action discloses,
the decision before the write (a refusal audited, nothing else written), the log row
inside it, the audit trail's coarse legal basis, the compose page's preview, and the API's
list of statutory bases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent, LegalBasis
from silta.config.api import api
from silta.consents.bases import BASES
from silta.consents.codes import Category, Circumstance, DisclosureKind, Purpose
from silta.consents.disclosures import REFUSALS, Authorised, DisclosureInput, NoLawfulBasis
from silta.consents.gate import (
    NO_CHOICE,
    WHAT,
    BasisChoice,
    BasisOption,
    BasisPreview,
    basis_preview,
    disclosed,
    gate_decide,
    gate_log,
    legal_basis_of,
)
from silta.consents.models import Disclosure
from silta.consents.rules import Allowed
from silta.consents.services import consent_revoke
from silta.organisations.models import Unit
from tests.factories import World, give_consent

K = DisclosureKind


def test_what_says_what_every_kind_discloses_both_ways():
    assert set(WHAT) == set(DisclosureKind.values)
    for kind, rows in WHAT.items():
        assert len(rows) == 2, kind
        for row in rows:
            assert row.purpose in Purpose.values and row.category in Category.values, kind
        assert (disclosed(kind, True), disclosed(kind, False)) == rows
    # The same action can disclose different data by direction: Kela's document is the
    # application, social services' a plan or a statement.
    assert disclosed(K.ATTACHMENT, True).category == Category.APPLICATIONS
    assert disclosed(K.ATTACHMENT, False).category == Category.PLANS


@pytest.mark.parametrize(
    "value",
    [
        NO_CHOICE,
        WHAT[K.MESSAGE][0],
        BasisOption(BASES["totul_14c"], ()),
        BasisPreview(False, None, "", ()),
    ],
    ids=lambda value: type(value).__name__,
)
def test_the_gates_choices_and_answers_are_values(value):
    """NO_CHOICE is every disclosing service's default and WHAT is the law's table:
    nothing may change them (or a preview once made) at run time."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, dataclasses.fields(value)[0].name, None)


def test_the_senders_choice_is_named_by_keyword():
    # By position, a basis id could land in the consent's place unnoticed.
    with pytest.raises(TypeError):
        BasisChoice(None, "totul_14c")  # type: ignore[call-arg]


# --- gate_decide and gate_log --------------------------------------------------------------


def _counts() -> tuple[int, int]:
    return Disclosure.objects.count(), AuditEvent.objects.count()


def _decide(
    world: World,
    kind: str,
    *,
    key: str = "kela_processor",
    recipient: Unit | None = None,
    choice: BasisChoice | None = None,
    client: int = 0,
) -> Authorised | None:
    actor = world.actor(key)
    default = world.social_unit if key.startswith("kela") else world.kela_unit
    return gate_decide(
        actor=actor,
        client=world.clients[client],
        unit_id=actor.memberships[0].unit_id,
        recipient=recipient or default,
        kind=kind,
        object_type=kind,
        choice=choice or BasisChoice(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "recipient"),
    [("kela_processor", "kela_unit2"), ("social_worker", "social_unit2")],
)
def test_within_one_organisation_the_gate_lets_it_through_and_writes_nothing(world, key, recipient):
    # No consent at all: between the organisations this would be refused.
    before = _counts()
    unit = getattr(world, recipient)
    for kind in DisclosureKind.values:
        assert _decide(world, kind, key=key, recipient=unit) is None
        # The recipient may be given by its id too.
        assert _decide(world, kind, key=key, recipient=unit.pk) is None
    assert gate_log(None, object_id="x") is None
    assert legal_basis_of(None) == ""
    assert _counts() == before


@pytest.mark.django_db
def test_a_loaded_discloser_saves_the_query(world, django_assert_num_queries):
    kela_unit, kela_unit2 = (
        Unit.objects.select_related("organisation").get(pk=unit.pk)
        for unit in (world.kela_unit, world.kela_unit2)
    )
    actor = world.actor("kela_processor")
    with django_assert_num_queries(0):
        decided = gate_decide(
            actor=actor,
            client=world.clients[0],
            unit_id=kela_unit.pk,
            recipient=kela_unit2,
            kind=K.MESSAGE,
            object_type="message",
            discloser=kela_unit,
        )
    assert decided is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "recipient", "stray"),
    [
        # The stray unit's id sorts after the acting unit's, and before it.
        ("kela_processor", "kela_unit2", "social_unit"),
        ("social_worker", "social_unit2", "kela_unit"),
    ],
)
def test_a_discloser_that_is_not_the_acting_unit_is_not_believed(world, key, recipient, stray):
    # Believed, the stray unit would send to the other organisation (refused: no consent);
    # the acting unit's own is loaded instead, and within one organisation nothing goes.
    actor = world.actor(key)
    assert getattr(world, stray).pk not in actor.unit_ids
    decided = gate_decide(
        actor=actor,
        client=world.clients[0],
        unit_id=actor.memberships[0].unit_id,
        recipient=getattr(world, recipient),
        kind=K.MESSAGE,
        object_type="message",
        discloser=getattr(world, stray),
    )
    assert decided is None


@pytest.mark.django_db
def test_a_refusal_writes_one_denied_audit_row_and_nothing_else(world):
    disclosures, events = _counts()
    with pytest.raises(NoLawfulBasis) as refused:
        _decide(world, K.MESSAGE)
    assert (refused.value.reason, refused.value.lawful_bases) == ("no_consent", ("totul_18h",))
    assert refused.value.details() == {"lawful_bases": ["totul_18h"]}
    assert _counts() == (disclosures, events + 1)
    row = AuditEvent.objects.latest("id")
    assert (row.action, row.client, row.unit_id) == ("denied", world.clients[0], world.kela_unit.pk)
    assert row.detail == {
        "disclose": "message",
        "object": "message",
        "reason": "no_consent",
        "lawful_bases": ["totul_18h"],
    }


@pytest.mark.django_db
def test_a_case_opened_by_social_services_is_offered_their_own_sections(world):
    with pytest.raises(NoLawfulBasis) as refused:
        _decide(world, K.CASE_OPEN, key="social_worker")
    assert set(refused.value.lawful_bases) == {"totul_15", "totul_18b"}


@pytest.mark.django_db
def test_an_allowed_decision_writes_nothing_and_the_log_writes_one_row(world):
    consent = give_consent(world.clients[0], world.county, world.kela_unit)
    before = _counts()
    authorised = _decide(world, K.CASE_OPEN)
    assert authorised is not None
    assert authorised.allowed == Allowed(consent.pk, None)
    assert (authorised.data.purpose, authorised.data.category) == (
        Purpose.JOINT_ASSISTANCE,
        Category.CONTACT_DETAILS,
    )
    assert _counts() == before
    object_id = uuid.uuid4()
    row = gate_log(authorised, object_id=object_id)
    assert row is not None
    assert Disclosure.objects.count() == before[0] + 1
    assert (row.object_id, row.object_type, row.kind) == (str(object_id), "case_open", "case_open")
    assert (row.purpose, row.category) == ("joint_assistance", "contact_details")
    assert (row.consent, row.statutory_basis, row.inform_client) == (consent, "", False)
    assert (row.discloser_unit, row.recipient_unit) == (world.kela_unit, world.social_unit)
    assert legal_basis_of(authorised) == LegalBasis.CONSENT


@pytest.mark.django_db
def test_the_senders_choice_goes_through_the_gate(world):
    concern = BasisChoice(statutory_basis="shl_35_2_no_consent", circumstance="child_interest")
    authorised = _decide(world, K.CASE_OPEN, choice=concern)
    assert authorised is not None
    assert authorised.allowed == Allowed(None, "shl_35_2_no_consent", True)
    row = gate_log(authorised, object_id=41)
    assert row is not None
    assert (row.object_id, row.statutory_basis, row.inform_client) == (
        "41",
        concern.statutory_basis,
        True,
    )
    assert legal_basis_of(authorised) == LegalBasis.WELFARE_CONCERN
    # Without the circumstance the law names, SHL 35 § 2 refuses.
    with pytest.raises(NoLawfulBasis) as refused:
        _decide(world, K.CASE_OPEN, choice=BasisChoice(statutory_basis="shl_35_2_no_consent"))
    assert refused.value.reason == "basis_condition_not_met"
    # A named consent: that one only.
    narrow = give_consent(world.clients[0], world.county, world.kela_unit, categories=["plans"])
    broad = give_consent(world.clients[0], world.county, world.kela_unit)
    named = _decide(world, K.CASE_OPEN, choice=BasisChoice(consent_id=broad.public_id))
    assert named is not None and named.allowed.consent_id == broad.pk
    with pytest.raises(NoLawfulBasis) as refused:
        _decide(world, K.CASE_OPEN, choice=BasisChoice(consent_id=narrow.public_id))
    assert refused.value.reason == "consent_category_out_of_scope"


def _authorised(world: World, allowed: Allowed) -> Authorised:
    data = DisclosureInput(kind="message", category="", purpose="", object_type="message")
    actor = world.actor("kela_processor")
    return Authorised(actor, world.clients[0], world.kela_unit, world.social_unit, data, allowed)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("allowed", "legal_basis"),
    [
        (Allowed(3, None), LegalBasis.CONSENT),
        (Allowed(3, "shl_35_1_consent"), LegalBasis.CONSENT),
        (Allowed(3, "shl_35_2_no_consent", True), LegalBasis.CONSENT),
        (Allowed(None, "shl_35_2_no_consent", True), LegalBasis.WELFARE_CONCERN),
        (Allowed(None, "totul_14c"), LegalBasis.CLIENT_REQUEST),
        (Allowed(None, "totul_15", True), LegalBasis.STATUTORY_DUTY),
        (Allowed(None, "totul_18b", True), LegalBasis.STATUTORY_DUTY),
        (Allowed(None, "totul_18h", True), LegalBasis.STATUTORY_DUTY),
    ],
)
def test_the_audit_trails_legal_basis_of_a_decision(world, allowed, legal_basis):
    assert legal_basis_of(_authorised(world, allowed)) == legal_basis


# --- basis_preview -------------------------------------------------------------------------


def _preview(
    world: World,
    kind: str,
    *,
    key: str = "kela_processor",
    recipient: Unit | int | None = None,
    at: dt.datetime | None = None,
    documents: bool = False,
) -> BasisPreview:
    default = world.social_unit if key.startswith("kela") else world.kela_unit
    return basis_preview(
        client=world.clients[0],
        unit_id=world.actor(key).memberships[0].unit_id,
        recipient=recipient or default,
        kind=kind,
        at=at,
        documents=documents,
    )


@pytest.mark.django_db
def test_the_preview_picks_the_longest_lasting_covering_consent(world):
    give_consent(world.clients[0], world.county, world.kela_unit, days=30)
    longest = give_consent(world.clients[0], world.county, world.kela_unit, days=400)
    give_consent(world.clients[0], world.county, world.kela_unit, days=100)
    # Longer still, but it does not cover the data of a case.
    give_consent(world.clients[0], world.county, world.kela_unit, days=900, categories=["plans"])
    before = _counts()
    preview = _preview(world, K.CASE_OPEN)
    assert (preview.between_organisations, preview.consent) == (True, longest)
    assert (preview.needs_choice, preview.refusal, preview.reason, preview.options) == (
        False,
        "",
        "",
        (),
    )
    assert _counts() == before


@pytest.mark.django_db
def test_without_a_consent_the_preview_lists_the_bases_and_their_circumstances(world):
    preview = _preview(world, K.CASE_OPEN)
    assert (preview.consent, preview.needs_choice, preview.refusal) == (None, True, "no_consent")
    assert preview.reason == str(REFUSALS["no_consent"])
    options = {option.basis.id: option.circumstances for option in preview.options}
    assert options == {
        "shl_35_2_no_consent": (
            ("cannot_be_asked", str(Circumstance.CANNOT_BE_ASKED.label)),
            ("child_interest", str(Circumstance.CHILD_INTEREST.label)),
        ),
        "totul_14c": (),
        "totul_18h": (),
    }
    assert all(option.basis is BASES[option.basis.id] for option in preview.options)
    social = _preview(world, K.MESSAGE, key="social_worker")
    assert [option.basis.id for option in social.options] == ["totul_18b"]
    # An outcome from social services to Kela: only a consent makes it lawful.
    outcome = _preview(world, K.OUTCOME, key="social_worker")
    assert (outcome.needs_choice, outcome.options) == (True, ())


@pytest.mark.django_db
def test_the_preview_says_why_a_consent_does_not_do(world):
    consent = give_consent(world.clients[0], world.county, world.kela_unit, days=30)
    later = timezone.now() + dt.timedelta(days=60)
    expired = _preview(world, K.MESSAGE, at=later)
    assert (expired.consent, expired.refusal) == (None, "consent_expired")
    assert [option.basis.id for option in expired.options] == ["totul_18h"]
    assert _preview(world, K.MESSAGE).consent == consent
    consent_revoke(actor=world.actor("social_worker"), consent=consent, how="phone")
    revoked = _preview(world, K.MESSAGE)
    assert (revoked.consent, revoked.refusal) == (None, "consent_revoked")
    assert revoked.reason == str(REFUSALS["consent_revoked"])


@pytest.mark.django_db
def test_the_preview_reads_only_this_clients_consents_for_this_organiser(world):
    give_consent(world.clients[1], world.county, world.kela_unit)
    assert _preview(world, K.MESSAGE).refusal == "no_consent"
    vantaa = give_consent(world.clients[0], world.other_county, world.kela_unit)
    assert _preview(world, K.MESSAGE).refusal == "consent_party_out_of_scope"
    assert _preview(world, K.MESSAGE, recipient=world.other_social_unit).consent == vantaa


@pytest.mark.django_db
def test_the_preview_of_a_message_also_answers_for_its_documents(world):
    # The consent covers decisions (a message) but not applications (Kela's documents).
    consent = give_consent(
        world.clients[0], world.county, world.kela_unit, categories=["benefit_decisions"]
    )
    # Only when asked: by default the preview answers for the message alone.
    plain = basis_preview(
        client=world.clients[0],
        unit_id=world.kela_unit.pk,
        recipient=world.social_unit,
        kind=K.MESSAGE,
    )
    assert (plain.consent, plain.documents) == (consent, None)
    both = _preview(world, K.MESSAGE, documents=True)
    assert (both.consent, both.needs_choice, both.refusal, both.options) == (consent, False, "", ())
    attached = both.documents
    assert attached is not None
    assert (attached.consent, attached.needs_choice) == (None, True)
    assert attached.refusal == "consent_category_out_of_scope"
    assert [option.basis.id for option in attached.options] == ["totul_14c", "totul_18h"]
    assert attached.documents is None
    # Social services' documents are plans: on 15 § or 18 b §.
    social = _preview(world, K.MESSAGE, key="social_worker", documents=True)
    assert social.documents is not None and social.documents.refusal == (
        "consent_category_out_of_scope"
    )
    assert {option.basis.id for option in social.documents.options} == {"totul_15", "totul_18b"}


@pytest.mark.django_db
def test_within_one_organisation_the_preview_asks_nothing(world):
    for documents in (False, True):
        preview = _preview(world, K.MESSAGE, recipient=world.kela_unit2.pk, documents=documents)
        assert (preview.between_organisations, preview.consent, preview.refusal) == (
            False,
            None,
            "",
        )
        assert (preview.options, preview.needs_choice, preview.reason) == ((), False, "")
        assert preview.documents is None


# --- the API -------------------------------------------------------------------------------

SWEDISH = {
    "shl_35_1_consent": "FPA kontaktar socialtjänsten med klientens samtycke",
    "totul_15": "Socialtjänsten skickar FPA ett socialvårdsutlåtande (klienten hörd först)",
}
FINNISH = {
    "shl_35_1_consent": "Kela ottaa yhteyttä sosiaalipalveluihin asiakkaan suostumuksella",
    "totul_18b": "Sosiaalipalvelut ilmoittavat Kelalle alentamiseen vaikuttavat seikat",
}


@pytest.fixture
def headers(world) -> dict[str, str]:
    issued = api_key_issue(unit=world.kela_unit, name="Kela system")
    return {"Authorization": f"Bearer {issued.plaintext}"}


def _bases(client: Any, headers: dict[str, str], language: str) -> list[dict[str, Any]]:
    response = client.get(
        "/api/v1/statutory-bases", headers={**headers, "Accept-Language": language}
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_the_api_lists_every_statutory_basis_in_the_requests_language(client, headers):
    english = {b["id"]: b for b in _bases(client, headers, "en")}
    assert set(english) == set(BASES)
    assert english["shl_35_2_no_consent"] == {
        "id": "shl_35_2_no_consent",
        "law": "SHL 35 § 2 mom.",
        "description": str(BASES["shl_35_2_no_consent"].description),
        "kinds": ["case_open", "contact"],
        "categories": ["benefit_decisions", "contact_details"],
        "direction": "kela_to_social",
        "inform_client": True,
        "consent_required": False,
        "conditions": ["cannot_be_asked", "child_interest"],
    }
    assert english["shl_40_consent"]["consent_required"] is True
    assert english["totul_15"]["direction"] == "social_to_kela"
    assert english["shl_35_1_consent"]["description"] == (
        "Kela contacts social services with the client's consent"
    )
    swedish = {b["id"]: b["description"] for b in _bases(client, headers, "sv")}
    finnish = {b["id"]: b["description"] for b in _bases(client, headers, "fi")}
    for basis in BASES:
        # Every description is translated (none falls back to the English text).
        assert swedish[basis] != english[basis]["description"] != finnish[basis], basis
        assert swedish[basis] != finnish[basis], basis
    assert {b: swedish[b] for b in SWEDISH} == SWEDISH
    assert {b: finnish[b] for b in FINNISH} == FINNISH


@pytest.mark.django_db
def test_the_statutory_bases_need_a_key(client, world):
    response = client.get("/api/v1/statutory-bases")
    assert response.status_code == 401
    wrong = client.get("/api/v1/statutory-bases", headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401


def test_the_openapi_schema_documents_the_lawful_bases_of_a_refusal():
    schema = api.get_openapi_schema()
    error = schema["components"]["schemas"]["ErrorOut"]["properties"]
    assert {"type": "array", "items": {"type": "string"}} in error["lawful_bases"]["anyOf"]
    assert "statutory_basis" in error["lawful_bases"]["description"]
    operations = {
        op["operationId"]: op
        for path in schema["paths"].values()
        for method, op in path.items()
        if method in ("get", "post")
    }
    for disclosing in ("silta_exchange_api_open_case", "silta_exchange_api_start_thread"):
        refused = operations[disclosing]["responses"][422]
        assert "no_lawful_basis" in refused["description"]
        assert "lawful_bases" in refused["description"]
        assert refused["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
    listed = operations["silta_consents_api_statutory_bases"]["responses"][200]
    assert listed["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/StatutoryBasisOut"
    }
