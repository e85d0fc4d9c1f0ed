"""API: the division-of-labour guide (read, search) and guideline-change bulletins
(publish, list, acknowledge, impact for the key's own unit). The same selectors and
services as the web pages."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from silta.api_keys.auth import api_actor
from silta.core.api_schemas import ErrorOut
from silta.knowledge import bulletins, permissions, selectors, work
from silta.knowledge.downloads import bulletin_file_response
from silta.knowledge.inputs import BulletinInput
from silta.knowledge.models import Bulletin, GuideVersion
from silta.knowledge.selectors import EntryRow

router = Router(tags=["knowledge"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
READ_ERRORS = {404: ErrorOut}


class StepOut(Schema):
    payer: str
    payer_label: str
    note: str


class VersionOut(Schema):
    number: int
    state: str
    verified: bool
    title: str
    summary: str
    steps: list[StepOut]
    conditions: str
    law: str
    kela_reference: str
    organiser_reference: str
    examples: str
    published_at: dt.datetime | None


class ChangeOut(Schema):
    bulletin_id: uuid.UUID
    title: str
    effective_date: dt.date


class EntryOut(Schema):
    slug: str
    expense_kind: str = Field(description="The code referrals and threads record")
    owner_id: uuid.UUID
    national: str | None
    demo_content: bool
    version: VersionOut | None
    upcoming_changes: list[ChangeOut]


class PairReturnsOut(Schema):
    sender_unit_id: uuid.UUID
    returning_unit_id: uuid.UUID
    returns: str = Field(
        description='Returns in the last 12 months; "<5" under 5 unless one of the units is '
        "the key's own"
    )


class EntryDetailOut(EntryOut):
    variants: list[EntryOut]
    published_versions: list[VersionOut]
    returns_12_months: list[PairReturnsOut]


class BulletinAttachmentOut(Schema):
    id: uuid.UUID
    name: str
    content_type: str
    size: int


class BulletinOut(Schema):
    id: uuid.UUID
    publisher_unit_id: uuid.UUID
    published_at: dt.datetime
    title: str
    summary: str
    what_changes: str
    why: str
    effective_date: dt.date
    topics: list[str]
    expense_kinds: list[str]
    organisation_ids: list[uuid.UUID]
    attachments: list[BulletinAttachmentOut] = Field(
        description="PDFs; GET .../attachments/{id} downloads one"
    )


class BulletinsPage(Schema):
    page: int
    has_next: bool
    items: list[BulletinOut]


class AckOut(Schema):
    bulletin_id: uuid.UUID
    unit_id: uuid.UUID
    acknowledged_at: dt.datetime
    by: str


class UnitImpactOut(Schema):
    unit_id: uuid.UUID
    cases: int
    referrals: int
    threads: int


class ImpactOut(Schema):
    """``own``: the key's unit's affected items (when it receives the bulletin);
    ``per_unit``: counts per receiving unit, for the publisher's side and managers."""

    own_referral_ids: list[uuid.UUID]
    own_thread_ids: list[uuid.UUID]
    own_case_count: int
    per_unit: list[UnitImpactOut]


def _version(version: GuideVersion | None) -> VersionOut | None:
    if version is None:
        return None
    steps = [
        StepOut(payer=s.get("payer", ""), payer_label=label, note=note)
        for s, (label, note) in zip(version.steps, version.step_rows(), strict=True)
    ]
    return VersionOut(
        number=version.number,
        state=version.state,
        verified=version.is_verified,
        title=version.title,
        summary=version.summary,
        steps=steps,
        conditions=version.conditions,
        law=version.law,
        kela_reference=version.kela_reference,
        organiser_reference=version.organiser_reference,
        examples=version.examples,
        published_at=version.published_at,
    )


def _entry(row: EntryRow) -> dict[str, Any]:
    return {
        "slug": row.entry.slug,
        "expense_kind": row.entry.expense_kind,
        "owner_id": row.entry.owner.public_id,
        "national": row.entry.national.slug if row.entry.national else None,
        "demo_content": row.is_demo,
        "version": _version(row.version),
        "upcoming_changes": [
            ChangeOut(bulletin_id=b.public_id, title=b.title, effective_date=b.effective_date)
            for b in row.changes
        ],
    }


def _bulletin(bulletin: Bulletin) -> BulletinOut:
    return BulletinOut(
        id=bulletin.public_id,
        publisher_unit_id=bulletin.publisher_unit.public_id,
        published_at=bulletin.published_at,
        title=bulletin.title,
        summary=bulletin.summary,
        what_changes=bulletin.what_changes,
        why=bulletin.why,
        effective_date=bulletin.effective_date,
        topics=list(bulletin.topics),
        expense_kinds=[kind.expense_kind for kind in bulletin.expense_kinds.all()],
        organisation_ids=[o.public_id for o in bulletin.organisations.all()],
        attachments=[
            BulletinAttachmentOut(
                id=a.public_id, name=a.original_name, content_type=a.content_type, size=a.size
            )
            for a in bulletin.attachments.all()
        ],
    )


@router.get(
    "/knowledge/guide",
    response={200: list[EntryOut], **READ_ERRORS},
    summary="The guide's national entries; q searches Finnish and Swedish text",
)
def guide_list(request: HttpRequest, q: str = "") -> Any:
    rows = selectors.guide_list(actor=api_actor(request), query=q[:100])
    return [_entry(row) for row in rows]


@router.get("/knowledge/guide/{slug}", response={200: EntryDetailOut, **READ_ERRORS})
def guide_entry(request: HttpRequest, slug: str) -> Any:
    actor = api_actor(request)
    page = selectors.entry_page(actor=actor, entry=selectors.entry_get(actor=actor, slug=slug))
    return {
        **_entry(page.shown),
        "variants": [_entry(row) for row in page.variants],
        "published_versions": [_version(v) for v in page.history],
        "returns_12_months": [
            PairReturnsOut(
                sender_unit_id=r.sender.public_id,
                returning_unit_id=r.returner.public_id,
                returns=r.shown,
            )
            for r in work.returns_by_pair(actor=actor, entry=page.entry)
        ],
    }


@router.get("/knowledge/bulletins", response={200: BulletinsPage, **READ_ERRORS})
def bulletin_list(request: HttpRequest, page: int = 1) -> Any:
    result = selectors.bulletin_list(actor=api_actor(request), page=page)
    return {
        "page": result.number,
        "has_next": result.has_next,
        "items": [_bulletin(b) for b in result.items],
    }


class BulletinIn(BulletinInput):
    """The change; ``expense_kinds`` are guide entry slugs, ``organisations`` the public
    ids of the organisations concerned (other than the publisher's)."""


@router.post(
    "/knowledge/bulletins",
    response={201: BulletinOut, **ERRORS},
    summary="Publish a guideline change for the key's unit (JSON; with PDFs: .../with-files)",
)
def bulletin_publish(request: HttpRequest, data: BulletinIn) -> Any:
    actor = api_actor(request)
    created = bulletins.bulletin_publish(actor=actor, unit=selectors.key_unit(actor), data=data)
    return Status(
        201, _bulletin(selectors.bulletin_get(actor=actor, bulletin_id=created.public_id))
    )


@router.post(
    "/knowledge/bulletins/with-files",
    response={201: BulletinOut, 422: ErrorOut, **ERRORS},
    summary="Publish a guideline change with PDF attachments (multipart; list fields repeated)",
    description=(
        "The fields of the JSON publish as form fields (topics, expense_kinds and "
        "organisations repeated) and the PDFs as `files`. Each file is checked as the "
        "exchange's documents are: its size while it streams in (at most "
        "SILTA_MAX_ATTACHMENT_BYTES), its type from its bytes, and a name whose extension "
        "agrees with the type. 400 `attachment_not_pdf`, `attachment_too_large`, "
        "`attachment_name_mismatch`, `attachment_type_not_allowed` and the other codes of "
        "the JSON publish; 422 `invalid_request` for a field that is not a date or an id. "
        "Nothing is written or stored when any part is refused."
    ),
)
def bulletin_publish_with_files(
    request: HttpRequest,
    title: str = Form(""),
    summary: str = Form(""),
    what_changes: str = Form(""),
    why: str = Form(""),
    effective_date: dt.date | None = Form(None),  # noqa: B008
    topics: list[str] = Form([]),  # noqa: B008
    expense_kinds: list[str] = Form([]),  # noqa: B008
    organisations: list[uuid.UUID] = Form([]),  # noqa: B008
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    actor = api_actor(request)
    data = BulletinInput(
        title=title,
        summary=summary,
        what_changes=what_changes,
        why=why,
        effective_date=effective_date,
        topics=tuple(topics),
        expense_kinds=tuple(expense_kinds),
        organisations=tuple(organisations),
    )
    created = bulletins.bulletin_publish(
        actor=actor, unit=selectors.key_unit(actor), data=data, files=files or []
    )
    return Status(
        201, _bulletin(selectors.bulletin_get(actor=actor, bulletin_id=created.public_id))
    )


@router.get(
    "/knowledge/bulletins/{bulletin_id}/attachments/{file_id}",
    response={200: None, **READ_ERRORS},
    summary="Download a bulletin's attachment (PDF)",
)
def bulletin_file(request: HttpRequest, bulletin_id: uuid.UUID, file_id: uuid.UUID) -> Any:
    return bulletin_file_response(
        actor=api_actor(request), bulletin_id=bulletin_id, file_id=file_id
    )


@router.get("/knowledge/bulletins/{bulletin_id}", response={200: BulletinOut, **READ_ERRORS})
def bulletin_detail(request: HttpRequest, bulletin_id: uuid.UUID) -> Any:
    return _bulletin(selectors.bulletin_get(actor=api_actor(request), bulletin_id=bulletin_id))


@router.post(
    "/knowledge/bulletins/{bulletin_id}/acknowledge",
    response={200: AckOut, **ERRORS},
    summary="The key's unit has read the change (400 own_bulletin for the publisher's side)",
)
def bulletin_acknowledge(request: HttpRequest, bulletin_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    found = selectors.bulletin_get(actor=actor, bulletin_id=bulletin_id)
    ack = bulletins.bulletin_acknowledge(actor=actor, bulletin=found)
    return AckOut(
        bulletin_id=found.public_id,
        unit_id=ack.unit.public_id,
        acknowledged_at=ack.at,
        by=ack.label,
    )


@router.get(
    "/knowledge/bulletins/{bulletin_id}/impact",
    response={200: ImpactOut, **READ_ERRORS},
    summary="The key's unit's own affected open items; counts per unit for the publisher",
)
def bulletin_impact(request: HttpRequest, bulletin_id: uuid.UUID) -> Any:
    actor = api_actor(request)
    found = selectors.bulletin_get(actor=actor, bulletin_id=bulletin_id)
    per_unit = (
        selectors.impact_for_publisher(actor=actor, bulletin=found)
        if permissions.can_follow_up(actor, found)
        else []
    )
    own = next(iter(selectors.impact_units(actor, found)), None)
    items = selectors.impact_own(actor=actor, bulletin=found, unit=own) if own else None
    return ImpactOut(
        own_referral_ids=[r.public_id for r in items.referrals] if items else [],
        own_thread_ids=[e.thread.public_id for e in items.entries] if items else [],
        own_case_count=items.case_count if items else 0,
        per_unit=[
            UnitImpactOut(
                unit_id=row.unit.public_id,
                cases=row.cases,
                referrals=row.referrals,
                threads=row.threads,
            )
            for row in per_unit
        ],
    )
