"""Writing the guide: draft -> in review (a named reviewer of the other side) ->
reviewed -> published. Every published version is kept as it was and dated; a new text
is a new version. Each step checks the actor, works in one transaction and is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.models import User
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Conflict, Invalid, ServiceError
from silta.knowledge import permissions
from silta.knowledge.inputs import ReviewInput, ReviewRequestInput, VersionInput
from silta.knowledge.models import (
    CommentKind,
    GuideComment,
    GuideEntry,
    GuideVersion,
    Payer,
    VersionState,
)
from silta.knowledge.search import search_text
from silta.organisations.models import Organisation

OPEN_DRAFT_STATES = (VersionState.DRAFT, VersionState.IN_REVIEW, VersionState.REVIEWED)
REQUIRED = ("title_fi", "title_sv", "summary_fi", "summary_sv")
LIMITS = {"title_fi": 200, "title_sv": 200, "law": 200}


def _deny(actor: Actor, obj: Any, message: Any = None) -> ServiceError:
    return deny(actor, message=message, obj=obj, detail={"knowledge": str(obj)})


def _validate(data: VersionInput) -> dict[str, Any]:
    values = {
        name: (value or "").strip()
        for name, value in data.model_dump().items()
        if name != "steps" and isinstance(value, str)
    }
    for name in REQUIRED:
        if not values[name]:
            raise Invalid(
                _("Give the title and the summary in Finnish and in Swedish."),
                code="text_required",
                field=name,
            )
    for name, value in values.items():
        if len(value) > LIMITS.get(name, 4000):
            raise Invalid(_("The text is too long."), code="too_long", field=name)
    steps = [
        {"payer": s.payer, "note_fi": s.note_fi.strip()[:500], "note_sv": s.note_sv.strip()[:500]}
        for s in data.steps
        if s.payer
    ]
    if not steps or any(s["payer"] not in Payer.values for s in steps):
        raise Invalid(
            _("Name, in order, who covers the expense (at least one step)."),
            code="steps_required",
            field="steps",
        )
    return {**values, "steps": steps}


def shown_version(entry: GuideEntry) -> GuideVersion | None:
    """The latest published version; before any, the starter (demo) text."""
    versions = entry.versions.filter(state__in=(VersionState.PUBLISHED, VersionState.DEMO))
    return (
        versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()
        or versions.order_by("-number").first()
    )


def refresh_search_text(entry: GuideEntry) -> None:
    version = shown_version(entry)
    parts = [entry.keywords]
    if version is not None:
        parts += [
            version.title_fi,
            version.title_sv,
            version.summary_fi,
            version.summary_sv,
            version.conditions_fi,
            version.conditions_sv,
            version.law,
        ]
    entry.search_text = search_text(*parts)
    entry.save(update_fields=["search_text"])


def _audit(actor: Actor, unit_id: int, version: GuideVersion, step: str) -> None:
    record(
        actor=actor,
        action=AuditAction.CREATE if step == "draft" else AuditAction.UPDATE,
        obj=version.entry,
        unit_id=unit_id,
        detail={"guide_entry": version.entry.slug, "version": version.number, "step": step},
    )


def _fresh(version: GuideVersion) -> GuideVersion:
    """The version as stored (its state and reviewer decide who may act)."""
    return GuideVersion.objects.select_related("entry", "entry__owner").get(pk=version.pk)


def version_draft(*, actor: Actor, entry: GuideEntry, data: VersionInput) -> GuideVersion:
    """A new draft of ``entry`` by an editor of its owner (one open draft at a time)."""
    unit_id = permissions.editing_unit(actor, entry)
    if unit_id is None:
        raise _deny(actor, entry)
    values = _validate(data)
    with transaction.atomic():
        GuideEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.versions.filter(state__in=OPEN_DRAFT_STATES).exists():
            raise Conflict(
                _("This entry already has a draft: continue that one."), code="draft_exists"
            )
        number = (entry.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = GuideVersion.objects.create(
            entry=entry,
            number=number,
            state=VersionState.DRAFT,
            created_at=timezone.now(),
            created_by=actor.user,
            created_by_label=actor.label,
            **values,
        )
        _audit(actor, unit_id, version, "draft")
    return version


def version_edit(*, actor: Actor, version: GuideVersion, data: VersionInput) -> GuideVersion:
    version = _fresh(version)
    unit_id = permissions.editing_unit(actor, version.entry)
    if unit_id is None:
        raise _deny(actor, version.entry)
    values = _validate(data)
    with transaction.atomic():
        version = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != VersionState.DRAFT:
            raise Conflict(_("Only a draft can be edited."), code="not_a_draft")
        for name, value in values.items():
            setattr(version, name, value)
        version.save()
        _audit(actor, unit_id, version, "edit")
    return version


def review_request(
    *, actor: Actor, version: GuideVersion, data: ReviewRequestInput
) -> GuideVersion:
    """Send the draft to a named reviewer of the other organisation."""
    version = _fresh(version)
    unit_id = permissions.editing_unit(actor, version.entry)
    if unit_id is None:
        raise _deny(actor, version.entry)
    reviewer = (
        User.objects.filter(public_id=data.reviewer_id, is_active=True).first()
        if data.reviewer_id
        else None
    )
    if reviewer is None or not permissions.may_review(reviewer, version.entry):
        raise Invalid(
            _("Name a reviewer of the other organisation (Kela or the organiser)."),
            code="reviewer_required",
            field="reviewer_id",
        )
    with transaction.atomic():
        version = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != VersionState.DRAFT:
            raise Conflict(_("Only a draft can be sent for review."), code="not_a_draft")
        version.state, version.reviewer = VersionState.IN_REVIEW, reviewer
        version.review_requested_at = timezone.now()
        version.save()
        _audit(actor, unit_id, version, "review_requested")
    return version


def review_add(*, actor: Actor, version: GuideVersion, data: ReviewInput) -> GuideComment:
    """The named reviewer comments, approves or asks for changes; the owner's editors and
    publishers may answer with comments."""
    version = _fresh(version)
    kind = data.kind if data.kind in CommentKind.values else ""
    reviewer_unit = permissions.reviewing_unit(actor, version)
    owner_unit = permissions.editing_unit(actor, version.entry) or permissions.publishing_unit(
        actor, version.entry
    )
    unit_id = reviewer_unit or (owner_unit if kind == CommentKind.COMMENT else None)
    if unit_id is None:
        raise _deny(actor, version.entry, _("Only the named reviewer can review this version."))
    body = (data.body or "").strip()
    if not kind or (kind != CommentKind.APPROVE and not body):
        raise Invalid(_("Write your comment."), code="comment_required", field="body")
    with transaction.atomic():
        version = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != VersionState.IN_REVIEW:
            raise Conflict(_("This version is not in review."), code="not_in_review")
        comment = GuideComment.objects.create(
            version=version,
            kind=kind,
            author=actor.user,
            author_label=actor.label,
            unit_id=unit_id,
            body=body[:4000],
            created_at=timezone.now(),
        )
        if kind == CommentKind.APPROVE:
            version.state, version.reviewed_at = VersionState.REVIEWED, comment.created_at
        elif kind == CommentKind.CHANGES:
            version.state = VersionState.DRAFT
        version.save()
        _audit(actor, unit_id, version, f"review_{kind}")
    return comment


def version_publish(*, actor: Actor, version: GuideVersion) -> GuideVersion:
    """An owner publishes a reviewed version; the earlier versions stay, dated."""
    version = _fresh(version)
    unit_id = permissions.publishing_unit(actor, version.entry)
    if unit_id is None:
        raise _deny(actor, version.entry, _("Only the entry's owner can publish it."))
    with transaction.atomic():
        version = GuideVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != VersionState.REVIEWED:
            raise Invalid(
                _("A version is published only after the other organisation's review."),
                code="not_reviewed",
            )
        version.state, version.published_at = VersionState.PUBLISHED, timezone.now()
        version.published_by_label = actor.label
        version.save()
        refresh_search_text(version.entry)
        _audit(actor, unit_id, version, "publish")
    return version


def variant_create(*, actor: Actor, national: GuideEntry) -> GuideEntry:
    """An organiser's local variant of a national entry, with a first draft copied from
    the national text (owned, edited and published by that organiser)."""
    taken = set(national.variants.values_list("owner_id", flat=True))
    owner_id = permissions.variant_organisation(actor, national, taken)
    if owner_id is None:
        if taken and permissions.variant_organisation(actor, national, set()) is not None:
            raise Conflict(
                _("Your organisation already has a local variant."), code="variant_exists"
            )
        raise _deny(actor, national)
    owner = Organisation.objects.get(pk=owner_id)
    source = shown_version(national)
    with transaction.atomic():
        entry = GuideEntry.objects.create(
            slug=f"{national.slug}-{owner.organiser_code or owner.pk}",
            national=national,
            expense_kind=national.expense_kind,
            owner=owner,
            topics=national.topics,
            keywords=national.keywords,
            position=national.position,
        )
        data = VersionInput() if source is None else _copy(source)
        version_draft(actor=actor, entry=entry, data=data)
    return entry


def _copy(version: GuideVersion) -> VersionInput:
    fields = {name: getattr(version, name) for name in VersionInput.model_fields if name != "steps"}
    return VersionInput.model_validate({**fields, "steps": version.steps})
