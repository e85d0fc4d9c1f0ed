"""The client's access-log report (703/2023 11 §) as PDF, checked against a small
hand-made history: what the reader's organisation did is in it, the other's is not."""

from __future__ import annotations

import io

import pytest
from django.test import Client as HttpClient
from pypdf import PdfReader

from silta.api_keys.services import api_key_issue
from silta.audit.models import AuditEvent
from silta.consents.access_report import access_report_by
from silta.core.errors import Forbidden
from tests.factories import browser_client

pytestmark = pytest.mark.django_db

URL = "/admin/audit/auditevent/by-client/"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def history(world, settings):
    """Kela opens the case and writes; social services answer."""
    settings.SILTA_DEMO_SKIP_TOTP = True
    case = world.open_case()
    world.thread(case, from_key="kela_processor")
    world.thread(case, from_key="social_worker")
    return world, case


def _download(world, key: str, language: str, identity_code: str):
    user = world.users[key]
    user.is_staff = True
    user.save()
    http = browser_client("fi")
    http.force_login(user)
    return http.post(URL, {"identity_code": identity_code, "language": language, "pdf": "1"})


def test_the_report_shows_the_readers_organisation_only_in_the_clients_language(history):
    world, case = history
    client = case.client
    response = _download(world, "kela_admin", "sv", client.identity_code)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert client.identity_code not in response["Content-Disposition"]
    text = _text(response.content)
    assert client.full_name in text
    assert client.identity_code not in text
    # Swedish: the title and the section headings.
    assert "Rapport" in text and "Vem har använt dina uppgifter" in text
    # Kela's own use and disclosures are in it ...
    assert "Kela_Processor" in text
    assert "FPA Öst" in text or "Kela Itä" in text
    # ... social services' own use is not (their worker never appears as a user).
    assert "Social_Worker" not in text


def test_a_social_services_report_lists_their_disclosures_to_kela(history):
    world, case = history
    text = _text(_download(world, "social_admin", "fi", case.client.identity_code).content)
    assert "Social_Worker" in text
    assert "Kela_Processor" not in text
    assert "Luovutukset" in text or "luovutettu" in text


def test_making_the_report_is_audited(history):
    world, case = history
    _download(world, "kela_admin", "fi", case.client.identity_code)
    row = AuditEvent.objects.filter(action="export", client=case.client).latest("pk")
    assert row.detail["report"] == "access_report_pdf"
    assert row.user == world.users["kela_admin"]


def test_an_unknown_client_gives_a_message_not_a_pdf(history):
    world, _case = history
    response = _download(world, "kela_admin", "fi", "010101A9999")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_units_system_gets_its_organisations_report_over_the_api(history):
    world, case = history
    issued = api_key_issue(unit=world.social_unit, name="Rekisteri", scopes=[])  # read-only
    response = HttpClient().post(
        f"/api/v1/clients/{case.client.public_id}/access-report",
        {"language": "sv"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Vem har använt dina uppgifter" in text
    assert "Social_Worker" in text and "Kela_Processor" not in text
    assert case.client.identity_code not in text


def test_a_worker_may_not_make_the_report(history):
    world, case = history
    with pytest.raises(Forbidden):
        access_report_by(actor=world.actor("kela_processor"), client=case.client, language="fi")
    assert AuditEvent.objects.filter(action="denied", detail__perm="access_report").exists()
