"""API: consents, powers of attorney and the disclosure log of a client.

Identity codes are never in a path or an answer: clients, consents and powers of
attorney are named by their opaque ids. Errors are JSON ``{code, message}``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any, Literal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from silta.api_keys.auth import READING, api_actor
from silta.api_keys.idempotency import run_idempotent
from silta.consents.access_report import access_report_by
from silta.consents.bases import BASES
from silta.consents.fhir import consent_resource
from silta.consents.models import Consent, Disclosure, PowerOfAttorney
from silta.consents.poa_services import PoaInput, poa_record, poa_revoke
from silta.consents.selectors import (
    consent_client,
    consent_get,
    consent_panel,
    disclosure_log_for_client,
    poa_get,
)
from silta.consents.services import ConsentInput, consent_record, consent_revoke
from silta.core.api_schemas import ErrorOut
from silta.core.errors import Invalid

router = Router(tags=["consents"])
ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ConsentCreateIn(Schema):
    given_by: str = Field(description="client, legal_representative or attorney")
    organiser_id: uuid.UUID = Field(description="The social services organiser (Kela is implied)")
    unit_ids: list[uuid.UUID] = Field(default=[], description="Named units; none: whole parties")
    purposes: list[str] = Field(min_length=1)
    categories: list[str] = Field(min_length=1)
    given_how: str = Field(description="application, in_person, phone or writing")
    application_reference: str = Field(default="", max_length=100)
    wording_version: str = Field(max_length=20)
    wording_language: str = Field(default="fi", description="fi or sv: the text shown")
    representative_name: str = Field(default="", max_length=200)
    representative_identity: str = Field(default="", max_length=20)
    power_of_attorney_id: uuid.UUID | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    replaces_id: uuid.UUID | None = Field(default=None, description="The consent this replaces")
    document_name: str = Field(default="", max_length=255)
    document_base64: str = Field(default="", description="The signed consent, PDF or image")


class ConsentRevokeIn(Schema):
    how: str = Field(description="in_person, phone, writing, electronic or replaced")
    note: str = Field(default="", max_length=500)


class ConsentOut(Schema):
    id: uuid.UUID
    state: str = Field(description="in_force, not_yet_valid, expired or revoked")
    given_by: str
    representative_name: str
    organiser_id: uuid.UUID
    unit_ids: list[uuid.UUID]
    purposes: list[str]
    categories: list[str]
    given_how: str
    application_reference: str
    wording_version: str
    wording_language: str
    valid_from: dt.date
    valid_until: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    revoked_at: dt.datetime | None

    @staticmethod
    def of(consent: Consent) -> dict[str, Any]:
        return ConsentOut(
            id=consent.public_id,
            state=consent.state(timezone.now()),
            given_by=consent.given_by,
            representative_name=consent.representative_name,
            organiser_id=consent.organiser.public_id,
            unit_ids=[unit.public_id for unit in consent.units.all()],
            purposes=consent.purposes,
            categories=consent.categories,
            given_how=consent.given_how,
            application_reference=consent.application_reference,
            wording_version=consent.wording.version,
            wording_language=consent.wording_language,
            valid_from=consent.valid_from,
            valid_until=consent.valid_until,
            recorded_at=consent.recorded_at,
            recorded_by=consent.recorded_by_label,
            revoked_at=consent.revoked_at,
        ).model_dump(mode="json")


class PoaCreateIn(Schema):
    attorney_kind: str = Field(description="person or organisation")
    attorney_name: str = Field(min_length=1, max_length=200)
    attorney_identity: str = Field(max_length=20, description="Identity code or Business ID")
    scopes: list[str] = Field(min_length=1)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    external_mandate_ref: str = Field(default="", max_length=100)
    document_name: str = Field(default="", max_length=255)
    document_base64: str = Field(default="", description="The scanned document, PDF or image")


class PoaRevokeIn(Schema):
    how: str


class PoaOut(Schema):
    id: uuid.UUID
    state: str = Field(description="in_force, unverified, not_yet_valid, expired or revoked")
    attorney_kind: str
    attorney_name: str
    scopes: list[str]
    valid_from: dt.date
    valid_until: dt.date | None
    external_mandate_ref: str
    verified_by: str
    revoked_at: dt.datetime | None

    @staticmethod
    def of(poa: PowerOfAttorney) -> dict[str, Any]:
        return PoaOut(
            id=poa.public_id,
            state=poa.state(timezone.now()),
            attorney_kind=poa.attorney_kind,
            attorney_name=poa.attorney_name,
            scopes=poa.scopes,
            valid_from=poa.valid_from,
            valid_until=poa.valid_until,
            external_mandate_ref=poa.external_mandate_ref,
            verified_by=poa.verified_by_label,
            revoked_at=poa.revoked_at,
        ).model_dump(mode="json")


class DisclosureOut(Schema):
    id: uuid.UUID
    occurred_at: dt.datetime
    kind: str
    category: str
    purpose: str
    object_type: str
    object_id: str
    discloser: str
    discloser_unit: str
    recipient_unit: str
    consent_id: uuid.UUID | None
    statutory_basis: str

    @staticmethod
    def of(row: Disclosure) -> dict[str, Any]:
        return DisclosureOut(
            id=row.public_id,
            occurred_at=row.occurred_at,
            kind=row.kind,
            category=row.category,
            purpose=row.purpose,
            object_type=row.object_type,
            object_id=row.object_id,
            discloser=row.discloser_label,
            discloser_unit=row.discloser_unit.name,
            recipient_unit=row.recipient_unit.name,
            consent_id=row.consent.public_id if row.consent else None,
            statutory_basis=row.statutory_basis,
        ).model_dump(mode="json")


def _document(name: str, encoded: str) -> SimpleUploadedFile | None:
    if not encoded:
        return None
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid(
            _("The document is not valid base64."), code="document_invalid", field="document"
        ) from exc
    return SimpleUploadedFile(name or "document", content)


@router.post(
    "/clients/{client_id}/consents",
    response={201: ConsentOut, **ERRORS},
    summary="Record a consent the client gave (a change: a new consent with replaces_id)",
)
def consent_create(request: HttpRequest, client_id: uuid.UUID, data: ConsentCreateIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        client = consent_client(actor=actor, client_id=client_id)
        fields = data.dict(exclude={"document_name", "document_base64"})
        consent = consent_record(
            actor=actor,
            client=client,
            data=ConsentInput(**fields),
            document=_document(data.document_name, data.document_base64),
        )
        return 201, ConsentOut.of(consent)

    return Status(*run_idempotent(request, data.model_dump(), handler))


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[ConsentOut], **ERRORS},
    summary="A client's consents, in force first",
)
def consent_list(request: HttpRequest, client_id: uuid.UUID) -> Any:
    panel = consent_panel(actor=api_actor(request), client_id=client_id, refuse_unrelated=True)
    return [ConsentOut.of(consent) for consent in panel.in_force + panel.history]


@router.post(
    "/consents/{consent_id}/revoke",
    response={200: ConsentOut, **ERRORS},
    summary="Record that the client revoked a consent (sharing on it stops at once)",
)
def consent_revoke_endpoint(
    request: HttpRequest, consent_id: uuid.UUID, data: ConsentRevokeIn
) -> Any:
    actor = api_actor(request)
    consent = consent_get(actor=actor, consent_id=consent_id)
    consent_revoke(actor=actor, consent=consent, how=data.how, note=data.note)
    return ConsentOut.of(consent_get(actor=actor, consent_id=consent_id))


@router.get(
    "/consents/{consent_id}/fhir",
    response={200: dict[str, Any], **ERRORS},
    summary="The consent as an HL7 FHIR R4 Consent resource",
)
def consent_fhir(request: HttpRequest, consent_id: uuid.UUID) -> Any:
    consent = consent_get(actor=api_actor(request), consent_id=consent_id)
    return consent_resource(consent, timezone.now())


@router.post(
    "/clients/{client_id}/powers-of-attorney",
    response={201: PoaOut, **ERRORS},
    summary="Record a power of attorney (verified by a named worker on the web)",
)
def poa_create(request: HttpRequest, client_id: uuid.UUID, data: PoaCreateIn) -> Any:
    def handler() -> tuple[int, Any]:
        actor = api_actor(request)
        client = consent_client(actor=actor, client_id=client_id)
        fields = data.dict(exclude={"document_name", "document_base64"})
        poa = poa_record(
            actor=actor,
            client=client,
            data=PoaInput(**fields),
            document=_document(data.document_name, data.document_base64),
        )
        return 201, PoaOut.of(poa)

    return Status(*run_idempotent(request, data.model_dump(), handler))


@router.get(
    "/clients/{client_id}/powers-of-attorney",
    response={200: list[PoaOut], **ERRORS},
    summary="A client's powers of attorney",
)
def poa_list(request: HttpRequest, client_id: uuid.UUID) -> Any:
    panel = consent_panel(actor=api_actor(request), client_id=client_id, refuse_unrelated=True)
    return [PoaOut.of(poa) for poa in panel.powers]


@router.post(
    "/powers-of-attorney/{poa_id}/revoke",
    response={200: PoaOut, **ERRORS},
    summary="Record that a power of attorney was revoked",
)
def poa_revoke_endpoint(request: HttpRequest, poa_id: uuid.UUID, data: PoaRevokeIn) -> Any:
    actor = api_actor(request)
    poa = poa_revoke(actor=actor, poa=poa_get(actor=actor, poa_id=poa_id), how=data.how)
    return PoaOut.of(poa)


@router.get(
    "/clients/{client_id}/disclosures",
    response={200: list[DisclosureOut], **ERRORS},
    summary="The disclosure log of one's own organisation for a client (703/2023 10 §)",
)
def disclosure_list(request: HttpRequest, client_id: uuid.UUID) -> Any:
    _client, rows = disclosure_log_for_client(actor=api_actor(request), client_id=client_id)
    return [DisclosureOut.of(row) for row in rows]


class StatutoryBasisOut(Schema):
    id: str
    law: str
    description: str
    kinds: list[str] = Field(description="The disclosures it allows (DisclosureKind codes)")
    categories: list[str] = Field(description="The data it allows (category codes)")
    direction: str = Field(description="kela_to_social or social_to_kela")
    inform_client: bool = Field(description="The client must be told of the disclosure")
    consent_required: bool = Field(description="It only names the section a consent is given under")
    conditions: list[str] = Field(
        description="Facts of which the sender affirms one (circumstance)"
    )


@router.get(
    "/statutory-bases",
    response={200: list[StatutoryBasisOut]},
    summary="The statutory bases a disclosure may rest on, in the request's language",
)
def statutory_bases(request: HttpRequest) -> Any:
    api_actor(request)
    return [
        StatutoryBasisOut(
            id=basis.id,
            law=basis.law,
            description=str(basis.description),
            kinds=sorted(basis.kinds),
            categories=sorted(basis.categories),
            direction=str(basis.direction),
            inform_client=basis.inform_client,
            consent_required=basis.consent_required,
            conditions=sorted(basis.conditions),
        )
        for basis in BASES.values()
    ]


PDF_SCHEMA = {"type": "string", "format": "binary"}


class AccessReportIn(Schema):
    language: Literal["fi", "sv", "en"] = Field("fi", description="The client's language")


@router.post(
    "/clients/{client_id}/access-report",
    response={200: None, **ERRORS},
    summary="The client's access-log report (703/2023 11 §) as PDF",
    description="Who in the key's organisation has used the client's data and to whom it "
    "was disclosed, on which basis, for giving to the client. The answer is "
    "application/pdf. Changes nothing (any key with Perm access_report: the organisation's "
    "own system); audited as an export.",
    auth=READING,
    openapi_extra={
        "responses": {
            200: {
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
            }
        }
    },
)
def access_report(request: HttpRequest, client_id: uuid.UUID, data: AccessReportIn) -> Any:
    actor = api_actor(request)
    client = consent_client(actor=actor, client_id=client_id)
    pdf = access_report_by(actor=actor, client=client, language=data.language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="silta-report.pdf"'
    response["Cache-Control"] = "no-store"
    return response
