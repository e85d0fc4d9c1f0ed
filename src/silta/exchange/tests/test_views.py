"""The browser pages: thin over the services, translated errors, nothing half-saved."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client as HttpClient

from silta.audit.models import AuditEvent
from silta.clients.models import Client
from silta.exchange.models import Case, Message, Thread
from tests.factories import browser_client, exe_as_pdf, pdf, png, test_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _skip_totp(settings):
    settings.SILTA_DEMO_SKIP_TOTP = True  # the TOTP sign-in itself is tested in accounts


def browser(user, language: str = "fi") -> HttpClient:
    http = browser_client(language)
    http.force_login(user)
    return http


def form_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(client_token|version)" value="([^"]*)"', html))


def test_find_by_identity_code_redirects_to_opaque_url(world) -> None:
    http = browser(world.users["kela_processor"])
    client = world.clients[0]
    response = http.post("/clients/find/", {"query": client.identity_code})
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{client.public_id}/"
    assert client.identity_code not in response["Location"]


def test_unknown_code_offers_to_add_and_bad_municipality_saves_nothing(world) -> None:
    http = browser(world.users["kela_processor"])
    code = test_code(61)
    page = http.post("/clients/find/", {"query": code}).content.decode()
    assert 'action="/clients/new/"' in page
    response = http.post(
        "/clients/new/",
        {
            "identity_code": code,
            "first_names": "Aino",
            "last_name": "Uusi",
            "municipality_code": "000",
        },
    )
    assert response.status_code == 400
    assert "Tuntematon kuntanumero" in response.content.decode()
    assert not Client.objects.filter(identity_code=code).exists()
    ok = http.post(
        "/clients/new/",
        {
            "identity_code": code,
            "first_names": "Aino",
            "last_name": "Uusi",
            "municipality_code": "297",
        },
    )
    assert ok.status_code == 302


def test_invalid_identity_code_message_in_swedish(world) -> None:
    http = browser(world.users["kela_processor"], language="sv")
    page = http.post("/clients/find/", {"query": "010594Y9033"}).content.decode()
    assert 'lang="sv"' in page and "kontrolltecken" in page.lower()


def test_open_case_needs_lawful_basis(world) -> None:
    http = browser(world.users["kela_processor"])
    client = world.clients[2]  # no consent recorded
    url = f"/clients/{client.public_id}/cases/"
    data = {
        "acting_unit": str(world.kela_unit.public_id),
        "counterpart_unit": str(world.social_unit.public_id),
    }
    refused = http.post(url, data)
    assert refused.status_code == 400
    assert 'data-testid="basis-error"' in refused.content.decode()
    assert not Case.objects.filter(client=client).exists()
    # Totul 14 c §: Kela forwards at the applicant's request (the audit's "client request").
    response = http.post(url, {**data, "statutory_basis": "totul_14c"})
    assert response.status_code == 302
    case = Case.objects.get(client=client)
    assert case.legal_basis == "client_request"
    assert AuditEvent.objects.filter(
        action="create", client=client, legal_basis="client_request"
    ).exists()


def test_start_thread_with_files_and_refuse_exe(world) -> None:
    case = world.open_case()
    http = browser(world.users["kela_processor"])
    url = f"/cases/{case.public_id}/threads/"
    token = form_values(http.get(f"/cases/{case.public_id}/").content.decode())["client_token"]
    bad = http.post(
        url,
        {
            "subject": "Lasku",
            "body": "Liite",
            "client_token": token,
            "attachments": [pdf(), exe_as_pdf()],
        },
    )
    assert bad.status_code == 400
    assert "ei ole sallittu" in bad.content.decode()
    assert not Thread.objects.exists()
    good = http.post(
        url,
        {"subject": "Lasku", "body": "Liite", "client_token": token, "attachments": [pdf(), png()]},
    )
    assert good.status_code == 302
    again = http.post(
        url,
        {"subject": "Lasku", "body": "Liite", "client_token": token, "attachments": [pdf(), png()]},
    )
    assert again.status_code == 302 and Thread.objects.count() == 1
    assert Message.objects.get().attachments.count() == 2


def test_stale_reply_is_refused_and_text_kept(world) -> None:
    message = world.thread()
    http = browser(world.users["social_worker"])
    url = f"/threads/{message.thread.public_id}/"
    values = form_values(http.get(url).content.decode())
    other = browser(world.users["social_counsellor"])
    fresh = form_values(other.get(url).content.decode())
    assert other.post(f"{url}messages/", {"body": "Ensin", **fresh}).status_code == 302
    response = http.post(f"{url}messages/", {"body": "Vanhalta sivulta", **values})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Vanhalta sivulta" in page and "uusia viestejä" in page
    assert Message.objects.count() == 2
    # The refreshed form carries the new version, so sending again works.
    renewed = form_values(page)
    assert renewed["version"] != values["version"]
    resend = http.post(f"{url}messages/", {"body": "Vanhalta sivulta", **renewed})
    assert resend.status_code == 302 and Message.objects.count() == 3


def test_htmx_reply_returns_fragment(world) -> None:
    message = world.thread()
    http = browser(world.users["social_worker"])
    url = f"/threads/{message.thread.public_id}/"
    values = form_values(http.get(url).content.decode())
    response = http.post(f"{url}messages/", {"body": "Kiitos", **values}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    # The fragment, and the page's old banner cleared out of band (it would still say
    # "Message sent." above a later refusal).
    assert body.startswith('<div id="flash" hx-swap-oob="true"></div><div id="thread-body">')
    assert "Kiitos" in body
    empty = http.post(f"{url}messages/", {"body": " ", **form_values(body)}, HTTP_HX_REQUEST="true")
    assert "Kirjoita viesti" in empty.content.decode()


def test_read_receipt_shows_to_sender(world) -> None:
    message = world.thread()
    browser(world.users["social_worker"]).get(f"/threads/{message.thread.public_id}/")
    page = (
        browser(world.users["kela_processor"])
        .get(f"/threads/{message.thread.public_id}/")
        .content.decode()
    )
    assert "Luettu: Social_Worker Testinen" in page
    assert "Toimitettu" in page


def test_inbox_search_is_post_and_filters(world) -> None:
    world.thread()
    http = browser(world.users["social_worker"])
    url = f"/units/{world.social_unit.public_id}/inbox/"
    client = world.clients[0]
    response = http.post(url, {"q": client.identity_code}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and client.last_name in body
    assert client.identity_code not in body
    page = http.get(url).content.decode()
    assert 'method="post"' in page and 'name="q"' in page


def test_download_is_an_attachment_and_audited(world) -> None:
    message = world.thread(files=[pdf("päätös.pdf")])
    attachment = message.attachments.get()
    response = browser(world.users["social_worker"]).get(f"/attachments/{attachment.public_id}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert (
        AuditEvent.objects.filter(
            action="download",
            object_id=str(attachment.public_id),
            user=world.users["social_worker"],
        ).count()
        == 1
    )


def test_message_contents_are_not_in_the_admin() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert not registered & {
        "exchange.Message",
        "exchange.Attachment",
        "exchange.Thread",
        "exchange.Case",
        "clients.Client",
    }
    assert {
        "organisations.Organisation",
        "organisations.Unit",
        "accounts.User",
        "audit.AuditEvent",
        "api_keys.ApiKey",
    } <= registered


def test_admin_audit_report_by_client_is_post(world) -> None:
    world.thread()
    superuser = world.users["kela_admin"]
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    http = browser(superuser)
    url = "/admin/audit/auditevent/by-client/"
    assert http.get(url).status_code == 200
    client = world.clients[0]
    page = http.post(url, {"identity_code": client.identity_code}).content.decode()
    assert "Kela Itä" in page
    assert AuditEvent.objects.filter(action="export", client=client, user=superuser).exists()


def test_audit_events_cannot_be_changed_in_admin(world) -> None:
    superuser = world.users["kela_admin"]
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    world.thread()
    event = AuditEvent.objects.order_by("pk").first()
    assert event is not None
    http = browser(superuser)
    assert (
        http.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
