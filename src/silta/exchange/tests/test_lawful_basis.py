"""The lawful basis of what a shared case discloses (703/2023 10 §, SHL 35 §, Totul 18 b/h §).

Opening a case, a message and each of its documents go to the other organisation only on
the client's consent in force or on a statutory basis the sender chooses; a refusal
writes nothing but one audit "denied" row, and every disclosure is one row of the
disclosure log (luovutusloki) naming its basis. The scene (a case on the client's
consent, one on Totul 18 h § without consent, one on a consent that covers messages but
not documents) is built once for the module; each test's writes are rolled back.
"""

from __future__ import annotations

import copy
import os
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation

from silta.accounts.actor import Actor
from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.clients.models import Client
from silta.consents.codes import Category, DisclosureKind
from silta.consents.disclosures import NoLawfulBasis
from silta.consents.forms import BasisFields
from silta.consents.gate import BasisChoice, basis_preview, gate_decide
from silta.consents.models import Consent, Disclosure
from silta.consents.services import consent_revoke
from silta.exchange import services
from silta.exchange.models import Attachment, Case, Message, Thread
from silta.organisations.models import Unit
from tests.factories import World, browser_client, give_consent, make_client, pdf, png

pytestmark = pytest.mark.django_db

KELA_BASIS = BasisChoice(statutory_basis="totul_18h")  # Kela tells the organiser
# SHL 35 § 2 mom.: Kela notifies without consent, affirming why it cannot be asked.
SHL_35_2 = BasisChoice(statutory_basis="shl_35_2_no_consent", circumstance="child_interest")
NO_CONSENT = "Not sent: the client has no consent recorded for this."


@dataclass
class Scene:
    world: World
    consent: Consent  # client 0's broad consent ("the checkbox on the application")
    thread: Thread  # on client 0's case, Kela Itä <-> Kuopio, started by Kela
    bare: Case  # client 1: no consent; opened by Kela on Totul 18 h §
    bare_thread: Thread
    narrow: Consent  # client 2: messages (benefit decisions) but no documents
    narrow_thread: Thread


def _build(world: World) -> Scene:
    kela = world.actor("kela_processor")
    thread = world.thread(world.open_case(world.clients[0])).thread
    bare, _ = services.case_open(
        actor=kela,
        client=world.clients[1],
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=KELA_BASIS,
    )
    bare_thread = services.thread_start(
        actor=kela, case=bare, subject="Alentaminen", body="Päätös tehty.", basis=KELA_BASIS
    ).thread
    categories: list[str] = [Category.BENEFIT_DECISIONS, Category.CONTACT_DETAILS]
    narrow = give_consent(world.clients[2], world.county, world.kela_unit, categories=categories)
    narrow_thread = world.thread(world.open_case(world.clients[2])).thread
    consent = Consent.objects.get(client=world.clients[0])
    return Scene(world, consent, thread, bare, bare_thread, narrow, narrow_thread)


@pytest.fixture(scope="module")
def module_basis_scene(module_world, django_db_blocker) -> Scene:
    with django_db_blocker.unblock():
        return _build(module_world)


@pytest.fixture
def scene(module_basis_scene, db, settings) -> Scene:
    """The module's scene as it was built (a test's writes are rolled back)."""
    settings.SILTA_DEMO_SKIP_TOTP = True
    return copy.deepcopy(module_basis_scene)


def _written() -> tuple[int, ...]:
    """What a send or an opening writes, counted (threads, messages, documents, disclosure
    rows, stored files)."""
    files = sum(len(names) for _dir, _subdirs, names in os.walk(django_settings.SILTA_STORAGE_ROOT))
    return (
        Thread.objects.count(),
        Message.objects.count(),
        Attachment.objects.count(),
        Disclosure.objects.count(),
        files,
    )


def _denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="denied").order_by("pk"))


def browser(user: Any) -> HttpClient:
    http = browser_client("en")
    http.force_login(user)
    return http


def basis_fieldset(html: str) -> str:
    """The lawful-basis fieldset of a page (it holds fieldsets of its own)."""
    start = html.index('data-testid="basis"')
    depth, position = 1, start
    for tag in re.finditer(r"<fieldset|</fieldset>", html[start:]):
        depth += 1 if tag.group() == "<fieldset" else -1
        position = start + tag.end()
        if depth == 0:
            break
    return html[start:position]


def _options(fieldset: str) -> list[str]:
    return re.findall(r'name="statutory_basis" id="[^"]*" value="([^"]*)"', fieldset)


def _api(unit: Unit) -> HttpClient:
    issued = api_key_issue(unit=unit, name="CMS")
    return HttpClient(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", HTTP_ACCEPT_LANGUAGE="en")


# --- refused: nothing written but one audit "denied" row ----------------------------------


@pytest.mark.parametrize("with_file", [False, True])
def test_a_message_without_consent_or_basis_is_refused_and_nothing_is_written(
    scene, with_file
) -> None:
    before, denied = _written(), len(_denied())
    with pytest.raises(NoLawfulBasis) as excinfo:
        services.message_send(
            actor=scene.world.actor("kela_processor"),
            thread=scene.bare_thread,
            body="Lisätietoja",
            files=[pdf()] if with_file else [],
        )
    assert (excinfo.value.code, excinfo.value.field) == ("no_lawful_basis", "statutory_basis")
    assert (excinfo.value.reason, excinfo.value.lawful_bases) == ("no_consent", ("totul_18h",))
    assert _written() == before
    rows = _denied()
    assert len(rows) == denied + 1
    assert (rows[-1].client, rows[-1].detail["disclose"], rows[-1].detail["reason"]) == (
        scene.world.clients[1],
        "message",
        "no_consent",
    )


@pytest.mark.parametrize("form", ["thread_start", "message_send"])
def test_the_web_form_keeps_the_text_and_shows_the_reason_in_the_basis_fieldset(
    scene, form
) -> None:
    http = browser(scene.world.users["kela_processor"])
    text = "Asiakkaan perusosaa on alennettu 20 %."
    data: dict[str, Any]
    if form == "thread_start":
        url = reverse("exchange:thread_start", args=[scene.bare.public_id])
        data = {"subject": "Alentaminen 2", "body": text}
    else:
        url = reverse("exchange:message_send", args=[scene.bare_thread.public_id])
        data = {"body": text, "version": scene.bare_thread.version}
    data.update(client_token=str(uuid.uuid4()), attachments=[pdf()])
    before, denied = _written(), len(_denied())
    response = http.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf">\s*{re.escape(text)}</textarea>", html)  # the text is kept
    fieldset = basis_fieldset(html)
    assert 'data-testid="basis-missing"' in fieldset
    error = re.search(r'data-testid="basis-error">([^<]*)<', fieldset)
    assert error is not None and error.group(1).startswith(NO_CONSENT)
    assert "Totul 18 h §" in error.group(1)
    assert _options(fieldset) == ["totul_18h"]
    assert _written() == before and len(_denied()) == denied + 1


@pytest.mark.parametrize(
    ("unit", "bases"), [("kela_unit", ["totul_18h"]), ("social_unit", ["totul_18b"])]
)
def test_the_api_answers_422_no_lawful_basis_with_the_lawful_bases(scene, unit, bases) -> None:
    api = _api(getattr(scene.world, unit))
    before, denied = _written(), len(_denied())
    for path, data in [
        (f"/api/v1/threads/{scene.bare_thread.public_id}/messages", {"body": "Tieto"}),
        (f"/api/v1/cases/{scene.bare.public_id}/threads", {"subject": "Uusi", "body": "Tieto"}),
    ]:
        response = api.post(path, {**data, "files": [pdf()]})
        assert response.status_code == 422, response.content
        body = response.json()
        assert (body["code"], body["field"], body["lawful_bases"]) == (
            "no_lawful_basis",
            "statutory_basis",
            bases,
        )
    assert _written() == before and len(_denied()) == denied + 2
    # Resent with one of them, it goes out.
    sent = api.post(
        f"/api/v1/threads/{scene.bare_thread.public_id}/messages",
        {"body": "Tieto", "statutory_basis": bases[0]},
    )
    assert sent.status_code == 201, sent.content
    message = Message.objects.get(public_id=sent.json()["id"])
    assert Disclosure.objects.get(object_id=str(message.public_id)).statutory_basis == bases[0]


# --- a statutory basis for the direction --------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "basis"), [("kela_processor", "totul_18h"), ("social_worker", "totul_18b")]
)
def test_a_statutory_basis_for_the_direction_sends_and_logs_each_disclosure(
    scene, sender, basis
) -> None:
    actor = scene.world.actor(sender)
    message = services.message_send(
        actor=actor,
        thread=scene.bare_thread,
        body="Tieto alentamisesta",
        files=[pdf(), png()],
        basis=BasisChoice(statutory_basis=basis),
    )
    documents = {str(a.public_id) for a in message.attachments.all()}
    rows = Disclosure.objects.filter(object_id__in={str(message.public_id), *documents})
    assert sorted((row.kind, row.object_id in documents) for row in rows) == [
        ("attachment", True),
        ("attachment", True),
        ("message", False),
    ]
    sender_unit = message.sender_unit
    for row in rows:
        assert (row.statutory_basis, row.consent_id, row.inform_client) == (basis, None, True)
        assert (row.client, row.discloser_unit, row.recipient_unit) == (
            scene.world.clients[1],
            sender_unit,
            message.recipient_unit,
        )
        assert row.discloser_user == actor.user
    audit = AuditEvent.objects.get(action="disclose", object_id=str(message.public_id))
    assert audit.legal_basis == "statutory_duty"


def test_the_web_reply_goes_out_on_the_chosen_statutory_basis(scene) -> None:
    http = browser(scene.world.users["social_worker"])
    url = reverse("exchange:message_send", args=[scene.bare_thread.public_id])
    data: dict[str, Any] = {"body": "Suunnitelma liitteenä", "version": scene.bare_thread.version}
    data.update(client_token=str(uuid.uuid4()), attachments=[pdf()], statutory_basis="totul_18b")
    response = http.post(url, data)
    assert response.status_code == 302
    message = Message.objects.get(body="Suunnitelma liitteenä")
    rows = Disclosure.objects.filter(
        client=scene.world.clients[1], occurred_at__gte=message.sent_at
    )
    assert sorted(rows.values_list("kind", "statutory_basis")) == [
        ("attachment", "totul_18b"),
        ("message", "totul_18b"),
    ]


# --- consents that do not cover ------------------------------------------------------------


def test_a_consent_revoked_between_composing_and_sending_refuses(scene) -> None:
    user = scene.world.users["kela_processor"]
    http = browser(user)
    page = http.get(reverse("exchange:thread", args=[scene.thread.public_id])).content.decode()
    assert 'data-testid="basis-consent"' in basis_fieldset(page)
    consent_revoke(actor=Actor.for_user(user), consent=scene.consent, how="phone")
    before = _written()
    response = http.post(
        reverse("exchange:message_send", args=[scene.thread.public_id]),
        {
            "body": "Kirjoitettu ennen peruutusta",
            "version": scene.thread.version,
            "client_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    fieldset = basis_fieldset(response.content.decode())
    assert "Not sent: the consent has been revoked." in fieldset
    assert 'data-testid="basis-missing"' in fieldset and _options(fieldset) == ["totul_18h"]
    assert _written() == before


def test_a_consent_revoked_after_the_decision_rolls_the_whole_send_back(scene, monkeypatch) -> None:
    """The revocation lands between the decision and the write: the disclosure log's
    check inside the transaction refuses, and the stored document is removed again."""
    actor = scene.world.actor("kela_processor")
    decide = services._decide

    def decide_then_revoke(*args: Any) -> Any:
        decided = decide(*args)
        consent_revoke(actor=actor, consent=scene.consent, how="in_person")
        return decided

    monkeypatch.setattr(services, "_decide", decide_then_revoke)
    before, denied = _written(), len(_denied())
    with pytest.raises(NoLawfulBasis) as excinfo:
        services.message_send(actor=actor, thread=scene.thread, body="Hei", files=[pdf()])
    assert excinfo.value.reason == "consent_revoked"
    assert _written() == before
    # The refusal inside the write is audited like every other one (outside the rollback).
    rows = _denied()
    assert len(rows) == denied + 1
    assert (rows[-1].detail["disclose"], rows[-1].detail["reason"]) == (
        "message",
        "consent_revoked",
    )


def test_a_consent_for_messages_but_not_documents_refuses_a_message_with_a_file(scene) -> None:
    actor = scene.world.actor("kela_processor")
    before, denied = _written(), len(_denied())
    with pytest.raises(NoLawfulBasis) as excinfo:
        services.message_send(
            actor=actor, thread=scene.narrow_thread, body="Hakemus liitteenä", files=[pdf()]
        )
    assert excinfo.value.reason == "consent_category_out_of_scope"
    assert _written() == before
    rows = _denied()
    assert len(rows) == denied + 1 and rows[-1].detail["disclose"] == "attachment"
    # The same message without the document goes out on the consent.
    message = services.message_send(actor=actor, thread=scene.narrow_thread, body="Ilman liitettä")
    row = Disclosure.objects.get(object_id=str(message.public_id))
    assert (row.kind, row.consent_id, row.statutory_basis) == ("message", scene.narrow.pk, "")


# --- opening a case -------------------------------------------------------------------------


def _open(world: World, client: Client, basis: BasisChoice) -> Case:
    case, created = services.case_open(
        actor=world.actor("kela_processor"),
        client=client,
        acting_unit_id=world.kela_unit.pk,
        counterpart_unit_id=world.social_unit.pk,
        basis=basis,
    )
    assert created
    return case


def test_opening_a_case_on_shl_35_2_needs_the_circumstance(scene) -> None:
    world, client = scene.world, make_client()
    before, denied = _written(), len(_denied())
    with pytest.raises(NoLawfulBasis) as excinfo:
        _open(world, client, BasisChoice(statutory_basis="shl_35_2_no_consent"))
    assert excinfo.value.reason == "basis_condition_not_met"
    assert not Case.objects.filter(client=client).exists()
    assert _written() == before and len(_denied()) == denied + 1
    shl = BasisChoice(statutory_basis="shl_35_2_no_consent", circumstance="cannot_be_asked")
    case = _open(world, client, shl)
    row = Disclosure.objects.get(object_id=str(case.public_id))
    assert (row.kind, row.statutory_basis, row.inform_client) == (
        "case_open",
        "shl_35_2_no_consent",
        True,
    )
    # SHL 35 § 2 mom. covers the contact only: a message on the case needs its own basis.
    with pytest.raises(NoLawfulBasis) as excinfo:
        services.thread_start(actor=world.actor("kela_processor"), case=case, subject="S", body="B")
    assert excinfo.value.lawful_bases == ("totul_18h",)


def test_the_web_opening_form_asks_for_the_circumstance(scene) -> None:
    world, client = scene.world, make_client()
    http = browser(world.users["kela_processor"])
    url = reverse("exchange:case_open", args=[client.public_id])
    data = {
        "acting_unit": str(world.kela_unit.public_id),
        "counterpart_unit": str(world.social_unit.public_id),
        "statutory_basis": "shl_35_2_no_consent",
    }
    refused = http.post(url, data)
    assert refused.status_code == 400
    assert "only in the circumstances the law names" in basis_fieldset(refused.content.decode())
    assert not Case.objects.filter(client=client).exists()
    assert http.post(url, {**data, "circumstance": "child_interest"}).status_code == 302
    assert Case.objects.get(client=client).legal_basis == "welfare_concern"


@pytest.mark.parametrize(
    ("basis", "legal_basis"),
    [
        (None, "consent"),
        (SHL_35_2, "welfare_concern"),
        (BasisChoice(statutory_basis="totul_14c"), "client_request"),
        (KELA_BASIS, "statutory_duty"),
    ],
)
def test_the_case_legal_basis_is_derived_from_the_decision(scene, basis, legal_basis) -> None:
    world, client = scene.world, make_client()
    if basis is None:
        give_consent(client, world.county, world.kela_unit)
    case = _open(world, client, basis or BasisChoice())
    assert case.legal_basis == legal_basis
    created = AuditEvent.objects.get(action="create", object_id=str(case.public_id))
    assert created.legal_basis == legal_basis


def test_the_api_opens_a_case_only_on_a_lawful_basis(scene) -> None:
    api, client = _api(scene.world.kela_unit), make_client()
    data = {
        "client_id": str(client.public_id),
        "counterpart_unit_id": str(scene.world.social_unit.public_id),
    }
    refused = api.post("/api/v1/cases", data, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["lawful_bases"] == ["shl_35_2_no_consent", "totul_14c", "totul_18h"]
    assert not Case.objects.filter(client=client).exists()
    data["statutory_basis"] = "totul_18h"
    opened = api.post("/api/v1/cases", data, content_type="application/json")
    assert opened.status_code == 201 and opened.json()["legal_basis"] == "statutory_duty"


# --- what the compose pages show ------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "page", "shown", "options"),
    [
        ("kela_processor", "case", "basis-consent", []),
        ("social_worker", "thread", "basis-consent", []),
        ("kela_processor", "bare_case", "basis-missing", ["totul_18h"]),
        ("social_worker", "bare_thread", "basis-missing", ["totul_18b"]),
    ],
)
def test_the_compose_pages_show_the_covering_consent_or_the_options(
    scene, user, page, shown, options
) -> None:
    urls = {
        "case": reverse("exchange:case", args=[scene.thread.case.public_id]),
        "thread": reverse("exchange:thread", args=[scene.thread.public_id]),
        "bare_case": reverse("exchange:case", args=[scene.bare.public_id]),
        "bare_thread": reverse("exchange:thread", args=[scene.bare_thread.public_id]),
    }
    response = browser(scene.world.users[user]).get(urls[page])
    assert response.status_code == 200
    fieldset = basis_fieldset(response.content.decode())
    assert f'data-testid="{shown}"' in fieldset
    assert _options(fieldset) == options
    assert 'data-testid="basis-error"' not in fieldset
    assert 'data-testid="basis-documents"' not in fieldset


def test_the_thread_page_warns_when_the_consent_does_not_cover_documents(scene) -> None:
    url = reverse("exchange:thread", args=[scene.narrow_thread.public_id])
    response = browser(scene.world.users["kela_processor"]).get(url)
    fieldset = basis_fieldset(response.content.decode())
    assert 'data-testid="basis-consent"' in fieldset
    assert 'data-testid="basis-documents"' in fieldset


# --- within one organisation -----------------------------------------------------------------


def test_within_one_organisation_nothing_is_gated(scene) -> None:
    """Kela Itä to Kela Etelä (or one county's units) disclose nothing: no consent is
    needed, nothing is logged, the compose page says so."""
    world, client = scene.world, make_client()  # no consent at all
    before, denied = _written(), len(_denied())
    for discloser, recipient, key in [
        (world.kela_unit, world.kela_unit2, "kela_processor"),
        (world.social_unit, world.social_unit2, "social_worker"),
    ]:
        for kind in (DisclosureKind.CASE_OPEN, DisclosureKind.MESSAGE, DisclosureKind.ATTACHMENT):
            decided = gate_decide(
                actor=world.actor(key),
                client=client,
                unit_id=discloser.pk,
                recipient=recipient,
                kind=kind,
                object_type="message",
            )
            assert decided is None
            preview = basis_preview(
                client=client, unit_id=discloser.pk, recipient=recipient, kind=kind
            )
            assert (preview.between_organisations, preview.needs_choice) == (False, False)
    assert _written() == before and len(_denied()) == denied
    with translation.override("en"):
        html = render_to_string("consents/_basis.html", {"basis": preview, "form": BasisFields()})
    assert "nothing is disclosed" in html and 'name="statutory_basis"' not in html


def test_an_idempotency_key_is_not_reused_for_another_basis(scene) -> None:
    """A refusal is the key's result; the same key resent with a basis is another request
    (409), not the stored refusal again."""
    api = _api(scene.world.kela_unit)
    path = f"/api/v1/threads/{scene.bare_thread.public_id}/messages"
    key = {"Idempotency-Key": "viesti-1"}
    assert api.post(path, {"body": "Tieto"}, headers=key).status_code == 422
    assert api.post(path, {"body": "Tieto"}, headers=key).status_code == 422
    resent = api.post(path, {"body": "Tieto", "statutory_basis": "totul_18h"}, headers=key)
    assert (resent.status_code, resent.json()["code"]) == (409, "idempotency_key_reused")
