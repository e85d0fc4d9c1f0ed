"""Bulletin attachments through the API: published with the change in one multipart
request, checked as the exchange's documents are (size while streaming, type from the
bytes, a name that agrees with it, PDF only), downloaded by the units concerned; every
status in the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from silta.api_keys.services import api_key_issue
from silta.knowledge.models import Bulletin, BulletinAttachment
from tests.factories import PDF_BYTES, exe_as_pdf, pdf, png

pytestmark = pytest.mark.django_db

URL = "/api/v1/knowledge/bulletins/with-files"


def _form(world, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title": "Vuokravakuudet",
        "summary": "Uusi ohje",
        "what_changes": "Maksusitoumus",
        "effective_date": "2030-03-01",
        "expense_kinds": ["rent-deposit", "rent"],
        "organisations": [str(world.county.public_id)],
    }
    return {**form, **changes}


@pytest.fixture
def keys(world, knowledge) -> dict[str, dict[str, str]]:
    return {
        name: {"Authorization": f"Bearer {api_key_issue(unit=unit, name=name).plaintext}",
               "Accept-Language": "en"}
        for name, unit in (("kela", world.kela_unit), ("county", world.social_unit),
                           ("vantaa", world.other_social_unit))
    }  # fmt: skip


def _stored() -> set[str]:
    return set(default_storage.listdir("")[1]) if default_storage.exists("") else set()


def test_a_change_is_published_with_its_pdfs_and_the_units_concerned_download_them(
    client, world, keys
):
    response = client.post(
        URL, {**_form(world), "files": [pdf("ohje.pdf"), pdf("liite.pdf")]}, headers=keys["kela"]
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(body["expense_kinds"]) == ["rent", "rent-deposit"]
    assert body["organisation_ids"] == [str(world.county.public_id)]
    assert [(a["name"], a["content_type"]) for a in body["attachments"]] == [
        ("ohje.pdf", "application/pdf"),
        ("liite.pdf", "application/pdf"),
    ]
    file_url = (
        f"/api/v1/knowledge/bulletins/{body['id']}/attachments/{body['attachments'][0]['id']}"
    )
    got = client.get(file_url, headers=keys["county"])
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF_BYTES
    assert got["Content-Type"] == "application/pdf"
    # Vantaa is not concerned: the same 404 as for a file that does not exist.
    assert client.get(file_url, headers=keys["vantaa"]).status_code == 404
    missing = f"/api/v1/knowledge/bulletins/{body['id']}/attachments/{body['id']}"
    assert client.get(missing, headers=keys["county"]).status_code == 404
    listed = client.get("/api/v1/knowledge/bulletins", headers=keys["county"]).json()
    assert {a["name"] for item in listed["items"] for a in item["attachments"]} >= {"ohje.pdf"}


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ([png()], "attachment_not_pdf"),  # an allowed type, but not a PDF
        ([pdf("ohje.docx")], "attachment_name_mismatch"),  # PDF bytes named as another type
        ([exe_as_pdf()], "attachment_type_not_allowed"),  # a program named .pdf
    ],
)
def test_a_file_that_fails_the_checks_is_refused_and_nothing_is_written(
    client, world, keys, files, code
):
    before, stored = Bulletin.objects.count(), _stored()
    response = client.post(URL, {**_form(world), "files": files}, headers=keys["kela"])
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["message"]
    assert Bulletin.objects.count() == before and _stored() == stored


def test_an_oversized_file_is_stopped_while_it_streams_in(client, world, keys, settings):
    settings.SILTA_MAX_ATTACHMENT_BYTES = 1024
    big = SimpleUploadedFile("iso.pdf", PDF_BYTES + b"%" * 4096, content_type="application/pdf")
    before = BulletinAttachment.objects.count()
    response = client.post(URL, {**_form(world), "files": [big]}, headers=keys["kela"])
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_too_large"
    assert BulletinAttachment.objects.count() == before


def test_bad_input_is_refused_as_in_the_json_publish(client, world, keys):
    form = _form(world)
    del form["effective_date"]
    response = client.post(URL, form, headers=keys["kela"])
    assert (response.status_code, response.json()["code"]) == (400, "effective_date_required")
    response = client.post(URL, _form(world, effective_date="maaliskuu"), headers=keys["kela"])
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")
    response = client.post(URL, _form(world, expense_kinds=[], topics=[]), headers=keys["kela"])
    assert (response.status_code, response.json()["code"]) == (400, "scope_required")


def test_the_openapi_document_lists_every_status(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    publish = paths[URL]["post"]["responses"]
    # 401, 413 and 503 are listed for every operation by the API itself.
    assert set(publish) >= {"201", "400", "401", "403", "404", "409", "413", "422"}
    download = paths["/api/v1/knowledge/bulletins/{bulletin_id}/attachments/{file_id}"]["get"]
    assert set(download["responses"]) >= {"200", "401", "404"}
    assert "multipart/form-data" in paths[URL]["post"]["requestBody"]["content"]
