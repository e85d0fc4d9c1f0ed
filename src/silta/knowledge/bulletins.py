"""Guideline-change bulletins (ohjemuutostiedotteet): publish, acknowledge, ask.

"Kela should understand what a guideline change means for social services": either side
publishes a change with its effective date and the topics and expense kinds it touches;
the concerned organisations' units acknowledge it (who, when) and ask in its thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silta.accounts.actor import Actor
from silta.accounts.roles import Perm
from silta.audit.denial import deny
from silta.audit.models import AuditAction
from silta.audit.services import record
from silta.core.errors import Invalid
from silta.directory.models import Topic
from silta.exchange.attachments import CheckedFile, check_files, store
from silta.knowledge import permissions
from silta.knowledge.inputs import BulletinInput, PostInput
from silta.knowledge.models import (
    Acknowledgement,
    Bulletin,
    BulletinAttachment,
    BulletinPost,
    GuideEntry,
)
from silta.organisations.models import Organisation, Unit

TEXT_LIMITS = {"title": 200, "summary": 2000, "what_changes": 8000, "why": 4000}


def _texts(data: BulletinInput) -> dict[str, str]:
    values = {name: (getattr(data, name) or "").strip() for name in TEXT_LIMITS}
    for name in ("title", "summary", "what_changes"):
        if not values[name]:
            raise Invalid(
                _("Give the title, the summary and what changes."),
                code="text_required",
                field=name,
            )
    for name, limit in TEXT_LIMITS.items():
        if len(values[name]) > limit:
            raise Invalid(_("The text is too long."), code="too_long", field=name)
    return values


def _effective_date(data: BulletinInput) -> dt.date:
    if data.effective_date is None:
        raise Invalid(
            _("Give the date from which the change applies."),
            code="effective_date_required",
            field="effective_date",
        )
    return data.effective_date


def _scope(
    data: BulletinInput, publisher: Unit
) -> tuple[list[Organisation], list[GuideEntry], list[str]]:
    organisations = list(Organisation.objects.filter(public_id__in=data.organisations))
    if not [o for o in organisations if o.pk != publisher.organisation_id]:
        raise Invalid(
            _("Choose the organisations the change concerns (other than your own)."),
            code="scope_required",
            field="organisations",
        )
    if any(topic not in Topic.values for topic in data.topics):
        raise Invalid(_("Choose topics from the list."), code="topic_unknown", field="topics")
    kinds = list(GuideEntry.objects.filter(slug__in=data.expense_kinds, national__isnull=True))
    if len(kinds) != len(set(data.expense_kinds)):
        raise Invalid(
            _("Choose expense kinds from the guide."),
            code="expense_kind_unknown",
            field="expense_kinds",
        )
    if not kinds and not data.topics:
        raise Invalid(
            _("Name the topics or the expense kinds the change touches."),
            code="scope_required",
            field="topics",
        )
    return organisations, kinds, list(dict.fromkeys(data.topics))


def _pdfs(files: Sequence[File]) -> list[CheckedFile]:
    checked = check_files(files)
    for item in checked:
        if item.content_type != "application/pdf":
            raise Invalid(
                _("%(name)s is not a PDF: attach the bulletin's documents as PDF.")
                % {"name": item.name},
                code="attachment_not_pdf",
                field="files",
            )
    return checked


def bulletin_publish(
    *, actor: Actor, unit: Unit, data: BulletinInput, files: Sequence[File] = ()
) -> Bulletin:
    """Publish a change for ``unit`` (its managers or its system). Nothing is written
    when any part is refused; stored files are removed again on failure."""
    if unit.pk not in actor.units_with(Perm.KNOWLEDGE_PUBLISH):
        raise deny(actor, detail={"perm": "knowledge_publish"})
    texts = _texts(data)
    effective = _effective_date(data)
    organisations, kinds, topics = _scope(data, unit)
    checked = _pdfs(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                publisher_unit=unit,
                published_by=actor.user,
                published_by_label=actor.label,
                published_at=timezone.now(),
                effective_date=effective,
                topics=topics,
                **texts,
            )
            bulletin.organisations.set(organisations)
            bulletin.expense_kinds.set(kinds)
            for item in checked:
                stored.append(store(item))
                BulletinAttachment.objects.create(
                    bulletin=bulletin,
                    storage_name=stored[-1],
                    original_name=item.name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    created_at=bulletin.published_at,
                )
            record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=bulletin,
                unit_id=unit.pk,
                detail={"bulletin": str(bulletin.public_id), "files": len(checked)},
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return bulletin


def bulletin_acknowledge(
    *, actor: Actor, bulletin: Bulletin, unit_id: int | None = None
) -> Acknowledgement:
    """A receiving unit has read the change (once; again is a no-op)."""
    unit = permissions.receiving_unit(actor, bulletin, unit_id)
    if unit is None:
        own_side = bulletin.publisher_unit.organisation_id in permissions.organisations_with(
            actor, Perm.KNOWLEDGE_READ
        )
        if own_side and unit_id is None:
            raise Invalid(
                _("Your own organisation published this bulletin: the others acknowledge it."),
                code="own_bulletin",
            )
        raise deny(actor, detail={"bulletin": str(bulletin.public_id)})
    with transaction.atomic():
        ack, created = Acknowledgement.objects.get_or_create(
            bulletin=bulletin,
            unit_id=unit,
            defaults={"user": actor.user, "label": actor.label, "at": timezone.now()},
        )
        if created:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=bulletin,
                unit_id=unit,
                detail={"bulletin": str(bulletin.public_id), "acknowledged": True},
            )
    return ack


def bulletin_post(*, actor: Actor, bulletin: Bulletin, data: PostInput) -> BulletinPost:
    """A question from a receiving unit, or the publisher's side answering."""
    organisations = {o.pk for o in bulletin.organisations.all()} | {
        bulletin.publisher_unit.organisation_id
    }
    units = actor.units_with(Perm.KNOWLEDGE_READ)
    found = sorted(
        m.unit_id
        for m in actor.memberships
        if m.unit_id in units and m.organisation_id in organisations
    )
    if not found:
        raise deny(actor, detail={"bulletin": str(bulletin.public_id)})
    body = (data.body or "").strip()
    if not body:
        raise Invalid(_("Write your question or answer."), code="body_required", field="body")
    if len(body) > 4000:
        raise Invalid(_("The text is too long."), code="too_long", field="body")
    with transaction.atomic():
        post = BulletinPost.objects.create(
            bulletin=bulletin,
            unit_id=found[0],
            user=actor.user,
            label=actor.label,
            body=body,
            created_at=timezone.now(),
        )
        record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=post,
            unit_id=found[0],
            detail={"bulletin": str(bulletin.public_id)},
        )
    return post
