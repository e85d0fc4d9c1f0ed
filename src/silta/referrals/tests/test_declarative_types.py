"""A referral type is one spec: a type declared here, in the test alone, works end to end.

The fixture registers a throwaway type at run time (no other file knows it). The web
form renders and sends it, the API accepts and returns it with its payload and documents
it in the OpenAPI, the referral page shows its fields, and its outcome closes the loop;
web and API refuse the same missing field with the same code.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.test import Client as HttpClient

from silta.api_keys.services import api_key_issue
from silta.consents.codes import DisclosureKind
from silta.referrals.forms import ReferralForm
from silta.referrals.models import Referral
from silta.referrals.types import SPECS
from silta.referrals.typespec import Direction, FieldSpec, Kind, TypeSpec
from silta.workdays.calendar import today

pytestmark = pytest.mark.django_db

HOUSING_CHECK = TypeSpec(
    type="housing_check",
    label="Housing check",
    direction=Direction.EITHER,
    disclosure=DisclosureKind.MEETING_REQUEST,
    rule="totul_15_consider",
    law="Test 1 §",
    fields=(
        FieldSpec(
            name="dwelling",
            kind=Kind.CHOICE,
            label="Kind of dwelling",
            choices=(("rented", "Rented flat"), ("shelter", "Shelter")),
            required=True,
        ),
        FieldSpec(
            name="visit_by",
            kind=Kind.DATE,
            label="Visit by",
            not_past=True,
        ),
        FieldSpec(name="landlord_told", kind=Kind.FLAG, label="Landlord told"),
        FieldSpec(name="notes", kind=Kind.LONG_TEXT, label="What was seen", max_length=50),
    ),
    outcomes=(("checked", "Checked on site"),),
    outcome_needs_text=("checked",),
)


@pytest.fixture
def housing_check(monkeypatch) -> TypeSpec:
    monkeypatch.setitem(SPECS, HOUSING_CHECK.type, HOUSING_CHECK)
    return HOUSING_CHECK


@pytest.fixture
def kela_page(world, settings) -> HttpClient:
    settings.SILTA_DEMO_SKIP_TOTP = True
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    http.cookies["django_language"] = "en"  # a chosen language wins over the default
    http.force_login(world.users["kela_processor"])
    return http


def _api(unit) -> HttpClient:
    issued = api_key_issue(unit=unit, name="CMS")
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")


def test_web_form_renders_and_sends_the_type(world, housing_check, kela_page) -> None:
    case = world.open_case()
    url = f"/cases/{case.public_id}/referrals/new/"
    assert 'value="housing_check"' in kela_page.get(url).content.decode()
    form = kela_page.get(url, {"type": "housing_check"}).content.decode()
    for name in ("dwelling", "visit_by", "landlord_told", "notes"):
        assert f'name="{name}"' in form
    assert "Rented flat" in form and 'type="date"' in form
    token = re.search(r'name="client_token" value="([^"]+)"', form)
    assert token is not None
    visit = today() + dt.timedelta(days=3)
    sent = kela_page.post(
        url,
        {
            "type": "housing_check",
            "description": "Asunnon kunto",
            "dwelling": "shelter",
            "visit_by": visit.isoformat(),
            "landlord_told": "on",
            "notes": "Kosteusvaurio",
            "client_token": token.group(1),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:1500]
    referral = Referral.objects.get()
    assert referral.payload == {
        "dwelling": "shelter",
        "visit_by": visit.isoformat(),
        "landlord_told": True,
        "notes": "Kosteusvaurio",
    }
    page = kela_page.get(sent["Location"]).content.decode()
    fields = re.search(r'data-testid="referral-fields">(.*?)</dl>', page, re.S)
    assert fields is not None
    for shown in ("Kind of dwelling", "Shelter", "Landlord told", "Kosteusvaurio", "Visit by"):
        assert shown in fields.group(1)
    assert "<h1>Housing check</h1>" in page


def test_web_and_api_refuse_the_same_missing_field(world, housing_check, kela_page) -> None:
    case = world.open_case()
    page = kela_page.post(
        f"/cases/{case.public_id}/referrals/new/",
        {"type": "housing_check", "notes": "y", "client_token": str(uuid.uuid4())},
    )
    assert page.status_code == 400 and "Fill in “Kind of dwelling”." in page.content.decode()
    api = _api(world.kela_unit)
    body = {"case_id": str(case.public_id), "type": "housing_check", "notes": "y"}
    response = api.post("/api/v1/referrals", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "dwelling_required"
    too_long = {**body, "dwelling": "rented", "notes": "x" * 51}
    response = api.post("/api/v1/referrals", too_long, content_type="application/json")
    assert response.json()["code"] == "notes_too_long"
    past = {**body, "dwelling": "rented", "visit_by": "2020-01-01"}
    response = api.post("/api/v1/referrals", past, content_type="application/json")
    assert response.json()["code"] == "visit_by_past"
    assert not Referral.objects.exists()


def test_api_sends_returns_and_completes_the_type(world, housing_check) -> None:
    kela, social = _api(world.kela_unit), _api(world.social_unit)
    case = world.open_case()
    body = {
        "case_id": str(case.public_id),
        "type": "housing_check",
        "description": "Asunnon kunto",
        "dwelling": "rented",
        "landlord_told": True,
    }
    created = kela.post("/api/v1/referrals", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    sent = created.json()
    assert sent["type"] == "housing_check"
    assert sent["payload"] == {"dwelling": "rented", "landlord_told": True, "notes": ""}
    path = f"/api/v1/referrals/{sent['id']}"
    read = social.get(path).json()  # the receiver's first read: received
    assert read["payload"] == sent["payload"] and read["status"] == "received"
    for step in ({"action": "accept"}, {"action": "complete", "outcome": "checked"}):
        moved = social.post(f"{path}/transitions", step, content_type="application/json")
        if step["action"] == "complete":
            assert moved.json()["code"] == "outcome_text_required"
    done = social.post(
        f"{path}/transitions",
        {"action": "complete", "outcome": "checked", "outcome_text": "Kunnossa"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["outcome"] == "checked"
    referral = Referral.objects.get()
    assert referral.outcome_label == "Checked on site"
    assert referral.thread.subject == "Housing check"


def test_openapi_documents_each_type_as_a_variant(world, housing_check) -> None:
    schema = _api(world.kela_unit).get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    mapping = components["ReferralIn"]["discriminator"]["mapping"]
    assert set(mapping) == set(SPECS)
    variant = components["HousingCheckReferralIn"]
    assert variant["properties"]["type"]["const"] == "housing_check"
    assert variant["properties"]["dwelling"]["enum"] == ["rented", "shelter"]
    assert "dwelling" in variant["required"] and "notes" not in variant["required"]
    assert variant["additionalProperties"] is False
    payloads = components["ReferralOut"]["properties"]["payload"]["anyOf"]
    assert {"$ref": "#/components/schemas/HousingCheckPayload"} in payloads
    # The always-urgent type has no "urgent" to send.
    assert "urgent" not in components["UrgentHandlingReferralIn"]["properties"]


# The lawful basis of the disclosure: the web picks a statutory basis (and its fact), the
# API may also name a consent.
BASIS_FORM = {"statutory_basis", "circumstance"}
BASIS_API = BASIS_FORM | {"consent_id"}
COMMON_FORM = {"description", "urgent", "expense_kind", "attachments", "client_token", *BASIS_FORM}
COMMON_API = {"case_id", "type", "description", "urgent", "expense_kind", *BASIS_API}


@pytest.mark.parametrize("code", sorted(SPECS))
def test_web_and_api_take_the_same_fields_for_every_type(world, code) -> None:
    fields = set(ReferralForm(referral_type=code).fields)
    schema = _api(world.kela_unit).get("/api/v1/openapi.json").json()
    variant = schema["components"]["schemas"][f"{SPECS[code].model_name}ReferralIn"]
    assert fields >= BASIS_FORM and set(variant["properties"]) >= BASIS_API
    own = {f.name for f in SPECS[code].fields}
    assert fields - COMMON_FORM == set(variant["properties"]) - COMMON_API == own


def test_api_sends_the_fields_only_the_web_could_send_before(world) -> None:
    """The drift of the two interfaces: "joint" and "planned_reduction" were web-only."""
    api = _api(world.kela_unit)
    case = world.open_case()
    sent = {"case_id": str(case.public_id), "description": "x"}
    meeting = {**sent, "type": "meeting_request", "proposed_times": "ti 10", "joint": True}
    reduction = {**sent, "type": "assessment_before_reduction", "planned_reduction": "40"}
    for body in (meeting, reduction):
        response = api.post("/api/v1/referrals", body, content_type="application/json")
        assert response.status_code == 201, response.json()
    payloads = {r.type: r.payload for r in Referral.objects.all()}
    assert payloads["meeting_request"] == {"proposed_times": "ti 10", "joint": True}
    assert payloads["assessment_before_reduction"] == {"planned_reduction": "40"}
